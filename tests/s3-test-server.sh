#!/usr/bin/env bash
# Throw-away Ceph RADOS Gateway (a real S3 implementation with SigV4 checks) on 127.0.0.1,
# for integration tests. Debian 12 packages only; no Docker and no systemd.
#   s3-test-server.sh start   -> installs if needed, starts mon + osd + radosgw, waits until ready,
#                                prints `export ...` lines (source them; S3TEST_DIR is for radosgw-admin)
#   s3-test-server.sh stop    -> kills the three daemons (by their pid files) and deletes the data dir
set -euo pipefail
D=${S3TEST_DIR:-/tmp/vaultik-s3test}
PORT=${S3TEST_PORT:-7480}
MON_PORT=${S3TEST_MON_PORT:-6789}
AK=${S3TEST_ACCESS_KEY:-S3TESTACCESSKEY00000}
SK=${S3TEST_SECRET_KEY:-s3testsecretkey0000000000000000000000000}
STORE=${S3TEST_OBJECTSTORE:-bluestore}   # bluestore (sparse file on disk) or memstore (RAM)

stop() {
  local n f p i
  for n in client.rgw osd.0 mon.a; do
    f="$D/run/$n.pid"; [ -f "$f" ] || continue
    p=$(cat "$f"); [ -n "$p" ] || continue
    kill "$p" 2>/dev/null || continue
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$p" 2>/dev/null || true
  done
}

fail() {
  echo "s3-test-server: $*" >&2
  tail -n 20 "$D"/log/*.log >&2 2>/dev/null || true
  stop; exit 1
}

start() {
  if ! command -v radosgw >/dev/null || ! command -v ceph-osd >/dev/null || ! command -v ceph-mon >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends radosgw ceph-mon ceph-osd >&2
  fi
  stop; rm -rf "$D"; mkdir -p "$D"/{mon,osd0,run,log}
  local fsid osd_uuid store_conf C i
  fsid=$(cat /proc/sys/kernel/random/uuid)
  if [ "$STORE" = memstore ]; then
    store_conf="osd objectstore = memstore
memstore device bytes = ${S3TEST_MEMSTORE_BYTES:-4294967296}"
  else
    store_conf="osd objectstore = bluestore
bluestore block create = true
bluestore block size = ${S3TEST_BLUESTORE_BYTES:-21474836480}
bluestore fsck on mount = false
osd memory target = 1073741824"
  fi
  cat > "$D/ceph.conf" <<EOF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
ms bind ipv6 = false
ms bind msgr2 = false
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
keyring = $D/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
$store_conf
[mon.a]
mon data = $D/mon
[osd.0]
osd data = $D/osd0
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
rgw gc obj min wait = 0
rgw gc processor period = 30
EOF
  C=(-c "$D/ceph.conf")
  ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$fsid" "$D/monmap" >/dev/null
  ceph-mon "${C[@]}" --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring" 2>>"$D/log/setup.log" || fail "mon mkfs failed"
  ceph-mon "${C[@]}" -i a 2>>"$D/log/setup.log" || fail "mon start failed"
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  timeout 60 ceph "${C[@]}" --connect-timeout 30 osd new "$osd_uuid" >/dev/null 2>>"$D/log/setup.log" || fail "osd new failed"
  ceph-osd "${C[@]}" -i 0 --mkfs --osd-uuid "$osd_uuid" 2>>"$D/log/setup.log" || fail "osd mkfs failed"
  ceph-osd "${C[@]}" -i 0 2>>"$D/log/setup.log" || fail "osd start failed"
  radosgw "${C[@]}" -n client.rgw 2>>"$D/log/setup.log" || fail "radosgw start failed"
  # creating the user also waits for the pools to become writable
  timeout 120 radosgw-admin "${C[@]}" user create --uid=test --display-name=test \
    --access-key="$AK" --secret-key="$SK" >/dev/null 2>>"$D/log/setup.log" || fail "user create failed"
  # readiness: a SigV4-signed ListBuckets must answer 200
  local S=(-s -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AK:$SK" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
  local U="http://127.0.0.1:$PORT"
  for i in $(seq 1 300); do
    [ "$(curl "${S[@]}" "$U/" || true)" = 200 ] && break
    [ "$i" = 300 ] && fail "radosgw not ready after 60 s"
    sleep 0.2
  done
  # warm-up: the first bucket and object make radosgw create its data pools (a few seconds)
  echo warmup > "$D/warmup.txt"
  [ "$(curl "${S[@]}" -X PUT "$U/s3test-warmup")" = 200 ] || fail "warm-up bucket create failed"
  [ "$(curl "${S[@]}" -T "$D/warmup.txt" "$U/s3test-warmup/w")" = 200 ] || fail "warm-up put failed"
  curl "${S[@]}" -X DELETE "$U/s3test-warmup/w" >/dev/null
  curl "${S[@]}" -X DELETE "$U/s3test-warmup" >/dev/null
  echo "export S3_ENDPOINT=http://127.0.0.1:$PORT"
  echo "export AWS_ACCESS_KEY_ID=$AK"
  echo "export AWS_SECRET_ACCESS_KEY=$SK"
  echo "export AWS_DEFAULT_REGION=us-east-1"
  echo "export AWS_REQUEST_CHECKSUM_CALCULATION=when_required"
  # for tests that manage RGW users with radosgw-admin -c "$S3TEST_DIR/ceph.conf"
  echo "export S3TEST_DIR=$D"
}

case "${1:-start}" in
  start) start ;;
  stop) stop; rm -rf "$D" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
