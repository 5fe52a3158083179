"""`draftpress publish FILE.md`: publish a post file to its blog (no window)."""

from __future__ import annotations

import argparse
from pathlib import Path

from editor.cli.common import ExitCode, client_for, fail, missing_file_problem
from editor.core.post import NotUtf8, PostFileError, load_post
from editor.publish import errors
from editor.publish.accounts import find_account, load_accounts
from editor.publish.outbox import is_unreachable, queue_publish
from editor.publish.publishing_service import publish_file, request_for


def publish_command(args: argparse.Namespace) -> int:
    """Publish a post file to its blog; when the blog is unreachable, queue it if asked."""
    path = Path(args.file)
    missing = missing_file_problem(path)
    if missing:
        return fail(missing)
    try:
        meta = load_post(path, args.encoding).meta()
        accounts = load_accounts()
        name = args.blog or meta.blog or (accounts[0].name if len(accounts) == 1 else "")
        if not name:
            return fail("which blog? Add `blog: NAME` to the post or pass --blog NAME.")
        account = find_account(name, accounts)
        if args.merge:
            from editor.cli.merge import merge_file

            if args.overwrite or args.queue:
                return fail("--merge publishes nothing: leave out --overwrite and --queue.")

            with client_for(account) as client:
                return merge_file(path, account, client, args.encoding)
        request = request_for(
            account, path, args.status, overwrite=args.overwrite, encoding=args.encoding
        )
        result = publish_file(request, progress=print)
    except errors.EditedOnServer as error:
        return fail(
            f"{error} Run again with --merge to bring the blog's changes into your file "
            "(nothing is published), or with --overwrite to replace them.",
            ExitCode.BLOG_CHANGED,
        )
    except errors.UnverifiedRecord as error:
        return fail(
            f"{error} It was not updated. Run again with --overwrite to update “{error.title}” "
            "with this file.",
            ExitCode.BLOG_CHANGED,
        )
    except errors.PublishError as error:
        if not is_unreachable(error):
            return fail(str(error))
        if not args.queue:
            return fail(
                f"{error} Run again with --queue to send it when the blog answers.",
                ExitCode.UNREACHABLE,
            )
        queue_publish(path, account.name, args.status, str(error), meta.title, args.encoding or "")
        print(f"queued: {error} `draftpress outbox send` sends it when the blog answers.")
        return 0
    except NotUtf8 as error:
        return fail(f"{error} Pass --encoding {error.guess} to read it so.")
    except (PostFileError, LookupError) as error:
        return fail(str(error))
    print(f"{result.status}: {result.link}")
    return 0
