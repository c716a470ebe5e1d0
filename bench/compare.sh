#!/usr/bin/env bash
# Whole-program comparison of Vaultik with restic and borg on this machine, with public tools only
# (/usr/bin/time for wall and CPU time and peak RSS, du for stored size), plus the one-core cost of each
# primitive of Vaultik over the same corpus (bench/Vaultik.Bench `primitives`). Issue 19, items 4 and 5.
#
#   bash bench/compare.sh                                   # every corpus, RUNS=3
#   CORPORA="dotnet git" RUNS=5 bash bench/compare.sh
#   CORPORA=small100k SMALL_FILES=2000 RUNS=1 bash bench/compare.sh     # a quick check that it all works
#
# The tools and their settings (each tool's own defaults, local stores on the same file system):
#   vaultik  the NativeAOT binary of this tree (packaging/build-binary.sh: `dotnet publish -r linux-x64`, which
#            sets PublishAot), `init --storage file://…` with one X25519 recipient: age encryption (X25519,
#            ChaCha20-Poly1305) of zstd frames at compression_level 3, FastCDC 256 KiB / 1 MiB / 4 MiB.
#   restic   Debian's restic (0.14 on bookworm), `init` (repository version 2): AES-256-CTR + Poly1305-AES,
#            zstd compression `auto`, its chunker (Rabin, 512 KiB to 8 MiB, ~1 MiB average).
#   borg     Debian's borgbackup (1.2), `init -e repokey` with BORG_PASSPHRASE: AES-256-CTR + HMAC-SHA256,
#            its default lz4 compression, buzhash chunker (~2 MiB average); single-threaded by design.
# restic and borg are installed with apt-get when missing (needs root), as is GNU time. VAULTIK_BIN=PATH uses
# an already built NativeAOT binary instead of publishing one (it is still checked to be NativeAOT).
#
# Corpora (CORPORA, space-separated names; each is made once under $WORK/corpus and reused while its
# parameters stay the same):
#   dotnet          a copy of /usr/share/dotnet (.NET binaries; DOTNET_DIR to use another).
#   git             a real source repository with its .git, at two successive versions: SOURCE_REPO (a path or
#                   URL) is cloned with its full history, SOURCE_OLD (default HEAD~50) is checked out for the
#                   first backup, and SOURCE_NEW (default HEAD) is checked out in place before the changed step.
#                   Both are resolved to commits right after the clone. Default SOURCE_REPO: the bare mirror
#                   /work/.mirror/git+git/repo when it exists (git/git: ~500 MB pack, ~48 MB tree, ~560 MB in
#                   all), else https://github.com/git/git.git.
#   incompressible  /var/cache/apt/archives/*.deb when they add up to at least 300 MB, else
#                   bench/make-incompressible.py (INCOMPRESSIBLE_MB, default 600; INCOMPRESSIBLE_SEED):
#                   80% random data, 15% .gz of text, 5% text, files of 4 KiB to 16 MiB.
#   small100k       bench/make-small-files.py: SMALL_FILES files (default 100000) in SMALL_FILES/100 directories.
#   small1m         the same with SMALL1M_FILES (default 1000000).
#
# Steps per corpus and run: first backup, unchanged re-run, changed re-run (git: the second version; the
# other corpora: 1% of the files, every hundredth in sorted order, get 8 bytes appended), full restore of the
# latest snapshot into an empty directory (borg: `borg extract` from inside it). Every tool works on its own
# copy of the corpus (made with cp -a before the run, so it is in the page cache), and a step is run for all
# tools before the next step starts, the tools alternating: run 1 is vaultik, restic, borg; run 2 starts with
# restic; run 3 with borg; and so on. `sync` before every timed command, so no step pays for another's
# writeback.
# Page cache: kept (DROP_CACHES=0, the default). Every corpus fits in memory here and each tool reads a copy
# that was just written, so all tools read from the page cache and the benchmark measures the programs (CPU,
# system calls, pipelining), which is what the issue's targets are about; restores write into the page cache
# and are timed until the program exits (as a user sees it). DROP_CACHES=1 (root) also runs
# `echo 3 > /proc/sys/vm/drop_caches` before every step, which makes reads cold: a measurement of this VM's
# disk as much as of the tools, and it slows everyone else on a shared machine.
#
# RESTORE_DIR=DIR puts every restore in DIR/restore-TOOL (removed right after the step), e.g. a tmpfs so that
# a 1M-file restore measures the tools and not the state of an ext4 that has created and deleted millions of
# inodes (docs/BENCHMARKS.md "Store format 3 at scale"). PREPARE_ONLY=1 makes the corpora and stops.
#
# Output: the machine line and date, then per corpus one Markdown table of medians over RUNS (default 3):
# wall seconds (user+sys CPU seconds), MB/s over the corpus's file bytes, the throughput ratios Vaultik/restic
# and Vaultik/borg (the other tool's time divided by Vaultik's: >= 1 means Vaultik is faster), peak RSS, and
# the stored bytes after the first backup and at the end; then the primitives table (PRIMITIVES=0 skips it).
# Raw records: $WORK/times (one line per step: corpus step tool run wall user sys rss_kib).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/vaultik-bench}
CORPORA=${CORPORA:-"dotnet git incompressible small100k small1m"}
TOOLS=(vaultik restic borg)
SMALL_FILES=${SMALL_FILES:-100000}
SMALL1M_FILES=${SMALL1M_FILES:-1000000}
DOTNET_DIR=${DOTNET_DIR:-/usr/share/dotnet}
if [ -z "${SOURCE_REPO:-}" ]; then
  if [ -d /work/.mirror/git+git/repo ]; then SOURCE_REPO=/work/.mirror/git+git/repo; else SOURCE_REPO=https://github.com/git/git.git; fi
fi
SOURCE_OLD=${SOURCE_OLD:-HEAD~50}
SOURCE_NEW=${SOURCE_NEW:-HEAD}
INCOMPRESSIBLE_MB=${INCOMPRESSIBLE_MB:-600}
INCOMPRESSIBLE_SEED=${INCOMPRESSIBLE_SEED:-19}
DROP_CACHES=${DROP_CACHES:-0}
PRIMITIVES=${PRIMITIVES:-1}
RESTORE_DIR=${RESTORE_DIR:-}  # where restores go (each tool's own subdirectory, removed after the step); default: beside the store
PREPARE_ONLY=${PREPARE_ONLY:-0}  # 1: make the corpora and stop (so a later timed run does not pay for them)
LEVEL=3 # Vaultik's default compression_level; the primitives table uses the same
export RESTIC_PASSWORD=bench-password BORG_PASSPHRASE=bench-password
log() { echo "compare: $*" >&2; }

for c in $CORPORA; do
  case "$c" in dotnet | git | incompressible | small100k | small1m) ;; *) log "cannot run corpus '$c': the corpora are dotnet git incompressible small100k small1m"; exit 2 ;; esac
done
install_missing() { # COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  [ "$(id -u)" = 0 ] || { log "cannot run without $1: apt-get install $2 (as root)"; exit 1; }
  log "installing $2"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
install_missing restic restic
install_missing borg borgbackup
[ -x /usr/bin/time ] || { install_missing /usr/bin/time time; }
if [ "$DROP_CACHES" = 1 ] && [ ! -w /proc/sys/vm/drop_caches ]; then log "cannot drop the page cache: DROP_CACHES=1 needs root"; exit 1; fi

mkdir -p "$WORK"
if [ -n "${VAULTIK_BIN:-}" ]; then
  VAULTIK=$VAULTIK_BIN
else
  log "building the NativeAOT binary (packaging/build-binary.sh: dotnet publish -r linux-x64, PublishAot)..."
  VAULTIK=$(bash "$ROOT/packaging/build-binary.sh" linux-x64 "$WORK/bin")
fi
# The issue's numbers are for the NativeAOT build: refuse anything else (a JIT apphost has no __managedcode
# section and needs vaultik.dll beside it).
readelf -S "$VAULTIK" 2>/dev/null | grep -q '__managedcode' || { log "cannot benchmark: $VAULTIK is not a NativeAOT binary"; exit 1; }
BENCH_DLL="$ROOT/bench/Vaultik.Bench/bin/Release/net10.0/Vaultik.Bench.dll"
if [ "$PRIMITIVES" = 1 ]; then
  log "building bench/Vaultik.Bench..."
  dotnet build "$ROOT/bench/Vaultik.Bench" -c Release -nologo -v:q > "$WORK/bench-build.log" 2>&1 \
    || { log "cannot build bench/Vaultik.Bench:"; grep -E ' error ' "$WORK/bench-build.log" >&2; exit 1; }
fi

# ---- corpora ------------------------------------------------------------------------------------------------
CORPUS_DIR="$WORK/corpus"
# prepare NAME: makes $CORPUS_DIR/NAME (reused when $CORPUS_DIR/NAME.params matches); for git also NAME.new
prepare() {
  local name=$1 dir="$CORPUS_DIR/$1" params
  case "$name" in
    dotnet) params="dotnet $DOTNET_DIR" ;;
    git) params="git $SOURCE_REPO $SOURCE_OLD $SOURCE_NEW" ;;
    incompressible) params="incompressible $INCOMPRESSIBLE_MB $INCOMPRESSIBLE_SEED" ;;
    small100k) params="small $SMALL_FILES" ;;
    small1m) params="small $SMALL1M_FILES" ;;
  esac
  if [ -f "$dir.params" ] && [ "$(cat "$dir.params")" = "$params" ]; then return 0; fi
  log "preparing corpus $name..."
  rm -rf "$dir" "$dir.params" "$dir.new"; mkdir -p "$CORPUS_DIR"
  case "$name" in
    dotnet) mkdir -p "$dir" && cp -a "$DOTNET_DIR/." "$dir/" ;;
    git)
      git clone -q --no-checkout --no-hardlinks "$SOURCE_REPO" "$dir"
      local old new
      old=$(git -C "$dir" rev-parse --verify "$SOURCE_OLD^{commit}") && new=$(git -C "$dir" rev-parse --verify "$SOURCE_NEW^{commit}") \
        || { log "cannot resolve SOURCE_OLD=$SOURCE_OLD and SOURCE_NEW=$SOURCE_NEW in $SOURCE_REPO"; exit 1; }
      git -C "$dir" checkout -q --detach "$old" || { log "cannot check out $old of $SOURCE_REPO (objects missing from a partial mirror?)"; exit 1; }
      echo "$new" > "$dir.new" ;;
    incompressible)
      local debs
      debs=$(find /var/cache/apt/archives -maxdepth 1 -name '*.deb' -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}')
      if [ "$debs" -ge 300000000 ]; then
        mkdir -p "$dir" && cp -a /var/cache/apt/archives/*.deb "$dir/"; params="$params debs"
      else
        python3 "$ROOT/bench/make-incompressible.py" "$dir" "$INCOMPRESSIBLE_MB" "$INCOMPRESSIBLE_SEED"
      fi ;;
    small100k) python3 "$ROOT/bench/make-small-files.py" "$dir" "$SMALL_FILES" $(( (SMALL_FILES + 99) / 100 )) ;;
    small1m) python3 "$ROOT/bench/make-small-files.py" "$dir" "$SMALL1M_FILES" $(( (SMALL1M_FILES + 99) / 100 )) ;;
  esac
  echo "$params" > "$dir.params"
}

file_bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

change() { # NAME DIR: the changed version of a tool's copy
  if [ "$1" = git ]; then
    git -C "$2" checkout -q --detach "$(cat "$CORPUS_DIR/git.new")"
  else
    find "$2" -type f | LC_ALL=C sort | awk 'NR % 100 == 1' | while read -r f; do printf 'changed\n' >> "$f"; done
  fi
}

# ---- timing -------------------------------------------------------------------------------------------------
# step_run CORPUS STEP TOOL RUN DIR CMD...: runs CMD in DIR under /usr/bin/time and appends its record to $WORK/times
step_run() {
  local corpus=$1 step=$2 tool=$3 run=$4 dir=$5; shift 5
  sync
  if [ "$DROP_CACHES" = 1 ]; then echo 3 > /proc/sys/vm/drop_caches; fi
  if ! (cd "$dir" && /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.out" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"); then
    log "cannot run $tool $step on $corpus (run $run): $*"; cat "$WORK/cmd.err" >&2; exit 1
  fi
  echo "$corpus $step $tool $run $(tail -n 1 "$WORK/time.out")" >> "$WORK/times"
}

# tool_step TOOL CORPUS STEP RUN: one step (init, first, unchanged, changed, restore) of one tool in
# $WORK/runs/TOOL (src, store, restore, its caches); records the store's size after the first and changed steps
tool_step() {
  local tool=$1 corpus=$2 step=$3 run=$4 base="$WORK/runs/$1"
  local src="$base/src" store="$base/store" target="${RESTORE_DIR:-$WORK/runs/$1}/restore-$1"
  case "$tool" in
    vaultik)
      export VAULTIK_CONFIG="$base/config.yml" VAULTIK_INDEX_PATH="$base/index.sqlite" XDG_CACHE_HOME="$base/cache" XDG_STATE_HOME="$base/state"
      case "$step" in
        init) "$VAULTIK" keygen -o "$base/key.txt" > "$base/pub" 2>"$base/init.err" && "$VAULTIK" init --storage "file://$store" --recipient "$(cat "$base/pub")" >/dev/null 2>>"$base/init.err" || init_failed "$tool" ;;
        restore) step_run "$corpus" "$step" "$tool" "$run" "$base" "$VAULTIK" restore latest "$target" --identity "$base/key.txt" ;;
        *) step_run "$corpus" "$step" "$tool" "$run" "$base" "$VAULTIK" snapshot create "$src" ;;
      esac ;;
    restic)
      export RESTIC_CACHE_DIR="$base/cache"
      case "$step" in
        init) restic -q -r "$store" init >/dev/null 2>"$base/init.err" || init_failed "$tool" ;;
        restore) mkdir -p "$target" && step_run "$corpus" "$step" "$tool" "$run" "$base" restic -q -r "$store" restore latest --target "$target" ;;
        *) step_run "$corpus" "$step" "$tool" "$run" "$base" restic -q -r "$store" backup "$src" ;;
      esac ;;
    borg)
      export BORG_BASE_DIR="$base/home"
      case "$step" in
        init) borg init -e repokey "$store" >/dev/null 2>"$base/init.err" || init_failed "$tool" ;;
        restore) mkdir -p "$target" && step_run "$corpus" "$step" "$tool" "$run" "$target" borg extract "$store::changed" ;;
        *) step_run "$corpus" "$step" "$tool" "$run" "$base" borg create "$store::$step" "$src" ;;
      esac ;;
  esac
  if [ "$step" = restore ]; then rm -rf "$target"; fi
  if [ "$step" = first ] || [ "$step" = changed ]; then
    echo "$corpus stored-$step $tool $run $(du -sb "$store" | cut -f1)" >> "$WORK/stored"
  fi
}

init_failed() { log "cannot set up $1's store"; cat "$WORK/runs/$1/init.err" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print ""; else print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
# field CORPUS STEP TOOL COLUMN: the median of one column (5 wall, 6 user, 7 sys, 8 rss) of $WORK/times
field() { awk -v c="$1" -v s="$2" -v t="$3" -v k="$4" '$1 == c && $2 == s && $3 == t {print $k}' "$WORK/times" | median; }
stored() { awk -v c="$1" -v s="$2" -v t="$3" '$1 == c && $2 == s && $3 == t {print $5}' "$WORK/stored" | median; }

if [ "$PREPARE_ONLY" = 1 ]; then
  for corpus in $CORPORA; do prepare "$corpus"; done
  log "corpora ready under $CORPUS_DIR"; exit 0
fi

# ---- runs ---------------------------------------------------------------------------------------------------
rm -rf "$WORK/runs" "$WORK/times" "$WORK/stored" "$WORK/primitives"; mkdir -p "$WORK/runs" "$WORK/primitives"; : > "$WORK/times"; : > "$WORK/stored"
for corpus in $CORPORA; do
  prepare "$corpus"
  src="$CORPUS_DIR/$corpus"
  for run in $(seq 1 "$RUNS"); do
    order=(); for i in 0 1 2; do order+=("${TOOLS[$(( (i + run - 1) % 3 ))]}"); done
    log "$corpus run $run/$RUNS (${order[*]})"
    for tool in "${order[@]}"; do
      rm -rf "$WORK/runs/$tool"; mkdir -p "$WORK/runs/$tool"; cp -a "$src" "$WORK/runs/$tool/src"
      tool_step "$tool" "$corpus" init "$run"
    done
    for step in first unchanged changed restore; do
      if [ "$step" = changed ]; then for tool in "${order[@]}"; do change "$corpus" "$WORK/runs/$tool/src"; done; fi
      for tool in "${order[@]}"; do tool_step "$tool" "$corpus" "$step" "$run"; done
    done
    echo "$corpus size-first $(file_bytes "$src") $(find "$src" -type f | wc -l)" >> "$WORK/stored"
    echo "$corpus size-changed $(file_bytes "$WORK/runs/${order[0]}/src") $(find "$WORK/runs/${order[0]}/src" -type f | wc -l)" >> "$WORK/stored"
    rm -rf "$WORK/runs"/*
  done
  if [ "$PRIMITIVES" = 1 ]; then
    log "$corpus: one-core cost of each primitive"
    sync
    dotnet "$BENCH_DLL" primitives "$src" --level "$LEVEL" > "$WORK/primitives/$corpus.md"
  fi
done

# ---- report -------------------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
echo
echo "Machine: $cpu, $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r); Vaultik $(git -C "$ROOT" rev-parse --short HEAD) (NativeAOT), restic $(restic version | awk '{print $2}'), borg $(borg --version | awk '{print $2}'); RUNS=$RUNS, page cache $( [ "$DROP_CACHES" = 1 ] && echo dropped before every step || echo kept); $(date -u +%Y-%m-%d)"
echo
echo "Medians of $RUNS alternating runs. Time: wall seconds (user+sys CPU seconds). MB/s over the corpus's file bytes. Ratios are throughput ratios, the other tool's time over Vaultik's: >= 1 means Vaultik is faster."
for corpus in $CORPORA; do
  read -r _ _ bytes files < <(grep "^$corpus size-first " "$WORK/stored" | tail -n 1)
  read -r _ _ bytes2 _ < <(grep "^$corpus size-changed " "$WORK/stored" | tail -n 1)
  echo
  awk -v c="$corpus" -v b="$bytes" -v f="$files" 'BEGIN { printf "### %s: %d files, %.1f MB\n\n", c, f, b / 1e6 }'
  echo "| step | Vaultik | restic | borg | Vaultik MB/s | restic MB/s | borg MB/s | Vaultik/restic | Vaultik/borg | peak RSS MiB (V / r / b) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for step in first unchanged changed restore; do
    size=$bytes; [ "$step" = first ] || [ "$step" = unchanged ] || size=$bytes2
    args=()
    for tool in "${TOOLS[@]}"; do for k in 5 6 7 8; do args+=("$(field "$corpus" "$step" "$tool" "$k")"); done; done
    awk -v s="$step" -v b="$size" -v a="${args[*]}" 'BEGIN {
      n = split(a, x, " ")
      for (i = 0; i < 3; i++) { w[i] = x[i*4+1]; cpu[i] = x[i*4+2] + x[i*4+3]; rss[i] = x[i*4+4] / 1024 }
      printf "| %s | %.2f s (%.2f) | %.2f s (%.2f) | %.2f s (%.2f) | %.1f | %.1f | %.1f | %.2f× | %.2f× | %.0f / %.0f / %.0f |\n", s,
        w[0], cpu[0], w[1], cpu[1], w[2], cpu[2], b / 1e6 / w[0], b / 1e6 / w[1], b / 1e6 / w[2], w[1] / w[0], w[2] / w[0], rss[0], rss[1], rss[2] }'
  done
  for when in first changed; do
    v=$(stored "$corpus" "stored-$when" vaultik); r=$(stored "$corpus" "stored-$when" restic); g=$(stored "$corpus" "stored-$when" borg)
    label="stored after the first backup"; [ "$when" = first ] || label="stored after all three backups"
    awk -v l="$label" -v v="$v" -v r="$r" -v g="$g" 'BEGIN { printf "| %s | %.1f MB | %.1f MB | %.1f MB | | | | size %.3f× of restic | %.3f× of borg | |\n", l, v / 1e6, r / 1e6, g / 1e6, v / r, v / g }'
  done
  if [ -s "$WORK/primitives/$corpus.md" ]; then
    echo
    cat "$WORK/primitives/$corpus.md"
    awk -v w="$(field "$corpus" first vaultik 5)" -v u="$(field "$corpus" first vaultik 6)" -v s="$(field "$corpus" first vaultik 7)" \
      'BEGIN { printf "\nMeasured first backup of Vaultik beside it: %.2f s wall, %.2f s user + %.2f s sys.\n", w, u, s }'
  fi
done
