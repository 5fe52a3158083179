"""The `draftpress` command: the window, or the same jobs without one (render)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from editor import __version__
from editor.core.post import NotUtf8, PostFileError, load_post

log = logging.getLogger(__name__)


def _version_text() -> str:
    """Return the version line: Draftpress, Python and (if importable) Qt."""
    python = sys.version.split()[0]
    try:  # the CLI must work without touching Qt, so this is best effort
        import PySide6.QtCore as qt_core

        qt = f", Qt {qt_core.qVersion()}, PySide6 {qt_core.__version__}"
    except ImportError:
        qt = ""
    return f"Draftpress {__version__} (Python {python}{qt})"


def _render_command(args: argparse.Namespace) -> int:
    """Write the rendered standalone HTML page of a post to a file or stdout."""
    from editor.render.export import render_post_page

    try:
        post = load_post(Path(args.file), args.encoding)
    except NotUtf8 as error:
        print(f"draftpress: {error} Pass --encoding {error.guess} to read it so.", file=sys.stderr)
        return 1
    except (PostFileError, LookupError) as error:
        print(f"draftpress: {error}", file=sys.stderr)
        return 1
    problem = post.front_matter_problem()
    if problem:
        print(f"draftpress: warning: {problem}", file=sys.stderr)
    from editor.render.checked_render import RenderTooSlow

    try:
        page = render_post_page(post)
    except RenderTooSlow as error:
        print(f"draftpress: {args.file}: {error} Nothing was written.", file=sys.stderr)
        return 1
    if args.output in (None, "-"):
        sys.stdout.write(page)
        return 0
    from editor.core.atomic_file import WriteFailed, atomic_write_bytes

    try:
        atomic_write_bytes(Path(args.output), page.encode("utf-8"))
    except WriteFailed as error:
        print(f"draftpress: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def _render_parser() -> argparse.ArgumentParser:
    """Return the parser for `draftpress render`."""
    parser = argparse.ArgumentParser(
        prog="draftpress render", description="Render a post to a standalone HTML page."
    )
    parser.add_argument("file", help="the post's Markdown file")
    parser.add_argument("-o", "--output", help="where to write the page (default: stdout)")
    parser.add_argument("--encoding", help="the file's encoding when it is not UTF-8, e.g. cp1252")
    return parser


def _window_parser() -> argparse.ArgumentParser:
    """Return the parser for the window: `draftpress [FILE.md]`."""
    parser = argparse.ArgumentParser(
        prog="draftpress",
        description="Draftpress, a desktop blog editor. Commands: render FILE.md [-o OUT.html]; "
        "blogs add|list|test|trust|remove; publish FILE.md [--blog NAME] [--status STATUS] "
        "[--queue]; outbox [send|cancel N]; pull [ID] [--type page] [--list] [--search WORDS].",
    )
    parser.add_argument("file", nargs="?", help="a post to open (default: the drafts library)")
    parser.add_argument("--version", action="version", version=_version_text())
    parser.add_argument("--debug", action="store_true", help="log debugging details")
    # For build_app.py --smoke: open FILE, check that the preview shows it, print one line of
    # JSON and exit 0 (passed), 1 (failed) or 2 (timed out). Hidden from --help.
    parser.add_argument("--smoke-test", metavar="FILE", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; with no command, open the window."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "render":
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        return _render_command(_render_parser().parse_args(argv[1:]))
    if argv and argv[0] in ("blogs", "publish", "outbox", "pull"):
        from editor.cli_publish import add_parsers
        from editor.cli_pull import add_pull_parser

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        parser = argparse.ArgumentParser(prog="draftpress")
        commands = parser.add_subparsers(dest="command", required=True)
        add_parsers(commands)
        add_pull_parser(commands)
        args = parser.parse_args(argv)
        try:
            return args.run(args)
        except Exception as error:  # noqa: BLE001  (the last resort: words, not a traceback)
            log.debug("%s failed unexpectedly", argv[0], exc_info=error)
            print(
                f"draftpress: {argv[0]} stopped on something Draftpress did not expect "
                f"({type(error).__name__}). If the blog answered strangely, check it in a "
                "browser; otherwise please report this.",
                file=sys.stderr,
            )
            return 1
    args = _window_parser().parse_args(argv)
    from editor.app import run_app

    if args.smoke_test:
        return run_app(Path(args.smoke_test), debug=args.debug, smoke_test=True)
    return run_app(Path(args.file) if args.file else None, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
