"""The `draftpress pull …` command: list a blog's posts or pages, and bring one into the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import choose_account, client_for, fail
from editor.core.library import library_dir
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.engines.base import WORDPRESS
from editor.publish.engines.registry import engine_spec
from editor.publish.pull import pull_into_library


def _list(args: argparse.Namespace, account: Account) -> int:
    """Print one page of the blog's posts or pages, then where it stands in the whole list."""
    with client_for(account) as client:
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


def pull_command(args: argparse.Namespace) -> int:
    """List posts or pages, or write (or find) the library file of one of them."""
    try:
        account = choose_account(args.blog)
        if account.kind not in ("", WORDPRESS):  # the pull and its listing speak WordPress
            return fail(
                f"pull works with WordPress blogs for now; “{account.name}” is a "
                f"{engine_spec(account.kind).label} blog."
            )
        if args.list or args.id is None:
            return _list(args, account)
        root = Path(args.into) if args.into else library_dir()
        with client_for(account) as client:
            server_post = client.get_post(args.id, args.type)
            path = pull_into_library(client, server_post, root, account.name, reuse=not args.new)
    except errors.PublishError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the post: {error.strerror or error}")
    print(path)
    return 0
