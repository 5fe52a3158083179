#!/usr/bin/env bash
# Install Draftpress into a virtual environment (.venv) and start it on the default library.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
exec .venv/bin/draftpress "$@"
