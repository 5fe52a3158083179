"""Entry point of the bundled app: the same as the `draftpress` command."""

from __future__ import annotations

import sys

from editor.cli import main

if __name__ == "__main__":
    sys.exit(main())
