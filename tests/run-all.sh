#!/usr/bin/env bash
# The whole Vaultik test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages the tests use (age, zstd, sqlite3 for interop and the recovery recipe; fuse3,
#      attr, acl, libcap2-bin, unzip for the mount, fidelity and archive tests;
#      radosgw, ceph-mon, ceph-osd for a real S3 server) when missing and running as root;
#   2. installs the typage interop helper (tests/interop, npm age-encryption pinned by its package-lock.json) with
#      `npm ci` when its node_modules is missing, and exports VAULTIK_TEST_NODE_AGE (the script's path); without
#      node and npm the typage interop tests skip with the reason, except under CI=true, where this step fails;
#   3. starts a throw-away Ceph RADOS Gateway on 127.0.0.1 (unless S3_ENDPOINT is already set, e.g. to a
#      MinIO of your own, or VAULTIK_TEST_S3=off), exporting S3TEST_DIR too, whose ceph.conf lets the role tests
#      create RGW users with radosgw-admin (without it they skip);
#   4. builds and runs every test project (extra arguments, e.g. --filter EXPR, are passed to this run);
#   5. when running as root, runs the tests with the trait Run=Unprivileged (unreadable sources, non-root
#      restores; they skip as root) again as the unprivileged user vaultik-test (created when missing), from a
#      copy of the built CLI tests readable by that user (VAULTIK_TEST_UNPRIVILEGED=off skips this);
#   6. prints one closing line "N passed, N failed, N skipped" summed over every run's result files.
# Exit status: 0 when every test passed, 1 otherwise.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RESULTS=${VAULTIK_TEST_RESULTS:-$ROOT/artifacts/test-results}
CONFIGURATION=${CONFIGURATION:-Release}

log() { echo "run-all: $*" >&2; }

install_packages() {
  local missing=()
  command -v age >/dev/null || missing+=(age)
  command -v zstd >/dev/null || missing+=(zstd)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  command -v fusermount3 >/dev/null || missing+=(fuse3 libfuse3-3)   # the real FUSE mount tests
  command -v getfattr >/dev/null || missing+=(attr)                  # xattr fidelity dumps
  command -v getfacl >/dev/null || missing+=(acl)                    # POSIX ACL dumps
  command -v getcap >/dev/null || missing+=(libcap2-bin)             # file capability dumps
  command -v unzip >/dev/null || missing+=(unzip)                    # dump --archive zip checks
  command -v chattr >/dev/null || missing+=(e2fsprogs)               # the read-only index tests (chattr +i)
  if [ "${VAULTIK_TEST_S3:-on}" != off ] && [ -z "${S3_ENDPOINT:-}" ]; then
    command -v radosgw >/dev/null || missing+=(radosgw)
    command -v ceph-mon >/dev/null || missing+=(ceph-mon)
    command -v ceph-osd >/dev/null || missing+=(ceph-osd)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
    return 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

install_packages || exit 1

# typage (the age project's TypeScript implementation) for the second-implementation interop tests.
install_node_age() {
  local dir="$ROOT/tests/interop"
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "node or npm is missing: the typage interop tests skip (install Node.js >= 20.19 with npm to run them)"
    return 1
  fi
  if [ ! -d "$dir/node_modules/age-encryption" ]; then
    log "installing the typage interop helper (npm ci in tests/interop)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2 || { log "npm ci in tests/interop failed"; return 1; }
  fi
  if ! node "$dir/age-node.mjs" keygen >/dev/null; then
    log "node cannot run tests/interop/age-node.mjs (node $(node --version); age-encryption needs >= 20.19)"
    return 1
  fi
  export VAULTIK_TEST_NODE_AGE="$dir/age-node.mjs"
}
if ! install_node_age && [ "${CI:-}" = true ]; then
  log "CI must run the typage interop tests"
  exit 1
fi

S3_STARTED=0
stop_s3() { [ "$S3_STARTED" = 1 ] && bash "$ROOT/tests/s3-test-server.sh" stop >/dev/null 2>&1; return 0; }
trap stop_s3 EXIT
if [ "${VAULTIK_TEST_S3:-on}" != off ] && [ -z "${S3_ENDPOINT:-}" ]; then
  log "starting the Ceph S3 test server"
  mkdir -p "$ROOT/artifacts"
  if ! bash "$ROOT/tests/s3-test-server.sh" start > "$ROOT/artifacts/s3env.sh.tmp" 2> "$ROOT/artifacts/s3-start.log"; then
    tail -n 30 "$ROOT/artifacts/s3-start.log" >&2
    log "the S3 test server did not start"
    exit 1
  fi
  S3_STARTED=1
  # shellcheck disable=SC1091
  . "$ROOT/artifacts/s3env.sh.tmp"
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
dotnet test "$ROOT/Vaultik.sln" -c "$CONFIGURATION" --logger "trx" --results-directory "$RESULTS" "$@"
status=$?

UNPRIVILEGED_USER=${VAULTIK_TEST_USER:-vaultik-test}
run_unprivileged() {
  local built="$ROOT/tests/Vaultik.Cli.Tests/bin/$CONFIGURATION/net10.0"
  if [ ! -f "$built/Vaultik.Cli.Tests.dll" ]; then
    log "no built CLI tests in $built: the unprivileged run is skipped"
    return 1
  fi
  if ! id -u "$UNPRIVILEGED_USER" >/dev/null 2>&1; then
    log "creating the unprivileged test user $UNPRIVILEGED_USER"
    useradd --system --create-home --shell /usr/sbin/nologin "$UNPRIVILEGED_USER" >&2 || return 1
  fi
  if ! (cd /tmp && runuser -u "$UNPRIVILEGED_USER" -- env -i PATH="$PATH" HOME=/tmp DOTNET_CLI_HOME=/tmp/vaultik-dotnet-check dotnet --version >/dev/null 2>&1); then
    log "$UNPRIVILEGED_USER cannot run $(command -v dotnet) (is the SDK installed in a private directory?): the unprivileged run fails"
    return 1
  fi
  # A copy under /tmp, so the clone's own location (say /root/src, mode 0700) need not be readable by the user;
  # its result files are copied back into $RESULTS/unprivileged for the closing count.
  local work
  work=$(mktemp -d /tmp/vaultik-unprivileged.XXXXXX) || return 1
  cp -a "$built" "$work/bin" && mkdir -p "$work/home" "$work/results" "$RESULTS/unprivileged" || return 1
  chmod -R a+rX "$work" && chown "$UNPRIVILEGED_USER:" "$work/home" "$work/results" || return 1
  log "running the Run=Unprivileged tests as $UNPRIVILEGED_USER"
  (cd "$work" && runuser -u "$UNPRIVILEGED_USER" -- env -i PATH="$PATH" HOME="$work/home" DOTNET_CLI_HOME="$work/home" \
    TMPDIR=/tmp DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    dotnet test "$work/bin/Vaultik.Cli.Tests.dll" --filter "Run=Unprivileged" --logger "trx" --results-directory "$work/results")
  local rc=$?
  cp "$work"/results/*.trx "$RESULTS/unprivileged/" 2>/dev/null
  rm -rf "$work"
  return $rc
}

if [ "$(id -u)" = 0 ] && [ "${VAULTIK_TEST_UNPRIVILEGED:-on}" != off ]; then
  run_unprivileged || status=1
fi

total=0; executed=0; passed=0; failed=0; files=0
for trx in "$RESULTS"/*.trx "$RESULTS"/unprivileged/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$((total + $(get total))); executed=$((executed + $(get executed)))
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
done
skipped=$((total - executed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build or a test host failed without a result file saying so
fi
if [ "$files" -eq 0 ]; then
  failed=$((failed > 0 ? failed : 1))
fi
stop_s3
S3_STARTED=0
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
