#!/usr/bin/env bash
# Builds the Debian package with dpkg-deb (no network beyond what build-binary.sh installs with apt):
#   bash packaging/build-deb.sh [linux-x64|linux-arm64] [OUTDIR]      (default: linux-x64, artifacts/deb)
# writes OUTDIR/vaultik_<version>_<arch>.deb and prints its path. VAULTIK_BINARY=PATH packages an already
# built binary (from build-binary.sh) instead of building one. The completions and man pages are generated
# by the binary itself (or, when cross-building, by the same CLI built for this machine) from its command tree.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RID=${1:-linux-x64}
OUTDIR=${2:-$ROOT/artifacts/deb}
HERE="$ROOT/packaging"
log() { echo "build-deb: $*" >&2; }

case "$RID" in
  linux-x64) ARCH=amd64 ;;
  linux-arm64) ARCH=arm64 ;;
  *) log "cannot package for '$RID': the targets are linux-x64 and linux-arm64"; exit 2 ;;
esac
for tool in dpkg-deb gzip; do
  command -v "$tool" >/dev/null || { log "cannot build the package: $tool is missing (apt-get install dpkg-dev gzip)"; exit 1; }
done

BINARY=${VAULTIK_BINARY:-}
if [ -z "$BINARY" ]; then
  BINARY=$(bash "$HERE/build-binary.sh" "$RID")
fi
[ -x "$BINARY" ] || { log "cannot package $BINARY: not an executable"; exit 1; }

# The CLI that generates the completions and man pages: the binary itself when it runs here.
DOCS=("$BINARY")
if [ "$ARCH" != "$(dpkg --print-architecture)" ]; then
  log "building the CLI for this machine to generate the completions and man pages"
  dotnet build "$ROOT/src/Vaultik.Cli" -c Release -nologo -v:q >&2
  DOCS=(dotnet "$ROOT/src/Vaultik.Cli/bin/Release/net10.0/vaultik.dll")
fi
VERSION_LINE=$("${DOCS[@]}" --version)
VERSION=$(echo "$VERSION_LINE" | awk '{print $2}')
COMMIT=$(echo "$VERSION_LINE" | sed -n 's/.*(commit \([^)]*\)).*/\1/p')
[[ "$VERSION" =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { log "cannot read the version from '$VERSION_LINE'"; exit 1; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vaultik-deb.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
P="$STAGE/root"
install -d "$P/DEBIAN" "$P/usr/bin" "$P/lib/systemd/system" "$P/etc/vaultik" "$P/etc/default" \
  "$P/usr/share/bash-completion/completions" "$P/usr/share/zsh/vendor-completions" \
  "$P/usr/share/fish/vendor_completions.d" "$P/usr/share/man/man1" "$P/usr/share/doc/vaultik"
install -m 0755 "$BINARY" "$P/usr/bin/vaultik"
install -m 0644 "$HERE"/systemd/*.service "$HERE"/systemd/*.timer "$P/lib/systemd/system/"
# The config holds store credentials: root only.
install -m 0600 "$HERE/config.yml" "$P/etc/vaultik/config.yml"
install -m 0644 "$HERE/default" "$P/etc/default/vaultik"
"${DOCS[@]}" completion bash > "$P/usr/share/bash-completion/completions/vaultik"
"${DOCS[@]}" completion zsh > "$P/usr/share/zsh/vendor-completions/_vaultik"
"${DOCS[@]}" completion fish > "$P/usr/share/fish/vendor_completions.d/vaultik.fish"
"${DOCS[@]}" --quiet man --output "$STAGE/man"
for page in "$STAGE"/man/*.1; do
  gzip -9n < "$page" > "$P/usr/share/man/man1/$(basename "$page").gz"
done
chmod 0644 "$P"/usr/share/bash-completion/completions/* "$P"/usr/share/zsh/vendor-completions/* \
  "$P"/usr/share/fish/vendor_completions.d/* "$P"/usr/share/man/man1/*
install -m 0644 "$HERE/debian/copyright" "$P/usr/share/doc/vaultik/copyright"
install -m 0644 "$ROOT/README.md" "$P/usr/share/doc/vaultik/README.md"
DATE=$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}")
sed -e "s/@VERSION@/$VERSION/" -e "s/@COMMIT@/$COMMIT/" -e "s/@DATE@/$DATE/" "$HERE/debian/changelog" \
  | gzip -9n > "$P/usr/share/doc/vaultik/changelog.Debian.gz"
chmod 0644 "$P/usr/share/doc/vaultik/changelog.Debian.gz"
install -m 0755 "$HERE/debian/postinst" "$HERE/debian/prerm" "$HERE/debian/postrm" "$P/DEBIAN/"
printf '/etc/vaultik/config.yml\n/etc/default/vaultik\n' > "$P/DEBIAN/conffiles"
# The newest glibc symbol version the binary uses (readelf reads any architecture's ELF).
GLIBC=$(readelf --dyn-syms -W "$BINARY" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
[ -n "$GLIBC" ] || { log "cannot read the glibc version $BINARY needs"; exit 1; }
SIZE=$(du -sk --exclude=DEBIAN "$P" | cut -f1)
cat > "$P/DEBIAN/control" <<CONTROL
Package: vaultik
Version: $VERSION
Architecture: $ARCH
Maintainer: Vaultik developers <maintainers@users.noreply.r-seed-754d4b2e.example>
Installed-Size: $SIZE
Depends: libc6 (>= $GLIBC), libssl3
Suggests: age, prometheus-node-exporter, fuse3
Section: admin
Priority: optional
Description: encrypted, deduplicated backups to S3 or a directory
 Vaultik backs up directories and streams into content-defined, zstd-compressed,
 age-encrypted blobs in an S3 bucket or a local directory; the backed-up host
 holds only a public key. This package ships one static binary (SQLite linked
 in), systemd units (vaultik.timer for a nightly snapshot, vaultik-daemon.service
 for snapshots on change, vaultik-status.timer for keyless monitoring), an
 example /etc/vaultik/config.yml, shell completions and man pages.
CONTROL
mkdir -p "$OUTDIR"
DEB="$OUTDIR/vaultik_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$P" "$DEB" >&2
echo "$DEB"
