#!/usr/bin/env bash
# Install a real Ghost 5 (with SQLite) for the Ghost engine's integration tests
# (tests/integration/engines/test_ghost.py; the `ghost` fixture starts it per test session).
# It goes into tests/integration/ghost/ (ignored by git), so local runs keep it.
# Idempotent: does nothing when the stamp says this version is installed.
# Slow the first time (3 to 9 minutes: npm compiles sqlite3 and re2).
set -euo pipefail
GHOST_VERSION=5.130.6
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/tests/integration/ghost"
cd "$root/tests/integration/ghost"

# Ghost 5.130 runs on Node.js ^20.11.1 or ^22.13.1 (its package.json; Ghost 6 needs 22):
# see scripts/node.sh.
# shellcheck source=scripts/node.sh
source "$root/scripts/node.sh"
use_node "Ghost" "$PWD" "(major === 20 && minor >= 11) || (major === 22 && minor >= 13)"

stamp=$PWD/current/.draftpress-ghost-version
if [[ -f $stamp && $(cat "$stamp") == "$GHOST_VERSION $(node --version)" ]]; then
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
  node -e '
    const fs = require("fs");
    const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
    delete pkg.devDependencies;
    fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2));'
  npm install --omit=dev --legacy-peer-deps --no-audit --no-fund --loglevel=error
)
mv build/package current
rmdir build
echo "$GHOST_VERSION $(node --version)" >"$stamp"
echo "Ghost: installed in $((SECONDS - started)) s ($(du -sh current | cut -f1))."
