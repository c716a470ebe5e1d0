#!/usr/bin/env python3
"""Writes a synthetic snapshot metadata database (docs/FORMAT.md "Snapshot metadata", format 2) of N entries.

Usage: generate.py SEED_DB OUT_DB ENTRIES [FILES_PER_DIR]

SEED_DB is the decrypted metadata of a real small snapshot: its snapshot, chunks and blobs rows are copied
unchanged (so the store's blobs and the manifest's blob list still match), and the files table is replaced by
ENTRIES generated rows in walk order (ids ascending, a directory before its contents): directories d00000/...
holding FILES_PER_DIR entries each. Every 20th entry is a small file made of one of the seed's chunks (so many
files share a handful of chunks in one blob); every 100th entry is a symlink, every 200th a hard link to the
previous small file; the rest are empty files. Prints "file_count total_size" for the manifest.
"""
import sqlite3
import sys

seed, out, entries = sys.argv[1], sys.argv[2], int(sys.argv[3])
per_dir = int(sys.argv[4]) if len(sys.argv) > 4 else 100

src = sqlite3.connect(seed)
schema = [r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE type='table' AND sql IS NOT NULL ORDER BY rowid")]
chunks = src.execute("SELECT id, plain_length FROM chunks ORDER BY id").fetchall()
if not chunks:
    sys.exit("generate.py: the seed snapshot has no chunks")

db = sqlite3.connect(out)
db.execute("PRAGMA journal_mode=OFF")
db.execute("PRAGMA synchronous=OFF")
for sql in schema:
    db.execute(sql)
for table in ("snapshot", "chunks", "blobs"):
    rows = src.execute(f"SELECT * FROM {table}").fetchall()
    if rows:
        db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)

MTIME = 1_700_000_000_000_000_000
files, fchunks = [], []
total_size = 0
next_id = 1
count = 0
d = 0
last_small = None
while count < entries:
    dpath = f"d{d:06d}"
    files.append((next_id, dpath, "dir", 0o755, 0, 0, 0, MTIME, None, None))
    next_id += 1
    count += 1
    for i in range(per_dir):
        if count >= entries:
            break
        path = f"{dpath}/f{i:05d}"
        n = count
        if n % 100 == 0:
            files.append((next_id, path, "symlink", 0o777, 0, 0, 9, MTIME, "../target", None))
        elif n % 200 == 1 and last_small is not None:
            files.append((next_id, path, "file", 0o644, 0, 0, last_small[1], MTIME, None, last_small[0]))
        elif n % 20 == 10:
            chunk_id, length = chunks[n % len(chunks)]
            files.append((next_id, path, "file", 0o644, 0, 0, length, MTIME, None, None))
            fchunks.append((next_id, 0, chunk_id))
            total_size += length
            last_small = (path, length)
        else:
            files.append((next_id, path, "file", 0o644, 0, 0, 0, MTIME, None, None))
        next_id += 1
        count += 1
    d += 1
    if len(files) >= 100_000:
        db.executemany("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)", files)
        db.executemany("INSERT INTO file_chunks VALUES (?,?,?)", fchunks)
        files, fchunks = [], []
db.executemany("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)", files)
db.executemany("INSERT INTO file_chunks VALUES (?,?,?)", fchunks)
db.commit()
db.execute("VACUUM")
db.close()
print(count, total_size)
