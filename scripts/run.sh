#!/usr/bin/env bash
# Start Draftpress from this checkout. The first start installs what the window needs: the
# system libraries (with apt-get as root; otherwise it prints the apt command to run), then
# Draftpress and its locked dependencies into .venv. Later starts install nothing and need no
# network, unless pyproject.toml or requirements/lock.txt changed. Arguments go to `draftpress`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/system-packages.sh
source scripts/system-packages.sh

ensure_system_packages "The Draftpress window" "${WINDOW_PACKAGES[@]}"
bash scripts/install-venv.sh

# A `draftpress` command the writer can type: a link in ~/.local/bin (where Debian's and
# Ubuntu's default profile put it on PATH), made once, never over a file that is not ours.
bin=$HOME/.local/bin
target=$PWD/.venv/bin/draftpress
if [[ ! -e $bin/draftpress && ! -L $bin/draftpress ]]; then
  mkdir -p "$bin"
  ln -s "$target" "$bin/draftpress"
  echo "Linked $bin/draftpress -> $target"
  case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "Add $bin to your PATH (or log in again) to type \`draftpress\` anywhere." ;;
  esac
elif [[ -L $bin/draftpress && $(readlink "$bin/draftpress") != "$target" ]]; then
  echo "Note: $bin/draftpress points to $(readlink "$bin/draftpress"), not this checkout."
fi

exec "$target" "$@"
