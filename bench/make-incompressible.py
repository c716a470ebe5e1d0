#!/usr/bin/env python3
"""Makes a deterministic tree of mostly incompressible files for bench/compare.sh's `incompressible` corpus.

usage: make-incompressible.py DIR MB [SEED]

DIR gets about MB megabytes (10^6 bytes) in files of mixed sizes (log-uniform from 4 KiB to 16 MiB) spread
over directories of 50 files: 80% of the bytes are random data (`.bin`, like media or encrypted files), 15%
gzip of text (`.txt.gz`, like compressed logs and archives) and 5% plain text (`.txt`), so zstd can shrink
about a twentieth of it. Everything comes from SEED (default 19) with Python's random.Random, so two runs
with the same arguments make byte-identical trees; the mtimes are whatever the file system gives.
"""
import gzip
import math
import os
import random
import sys

WORDS = ("backup store chunk blob snapshot encrypt file index restore error value return public static "
         "void int string namespace class the of and to in is for with on as by at from").split()


def text(r: random.Random, size: int) -> bytes:
    lines = []
    total = 0
    while total < size:
        line = " ".join(r.choice(WORDS) for _ in range(r.randint(4, 14))) + f" {r.randint(0, 99999)}\n"
        lines.append(line)
        total += len(line)
    return "".join(lines).encode("ascii")[:size]


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print("usage: make-incompressible.py DIR MB [SEED]", file=sys.stderr)
        return 2
    root, megabytes = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) == 4 else 19
    if megabytes < 1:
        print("cannot make the tree: MB must be >= 1", file=sys.stderr)
        return 2
    r = random.Random(seed)
    target = megabytes * 10**6
    kinds = [("bin", 0.80), ("gz", 0.15), ("txt", 0.05)]
    n = 0
    for kind, share in kinds:
        budget = int(target * share)
        while budget > 0:
            size = min(budget, int(math.exp(r.uniform(math.log(4096), math.log(16 << 20)))))
            budget -= size
            path = os.path.join(root, f"d{n // 50:04d}")
            os.makedirs(path, exist_ok=True)
            if kind == "bin":
                name, body = f"f{n:06d}.bin", r.randbytes(size)
            elif kind == "gz":
                # The .gz file is about `size` bytes: text compresses about 4:1 with gzip -6.
                name, body = f"f{n:06d}.txt.gz", gzip.compress(text(r, size * 4), compresslevel=6, mtime=0)
            else:
                name, body = f"f{n:06d}.txt", text(r, size)
            with open(os.path.join(path, name), "wb") as out:
                out.write(body)
            n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
