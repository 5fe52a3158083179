#!/usr/bin/env bash
# Install everything Draftpress's tests need (system packages too, when run as root) and run
# the linter, the type check and the whole suite. Extra arguments go to pytest, e.g.
# `scripts/test.sh tests/core -x`.
#
# scripts/test.sh --fast [pytest arguments]: a contributor's first minute. No root, no
# WordPress, no Node: only a .venv with Draftpress and its test tools, then the unit and GUI
# tests, leaving out those marked wordpress, block_validator, system_keyring or ghost
# (pyproject.toml).
# One test: scripts/test.sh --fast tests/core/test_slug.py::test_name
set -euo pipefail
cd "$(dirname "$0")/.."

FAST=0
if [[ ${1:-} == "--fast" ]]; then
  FAST=1
  shift
fi

# shellcheck source=scripts/system-packages.sh
source scripts/system-packages.sh

# Qt headless: offscreen, and QtWebEngine without the sandbox (it refuses to run as root
# otherwise) and without a GPU. tests/conftest.py sets the same defaults.
export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_DISABLE_SANDBOX=1
export QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu

if ((FAST)); then
  # The libraries Qt loads (without root, a missing one is named with the apt command to run),
  # then Draftpress and its locked test tools in .venv (pip only when they changed).
  ensure_system_packages "The GUI tests" "${WINDOW_PACKAGES[@]}"
  bash scripts/install-venv.sh
  exec .venv/bin/python -m pytest -p no:cacheprovider \
    -m "not wordpress and not block_validator and not system_keyring and not ghost" "$@"
fi

# The libraries Qt and QtWebEngine load, and a real Secret Service (gnome-keyring) for the
# keyring test (see scripts/system-packages.sh).
ensure_system_packages "The tests" "${WINDOW_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

# A real WordPress (Debian's packages) for the publishing integration tests.
bash scripts/install-wordpress.sh

# Draftpress and its locked dependencies (requirements/lock.txt) in .venv, when they changed.
bash scripts/install-venv.sh

# WordPress 6.1's own block packages (Node) that validate our block markup in tests/publish.
bash scripts/install-block-validator.sh

# A real Ghost 5 (npm, into tests/integration/ghost/, kept between runs) for the Ghost engine's
# tests: 3 to 9 minutes the first time, nothing after that.
bash scripts/install-ghost.sh

.venv/bin/python -m ruff check .
# mypy: no errors in editor/core, render and publish; elsewhere none beyond mypy-baseline.txt.
.venv/bin/python scripts/check_types.py
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
