#!/usr/bin/env bash
# Sequential read throughput through `vaultik mount` against a plain `vaultik restore` of the same data, on a
# local store: one big file (cat of the file through the mount vs restore of that path) and a tree of small
# files (tar of the tree through the mount vs restore of the tree). Each step starts with a fresh mount (cold
# chunk cache) and, as root, with the page cache dropped. Prints a Markdown table of median seconds and MB/s
# and the peak RSS of the mount process.
#
#   bash bench/mount.sh                         # 1 GiB file, 20,000 small files, 3 runs
#   BIG_MB=64 FILES=500 RUNS=1 bash bench/mount.sh
#   VAULTIK=/path/to/vaultik bash bench/mount.sh  # default: the Release build run with dotnet
#
# Needs fuse3 (fusermount3) and /dev/fuse.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIG_MB=${BIG_MB:-1024}
FILES=${FILES:-20000}
RUNS=${RUNS:-3}
WORK=${WORK:-/tmp/vaultik-bench-mount}
if [ -z "${VAULTIK:-}" ]; then
  dotnet build "$ROOT/src/Vaultik.Cli" -c Release >/dev/null
  VAULTIK="dotnet $ROOT/src/Vaultik.Cli/bin/Release/net10.0/vaultik.dll"
fi
command -v fusermount3 >/dev/null || { echo "bench/mount.sh: fusermount3 is missing (apt-get install fuse3)" >&2; exit 1; }

fusermount3 -u -z "$WORK/mnt" 2>/dev/null || true
rm -rf "$WORK"
mkdir -p "$WORK/src/tree" "$WORK/mnt" "$WORK/home"
export HOME="$WORK/home" VAULTIK_CONFIG="$WORK/config.yml" VAULTIK_INDEX_PATH="$WORK/index.sqlite"
$VAULTIK keygen -o "$WORK/key.txt" > "$WORK/pub.txt" 2>/dev/null
$VAULTIK init --storage "file://$WORK/store" --recipient "$(cat "$WORK/pub.txt")" >/dev/null 2>&1

python3 - "$WORK/src" "$BIG_MB" "$FILES" <<'PY'
import os, random, sys
root, big_mb, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(1)
with open(os.path.join(root, "big.bin"), "wb") as f:
    block = rnd.randbytes(1 << 20)
    for i in range(big_mb):
        # Half fresh random data, half a repeated block: compresses somewhat, like real files.
        f.write(rnd.randbytes(1 << 19) + block[: 1 << 19])
for i in range(files):
    d = os.path.join(root, "tree", f"d{i // 500:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}"), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(0, 16384)))
PY
$VAULTIK snapshot create "$WORK/src" >/dev/null 2>&1
TREE_BYTES=$(du -sb --apparent-size "$WORK/src/tree" | cut -f1)
BIG_BYTES=$(stat -c %s "$WORK/src/big.bin")
INNER="${WORK#/}/src"

drop() { sync; if [ "$(id -u)" = 0 ]; then echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; fi; }
now() { date +%s.%N; }
mounted() { awk -v m="$WORK/mnt" '$5 == m && /fuse.vaultik/ { found = 1 } END { exit !found }' /proc/self/mountinfo; }

mount_up() {
  $VAULTIK mount "$WORK/mnt" --identity "$WORK/key.txt" 2>"$WORK/mount.err" &
  MOUNT_PID=$!
  for _ in $(seq 600); do mounted && return 0; kill -0 "$MOUNT_PID" 2>/dev/null || break; sleep 0.1; done
  cat "$WORK/mount.err" >&2; return 1
}

mount_down() {
  RSS_KIB=$(awk '/VmHWM/ { print $2 }' "/proc/$MOUNT_PID/status")
  kill -TERM "$MOUNT_PID"
  wait "$MOUNT_PID"
  echo "$RSS_KIB" >> "$WORK/rss"
}

: > "$WORK/times"
for run in $(seq "$RUNS"); do
  for what in big tree; do
    drop; mount_up
    ID=$(ls "$WORK/mnt/snapshots")
    start=$(now)
    if [ "$what" = big ]; then cat "$WORK/mnt/snapshots/$ID/$INNER/big.bin" > /dev/null
    else tar -cf - -C "$WORK/mnt/snapshots/$ID/$INNER" tree > /dev/null; fi
    echo "mount-$what $(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')" >> "$WORK/times"
    mount_down

    drop; rm -rf "$WORK/restored"
    start=$(now)
    $VAULTIK restore latest "$WORK/restored" "/$INNER/$([ "$what" = big ] && echo big.bin || echo tree)" --identity "$WORK/key.txt" >/dev/null 2>&1
    echo "restore-$what $(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')" >> "$WORK/times"
  done
done

median() { grep "^$1 " "$WORK/times" | cut -d' ' -f2 | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "| step | bytes | median s | MB/s |"
echo "| --- | ---: | ---: | ---: |"
for step in mount-big restore-big mount-tree restore-tree; do
  bytes=$([ "${step#*-}" = big ] && echo "$BIG_BYTES" || echo "$TREE_BYTES")
  s=$(median "$step")
  echo "| $step | $bytes | $s | $(awk -v b="$bytes" -v s="$s" 'BEGIN { printf "%.1f", b / 1000000 / s }') |"
done
echo
echo "peak RSS of the mount process: $(sort -n "$WORK/rss" | tail -1) KiB (chunk cache bound: 64 MiB)"
