#!/usr/bin/env bash
# Refresh requirements/lock.txt and requirements/node.txt: the exact version and hashes of every package Draftpress, its
# tests, build and benchmarks install (pyproject.toml's dependencies and all its extras, plus the
# build backend in requirements/build-backend.in), resolved for every platform and Python >= 3.11.
# Run it after changing a dependency in pyproject.toml, then run the whole suite (scripts/test.sh)
# before committing both files: a new Python-Markdown or Pygments can change the rendered HTML.
#   scripts/lock.sh             keep the locked versions that still fit pyproject.toml
#   scripts/lock.sh --upgrade   take the newest versions pyproject.toml allows
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"${PYTHON:-python3}" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
"$tools/venv/bin/uv" pip compile pyproject.toml requirements/build-backend.in --all-extras \
  --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command "scripts/lock.sh" "$@" -o requirements/lock.txt
"$tools/venv/bin/uv" pip compile requirements/node.in --universal --python-version 3.11 \
  --generate-hashes --quiet --custom-compile-command "scripts/lock.sh" "$@" -o requirements/node.txt
echo "requirements/lock.txt refreshed; now run scripts/test.sh and commit it with pyproject.toml."
