#!/usr/bin/env bash
# Install the WordPress block validator used by tests/publish (WordPress 6.1's own block
# packages in Node, pinned by tests/publish/block_validator/package-lock.json).
# Idempotent: does nothing when node_modules already matches the lock file.
set -euo pipefail
cd "$(dirname "$0")/../tests/publish/block_validator"

# jsdom needs Node.js >= 20.19 (Debian 12's own nodejs is 18): see scripts/node.sh.
# shellcheck source=scripts/node.sh
source ../../../scripts/node.sh
use_node "Block validator" "$PWD" "major > 20 || (major === 20 && minor >= 19)"

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
