#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it on a fresh machine: installs
# Debian's Chromium when missing, starts a throwaway PostgreSQL so the
# server suite runs on both databases and a throwaway S3 server (radosgw) for
# the file store, then lint, typecheck, unit and contract tests (SQLite +
# PostgreSQL, disk + S3), the size budget and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "Missing $*; install it with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >&2
}

[ -x /usr/bin/chromium ] || apt_install chromium

# A caller that already started them (.ci/run, for two Node versions) passes them in.
stop=()
trap 'for c in "${stop[@]}"; do $c; done' EXIT
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(test/setup/postgres.sh start)"
  stop+=("test/setup/postgres.sh stop $VAKA_PGDATA")
fi
if [ -z "${S3_ENDPOINT:-}" ]; then
  s3_env=$(test/setup/radosgw.sh start)
  eval "$s3_env"
  stop+=("test/setup/radosgw.sh stop $VAKA_CEPH_DIR")
fi
export REQUIRE_POSTGRES=1 REQUIRE_S3=1
# CI gates what lands, so it replays seeds known to pass; a developer's run (and `npm run bench`) draws new
# seeds and keeps exploring. A seed that ever fails goes into test/fault/regressions/seeds.ts.
if [ -n "${CI:-}" ]; then
  export JEPSEN_SEED=${JEPSEN_SEED:-1276} CRASH_SEED=${CRASH_SEED:-8474} UPLOAD_SEED=${UPLOAD_SEED:-42}
fi

echo "== lint"
npm run --silent lint
echo "== typecheck"
npm run --silent typecheck
echo "== unit, contract and fault tests (SQLite and PostgreSQL, disk and S3)"
npx vitest run
echo "== size budget (builds the app)"
npm run --silent test:size
echo "== browser tests (Chromium, real server, real service worker)"
npx playwright test
