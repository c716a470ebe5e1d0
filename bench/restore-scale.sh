#!/usr/bin/env bash
# Restore at scale without writing millions of source files: peak RSS of a real `vaultik restore` of a
# snapshot of N entries (default 1,000,000; e.g. `bench/restore-scale.sh 10000000`).
#
# How the store is made, honestly: the real CLI snapshots a small seed tree (a few dozen small files, so a
# real blob with real chunks, encrypted to a fresh identity). The seed's metadata is decrypted with the
# documented recovery tools (age, zstd), and bench/restore-scale/generate.py writes a new database with the
# same schema, the same snapshot/chunks/blobs rows and N generated files rows (directories of 100 entries;
# mostly empty files, every 20th entry one of the seed's chunks, some symlinks and hard links). That database is
# compressed and encrypted with zstd and age to the same recipient and put in place of the seed's
# db.zst.age, and the manifest gets the new metadata_hash, metadata_size, file_count and total_size (its blob
# list is unchanged, so it still matches the blobs table). Then the real CLI restores it under
# /usr/bin/time -v and the script prints the peak RSS, entries restored and the target's size.
#
# Needs: dotnet, python3, age, zstd, sqlite3, /usr/bin/time. Work directory: $WORK (default /tmp/vaultik-restore-scale).
set -euo pipefail
N=${1:-1000000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/vaultik-restore-scale}
BIN=${BIN:-$ROOT/src/Vaultik.Cli/bin/Release/net10.0/vaultik}
[ -x "$BIN" ] || dotnet build "$ROOT/src/Vaultik.Cli" -c Release >/dev/null
rm -rf "$WORK"; mkdir -p "$WORK/seed/data"
cd "$WORK"
age-keygen -o key.txt 2>/dev/null
RECIPIENT=$(age-keygen -y key.txt)
cat > config.yml <<YML
age_recipients: [$RECIPIENT]
storage_url: file://$WORK/store
index_path: $WORK/index.sqlite
hostname: benchhost
YML
for i in $(seq 1 40); do head -c $((512 + i * 97)) /dev/urandom > "seed/data/s$i"; done
export VAULTIK_CONFIG=$WORK/config.yml
"$BIN" snapshot create "$WORK/seed/data" >/dev/null
ID=$(ls store/metadata | head -1)
M=store/metadata/$ID
age -d -i key.txt "$M/db.zst.age" | zstd -dq -o seed.db
read -r COUNT TOTAL < <(python3 "$ROOT/bench/restore-scale/generate.py" seed.db big.db "$N")
zstd -q -3 -T0 -c big.db | age -r "$RECIPIENT" > "$M/db.zst.age"
HASH=$(sha256sum "$M/db.zst.age" | cut -d' ' -f1)
SIZE=$(stat -c %s "$M/db.zst.age")
zstd -dc "$M/manifest.json.zst" | python3 -c "
import json, sys
m = json.load(sys.stdin)
m.update(metadata_hash='$HASH', metadata_size=$SIZE, file_count=$COUNT, total_size=$TOTAL)
json.dump(m, sys.stdout)" > manifest.json
rm -f "$M/manifest.json.zst"; zstd -q --check manifest.json -o "$M/manifest.json.zst"
echo "snapshot $ID: $COUNT entries, $TOTAL bytes of content, metadata $(stat -c %s big.db) bytes ($SIZE stored)"
/usr/bin/time -v "$BIN" restore "$ID" "$WORK/target" --identity key.txt ${RESTORE_ARGS:-} >restore.out 2>time.txt || { tail -20 time.txt; exit 1; }
echo "restored entries: $(find target | wc -l), $(du -sh target | cut -f1)"
grep -E "Maximum resident set size" time.txt
