"""The `draftpress` command: the window, or the same jobs without one (render, publish, …)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from editor.cli.common import ExitCode, setup_logging
from editor.cli.parser import (
    CommandTree,
    HelpTopic,
    ShowHelp,
    UsageProblem,
    build_parser,
    exit_code_of,
    help_parser_for,
    with_command,
)

log = logging.getLogger(__name__)

WINDOW_HANDLER = "editor.cli.window:open_command"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code; with no command, open the window."""
    argv = list(sys.argv[1:] if argv is None else argv)
    tree = build_parser()
    try:
        args = tree.root.parse_args(with_command(tree, argv))
    except UsageProblem as problem:
        (problem.parser or tree.root).print_usage(sys.stderr)
        print(f"{tree.root.prog}: {problem}", file=sys.stderr)
        return ExitCode.USAGE
    except SystemExit as stop:  # argparse: --help, --version, or a usage error it printed
        return exit_code_of(stop)
    handler = args.handler
    if isinstance(handler, ShowHelp):
        handler.parser.print_help()
        return ExitCode.OK
    if isinstance(handler, HelpTopic):
        return _print_help(tree, args.topic)
    if handler == WINDOW_HANDLER:
        return _load(handler)(args)  # the window logs and reports on its own
    setup_logging(args.debug)
    return _run(handler, args)


def _print_help(tree: CommandTree, topic: Sequence[str]) -> int:
    """Print the help of the command `topic` (none: of draftpress)."""
    try:
        parser = help_parser_for(tree, topic)
    except UsageProblem as problem:
        print(f"{tree.root.prog}: {problem}", file=sys.stderr)
        return ExitCode.USAGE
    parser.print_help()
    return ExitCode.OK


def _load(handler: str) -> Callable[[argparse.Namespace], int]:
    """Import the command's module (only now: Qt and publishing stay out of the others)."""
    module, _, function = handler.partition(":")
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return run


def _run(handler: str, args: argparse.Namespace) -> int:
    """Run a command without a window: errors end in words and an exit code, not a traceback."""
    command = handler.partition(":")[0].rsplit(".", 1)[-1]
    try:
        return int(_load(handler)(args))
    except KeyboardInterrupt:
        print("\ndraftpress: interrupted.", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # e.g. `draftpress render x.md | head`: the reader left
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return ExitCode.FAILURE
    except Exception as error:  # noqa: BLE001  (the last resort: words, not a traceback)
        log.debug("%s failed unexpectedly", command, exc_info=error)
        print(
            f"draftpress: {command} stopped on something Draftpress did not expect "
            f"({type(error).__name__}). If the blog answered strangely, check it in a "
            "browser; otherwise please report this (run again with --debug for the details).",
            file=sys.stderr,
        )
        return ExitCode.FAILURE


if __name__ == "__main__":
    sys.exit(main())
