"""`draftpress [FILE.md]` and `draftpress open [FILE.md]`: the window (the only command with Qt)."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import fail, missing_file_problem


def open_command(args: argparse.Namespace) -> int:
    """Open the window on the post (or the drafts library); --smoke-test checks it and exits."""
    from editor.app import run_app

    if args.smoke_test:  # its result, even for a missing file, is one line of JSON
        return run_app(Path(args.smoke_test), debug=args.debug, smoke_test=True)
    missing = missing_file_problem(Path(args.file)) if args.file else None
    if missing:  # refused here: a typo never opens a window
        return fail(missing)
    return run_app(Path(args.file) if args.file else None, debug=args.debug)
