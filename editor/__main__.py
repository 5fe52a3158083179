"""`python -m editor`: the same as the `draftpress` command."""

from __future__ import annotations

import sys

from editor.cli import main

if __name__ == "__main__":  # not when the render worker's process imports it (spawn)
    sys.exit(main())
