#!/usr/bin/env bash
# Builds the single self-contained vaultik executable with NativeAOT, SQLite linked in statically:
#   bash packaging/build-binary.sh [linux-x64|linux-arm64] [OUTDIR]     (default: linux-x64, artifacts/bin/<rid>)
# The static SQLite is Debian's libsqlite3-dev for the target architecture (libsqlite3-dev:arm64 through
# multiarch for linux-arm64, with the gcc-aarch64-linux-gnu cross toolchain); as root the script installs what
# is missing with apt-get, otherwise it names the packages. It fails unless OUTDIR ends up holding exactly one
# file, `vaultik`, that needs no SQLite library at run time. Prints the binary's path on stdout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RID=${1:-linux-x64}
OUT=${2:-$ROOT/artifacts/bin/$RID}
log() { echo "build-binary: $*" >&2; }

case "$RID" in
  linux-x64) TRIPLET=x86_64-linux-gnu; DEBARCH=amd64 ;;
  linux-arm64) TRIPLET=aarch64-linux-gnu; DEBARCH=arm64 ;;
  *) log "cannot build for '$RID': the targets are linux-x64 and linux-arm64"; exit 2 ;;
esac
HOSTARCH=$(dpkg --print-architecture)

need=()
[ -f "/usr/lib/$TRIPLET/libsqlite3.a" ] || need+=("libsqlite3-dev:$DEBARCH")
EXTRA=()
if [ "$DEBARCH" != "$HOSTARCH" ]; then
  # Cross-linking: the target's gcc and binutils, and its libc, libstdc++ and zlib to link against.
  command -v "$TRIPLET-gcc" >/dev/null || need+=("gcc-$TRIPLET" "binutils-$TRIPLET")
  [ -f "/usr/lib/$TRIPLET/libz.a" ] || need+=("zlib1g-dev:$DEBARCH")
  EXTRA=(-p:CppCompilerAndLinker="$TRIPLET-gcc" -p:ObjCopyName="$TRIPLET-objcopy" -p:SysRoot=/)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing: ${need[*]} (as root: apt-get install ${need[*]})"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ "$DEBARCH" != "$HOSTARCH" ] && ! dpkg --print-foreign-architectures | grep -qx "$DEBARCH"; then
    log "adding the $DEBARCH architecture to dpkg"
    dpkg --add-architecture "$DEBARCH"
  fi
  log "installing ${need[*]}"
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

rm -rf "$OUT"
log "publishing $RID into $OUT"
dotnet publish "$ROOT/src/Vaultik.Cli" -c Release -r "$RID" -o "$OUT" -nologo -v:q ${EXTRA[@]+"${EXTRA[@]}"} >&2
rm -f "$OUT/vaultik.dbg"
others=$(find "$OUT" -mindepth 1 ! -name vaultik)
if [ -n "$others" ]; then
  log "the publish left more than the binary in $OUT: $others"
  exit 1
fi
if readelf -d "$OUT/vaultik" | grep -i 'NEEDED.*sqlite'; then
  log "$OUT/vaultik needs a shared SQLite library: it was not linked statically"
  exit 1
fi
echo "$OUT/vaultik"
