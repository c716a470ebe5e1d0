#!/usr/bin/env bash
# Whole-program comparison of Vaultik with restic on this machine, with public tools only
# (/usr/bin/time for wall time and peak RSS, du for stored size). Runs each tool alternately on the same
# corpora: first backup, unchanged re-run, re-run after changing 1% of the files, full restore.
# Prints a Markdown table of medians, Vaultik/restic ratios, peak RSS and stored size.
#
#   bash bench/compare.sh                      # corpora: /usr/share/dotnet and a synthetic 100k-file tree
#   CORPORA="/usr/share/dotnet /path/to/src" RUNS=5 bash bench/compare.sh
#   SMALL_FILES=20000 bash bench/compare.sh    # size of the synthetic tree
#
# Needs root only to install restic when it is missing (apt-get install restic).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/vaultik-bench}
SMALL_FILES=${SMALL_FILES:-100000}
CORPORA=${CORPORA:-"/usr/share/dotnet synthetic"}
export RESTIC_PASSWORD=bench-password

command -v restic >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

echo "building the release binary..." >&2
dotnet publish "$ROOT/src/Vaultik.Cli" -c Release -r linux-x64 -o "$WORK/bin" >/dev/null
VAULTIK="$WORK/bin/vaultik"

# time_run LABEL CMD... -> appends "LABEL seconds peak_kib" to $WORK/times
time_run() {
  local label=$1; shift
  # Start every step with no dirty pages left by the harness's own copying (or the previous step), so
  # neither tool is timed while the kernel writes back someone else's data.
  sync
  /usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/cmd.err" || { cat "$WORK/cmd.err" >&2; return 1; }
  echo "$label $(cat "$WORK/time.out")" >> "$WORK/times"
}

make_synthetic() {
  local dir=$1
  python3 - "$dir" "$SMALL_FILES" <<'PY'
import os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
r = random.Random(42)
words = [b"alpha", b"beta", b"gamma", b"delta", b"backup", b"store", b"chunk", b"index", b"\n"]
for i in range(count):
    d = os.path.join(root, f"d{i // 1000:03d}", f"e{(i // 100) % 10}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.txt"), "wb") as f:
        f.write(b" ".join(r.choice(words) for _ in range(r.randint(10, 400))))
PY
}

change_one_percent() {
  local dir=$1
  find "$dir" -type f | awk 'NR % 100 == 0' | while read -r f; do printf 'changed\n' >> "$f"; done
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

rm -rf "$WORK/runs" "$WORK/times"; mkdir -p "$WORK/runs"
for corpus in $CORPORA; do
  name=$(basename "$corpus")
  src="$WORK/runs/src-$name"
  echo "preparing $name..." >&2
  if [ "$corpus" = synthetic ]; then make_synthetic "$src"; else mkdir -p "$src" && cp -a "$corpus/." "$src/"; fi
  for run in $(seq 1 "$RUNS"); do
    for tool in vaultik restic; do
      base="$WORK/runs/$tool-$name-$run"; rm -rf "$base"; mkdir -p "$base"
      cp -a "$src" "$base/src"
      if [ $tool = vaultik ]; then
        export VAULTIK_CONFIG="$base/config.yml" VAULTIK_INDEX_PATH="$base/index.sqlite"
        "$VAULTIK" keygen -o "$base/key.txt" > "$base/pub"
        "$VAULTIK" init --storage "file://$base/store" --recipient "$(cat "$base/pub")" 2>/dev/null
        time_run "$name first $tool" "$VAULTIK" snapshot create "$base/src"
        time_run "$name unchanged $tool" "$VAULTIK" snapshot create "$base/src"
        change_one_percent "$base/src"
        time_run "$name changed1pct $tool" "$VAULTIK" snapshot create "$base/src"
        time_run "$name restore $tool" "$VAULTIK" restore latest "$base/restore" --identity "$base/key.txt"
        echo "$name stored $tool $(du -sb "$base/store" | cut -f1)" >> "$WORK/times"
      else
        restic -q -r "$base/repo" init >/dev/null
        time_run "$name first $tool" restic -q -r "$base/repo" backup "$base/src"
        time_run "$name unchanged $tool" restic -q -r "$base/repo" backup "$base/src"
        change_one_percent "$base/src"
        time_run "$name changed1pct $tool" restic -q -r "$base/repo" backup "$base/src"
        time_run "$name restore $tool" restic -q -r "$base/repo" restore latest --target "$base/restore"
        echo "$name stored $tool $(du -sb "$base/repo" | cut -f1)" >> "$WORK/times"
      fi
      rm -rf "$base/src" "$base/restore"
    done
  done
  bytes=$(du -sb "$src" | cut -f1); files=$(find "$src" -type f | wc -l)
  echo "$name size $bytes $files" >> "$WORK/times"
  rm -rf "$src"
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); restic $(restic version | awk '{print $2}'); $(date -u +%Y-%m-%d)"
echo
echo "| corpus | step | Vaultik s | restic s | Vaultik/restic time | Vaultik MB/s | restic MB/s | Vaultik peak RSS MiB | restic peak RSS MiB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for corpus in $CORPORA; do
  name=$(basename "$corpus")
  read -r _ _ bytes files < <(grep "^$name size " "$WORK/times")
  for step in first unchanged changed1pct restore; do
    v=$(awk -v k="$name $step vaultik" '$1" "$2" "$3==k {print $4}' "$WORK/times" | median)
    r=$(awk -v k="$name $step restic" '$1" "$2" "$3==k {print $4}' "$WORK/times" | median)
    vm=$(awk -v k="$name $step vaultik" '$1" "$2" "$3==k {print $5}' "$WORK/times" | median)
    rm_=$(awk -v k="$name $step restic" '$1" "$2" "$3==k {print $5}' "$WORK/times" | median)
    awk -v n="$name ($files files)" -v s="$step" -v v="$v" -v r="$r" -v b="$bytes" -v vm="$vm" -v rm="$rm_" 'BEGIN {
      printf "| %s | %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", n, s, v, r, (r > 0 ? v / r : 0), (v > 0 ? b / 1e6 / v : 0), (r > 0 ? b / 1e6 / r : 0), vm / 1024, rm / 1024 }'
  done
  vs=$(awk -v k="$name stored vaultik" '$1" "$2" "$3==k {print $4}' "$WORK/times" | median)
  rs=$(awk -v k="$name stored restic" '$1" "$2" "$3==k {print $4}' "$WORK/times" | median)
  awk -v n="$name" -v v="$vs" -v r="$rs" -v b="$bytes" 'BEGIN { printf "| %s | stored bytes (source %.0f MB) | %.1f MB | %.1f MB | %.3f | | | | |\n", n, b / 1e6, v / 1e6, r / 1e6, v / r }'
done
