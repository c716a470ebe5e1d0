#!/usr/bin/env bash
# The packaging checks of CI, on a throw-away Debian 12 machine as root (it installs and purges the package):
# builds the binary and the .deb, installs it with dpkg -i, checks the binary, units, completions and man
# pages, runs the vaultik.service and vaultik-status.service ExecStart= lines as systemd would (there is no
# systemd as PID 1 on a CI machine, so not through systemctl), then purges the package and checks that the
# index and the store are left; then cross-builds linux-arm64 (binary run under qemu-user, and its .deb).
# Each check prints "ok: ..." or "FAIL: ..."; the last line is
# "N passed, N failed". Exit 0 when none failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
passed=0; failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@" >"$WORK/out" 2>&1; then ok "$what"; else fail "$what"; sed 's/^/  | /' "$WORK/out" | tail -n 20; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

WORK=$(mktemp -d /tmp/vaultik-ci-pkg.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
if [ "$(id -u)" != 0 ]; then
  fail "the packaging checks install a package: run them as root on a throw-away machine"
  finish
fi
if dpkg -s vaultik >/dev/null 2>&1; then
  fail "a vaultik package is installed already: the checks would replace and purge it (dpkg --purge vaultik first)"
  finish
fi
export DEBIAN_FRONTEND=noninteractive
tools=()
command -v systemd-analyze >/dev/null || tools+=(systemd)
command -v zsh >/dev/null || tools+=(zsh)
command -v fish >/dev/null || tools+=(fish)
command -v groff >/dev/null || tools+=(groff-base)
command -v man >/dev/null || tools+=(man-db)
command -v qemu-aarch64 >/dev/null || tools+=(qemu-user)
if [ ${#tools[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${tools[@]}" >/dev/null || fail "apt-get install ${tools[*]}"
fi

# 1. The single binary and the package.
if BINARY=$(bash "$ROOT/packaging/build-binary.sh" linux-x64 "$WORK/bin" 2>"$WORK/build.log"); then
  ok "build-binary.sh: one self-contained file, $(stat -c %s "$BINARY") bytes, SQLite linked in ($(readelf -d "$BINARY" | grep -c NEEDED) NEEDED: $(readelf -d "$BINARY" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' '))"
else
  fail "build-binary.sh"; tail -n 30 "$WORK/build.log" | sed 's/^/  | /'; finish
fi
if DEB=$(VAULTIK_BINARY="$BINARY" bash "$ROOT/packaging/build-deb.sh" linux-x64 "$WORK/deb" 2>"$WORK/deb.log"); then
  ok "build-deb.sh: $(basename "$DEB")"
else
  fail "build-deb.sh"; tail -n 30 "$WORK/deb.log" | sed 's/^/  | /'; finish
fi
no_static_sqlite() {
  ! dotnet publish "$ROOT/src/Vaultik.Cli" -c Release -r linux-x64 -o "$WORK/nosqlite" -nologo -v:q -p:VaultikSqliteStaticLib=/nonexistent/libsqlite3.a >"$WORK/nosqlite.log" 2>&1 \
    && grep -q 'cannot link SQLite statically: /nonexistent/libsqlite3.a is missing' "$WORK/nosqlite.log" && ! [ -e "$WORK/nosqlite/libe_sqlite3.so" ]
}
check "a publish without a static SQLite fails with a clear error instead of writing libe_sqlite3.so" no_static_sqlite
mkdir -p "$ROOT/artifacts" && cp "$DEB" "$ROOT/artifacts/" 2>/dev/null

# 2. Install it.
STATE_EXISTED=0; [ -e /var/lib/vaultik ] && STATE_EXISTED=1
if ! dpkg -i "$DEB" >"$WORK/out" 2>&1; then
  fail "dpkg -i $(basename "$DEB")"; sed 's/^/  | /' "$WORK/out"; finish
fi
ok "dpkg -i $(basename "$DEB")"
check "vaultik --version prints version, commit and store formats" \
  bash -c '/usr/bin/vaultik --version | grep -Ex "vaultik [0-9][^ ]* \(commit ([0-9a-f]{7}|unknown)\) store format [0-9]+ \(reads [0-9]+(-[0-9]+)?\)"'
check "the installed binary needs no SQLite library" bash -c '! ldd /usr/bin/vaultik | grep -i sqlite'
UNITS=(/lib/systemd/system/vaultik.service /lib/systemd/system/vaultik.timer /lib/systemd/system/vaultik-daemon.service
  /lib/systemd/system/vaultik-status.service /lib/systemd/system/vaultik-status.timer)
# systemd-analyze verify works without systemd as PID 1; it fails on any warning about these units.
verify_units() { local out; out=$(systemd-analyze verify "${UNITS[@]}" 2>&1); echo "$out"; ! echo "$out" | grep -E 'vaultik[^ ]*\.(service|timer)'; }
check "systemd-analyze verify on the 5 installed units" verify_units
check "bash -n on the installed bash completion" bash -n /usr/share/bash-completion/completions/vaultik
check "the bash completion completes 'vaultik snapshot cr' to create" bash -c \
  '. /usr/share/bash-completion/completions/vaultik; COMP_WORDS=(vaultik snapshot cr); COMP_CWORD=2; _vaultik; [ "${COMPREPLY[*]}" = create ]'
check "zsh -n on the installed zsh completion" zsh -n /usr/share/zsh/vendor-completions/_vaultik
check "fish -n on the installed fish completion" fish -n /usr/share/fish/vendor_completions.d/vaultik.fish
man_pages() {
  local page n=0
  for page in /usr/share/man/man1/vaultik*.1.gz; do
    n=$((n + 1))
    if [ -n "$(zcat "$page" | groff -man -Tutf8 -ww -z 2>&1)" ]; then echo "groff warns on $page"; return 1; fi
  done
  [ "$n" -gt 5 ] && man -P cat vaultik-snapshot-create | grep -q -- '--exclude-caches'
}
check "the installed man pages render without groff warnings and man finds them" man_pages

# 3. The nightly unit's commands, as systemd would run them: its Environment= and EnvironmentFile=, each
#    ExecStart= in turn, stopping at the first failure. First unconfigured (it must fail clearly), then configured.
# Environment= lines, then the EnvironmentFile's assignments (quotes removed as systemd does), one a line.
unit_env() {
  sed -n 's/^Environment=//p' "$1"
  [ -f /etc/default/vaultik ] && sed -n 's/^\([A-Z_][A-Z0-9_]*\)="\(.*\)"$/\1=\2/p; s/^\([A-Z_][A-Z0-9_]*\)=\([^"]*\)$/\1=\2/p' /etc/default/vaultik
}
# Each ExecStart= with systemd's "$$" unescaped to "$", its words split by sh (the unit uses only '...' quoting).
run_unit() {
  local unit=$1 line envs
  mapfile -t envs < <(unit_env "$unit")
  while IFS= read -r line; do
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "${envs[@]}" /bin/sh -c "${line//\$\$/\$}" || return $?
  done < <(sed -n 's/^ExecStart=//p' "$unit")
}
unconfigured() { local rc=0; run_unit /lib/systemd/system/vaultik.service >"$WORK/unconf" 2>&1 || rc=$?; cat "$WORK/unconf"; [ "$rc" = 2 ] && grep -q 'age_recipients: at least one age recipient' "$WORK/unconf"; }
check "vaultik.service unconfigured fails with exit 2 naming age_recipients" unconfigured
mkdir -p "$WORK/src/etc" && echo "nightly" > "$WORK/src/etc/motd" && head -c 300000 /dev/urandom > "$WORK/src/data.bin"
/usr/bin/vaultik keygen -o "$WORK/identity.txt" > "$WORK/recipient" 2>/dev/null
sed -i -e "s|^age_recipients: \[\].*|age_recipients: [$(cat "$WORK/recipient")]|" \
  -e "s|^storage_url: file:///var/backups/vaultik|storage_url: file://$WORK/store|" \
  -e "s|^    paths: \[.*\]|    paths: [$WORK/src]|" /etc/vaultik/config.yml
check "vaultik.service's ExecStart lines make a snapshot with the shipped config (recipient, store and paths filled in)" \
  run_unit /lib/systemd/system/vaultik.service
snapshot_listed() { VAULTIK_CONFIG=/etc/vaultik/config.yml /usr/bin/vaultik snapshot list --json | tee "$WORK/list" | grep -q '"name": *"system"' && test -s /var/lib/vaultik/index.sqlite; }
check "the snapshot is listed and the index is in /var/lib/vaultik" snapshot_listed
# Retention: with VAULTIK_RETENTION set, the second ExecStart purges; two runs with --keep-last 1 leave one snapshot.
retention() {
  sed -i 's/^VAULTIK_RETENTION=.*/VAULTIK_RETENTION="--keep-last 1"/' /etc/default/vaultik
  echo "changed" >> "$WORK/src/etc/motd"
  run_unit /lib/systemd/system/vaultik.service || return 1
  VAULTIK_CONFIG=/etc/vaultik/config.yml /usr/bin/vaultik snapshot list --json > "$WORK/list2" || return 1
  cat "$WORK/list2"
  [ "$(grep -o '"id"' "$WORK/list2" | wc -l)" = 1 ]
}
restored() { VAULTIK_CONFIG=/etc/vaultik/config.yml /usr/bin/vaultik restore latest "$WORK/restored" --name system --identity "$WORK/identity.txt" && cmp "$WORK/src/data.bin" "$WORK/restored$WORK/src/data.bin"; }
check "the snapshot restores byte for byte" restored
check "with VAULTIK_RETENTION=\"--keep-last 1\" a second run of vaultik.service purges the first snapshot" retention
PROM_EXISTED=0; [ -e /var/lib/prometheus/node-exporter ] && PROM_EXISTED=1
mkdir -p /var/lib/prometheus/node-exporter   # systemd's StateDirectory= would create it
status_written() { run_unit /lib/systemd/system/vaultik-status.service && grep -q '^vaultik_status_stale 0' /var/lib/prometheus/node-exporter/vaultik.prom; }
check "vaultik-status.service's ExecStart writes the Prometheus textfile, keyless" status_written
rm -f /var/lib/prometheus/node-exporter/vaultik.prom
[ "$PROM_EXISTED" = 1 ] || rm -rf /var/lib/prometheus

# 4. Purge: the package's files and conffiles go, the index and the store stay.
check "dpkg --purge vaultik" dpkg --purge vaultik
check "purge removed the binary, units, completions and /etc/vaultik" bash -c \
  '! [ -e /usr/bin/vaultik ] && ! [ -e /lib/systemd/system/vaultik.timer ] && ! [ -e /usr/share/bash-completion/completions/vaultik ] && ! [ -e /etc/vaultik ]'
check "purge left the index and the store" bash -c "test -s /var/lib/vaultik/index.sqlite && test -n \"\$(ls -A '$WORK/store/snapshots' 2>/dev/null || ls -A '$WORK/store')\""
[ "$STATE_EXISTED" = 1 ] || rm -rf /var/lib/vaultik

# 5. linux-arm64, cross-built here: one aarch64 file with SQLite linked in, run under qemu-user with the cross
#    toolchain's arm64 libc, and its .deb.
if ARM=$(bash "$ROOT/packaging/build-binary.sh" linux-arm64 "$WORK/bin-arm64" 2>"$WORK/arm.log"); then
  ok "build-binary.sh linux-arm64: one file, $(stat -c %s "$ARM") bytes"
  check "the arm64 binary is an aarch64 ELF needing no SQLite library" bash -c \
    "readelf -h '$ARM' | grep -q 'AArch64' && ! readelf -d '$ARM' | grep -i 'NEEDED.*sqlite'"
  check "the arm64 binary's --version under qemu-aarch64" bash -c \
    "qemu-aarch64 -L /usr/aarch64-linux-gnu '$ARM' --version | grep -Eq '^vaultik [0-9].* store format [0-9]+'"
  check "build-deb.sh linux-arm64" bash -c "VAULTIK_BINARY='$ARM' bash '$ROOT/packaging/build-deb.sh' linux-arm64 '$WORK/deb' | grep -q '_arm64.deb$'"
else
  fail "build-binary.sh linux-arm64"; tail -n 30 "$WORK/arm.log" | sed 's/^/  | /'
fi
finish
