"""What every `draftpress` command shares: exit codes, errors in words, a yes/no question, accounts.

Light on purpose: the publishing modules are imported inside the functions that need them.
"""

from __future__ import annotations

import enum
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.publish.accounts import Account
    from editor.publish.engines.base import BlogEngine
    from editor.publish.wordpress_client import WordPressClient


class ExitCode(enum.IntEnum):
    """The exit codes of `draftpress` (listed in `--help` and the README)."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    BLOG_CHANGED = 3  # publish refused: edited on the blog, or a record the blog does not match
    UNREACHABLE = 4  # the blog did not answer (publish without --queue; outbox send: still waiting)
    CONFLICTS = 5  # publish --merge: changes that conflict; the file is unchanged
    INTERRUPTED = 130  # Ctrl-C


def fail(message: str, code: int = ExitCode.FAILURE) -> int:
    """Print an error for the writer on stderr and return the exit code."""
    print(f"draftpress: {message}", file=sys.stderr)
    return int(code)


def ask_yes(question: str) -> bool:
    """Ask a yes/no question on the terminal; no terminal (or end of input) means no."""
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def missing_file_problem(path: Path) -> str | None:
    """Return "“x.md” does not exist …" for a file that is not there, else None."""
    if path.exists() or path.is_symlink():  # a dangling link gets its own words from load_post
        return None
    where = "this folder" if str(path.parent) == "." else str(path.parent)
    return f"“{path.name}” does not exist in {where}."


def setup_logging(debug: bool) -> None:
    """Log warnings (with --debug: everything) to stderr, for the commands without a window."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def choose_account(name: str | None) -> Account:
    """Return the named account, or the only one there is (PublishError when unclear)."""
    from editor.publish import errors
    from editor.publish.accounts import find_account, load_accounts

    accounts = load_accounts()
    if not name and len(accounts) == 1:
        return accounts[0]
    if not name:
        raise errors.PublishError("which blog? Pass --blog NAME.")
    return find_account(name, accounts)


def client_for(account: Account) -> WordPressClient:
    """Return a client logged in with the account's keyring password."""
    from editor.publish.account_client import client_for_account
    from editor.publish.accounts import read_password

    return client_for_account(account, read_password(account))


def engine_for(account: Account) -> BlogEngine:
    """Return the account's engine (any kind) with its keyring secret; close it after use."""
    from editor.publish.accounts import read_password
    from editor.publish.engines.registry import open_engine

    return open_engine(account, read_password(account))
