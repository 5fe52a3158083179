"""The `draftpress pull …` command: list a blog's posts or pages, and bring one into the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.core.library import library_dir
from editor.publish import errors
from editor.publish.account_client import client_for_account
from editor.publish.accounts import Account, find_account, load_accounts, read_password
from editor.publish.pull import pull_into_library

STATUS_CHOICES = ("any", "publish", "future", "draft", "pending", "private")


def _fail(message: str) -> int:
    """Print an error for the writer and return 1."""
    print(f"draftpress: {message}", file=sys.stderr)
    return 1


def _account(name: str | None) -> Account:
    """Return the named account, or the only one there is."""
    accounts = load_accounts()
    if not name and len(accounts) == 1:
        return accounts[0]
    if not name:
        raise errors.PublishError("which blog? Pass --blog NAME.")
    return find_account(name, accounts)


def _list(args: argparse.Namespace, account: Account) -> int:
    """Print one page of the blog's posts or pages, then where it stands in the whole list."""
    with client_for_account(account, read_password(account)) as client:
        listing = client.list_posts(
            args.type,
            page=args.page,
            per_page=args.per_page,
            search=args.search or "",
            status=args.status,
        )
    for post in listing.items:
        title = post.get("title") or {}
        text = title.get("raw") if isinstance(title, dict) else title
        date = str(post.get("date") or "")[:16].replace("T", " ")
        line = f"{post['id']}\t{post.get('status', '')}\t{date}\t{str(text or '').strip()}"
        # the blog's words, never its control characters: no escape sequences to the terminal
        print("".join(c if c.isprintable() or c == "\t" else "?" for c in line))
    noun = "Pages" if args.type == "page" else "Posts"
    where = f" (page {listing.page} of {listing.total_pages})" if listing.total_pages > 1 else ""
    print(listing.summary(noun) + where, file=sys.stderr)
    if listing.skipped:
        print(f"{listing.skipped} unreadable entries the blog sent left out.", file=sys.stderr)
    return 0


def _pull(args: argparse.Namespace) -> int:
    """List posts or pages, or write (or find) the library file of one of them."""
    try:
        account = _account(args.blog)
        if args.list or args.id is None:
            return _list(args, account)
        root = Path(args.into) if args.into else library_dir()
        with client_for_account(account, read_password(account)) as client:
            server_post = client.get_post(args.id, args.type)
            path = pull_into_library(client, server_post, root, account.name, reuse=not args.new)
    except errors.PublishError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"could not write the post: {error.strerror or error}")
    print(path)
    return 0


def add_pull_parser(commands: argparse._SubParsersAction) -> None:
    """Register `pull` on the top-level command parser."""
    pull = commands.add_parser(
        "pull", help="list a blog's posts or pages, or bring one into the library"
    )
    pull.add_argument("id", nargs="?", type=int, help="the post's or page's id on the blog")
    pull.add_argument("--blog", help="the account (default: the only one)")
    pull.add_argument("--type", choices=("post", "page"), default="post")
    pull.add_argument("--list", action="store_true", help="list instead (the default, no id)")
    pull.add_argument("--status", choices=STATUS_CHOICES, default="any", help="with --list")
    pull.add_argument("--search", help="with --list: words in the title")
    pull.add_argument("--page", type=int, default=1, help="with --list: which page (from 1)")
    pull.add_argument("--per-page", type=int, default=20, choices=range(1, 101), metavar="N")
    pull.add_argument("--into", help="the library folder (default: the drafts library)")
    pull.add_argument(
        "--new", action="store_true", help="write a new file even if the library has one"
    )
    pull.set_defaults(run=_pull)
