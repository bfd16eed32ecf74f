#!/usr/bin/env bash
# Starts a throwaway S3 server for the test suite: Ceph's radosgw from Debian's
# packages, fetched with `apt-get download` and unpacked with `dpkg -x` into a
# cache folder (no system install, no container), with one monitor, one
# in-memory (memstore) OSD and radosgw on 127.0.0.1. A real server, unlike a
# fake, refuses wrong secrets and implements multipart uploads with ListParts,
# which @tus/s3-store needs. Prints the environment to use:
#   eval "$(test/setup/radosgw.sh start)"; test/setup/radosgw.sh stop "$VAKA_CEPH_DIR"
# The .debs and the unpacked tree are kept in $VAKA_CEPH_CACHE (default
# .tools/ceph) so a second start does not download again.
set -euo pipefail

root_dir=$(cd "$(dirname "$0")/../.." && pwd)
cache=${VAKA_CEPH_CACHE:-$root_dir/.tools/ceph}
tree=$cache/root
bins=(ceph-mon ceph-osd radosgw radosgw-admin monmaptool osdmaptool)
# The daemons and tools above, from Debian's ceph source package.
ceph_packages=(ceph-mon ceph-osd radosgw ceph-common ceph-base librados2)
# Libraries the binaries link that a minimal Debian 12 may lack: soname -> package.
# Only the packages whose library is missing on this machine are downloaded.
lib_packages="
libaio.so.1 libaio1
libblkid.so.1 libblkid1
libboost_context.so.1.74.0 libboost-context1.74.0
libboost_filesystem.so.1.74.0 libboost-filesystem1.74.0
libboost_iostreams.so.1.74.0 libboost-iostreams1.74.0
libboost_thread.so.1.74.0 libboost-thread1.74.0
libbrotlicommon.so.1 libbrotli1
libbrotlidec.so.1 libbrotli1
libbz2.so.1.0 libbz2-1.0
libcom_err.so.2 libcom-err2
libcrypto.so.3 libssl3
libcurl-gnutls.so.4 libcurl3-gnutls
libdaxctl.so.1 libdaxctl1
libexpat.so.1 libexpat1
libffi.so.8 libffi8
libfmt.so.9 libfmt9
libfuse.so.2 libfuse2
libgmp.so.10 libgmp10
libgnutls.so.30 libgnutls30
libgssapi_krb5.so.2 libgssapi-krb5-2
libhogweed.so.6 libhogweed6
libibverbs.so.1 libibverbs1
libicudata.so.72 libicu72
libicuuc.so.72 libicu72
libidn2.so.0 libidn2-0
libk5crypto.so.3 libk5crypto3
libkeyutils.so.1 libkeyutils1
libkmod.so.2 libkmod2
libkrb5.so.3 libkrb5-3
libkrb5support.so.0 libkrb5support0
liblber-2.5.so.0 libldap-2.5-0
libldap-2.5.so.0 libldap-2.5-0
libleveldb.so.1d libleveldb1d
liblua5.3.so.0 liblua5.3-0
liblz4.so.1 liblz4-1
liblzma.so.5 liblzma5
libndctl.so.6 libndctl6
libnettle.so.8 libnettle8
libnghttp2.so.14 libnghttp2-14
libnl-3.so.200 libnl-3-200
libnl-route-3.so.200 libnl-route-3-200
liboath.so.0 liboath0
libp11-kit.so.0 libp11-kit0
libpmem.so.1 libpmem1
libpsl.so.5 libpsl5
librabbitmq.so.4 librabbitmq4
librdmacm.so.1 librdmacm1
librtmp.so.1 librtmp1
libsasl2.so.2 libsasl2-2
libsnappy.so.1 libsnappy1v5
libssh2.so.1 libssh2-1
libssl.so.3 libssl3
libtasn1.so.6 libtasn1-6
libudev.so.1 libudev1
libunistring.so.2 libunistring2
libuuid.so.1 libuuid1
libz.so.1 zlib1g
libzstd.so.1 libzstd1
"

lib_path() {
  echo "$tree/usr/lib/x86_64-linux-gnu:$tree/usr/lib/x86_64-linux-gnu/ceph:$tree/lib/x86_64-linux-gnu"
}

missing_sonames() {
  for b in "${bins[@]}"; do
    LD_LIBRARY_PATH=$(lib_path) ldd "$tree/usr/bin/$b"
  done | awk '/not found/ { print $1 }' | sort -u
}

download() {
  # apt-get download needs the package lists; a fresh machine may have none yet.
  (cd "$cache/debs" && apt-get download "$@" >/dev/null 2>&1) && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "apt-get download $* failed; run apt-get update as root first" >&2
    exit 1
  fi
  apt-get update -qq >&2
  (cd "$cache/debs" && apt-get download "$@" >/dev/null 2>"$cache/download.log") || {
    echo "apt-get download $* failed:" >&2
    cat "$cache/download.log" >&2
    exit 1
  }
}

# Unpacks each downloaded .deb once into the tree.
unpack_new() {
  local deb
  mkdir -p "$tree/.unpacked"
  for deb in "$cache"/debs/*.deb; do
    [ -f "$tree/.unpacked/$(basename "$deb")" ] && continue
    dpkg -x "$deb" "$tree"
    touch "$tree/.unpacked/$(basename "$deb")"
  done
}

# Keeps only what the cluster runs: the Python tools, documentation and other binaries go.
prune() {
  local f keep
  for f in "$tree"/usr/bin/* "$tree"/usr/sbin "$tree"/sbin "$tree"/usr/share "$tree"/usr/lib/python3 "$tree"/etc "$tree"/var; do
    [ -e "$f" ] || continue
    keep=""
    for b in "${bins[@]}"; do [ "$f" = "$tree/usr/bin/$b" ] && keep=1; done
    [ -z "$keep" ] && rm -rf "$f"
  done
}

install_tree() {
  [ -f "$tree/.complete" ] && return 0
  echo "Fetching Ceph from Debian into $cache..." >&2
  mkdir -p "$cache/debs"
  # apt drops privileges to _apt for downloads; let it write here.
  chmod 777 "$cache/debs" 2>/dev/null || true
  ls "$cache"/debs/ceph-osd_*.deb >/dev/null 2>&1 || download "${ceph_packages[@]}"
  unpack_new
  local round sonames packages so pkg
  for round in 1 2 3 4; do
    sonames=$(missing_sonames)
    [ -z "$sonames" ] && break
    packages=()
    for so in $sonames; do
      pkg=$(awk -v so="$so" '$1 == so { print $2 }' <<<"$lib_packages")
      if [ -z "$pkg" ]; then
        echo "radosgw.sh: no package known for $so; add it to lib_packages" >&2
        exit 1
      fi
      packages+=("$pkg")
    done
    download $(printf '%s\n' "${packages[@]}" | sort -u)
    unpack_new
  done
  if [ -n "$(missing_sonames)" ]; then
    echo "radosgw.sh: still missing: $(missing_sonames | tr '\n' ' ')" >&2
    exit 1
  fi
  prune
  touch "$tree/.complete"
}

# A port nobody listens on now (another test server may still take it: the caller retries).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Whether an HTTP server answers on the port (bash's /dev/tcp: curl may be absent).
http_up() {
  local line
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 2 line <&3 || line=""
  exec 3>&-
  [[ "$line" == HTTP/* ]]
}

stop_dir() {
  local dir=$1 pidfile pid
  # Everything lives in memory and in $dir, which goes: no clean shutdown is needed.
  local pids=()
  for pidfile in "$dir"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -9 "$pid" 2>/dev/null || true
    pids+=("$pid")
  done
  for _ in $(seq 1 50); do
    alive=""
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  rm -rf "$dir"
}

random_key() { tr -dc "$1" </dev/urandom | head -c "$2"; }

start() {
  install_tree
  local dir fsid mon_port rgw_port access secret b
  dir=$(mktemp -d /tmp/vaka-ceph.XXXXXX)
  echo "$dir" >"$1"
  mkdir -p "$dir/run" "$dir/log" "$dir/mon" "$dir/osd"
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  export LD_LIBRARY_PATH
  LD_LIBRARY_PATH=$(lib_path)
  b=$tree/usr/bin
  local lib=$tree/usr/lib/x86_64-linux-gnu
  # No cephx inside the throwaway cluster: S3 requests are still signed and
  # checked by radosgw against its own users. Pools of one replica, 8 PGs.
  cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
plugin dir = $lib/ceph
erasure code dir = $lib/ceph/erasure-code
osd class dir = $lib/rados-classes
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
[mon]
mon data = $dir/mon
mon cluster log file = $dir/log/cluster.log
[osd]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = 1073741824
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw thread pool size = 64
CONF
  local conf=(-c "$dir/ceph.conf")
  "$b/monmaptool" --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
  # The initial OSD map already holds osd.0, so no `ceph osd new` (a Python tool) is needed.
  "$b/osdmaptool" --createsimple 1 --clobber "$dir/osdmap" >/dev/null 2>&1
  "$b/ceph-mon" "${conf[@]}" -i a --mkfs --monmap "$dir/monmap" --osdmap "$dir/osdmap" >"$dir/log/setup.log" 2>&1
  "$b/ceph-mon" "${conf[@]}" -i a >>"$dir/log/setup.log" 2>&1
  "$b/ceph-osd" "${conf[@]}" -i 0 --mkfs >>"$dir/log/setup.log" 2>&1
  "$b/ceph-osd" "${conf[@]}" -i 0 >>"$dir/log/setup.log" 2>&1
  "$b/radosgw" "${conf[@]}" -n client.rgw >>"$dir/log/setup.log" 2>&1
  # radosgw creates its pools, then listens: up to a minute on a loaded machine.
  local i
  for i in $(seq 1 240); do
    http_up "$rgw_port" 2>/dev/null && break
    if [ "$i" = 240 ]; then
      echo "radosgw did not answer on 127.0.0.1:$rgw_port; logs in $dir/log" >&2
      tail -n 5 "$dir/log/client.rgw.log" >&2 || true
      exit 1
    fi
    sleep 0.25
  done
  access=$(random_key 'A-Z0-9' 20)
  secret=$(random_key 'A-Za-z0-9' 40)
  "$b/radosgw-admin" "${conf[@]}" -n client.admin user create --uid=vaka --display-name=Vaka \
    --access-key="$access" --secret-key="$secret" >>"$dir/log/setup.log" 2>&1
  echo "export VAKA_CEPH_DIR=$dir"
  echo "export S3_ENDPOINT=http://127.0.0.1:$rgw_port"
  echo "export S3_REGION=us-east-1"
  echo "export AWS_ACCESS_KEY_ID=$access"
  echo "export AWS_SECRET_ACCESS_KEY=$secret"
}

case "${1:-}" in
  start)
    # A port taken between the check and the bind fails the start: try again.
    attempt_dir=$(mktemp)
    trap 'rm -f "$attempt_dir"' EXIT
    for attempt in 1 2 3; do
      if out=$(start "$attempt_dir"); then
        echo "$out"
        exit 0
      fi
      echo "radosgw start attempt $attempt failed" >&2
      leftover=$(cat "$attempt_dir")
      [ -n "$leftover" ] && stop_dir "$leftover"
    done
    exit 1
    ;;
  stop)
    stop_dir "${2:?ceph dir}"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
