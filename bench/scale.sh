#!/usr/bin/env bash
# The scale scenario of issue 15: one tree of many small files (default 1,000,000 in 10,000 directories),
# backed up by Vaultik and restic to local stores, side by side, with public tools only (/usr/bin/time for
# wall time and peak RSS, du for store growth):
#
#   1. first snapshot            2. unchanged re-run         3. every file of 1% of the directories changed
#   4. full restore of the last snapshot
#
# and, as the floor an unchanged run is measured against, a bare stat walk of the tree
# (`find -printf '%s %T@ %i\n'`). Prints a Markdown table: time, peak RSS and bytes the step added to the
# store, for both tools, plus Vaultik's local index size per file.
#
#   bash bench/scale.sh                        # 1,000,000 files in 10,000 directories
#   FILES=100000 DIRS=1000 bash bench/scale.sh
#   WORK=/var/tmp/scale bash bench/scale.sh    # where the tree, stores and restores go (needs ~15 GB at 1M)
#   VAULTIK=/path/to/vaultik bash bench/scale.sh  # use this binary instead of publishing one
#   RESTORE_DIR=/mnt/tmpfs bash bench/scale.sh    # restore targets there (e.g. a tmpfs: an ext4 that has seen
#                                                 # millions of files created and deleted spends most restore time
#                                                 # in its inode allocator, for both tools)
#
# Needs root only to install restic or time when missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILES=${FILES:-1000000}
DIRS=${DIRS:-10000}
WORK=${WORK:-/tmp/vaultik-scale}
export RESTIC_PASSWORD=bench-password

command -v restic >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq restic >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

rm -rf "$WORK"; mkdir -p "$WORK"
if [ -z "${VAULTIK:-}" ]; then
  echo "building the release binary..." >&2
  dotnet publish "$ROOT/src/Vaultik.Cli" -c Release -r linux-x64 -o "$WORK/bin" >/dev/null
  VAULTIK="$WORK/bin/vaultik"
fi
RESULTS="$WORK/results"
: > "$RESULTS"

echo "making $FILES files in $DIRS directories..." >&2
SRC="$WORK/src"
# Directory k is d<k/100>/e<k%100>; file contents are deterministic, 10 to 400 words of a small vocabulary.
python3 - "$SRC" "$FILES" "$DIRS" <<'PY'
import os, random, sys
root, files, dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = random.Random(42)
words = [b"alpha", b"beta", b"gamma", b"delta", b"backup", b"store", b"chunk", b"index", b"\n"]
per = files // dirs
for k in range(dirs):
    d = os.path.join(root, f"d{k // 100:03d}", f"e{k % 100:02d}")
    os.makedirs(d, exist_ok=True)
    for i in range(per):
        with open(os.path.join(d, f"f{i:04d}.txt"), "wb") as f:
            f.write(b" ".join(r.choice(words) for _ in range(r.randint(10, 400))))
PY

# step TOOL STEP STORE CMD... : runs CMD under /usr/bin/time, appends "TOOL STEP seconds peak_kib added_bytes".
step() {
  local tool=$1 name=$2 store=$3; shift 3
  local before after
  before=$(du -sb "$store" 2>/dev/null | cut -f1 || echo 0)
  sync
  /usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/cmd.err" || { cat "$WORK/cmd.err" >&2; return 1; }
  after=$(du -sb "$store" 2>/dev/null | cut -f1 || echo 0)
  echo "$tool $name $(cat "$WORK/time.out") $((after - before))" >> "$RESULTS"
  echo "  $tool $name: $(cat "$WORK/time.out") (+$((after - before)) bytes)" >&2
}

# Directories whose files all change in step 3: every 100th of them.
change_one_percent_of_dirs() {
  python3 - "$SRC" "$DIRS" <<'PY'
import os, sys
root, dirs = sys.argv[1], int(sys.argv[2])
for d in range(0, dirs, 100):
    path = os.path.join(root, f"d{d // 100:03d}", f"e{d % 100:02d}")
    for name in os.listdir(path):
        with open(os.path.join(path, name), "ab") as f:
            f.write(b"changed\n")
PY
}

VSTORE="$WORK/vaultik-store"; RREPO="$WORK/restic-repo"
export VAULTIK_CONFIG="$WORK/vaultik.yml" VAULTIK_INDEX_PATH="$WORK/vaultik-index/index.sqlite"
"$VAULTIK" keygen -o "$WORK/key.txt" > "$WORK/pub"
"$VAULTIK" init --storage "file://$VSTORE" --recipient "$(cat "$WORK/pub")" 2>/dev/null
restic -q -r "$RREPO" init >/dev/null

# The floor: a bare stat walk, warm cache (run twice, the second counts).
find "$SRC" -printf '%s %T@ %i\n' > /dev/null
step find statwalk "$WORK/none" find "$SRC" -printf '%s %T@ %i\n'

step vaultik first "$VSTORE" "$VAULTIK" snapshot create "$SRC"
step restic first "$RREPO" restic -q -r "$RREPO" backup "$SRC"
step vaultik unchanged "$VSTORE" "$VAULTIK" snapshot create "$SRC"
step restic unchanged "$RREPO" restic -q -r "$RREPO" backup "$SRC"
index_bytes=$(du -sb "$(dirname "$VAULTIK_INDEX_PATH")" | cut -f1)
change_one_percent_of_dirs
step vaultik changed1pctdirs "$VSTORE" "$VAULTIK" snapshot create "$SRC"
step restic changed1pctdirs "$RREPO" restic -q -r "$RREPO" backup "$SRC"
RESTORE_DIR=${RESTORE_DIR:-$WORK}
step vaultik restore "$VSTORE" "$VAULTIK" restore latest "$RESTORE_DIR/restore-vaultik" --identity "$WORK/key.txt"
rm -rf "$RESTORE_DIR/restore-vaultik"
step restic restore "$RREPO" restic -q -r "$RREPO" restore latest --target "$RESTORE_DIR/restore-restic"
rm -rf "$RESTORE_DIR/restore-restic"
metadata_first=$(du -sb "$VSTORE/metadata" | cut -f1)

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); restic $(restic version | awk '{print $2}'); $(date -u +%Y-%m-%d)"
echo "Tree: $FILES files in $DIRS directories, $(du -sb "$SRC" | cut -f1) bytes; Vaultik index after the unchanged run: $index_bytes bytes ($((index_bytes / FILES)) B/file); Vaultik metadata/ after three snapshots: $metadata_first bytes"
echo
echo "| step | Vaultik s | restic s | Vaultik/restic | Vaultik peak RSS MiB | restic peak RSS MiB | Vaultik adds to store | restic adds to store |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
read -r _ _ walk _ _ < <(grep "^find statwalk " "$RESULTS")
for s in first unchanged changed1pctdirs restore; do
  read -r _ _ vt vm va < <(grep "^vaultik $s " "$RESULTS")
  read -r _ _ rt rm_ ra < <(grep "^restic $s " "$RESULTS")
  awk -v s="$s" -v vt="$vt" -v rt="$rt" -v vm="$vm" -v rm="$rm_" -v va="$va" -v ra="$ra" 'BEGIN {
    printf "| %s | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f MB | %.2f MB |\n", s, vt, rt, vt / rt, vm / 1024, rm / 1024, va / 1e6, ra / 1e6 }'
done
read -r _ _ vt _ _ < <(grep "^vaultik unchanged " "$RESULTS")
awk -v w="$walk" -v vt="$vt" 'BEGIN { printf "\nBare stat walk: %.2f s; Vaultik unchanged run / stat walk: %.1f×\n", w, (w > 0 ? vt / w : 0) }'
