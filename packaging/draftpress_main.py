"""Entry point of the bundled app: the same as the `draftpress` command."""

from __future__ import annotations

import multiprocessing
import sys

from editor.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the render worker's process runs the bundle too
    sys.exit(main())
