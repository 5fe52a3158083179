"""The `draftpress pull …` command: list a blog's posts or pages, and bring one into the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import choose_account, client_for, fail
from editor.core.library import library_dir
from editor.publish import errors
from editor.publish.accounts import Account
from editor.publish.engines.base import WORDPRESS, BlogEngine
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


def _list_engine(args: argparse.Namespace, engine: BlogEngine) -> int:
    """Print one page of the posts of a blog of another engine than WordPress."""
    listing = engine.list_posts(page=args.page, search=args.search or "")
    for post in listing.items:
        date = post.modified[:16].replace("T", " ")
        line = f"{post.id}\t{post.status}\t{date}\t{post.title.strip()}"
        print("".join(c if c.isprintable() or c == "\t" else "?" for c in line))
    where = f" (page {listing.page} of {listing.total_pages})" if listing.total_pages > 1 else ""
    shown = f"{len(listing.items)} posts" if listing.items else "No posts"
    print(f"{shown} on page {listing.page}{where}.", file=sys.stderr)
    return 0


def _pull_engine(args: argparse.Namespace, account: Account) -> int:
    """List or pull through the engine interface (Ghost, XML-RPC, Micropub)."""
    from editor.cli.common import engine_for
    from editor.publish.engine_pull import cannot_pull_message, pull_into_library_from

    if args.type == "page" or args.status != "any":
        return fail(
            f"--type page and --status work with WordPress blogs; “{account.name}” is a "
            f"{engine_spec(account.kind).label} blog: leave them out."
        )
    engine = engine_for(account)
    try:
        if not engine.capabilities().pull:
            return fail(cannot_pull_message(account.name, account.kind))
        if args.list or args.id is None:
            return _list_engine(args, engine)
        root = Path(args.into) if args.into else library_dir()
        path = pull_into_library_from(engine, args.id, root, account.name, reuse=not args.new)
    finally:
        engine.close()
    print(path)
    return 0


def pull_command(args: argparse.Namespace) -> int:
    """List posts or pages, or write (or find) the library file of one of them."""
    try:
        account = choose_account(args.blog)
        if account.kind not in ("", WORDPRESS):
            return _pull_engine(args, account)
        if args.list or args.id is None:
            return _list(args, account)
        if not str(args.id).isdigit():
            return fail(f"“{args.id}” is not a WordPress post number (see `draftpress pull`).")
        root = Path(args.into) if args.into else library_dir()
        with client_for(account) as client:
            server_post = client.get_post(int(args.id), args.type)
            path = pull_into_library(client, server_post, root, account.name, reuse=not args.new)
    except errors.PublishError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the post: {error.strerror or error}")
    print(path)
    return 0
