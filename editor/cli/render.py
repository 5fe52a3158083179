"""`draftpress render FILE.md [--blog NAME] [-o OUT.html]`: a post to a standalone page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import fail, missing_file_problem
from editor.core.post import NotUtf8, PostFileError, load_post


def render_command(args: argparse.Namespace) -> int:
    """Write the rendered standalone HTML page of a post to a file or stdout."""
    from editor.render.export import render_post_page

    path = Path(args.file)
    missing = missing_file_problem(path)
    if missing:
        return fail(missing)
    try:
        post = load_post(path, args.encoding)
    except NotUtf8 as error:
        return fail(f"{error} Pass --encoding {error.guess} to read it so.")
    except (PostFileError, LookupError) as error:
        return fail(str(error))
    problem = post.front_matter_problem()
    if problem:
        print(f"draftpress: warning: {problem}", file=sys.stderr)
    from editor.render.checked_render import RenderTooSlow

    try:
        if args.blog:
            from editor.publish.blog_look import LookError
            from editor.publish.blog_look_page import render_post_in_look
            from editor.publish.errors import PublishError

            try:
                page = render_post_in_look(post, args.blog)
            except (LookError, PublishError) as error:
                return fail(str(error))
        else:
            page = render_post_page(post)
    except RenderTooSlow as error:
        return fail(f"{args.file}: {error} Nothing was written.")
    if args.output in (None, "-"):
        sys.stdout.write(page)
        return 0
    from editor.core.atomic_file import WriteFailed, atomic_write_bytes

    try:
        atomic_write_bytes(Path(args.output), page.encode("utf-8"))
    except WriteFailed as error:
        return fail(str(error.strerror))
    return 0
