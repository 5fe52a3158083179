"""`draftpress blogs look NAME [--refresh] [--page URL]`: learn a blog's look for the preview."""

from __future__ import annotations

import argparse
import logging

from editor.cli.common import fail
from editor.publish import errors
from editor.publish.accounts import find_account
from editor.publish.blog_look import LookError, PostAddressNeeded, has_look, load_look

log = logging.getLogger(__name__)


def look_command(args: argparse.Namespace) -> int:
    """Learn the blog's look (or say which is stored, unless --refresh or --page asks anew)."""
    from editor.publish.blog_look_posts import learn_account_look

    try:
        account = find_account(args.name)
    except errors.PublishError as error:
        return fail(str(error))
    try:
        if has_look(account.name) and not (args.refresh or args.page):
            look = load_look(account.name)
        else:
            look = learn_account_look(
                account,
                page_url=args.page or "",
                progress=lambda message: log.info("%s", message),
            )
    except PostAddressNeeded as error:
        return fail(f"{error} (draftpress blogs look {account.name} --page ADDRESS)")
    except LookError as error:
        return fail(str(error))
    theme = f"theme {look.theme}" if look.theme else "theme not named by the page"
    print(f"{account.name}: learnt from {look.page_url} ({theme}) on {look.learnt_at}")
    return 0
