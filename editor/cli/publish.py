"""`draftpress publish FILE.md`: publish a post file to its blog (no window)."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import ExitCode, client_for, fail, missing_file_problem
from editor.core.post import NotUtf8, PostFileError, load_post
from editor.core.settings import load_settings
from editor.publish import errors
from editor.publish.accounts import Account, find_account, load_accounts
from editor.publish.engines.base import WORDPRESS
from editor.publish.outbox import is_unreachable, queue_publish
from editor.publish.post_statuses import status_word
from editor.publish.publishing_service import (
    accounts_of_post,
    publish_file,
    request_for,
    unasked_account,
)


def publish_command(args: argparse.Namespace) -> int:
    """Publish a post file to its blog (or to every blog it lives on); queue it if asked."""
    path = Path(args.file)
    missing = missing_file_problem(path)
    if missing:
        return fail(missing)
    try:
        post = load_post(path, args.encoding)
        meta = post.meta()
        accounts = load_accounts()
        if args.all_blogs:
            return _publish_to_all(args, path, post.text, accounts, meta.title)
        unasked = unasked_account(post.text, accounts, load_settings().default_blog)
        name = args.blog or meta.blog or (unasked.name if unasked is not None else "")
        if not name:
            return fail("which blog? Add `blog: NAME` to the post or pass --blog NAME.")
        account = find_account(name, accounts)
    except NotUtf8 as error:
        return fail(f"{error} Pass --encoding {error.guess} to read it so.")
    except (PostFileError, LookupError, errors.PublishError) as error:
        return fail(str(error))
    if args.merge:
        return _merge(args, path, account)
    return _publish_to(args, path, account, meta.title)


def _merge(args: argparse.Namespace, path: Path, account: Account) -> int:
    """Bring the blog's changes into the file (nothing is published)."""
    from editor.cli.merge import merge_file

    if args.overwrite or args.queue:
        return fail("--merge publishes nothing: leave out --overwrite and --queue.")
    try:
        if account.kind in ("", WORDPRESS):
            with client_for(account) as client:
                return merge_file(path, account, client, args.encoding)
        from editor.cli.merge import merge_file_with_engine

        return merge_file_with_engine(path, account, args.encoding)
    except errors.PublishError as error:
        return fail(str(error))


def _publish_to_all(
    args: argparse.Namespace, path: Path, text: str, accounts: list[Account], title: str
) -> int:
    """Publish to every blog the post lives on, one after another; each says how it ended.

    A failure on one blog does not stop the others; the exit code is the first failure's.
    """
    if args.blog or args.merge:
        return fail("--all-blogs publishes to every blog the post is on: leave out --blog/--merge.")
    targets, gone = accounts_of_post(text, accounts)
    for name in gone:
        print(f"{name}: skipped: there is no account called “{name}” any more.")
    if not targets:
        return fail(
            "this post is not on any blog yet: publish it with --blog NAME first "
            "(--all-blogs sends it to the blogs it is already on)."
        )
    worst = 0
    for account in targets:
        code = _publish_to(args, path, account, title, prefix=f"{account.name}: ")
        worst = worst or code
    return worst


def _publish_to(
    args: argparse.Namespace, path: Path, account: Account, title: str, prefix: str = ""
) -> int:
    """Publish the file to one account and say how it ended (the exit code)."""
    try:
        request = request_for(
            account, path, args.status, overwrite=args.overwrite, encoding=args.encoding
        )
        result = publish_file(request, progress=lambda line: print(prefix + line))
    except errors.EditedOnServer as error:
        return fail(
            f"{prefix}{error} Run again with --merge to bring the blog's changes into your file "
            "(nothing is published), or with --overwrite to replace them.",
            ExitCode.BLOG_CHANGED,
        )
    except errors.UnverifiedRecord as error:
        return fail(
            f"{prefix}{error} It was not updated. Run again with --overwrite to update "
            f"“{error.title}” with this file.",
            ExitCode.BLOG_CHANGED,
        )
    except errors.PublishError as error:
        if not is_unreachable(error):
            return fail(prefix + str(error))
        if not args.queue:
            return fail(
                f"{prefix}{error} Run again with --queue to send it when the blog answers.",
                ExitCode.UNREACHABLE,
            )
        queue_publish(path, account.name, args.status, str(error), title, args.encoding or "")
        print(f"{prefix}queued: {error} `draftpress outbox send` sends it when the blog answers.")
        return 0
    except NotUtf8 as error:
        return fail(f"{error} Pass --encoding {error.guess} to read it so.")
    except (PostFileError, LookupError) as error:
        return fail(prefix + str(error))
    print(f"{prefix}{status_word(result.status)}: {result.link}")
    return 0
