#!/usr/bin/env bash
# Install a real Ghost 5 (with SQLite) for the Ghost engine's integration tests
# (tests/integration/engines/test_ghost.py; the `ghost` fixture starts it per test session).
# It goes into tests/integration/ghost/ (ignored by git), so local runs keep it.
# Idempotent: does nothing when the stamp says this version, Node and lock are installed.
# Slow the first time (3 to 9 minutes: npm compiles sqlite3 and re2).
# Ghost's own dependency tree is locked: npm ignores the yarn.lock Ghost ships, so
# tests/integration/ghost-package-lock.json (npm's lock of the server's dependencies, made once
# by `npm install` from the package.json below) is installed with `npm ci`, and every machine
# gets the same tree, each package checked against the lock's integrity hash. To move to another
# Ghost: change GHOST_VERSION, run this with GHOST_RELOCK=1 (npm install writes a new lock into
# the install), copy current/package-lock.json over the committed one and commit it.
set -euo pipefail
GHOST_VERSION=5.130.6
root=$(cd "$(dirname "$0")/.." && pwd)
lock=$root/tests/integration/ghost-package-lock.json
target=${GHOST_DIR:-$root/tests/integration/ghost}  # GHOST_DIR: install elsewhere (checks)
mkdir -p "$target"
cd "$target"

# Ghost 5.130 runs on Node.js ^20.11.1 or ^22.13.1 (its package.json; Ghost 6 needs 22):
# see scripts/node.sh.
# shellcheck source=scripts/node.sh
source "$root/scripts/node.sh"
use_node "Ghost" "$PWD" "(major === 20 && minor >= 11) || (major === 22 && minor >= 13)"

stamp=$PWD/current/.draftpress-ghost-version
lock_sum=$(sha256sum "$lock" | cut -c1-16)
wanted="$GHOST_VERSION $(node --version) lock $lock_sum"
if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
  echo "Ghost: $GHOST_VERSION already installed in $PWD/current."
  exit 0
fi

echo "Ghost: installing Ghost $GHOST_VERSION with npm (a few minutes)…"
started=$SECONDS
rm -rf build current
mkdir build
(
  cd build
  # npm checks the tarball against the registry's integrity hash.
  npm pack --silent "ghost@$GHOST_VERSION" >/dev/null
  tar -xzf "ghost-$GHOST_VERSION.tgz"
  rm "ghost-$GHOST_VERSION.tgz"
  cd package
  # Ghost's published package.json lists its development tools too; the server needs none.
  # Its `resolutions` (yarn's pins, which npm install follows but npm ci's check of the lock
  # does not) become npm's `overrides`, the same pins under npm's name.
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    delete pkg.devDependencies;
    pkg.overrides = pkg.resolutions;
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2));'
  if [[ ${GHOST_RELOCK:-} == 1 ]]; then
    npm install --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error
  else
    cp "$lock" package-lock.json
    npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error
  fi
)
mv build/package current
rmdir build
echo "$wanted" >"$stamp"
echo "Ghost: installed in $((SECONDS - started)) s ($(du -sh current | cut -f1))."
