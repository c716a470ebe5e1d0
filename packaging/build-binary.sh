#!/usr/bin/env bash
# Builds the single self-contained vaultik executable with NativeAOT, SQLite linked in statically:
#   bash packaging/build-binary.sh [linux-x64|linux-arm64] [OUTDIR]     (default: linux-x64, artifacts/bin/<rid>)
# The static SQLite is Debian's libsqlite3-dev for the target architecture. For linux-x64 (on amd64) the script
# installs it with apt-get when missing (as root; otherwise it names the package). For linux-arm64 it cross-links
# with the gcc-aarch64-linux-gnu toolchain (installed as root when missing) and takes the arm64 libsqlite3.a from
# /usr/lib/aarch64-linux-gnu (multiarch libsqlite3-dev:arm64) or, without that, downloads Debian's
# libsqlite3-dev:arm64 .deb with apt into artifacts/cross/arm64 and unpacks it there, leaving dpkg's
# architectures alone. It fails unless OUTDIR ends up holding exactly one file, `vaultik`, that needs no
# SQLite library at run time. Prints the binary's path on stdout.
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

as_root_install() {
  if [ "$(id -u)" != 0 ]; then
    log "missing: $* (as root: apt-get install $*)"
    exit 1
  fi
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "$@" >&2
}

SQLITE=/usr/lib/$TRIPLET/libsqlite3.a
EXTRA=()
if [ "$DEBARCH" = "$HOSTARCH" ]; then
  [ -f "$SQLITE" ] || as_root_install libsqlite3-dev
else
  command -v "$TRIPLET-gcc" >/dev/null || as_root_install "gcc-$TRIPLET" "binutils-$TRIPLET"
  if [ ! -f "$SQLITE" ]; then
    # Debian's target-architecture package, fetched by apt with lists of its own: no dpkg --add-architecture.
    CROSS="$ROOT/artifacts/cross/$DEBARCH"
    SQLITE="$CROSS/sysroot/usr/lib/$TRIPLET/libsqlite3.a"
    if [ ! -f "$SQLITE" ]; then
      log "fetching libsqlite3-dev:$DEBARCH with apt into $CROSS"
      mkdir -p "$CROSS/lists/partial" "$CROSS/cache/archives/partial" "$CROSS/debs" "$CROSS/sysroot"
      APTOPTS=(-o "APT::Architectures::=$DEBARCH" -o "APT::Architecture=$DEBARCH" -o "Dir::State::Lists=$CROSS/lists"
        -o Dir::State::Status=/dev/null -o "Dir::Cache=$CROSS/cache" -o APT::Sandbox::User=root)
      apt-get -qq "${APTOPTS[@]}" update >&2
      (cd "$CROSS/debs" && apt-get -qq "${APTOPTS[@]}" download "libsqlite3-dev:$DEBARCH" >&2)
      for deb in "$CROSS"/debs/*.deb; do dpkg-deb -x "$deb" "$CROSS/sysroot"; done
    fi
  fi
  # gcc, not clang: the cross gcc brings the target's libc, crt files and libgcc (the ILCompiler's runtime pack
  # carries zlib and brotli); the wrapper drops the clang-only --target= option.
  EXTRA=(-p:CppCompilerAndLinker="$ROOT/packaging/$TRIPLET-gcc-ilc" -p:ObjCopyName="$TRIPLET-objcopy")
fi
[ -f "$SQLITE" ] || { log "cannot link SQLite statically: $SQLITE is missing"; exit 1; }
EXTRA+=(-p:VaultikSqliteStaticLib="$SQLITE")

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
