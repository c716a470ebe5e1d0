#!/usr/bin/env bash
# Maintenance at scale: a synthetic local store of 100,000 blobs (standing for 10M chunks in blobs of ~100 chunks)
# and 1,000 snapshots each listing 50,000 of them (50 new per snapshot, 50 dropped), then each keyless
# maintenance verb once under /usr/bin/time -v: peak RSS and wall time.
#
#   bench/maintenance-scale.sh [VAULTIK_BINARY...]     (default: this tree's Release build)
#
# Env: WORK (default /tmp/vaultik-maint-bench; ~2.5 GB), SNAPSHOTS (1000), BLOBS (100000), WINDOW (50000),
# HEAP_LIMIT (hex bytes for DOTNET_GCHeapHardLimit, default 0x100000000 = 4 GiB: a run that needs more fails
# instead of taking the machine), KEEP=1 keeps the store. Destructive verbs (prune, purge) run on a
# hard-linked copy of the store, made fresh for each.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp/vaultik-maint-bench}"
snapshots="${SNAPSHOTS:-1000}" blobs="${BLOBS:-100000}" window="${WINDOW:-50000}"
export DOTNET_GCHeapHardLimit="${HEAP_LIMIT:-0x100000000}"
binaries=("$@")
if [ ${#binaries[@]} -eq 0 ]; then
    dotnet build "$here/src/Vaultik.Cli" -c Release >/dev/null
    binaries=("$here/src/Vaultik.Cli/bin/Release/net10.0/vaultik")
fi

mkdir -p "$work"
if [ ! -d "$work/store/metadata" ]; then
    dotnet build "$here/bench/Vaultik.Bench" -c Release >/dev/null
    dotnet "$here/bench/Vaultik.Bench/bin/Release/net10.0/Vaultik.Bench.dll" maintenance-store "$work/store" "$snapshots" "$blobs" "$window"
fi
[ -f "$work/key.txt" ] || age-keygen -o "$work/key.txt" 2>/dev/null
recipient="$(grep -o 'age1[0-9a-z]*' "$work/key.txt" | head -1)"

config() { printf 'age_recipients: [%s]\nstorage_url: file://%s\nhostname: benchhost\n' "$recipient" "$1" > "$work/config.yml"; }

# run NAME BINARY ARGS...: prints "NAME  exit  wall-s  peak-RSS-MB"
run() {
    local name="$1" bin="$2"; shift 2
    local log="$work/time.log" rc=0
    /usr/bin/time -v "$bin" --config "$work/config.yml" "$@" >"$work/out.log" 2>"$log" || rc=$?
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.1f", s}' "$log")
    printf '%-28s exit %-3s %7s s %6s MB\n' "$name" "$rc" "$wall" "$rss"
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then grep -v '^\s' "$log" | head -2 | sed 's/^/    /'; fi
}

fresh_copy() { rm -rf "$work/copy"; cp -al "$work/store" "$work/copy"; config "$work/copy"; }

for bin in "${binaries[@]}"; do
    echo "== $bin ($snapshots snapshots, $blobs blobs, $window per manifest; heap limit $DOTNET_GCHeapHardLimit)"
    config "$work/store"
    run "snapshot list" "$bin" snapshot list
    run "verify" "$bin" verify
    run "verify --deep (keyless)" "$bin" verify --deep
    run "store status" "$bin" store status
    run "prune --dry-run" "$bin" prune --dry-run
    run "snapshot purge --dry-run" "$bin" snapshot purge --keep-last 500 --dry-run
    fresh_copy
    run "prune --yes" "$bin" prune --yes
    fresh_copy
    run "snapshot purge --yes" "$bin" snapshot purge --keep-last 500 --yes
    echo "    after purge: $(find "$work/copy/metadata" -name manifest.json.zst | wc -l) snapshots, $(find "$work/copy/blobs" -type f | wc -l) blobs"
done
rm -rf "$work/copy"
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
