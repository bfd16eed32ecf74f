#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster from Debian's binaries for the server
# test suite and prints the TEST_DATABASE_URL to use. Installs the server
# with apt when it is missing (as root). Usage: eval "$(test/setup/postgres.sh start)";
# test/setup/postgres.sh stop "$VAKA_PGDATA".
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

case "${1:-}" in
  start)
    bin=$(find_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
      if [ "$(id -u)" = 0 ]; then
        echo "Installing PostgreSQL from Debian..." >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
        bin=$(find_bin)
      else
        echo "PostgreSQL is not installed; run: sudo apt-get install -y postgresql" >&2
        exit 1
      fi
    fi
    data=$(mktemp -d /tmp/vaka-pg.XXXXXX)
    run=()
    if [ "$(id -u)" = 0 ]; then
      # PostgreSQL refuses to run as root; Debian's package made the postgres user.
      chown postgres:postgres "$data"
      run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
    # A random port can be taken by another test server: try a few.
    started=""
    for _ in 1 2 3 4 5 6 7 8; do
      port=${VAKA_PG_PORT:-$((40000 + RANDOM % 20000))}
      if "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
        started=1
        break
      fi
    done
    if [ -z "$started" ]; then
      echo "PostgreSQL did not start; see $data/server.log" >&2
      tail -n 5 "$data/server.log" >&2
      exit 1
    fi
    echo "export VAKA_PGDATA=$data"
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    data=${2:?data dir}
    bin=$(find_bin)
    run=()
    [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$data"
    ;;
  *)
    echo "usage: $0 start|stop DATADIR" >&2
    exit 2
    ;;
esac
