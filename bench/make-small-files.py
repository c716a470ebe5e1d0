#!/usr/bin/env python3
"""Makes a deterministic tree of small files for the scale scenario.

usage: make-small-files.py DIR FILES DIRS

DIR gets DIRS directories (d00000 ...) spread over 100-wide parents (p000/d00000), and FILES files spread
evenly over them (f000000.txt ...). Every file's content (20 to 400 bytes) is derived from its number, so
two runs make byte-identical trees; the mtimes are whatever the file system gives.
"""
import hashlib
import os
import sys


def main() -> int:
    if len(sys.argv) != 4:
        print("usage: make-small-files.py DIR FILES DIRS", file=sys.stderr)
        return 2
    root, files, dirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if files < 0 or dirs < 1:
        print("cannot make the tree: FILES must be >= 0 and DIRS >= 1", file=sys.stderr)
        return 2
    per_dir = -(-files // dirs)
    n = 0
    for d in range(dirs):
        path = os.path.join(root, f"p{d // 100:03d}", f"d{d:05d}")
        os.makedirs(path, exist_ok=True)
        for _ in range(per_dir):
            if n >= files:
                break
            seed = hashlib.sha256(n.to_bytes(8, "little")).digest()
            size = 20 + seed[0] * 3 // 2
            body = (seed.hex() * (size // 64 + 1))[:size]
            with open(os.path.join(path, f"f{n:07d}.txt"), "w", encoding="ascii") as out:
                out.write(f"{n}\n{body}\n")
            n += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
