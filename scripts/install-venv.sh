#!/usr/bin/env bash
# Create .venv and install Draftpress into it (editable), with every dependency, its test, build
# and benchmark tools included, at the exact versions and hashes in requirements/lock.txt.
# Does nothing, and needs no network, when .venv already holds what pyproject.toml and the lock
# ask for; it installs again only after either of them changed (or with --force).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/system-packages.sh
source scripts/system-packages.sh

PYTHON=${PYTHON:-python3}
stamp=.venv/.draftpress-installed
wanted=$(cat pyproject.toml requirements/lock.txt | sha256sum | cut -d' ' -f1)

if [[ ${1:-} != --force && -x .venv/bin/python && -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
  exit 0
fi

if [[ ! -x .venv/bin/python ]]; then
  # Debian's Python makes virtual environments only with its python3-venv package.
  "$PYTHON" -c 'import ensurepip' 2>/dev/null ||
    ensure_system_packages "A Python virtual environment" "${VENV_PACKAGES[@]}"
  "$PYTHON" -m venv .venv
fi
echo "Installing Draftpress and its locked dependencies into .venv…"
rm -f "$stamp"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
  -r requirements/lock.txt
# The project itself, editable, with the build backend the lock already installed: no download.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
  --no-build-isolation -e .
echo "$wanted" >"$stamp"
