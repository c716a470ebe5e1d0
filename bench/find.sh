#!/usr/bin/env bash
# find over many snapshots: builds a store of SNAPSHOTS snapshots of a FILES-file tree (bench/make-small-files.py;
# before each snapshot after the first, CHANGE files are rewritten and one is added), then times `vaultik find`
# cold (empty metadata cache) and warm, with metadata_cache encrypted (the default) and plain, and prints
# wall time and peak RSS of each. The issue's target: SNAPSHOTS=100 FILES=100000, warm <= 10 s.
#
# Defaults are small so the script itself can be checked quickly: SNAPSHOTS=10 FILES=2000.
# Env: SNAPSHOTS, FILES, DIRS (default FILES/100, at least 1), CHANGE (default 10), GLOB (default '*7.txt'),
# WORK (default /tmp/vaultik-bench-find), BIN (the vaultik binary), KEEP=1 to reuse a built store.
# Needs: dotnet, python3, /usr/bin/time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SNAPSHOTS=${SNAPSHOTS:-10}
FILES=${FILES:-2000}
DIRS=${DIRS:-$(( FILES / 100 > 0 ? FILES / 100 : 1 ))}
CHANGE=${CHANGE:-10}
GLOB=${GLOB:-'*7.txt'}
WORK=${WORK:-/tmp/vaultik-bench-find}
BIN=${BIN:-$ROOT/src/Vaultik.Cli/bin/Release/net10.0/vaultik}
[ -x "$BIN" ] || dotnet build "$ROOT/src/Vaultik.Cli" -c Release >/dev/null
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share XDG_CACHE_HOME=$WORK/home/.cache
unset XDG_RUNTIME_DIR VAULTIK_AGE_SECRET_KEY
export VAULTIK_CONFIG=$WORK/config.yml

if [ "${KEEP:-0}" != 1 ] || [ ! -d "$WORK/store" ]; then
  rm -rf "$WORK"; mkdir -p "$WORK/home"
  "$BIN" keygen -o "$WORK/key.txt" > "$WORK/recipient.txt"
  cat > "$WORK/config.yml" <<YML
age_recipients: [$(cat "$WORK/recipient.txt")]
storage_url: file://$WORK/store
index_path: $WORK/index/index.sqlite
hostname: benchhost
YML
  python3 "$ROOT/bench/make-small-files.py" "$WORK/tree" "$FILES" "$DIRS"
  for s in $(seq 1 "$SNAPSHOTS"); do
    if [ "$s" -gt 1 ]; then
      # CHANGE files rewritten (spread over the tree), one new file.
      find "$WORK/tree" -name 'f*.txt' | sort | awk -v n="$CHANGE" -v s="$s" 'NR % (int(FILES_N / n) + 1) == s % 7' FILES_N="$FILES" | head -n "$CHANGE" |
        while read -r f; do echo "change $s" >> "$f"; done
      echo "new in $s" > "$WORK/tree/new-$s.txt"
    fi
    "$BIN" snapshot create "$WORK/tree" > /dev/null
  done
fi

COUNT=$("$BIN" snapshot list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "store: $COUNT snapshots of about $FILES files each ($(du -sh "$WORK/store" | cut -f1))"
run() { # label
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" find "$GLOB" --identity "$WORK/key.txt" --json > "$WORK/out.json"
  read -r secs rss < "$WORK/time.txt"
  python3 - "$WORK/out.json" "$1" "$secs" "$rss" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
s = doc["summary"]
print(f"{sys.argv[2]:<16} {float(sys.argv[3]):8.2f} s  peak RSS {int(sys.argv[4]) / 1024:7.1f} MiB  "
      f"{s['snapshots_searched']} snapshots, {s['from_cache']} from cache, {s['paths']} paths, {s['matches']} matches")
PY
}
CACHE=$WORK/index/metadata-cache
for mode in encrypted plain; do
  sed -i '/^metadata_cache:/d' "$WORK/config.yml"; echo "metadata_cache: $mode" >> "$WORK/config.yml"
  rm -rf "$CACHE"
  run "$mode cold"
  run "$mode warm"
  echo "$mode cache size: $(du -sh "$CACHE" | cut -f1)"
done
