#!/usr/bin/env bash
# The whole Vaultik test suite, from a fresh Debian 12 machine:
#   1. installs the Debian packages the tests use (age, zstd, sqlite3 for interop and the recovery recipe;
#      radosgw, ceph-mon, ceph-osd for a real S3 server) when missing and running as root;
#   2. starts a throw-away Ceph RADOS Gateway on 127.0.0.1 (unless S3_ENDPOINT is already set, e.g. to a
#      MinIO of your own, or VAULTIK_TEST_S3=off);
#   3. builds and runs every test project;
#   4. prints one closing line "N passed, N failed, N skipped" summed over all test projects.
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

total=0; executed=0; passed=0; failed=0; files=0
for trx in "$RESULTS"/*.trx; do
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
