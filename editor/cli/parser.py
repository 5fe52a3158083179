"""The one argparse tree of the `draftpress` command: every command, option and help text.

Building the tree imports nothing heavy: each command names its handler as "module:function",
and `editor.cli.main` imports that module only when the command runs.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor import __version__
from editor.cli.common import ExitCode
from editor.core.post import STATUSES

PROG = "draftpress"
PULL_STATUSES = ("any", *STATUSES)
# editor.publish.accounts.OUTPUTS (a test keeps them equal): importing it would bring the
# keyring into every command, --help included.
OUTPUTS = ("auto", "blocks", "classic")
# editor.publish.engines.registry.KNOWN_KINDS (a test keeps them equal), for the same reason.
ENGINE_KINDS = ("wordpress", "ghost", "micropub", "xmlrpc")

# Top-level options that take a value: the word after them is not a command or a file.
OPTIONS_WITH_VALUE = ("--smoke-test",)

EPILOG = f"""\
`{PROG}` alone opens the window on your drafts library; `{PROG} FILE.md` opens that post.
`{PROG} help COMMAND` (or `{PROG} COMMAND --help`) tells more about a command.

exit codes:
  0    done
  1    failed; the message says why (also: outbox send took a post out of the outbox)
  2    the command line was wrong (an unknown command, a missing or bad argument)
  3    publish refused: the post was edited on the blog since your last publish, or the
       file's record does not match the blog's post (see --merge and --overwrite)
  4    the blog could not be reached (publish without --queue; outbox send: posts still wait)
  5    publish --merge found changes that conflict with yours; your file is unchanged
  130  interrupted (Ctrl-C)
"""


@dataclass(frozen=True)
class ShowHelp:
    """The handler of a command group named without a subcommand: print the group's help."""

    parser: argparse.ArgumentParser


@dataclass(frozen=True)
class HelpTopic:
    """The handler of `draftpress help [COMMAND ...]`."""


@dataclass
class CommandTree:
    """The root parser and, by command words (e.g. ("blogs", "add")), every subparser."""

    root: argparse.ArgumentParser
    parsers: dict[tuple[str, ...], argparse.ArgumentParser] = field(default_factory=dict)

    def commands(self) -> list[str]:
        """Return the top-level command names."""
        return [words[0] for words in self.parsers if len(words) == 1]

    def subcommands(self, command: str) -> list[str]:
        """Return the subcommand names of a top-level command (none: an empty list)."""
        return [words[1] for words in self.parsers if len(words) == 2 and words[0] == command]

    def parser_for(self, words: Sequence[str]) -> argparse.ArgumentParser | None:
        """Return the parser of the command named by `words` (none: the root), or None."""
        return self.parsers.get(tuple(words)) if words else self.root


class UsageProblem(Exception):
    """The command line cannot be understood; the message says why in the writer's words."""

    def __init__(self, message: str, parser: argparse.ArgumentParser | None = None) -> None:
        super().__init__(message)
        self.parser = parser  # whose usage line to show (None: draftpress's)


class _LazyVersion(argparse.Action):
    """`--version`: print Draftpress's, Python's and (if installed) Qt's version, then exit."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "print the versions of Draftpress, Python and Qt, then exit")
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        print(version_text())
        parser.exit(0)


def version_text() -> str:
    """Return the version line: Draftpress, Python and (if importable) Qt."""
    python = sys.version.split()[0]
    try:  # only --version imports Qt, and the command works without it
        import PySide6
        import PySide6.QtCore as qt_core

        qt = f", Qt {qt_core.qVersion()}, PySide6 {PySide6.__version__}"
    except ImportError:
        qt = ""
    return f"Draftpress {__version__} (Python {python}{qt})"


def _subcommands(
    parser: argparse.ArgumentParser, title: str
) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """Add a subcommand slot (its usage names each subcommand)."""
    return parser.add_subparsers(title=title, dest=argparse.SUPPRESS)


def _add(
    tree: CommandTree,
    slot: argparse._SubParsersAction[argparse.ArgumentParser],
    words: tuple[str, ...],
    help_text: str,
    handler: object,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """Add the command `words` (its last word to `slot`) with its help and handler."""
    parser = slot.add_parser(
        words[-1],
        help=help_text,
        description=description or help_text[:1].upper() + help_text[1:] + ".",
    )
    parser.set_defaults(handler=handler)
    tree.parsers[words] = parser
    return parser


def _add_open(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`open [FILE.md]`: the window."""
    window = _add(
        tree,
        commands,
        ("open",),
        "open the window (what `draftpress` alone and `draftpress FILE.md` do)",
        "editor.cli.window:open_command",
    )
    window.add_argument(
        "file", nargs="?", metavar="FILE.md", help="a post to open (default: the drafts library)"
    )


def _add_render(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`render FILE.md [-o OUT.html]`."""
    render = _add(
        tree,
        commands,
        ("render",),
        "render a post to a standalone HTML page, without a window",
        "editor.cli.render:render_command",
    )
    render.add_argument("file", metavar="FILE.md", help="the post's Markdown file")
    render.add_argument(
        "-o", "--output", metavar="OUT.html", help="where to write the page (default or -: stdout)"
    )
    render.add_argument(
        "--blog",
        metavar="NAME",
        help="show the post in that blog's look, as learnt by `draftpress blogs look NAME`",
    )
    _add_encoding(render)


def _add_encoding(parser: argparse.ArgumentParser) -> None:
    """Add `--encoding` (a post file that is not UTF-8)."""
    parser.add_argument(
        "--encoding",
        metavar="CODEC",
        help="the file's encoding when it is not UTF-8, e.g. cp1252",
    )


def _add_blogs(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`blogs add|list|test|trust|remove|look`."""
    blogs = _add(tree, commands, ("blogs",), "manage blog accounts", None)
    blogs.set_defaults(handler=ShowHelp(blogs))
    actions = _subcommands(blogs, "commands")
    add = _add(
        tree,
        actions,
        ("blogs", "add"),
        "add a blog account, or replace the one of that name",
        "editor.cli.blogs:add_command",
        description="Add a blog account, or replace the one of that name. Draftpress finds "
        "which engine the blog runs from its address (WordPress, Ghost, Micropub or XML-RPC; "
        "--engine chooses it yourself) and asks only for the secret that engine uses (a "
        "WordPress application password, a Ghost Admin API key, a token, a password) on the "
        "terminal, or reads it from stdin with --password-stdin or --token-stdin; it is kept in "
        "your system's keyring, never in a file.",
    )
    add.add_argument("name", metavar="NAME", help="a short name for the blog, e.g. myblog")
    add.add_argument("--url", required=True, help="the blog's address, e.g. https://blog.example")
    add.add_argument(
        "--user", default="", help="your user name on the blog (for engines that log in a user)"
    )
    add.add_argument(
        "--engine",
        choices=ENGINE_KINDS,
        help="the blog's engine (default: found from the address)",
    )
    add.add_argument(
        "--output",
        choices=OUTPUTS,
        default="auto",
        help="how posts are written on the blog: block-editor blocks, classic HTML, or auto "
        "(ask the blog; the default)",
    )
    secret = add.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from stdin (one line) instead of asking on the terminal",
    )
    secret.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the token or API key from stdin (one line) instead of asking on the terminal",
    )
    secret.add_argument(
        "--sign-in",
        action="store_true",
        help="Micropub blogs (implies --engine micropub): sign in with IndieAuth in your browser "
        "instead of pasting a token",
    )
    add.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accept that the password travels unencrypted to an http:// blog",
    )
    _add(tree, actions, ("blogs", "list"), "list the accounts", "editor.cli.blogs:list_command")
    test = _add(
        tree,
        actions,
        ("blogs", "test"),
        "log in and report what the account may do",
        "editor.cli.blogs:test_command",
    )
    test.add_argument("name", metavar="NAME", help="the account's name")
    trust = _add(
        tree,
        actions,
        ("blogs", "trust"),
        "trust the blog's (self-signed) certificate",
        "editor.cli.blogs:trust_command",
        description="Trust the certificate the blog presents now (a self-signed one): shows "
        "its SHA-256 fingerprint and asks, or checks it against --fingerprint.",
    )
    trust.add_argument("name", metavar="NAME", help="the account's name")
    trust.add_argument(
        "--fingerprint", help="the SHA-256 fingerprint you expect (confirms without asking)"
    )
    trust.add_argument("--forget", action="store_true", help="remove the trusted certificate")
    remove = _add(
        tree,
        actions,
        ("blogs", "remove"),
        "remove an account and its password",
        "editor.cli.blogs:remove_command",
    )
    remove.add_argument("name", metavar="NAME", help="the account's name")
    look = _add(
        tree,
        actions,
        ("blogs", "look"),
        "learn the blog's look (theme, fonts) for previews in its style",
        "editor.cli.blog_look:look_command",
        description="Learn the blog's look from one of its published posts (the newest, or "
        "--page), so that the preview and `draftpress render --blog NAME` show posts in the "
        "blog's own theme, offline. Without --refresh a look learnt before is kept.",
    )
    look.add_argument("name", metavar="NAME", help="the account's name")
    look.add_argument("--refresh", action="store_true", help="learn it again from the blog")
    look.add_argument(
        "--page",
        metavar="URL",
        help="learn it from this post page of the blog (needed where Draftpress cannot find "
        "the newest post itself, as on Micropub sites)",
    )


def _add_publish(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`publish FILE.md [--blog NAME] [--status STATUS] [--queue|--merge|--overwrite]`."""
    publish = _add(
        tree,
        commands,
        ("publish",),
        "publish a post to its blog",
        "editor.cli.publish:publish_command",
        description="Publish a post to its blog (the post's `blog:`, --blog, or the only "
        "account). The file records where it was published, so the next publish updates it.",
    )
    publish.add_argument("file", metavar="FILE.md", help="the post's Markdown file")
    publish.add_argument(
        "--blog", metavar="NAME", help="the account to publish to (default: the post's blog)"
    )
    publish.add_argument(
        "--all-blogs",
        action="store_true",
        help="publish to every blog the post is already on, one after another (a failure on "
        "one does not stop the others)",
    )
    publish.add_argument(
        "--status",
        choices=(*STATUSES, "published", "scheduled"),  # post_statuses.ENGINE_WORDS
        help="override the post's status: draft, publish, future (scheduled), pending (review) "
        "or private; Ghost's published/scheduled mean publish/future. A blog that keeps fewer "
        "says which it has",
    )
    _add_encoding(publish)
    publish.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the changes made on the blog since your last publish with this file",
    )
    publish.add_argument(
        "--merge",
        action="store_true",
        help="bring the blog's changes into the file (saved, not published)",
    )
    publish.add_argument(
        "--queue",
        action="store_true",
        help="if the blog cannot be reached, wait in the outbox and send it later",
    )


def _add_outbox(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`outbox [list|send|cancel N]`."""
    outbox = _add(
        tree,
        commands,
        ("outbox",),
        "publishes waiting for their blog to answer (alone: list them)",
        "editor.cli.outbox:list_command",
    )
    actions = _subcommands(outbox, "commands")
    _add(
        tree,
        actions,
        ("outbox", "list"),
        "list the waiting publishes",
        "editor.cli.outbox:list_command",
    )
    _add(
        tree,
        actions,
        ("outbox", "send"),
        "try to send them now",
        "editor.cli.outbox:send_command",
    )
    cancel = _add(
        tree,
        actions,
        ("outbox", "cancel"),
        "take entry N out of the outbox",
        "editor.cli.outbox:cancel_command",
    )
    cancel.add_argument(
        "number", type=int, metavar="N", help="the entry's number, as `draftpress outbox` lists"
    )
    # Alone, `outbox` lists: the usage shows the subcommand as optional.
    outbox.usage = f"%(prog)s [-h] [{{{','.join(tree.subcommands('outbox'))}}} ...]"


def _add_pull(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`pull [ID] [--type page] [--list] [--search WORDS] ...`."""
    pull = _add(
        tree,
        commands,
        ("pull",),
        "list a blog's posts or pages, or bring one into the library",
        "editor.cli.pull:pull_command",
    )
    pull.add_argument(
        "id",
        nargs="?",
        metavar="ID",
        help="the post's or page's id on the blog, as the listing shows it (none: list them)",
    )
    pull.add_argument("--blog", metavar="NAME", help="the account (default: the only one)")
    pull.add_argument(
        "--type", choices=("post", "page"), default="post", help="posts or pages (default: post)"
    )
    pull.add_argument("--list", action="store_true", help="list instead (the default, no id)")
    pull.add_argument(
        "--status",
        choices=PULL_STATUSES,
        default="any",
        help="with --list: only these (default: any)",
    )
    pull.add_argument("--search", metavar="WORDS", help="with --list: words in the title")
    pull.add_argument("--page", type=int, default=1, help="with --list: which page (from 1)")
    pull.add_argument(
        "--per-page",
        type=int,
        default=20,
        choices=range(1, 101),
        metavar="N",
        help="with --list: how many per page, 1 to 100 (default: 20)",
    )
    pull.add_argument(
        "--into", metavar="FOLDER", help="the library folder (default: the drafts library)"
    )
    pull.add_argument(
        "--new", action="store_true", help="write a new file even if the library has one"
    )


def _add_help(
    tree: CommandTree, commands: argparse._SubParsersAction[argparse.ArgumentParser]
) -> None:
    """`help [COMMAND ...]`."""
    help_parser = _add(
        tree, commands, ("help",), "tell more about a command (none: about all)", HelpTopic()
    )
    help_parser.add_argument(
        "topic", nargs="*", metavar="COMMAND", help="a command, e.g. publish or blogs add"
    )


def build_parser() -> CommandTree:
    """Return the whole command tree of `draftpress`."""
    root = argparse.ArgumentParser(
        prog=PROG,
        description="Draftpress, a desktop blog editor: the window, or its jobs in a terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action=_LazyVersion)
    root.add_argument("--debug", action="store_true", help="log debugging details")
    # For build_app.py --smoke: open FILE, check that the preview shows it, print one line of
    # JSON and exit 0 (passed), 1 (failed) or 2 (timed out). Hidden from --help.
    root.add_argument("--smoke-test", metavar="FILE", help=argparse.SUPPRESS)
    root.set_defaults(handler="editor.cli.window:open_command", file=None)
    tree = CommandTree(root)
    commands = _subcommands(root, "commands")
    for add in (_add_open, _add_render, _add_publish, _add_outbox, _add_pull, _add_blogs):
        add(tree, commands)
    _add_help(tree, commands)
    # A file name may stand where a command does (`draftpress FILE.md`): say so in the usage.
    root.usage = (
        f"%(prog)s [-h] [--version] [--debug] [FILE.md | {{{','.join(tree.commands())}}} ...]"
    )
    return tree


def first_word(argv: Sequence[str]) -> int | None:
    """Return the index of the first word that is not a top-level option (or its value)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            return None  # everything after it is for argparse to judge
        if word in OPTIONS_WITH_VALUE:
            index += 2
            continue
        if word.startswith("-") and word != "-":
            index += 1
            continue
        return index
    return None


def with_command(tree: CommandTree, argv: Sequence[str]) -> list[str]:
    """Return argv with `open` before a file name; raise UsageProblem for an unknown word.

    `draftpress FILE.md` is short for `draftpress open FILE.md`; a word that is neither a
    command nor an existing file is refused here, before any window opens.
    """
    argv = list(argv)
    index = first_word(argv)
    if index is None:
        return argv
    word = argv[index]
    commands = tree.commands()
    if word in commands:
        _check_subcommand(tree, word, argv[index + 1 : index + 2])
        return argv
    path = Path(word)
    if path.is_file():
        return [*argv[:index], "open", *argv[index:]]
    if path.is_dir():
        raise UsageProblem(f"“{word}” is a folder, not a post. Name a .md file.")
    raise UsageProblem(unknown_word_message(word, commands))


def _check_subcommand(tree: CommandTree, command: str, following: Sequence[str]) -> None:
    """Refuse a word after a command group (`blogs`, `outbox`) that is none of its commands."""
    subcommands = tree.subcommands(command)
    if not subcommands or not following or following[0].startswith("-"):
        return
    word = following[0]
    if word in subcommands:
        return
    close = difflib.get_close_matches(word, subcommands, n=1)
    known = ", ".join(subcommands)
    hint = f"Did you mean “{close[0]}”?" if close else f"Its commands are: {known}."
    raise UsageProblem(
        f"“{word}” is not a command of “{command}”. {hint}", tree.parser_for([command])
    )


def unknown_word_message(word: str, commands: Sequence[str]) -> str:
    """Say that `word` is neither a command nor a file, suggesting a close command."""
    looks_like_a_file = "/" in word or "\\" in word or "." in word
    close = [] if looks_like_a_file else difflib.get_close_matches(word, commands, n=1)
    if close:
        return f"“{word}” is not a command. Did you mean “{close[0]}”?"
    if looks_like_a_file:
        return f"no such file: “{word}”."
    return (
        f"“{word}” is not a command, and there is no such file. The commands are: "
        f"{', '.join(commands)}."
    )


def help_parser_for(tree: CommandTree, topic: Sequence[str]) -> argparse.ArgumentParser:
    """Return the parser whose help `draftpress help TOPIC` prints; UsageProblem if none."""
    parser = tree.parser_for(topic)
    if parser is not None:
        return parser
    known = [" ".join(words) for words in tree.parsers]
    wanted = " ".join(topic)
    close = difflib.get_close_matches(wanted, known, n=1)
    commands = ", ".join(tree.commands())
    hint = f" Did you mean “{close[0]}”?" if close else f" The commands are: {commands}."
    raise UsageProblem(f"there is no command “{wanted}”.{hint}")


def exit_code_of(stop: SystemExit) -> int:
    """Return the exit code argparse asked for (`--help`: 0, a usage error: 2)."""
    if stop.code is None:
        return ExitCode.OK
    return stop.code if isinstance(stop.code, int) else ExitCode.USAGE
