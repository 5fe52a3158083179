#!/usr/bin/env bash
# Install everything Draftpress's tests need (system packages too, when run as root) and run
# the whole suite. Extra arguments go to pytest, e.g. `scripts/test.sh tests/core -x`.
#
# scripts/test.sh --fast [pytest arguments]: a contributor's first minute. No root, no apt, no
# WordPress, no Node: only a .venv with Draftpress and its test tools, then the unit and GUI
# tests, leaving out those marked wordpress, block_validator or system_keyring (pyproject.toml).
# One test: scripts/test.sh --fast tests/core/test_post_file.py::test_name
set -euo pipefail
cd "$(dirname "$0")/.."

FAST=0
if [[ ${1:-} == "--fast" ]]; then
  FAST=1
  shift
fi
PYTHON=${PYTHON:-python3}

# A .venv with Draftpress and its test tools; `install_venv if-changed` skips pip when
# pyproject.toml did not change since the last install (--fast: a second run starts at once).
install_venv() {
  if [[ ! -x .venv/bin/python ]]; then
    "$PYTHON" -m venv .venv
  fi
  local stamp=.venv/.draftpress-test-deps
  if [[ ${1:-} != if-changed || ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[test]'
    touch "$stamp"
  fi
}

# Qt headless: offscreen, and QtWebEngine without the sandbox (it refuses to run as root
# otherwise) and without a GPU. tests/conftest.py sets the same defaults.
export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_DISABLE_SANDBOX=1
export QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu

if ((FAST)); then
  install_venv if-changed
  exec .venv/bin/python -m pytest -p no:cacheprovider \
    -m "not wordpress and not block_validator and not system_keyring" "$@"
fi

# Shared libraries QtWebEngine and Qt's offscreen/xcb platforms load, fonts for the preview, and
# a real Secret Service (gnome-keyring under dbus-run-session) for the keyring test.
SYSTEM_PACKAGES=(
  libasound2 libdbus-1-3 libdrm2 libegl1 libfontconfig1 libfreetype6 libgbm1 libgl1
  libglib2.0-0 libnspr4 libnss3 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcomposite1
  libxdamage1 libxkbcommon-x11-0 libxkbcommon0 libxkbfile1 libxrandr2 libxtst6
  fonts-dejavu-core
  dbus dbus-x11 gnome-keyring
)

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
  # Debian 13 renamed some libraries with a t64 suffix; either name will do.
  is_installed "$package" || is_installed "${package}t64" || missing+=("$package")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    resolved=()
    for package in "${missing[@]}"; do
      if apt-cache show "$package" >/dev/null 2>&1; then resolved+=("$package")
      else resolved+=("${package}t64"); fi
    done
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${resolved[@]}"
  else
    echo "These system packages are missing; install them first (as root):"
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}"
    exit 1
  fi
fi

# A real WordPress (Debian's packages) for the publishing integration tests.
bash scripts/install-wordpress.sh

install_venv

# WordPress 6.1's own block packages (Node) that validate our block markup in tests/publish.
bash scripts/install-block-validator.sh

.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
