"""`draftpress publish FILE --merge`: bring the blog's changes into the file, without publishing."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from editor.cli.common import ExitCode
from editor.core.post import Post, load_post
from editor.core.revisions import save_keeping_revision
from editor.publish.accounts import Account
from editor.publish.remote_record import read_remote_record, recorded_blogs
from editor.publish.server_merge import (
    MergeAttempt,
    conflict_report,
    keep_server_copy,
    merged_text,
    prepare_merge,
    summary,
)
from editor.publish.wordpress_client import WordPressClient

log = logging.getLogger(__name__)

CONFLICT_EXIT = ExitCode.CONFLICTS


def merge_file(path: Path, account: Account, client: WordPressClient, encoding: str | None) -> int:
    """Merge the blog's changes into the post file; return the exit code (conflicts: non-zero)."""
    from editor.publish.publisher import Publisher  # brings the renderer: only when used

    post = load_post(path, encoding)
    record = read_remote_record(post.text, account.name)
    if record.id is None:
        print(
            f"draftpress: this post is not on “{account.name}” yet: there is nothing to merge.",
            file=sys.stderr,
        )
        return 1
    bound = account.name in recorded_blogs(post.text)
    edits = Publisher(client, progress=print).server_edits(record, bound=bound)
    if edits is None:
        print("The blog has no changes since you last published this post: nothing to merge.")
        return 0
    attempt = prepare_merge(
        post.text, account.name, edits.server_content, edits.server_modified_gmt
    )
    return _settle(path, post, account, attempt)


def merge_file_with_engine(path: Path, account: Account, encoding: str | None) -> int:
    """Merge the blog's changes into the post file for an engine other than WordPress."""
    from editor.cli.common import engine_for
    from editor.publish.engine_merge import read_and_merge
    from editor.publish.engine_pull import CannotPull, cannot_pull_message

    post = load_post(path, encoding)
    record = read_remote_record(post.text, account.name)
    if record.id is None:
        print(
            f"draftpress: this post is not on “{account.name}” yet: there is nothing to merge.",
            file=sys.stderr,
        )
        return 1
    engine = engine_for(account)
    try:
        if not engine.capabilities().pull:
            raise CannotPull(cannot_pull_message(account.name, account.kind))
        attempt = read_and_merge(engine, post.text, account.name, path.parent)
    finally:
        engine.close()
    if attempt.server_mark and attempt.server_mark == record.content_sha256:
        print("The blog has no changes since you last published this post: nothing to merge.")
        return 0
    return _settle(path, post, account, attempt)


def _settle(path: Path, post: Post, account: Account, attempt: MergeAttempt) -> int:
    """Save a clean merge into the file, or say why there is none; return the exit code."""
    outcome = attempt.outcome
    if outcome is None:
        print(f"draftpress: {attempt.reason}", file=sys.stderr)
        return 1
    if outcome.body is None:
        lines = [
            summary(outcome),
            *conflict_report(outcome),
            "Your file is unchanged. Merge in the window (Blog > Publish), where you pick "
            "yours or the blog's for each place, or run again with --overwrite to replace "
            "the blog's changes.",
        ]
        print("draftpress: " + "\n".join(lines), file=sys.stderr)
        return CONFLICT_EXIT
    new_text = merged_text(post.text, outcome.body, account.name, attempt)
    save_keeping_revision(post.with_text(new_text), path)
    keep_server_copy(new_text, account.name, attempt)
    log.info("merged the blog's changes into %s", path)
    print(summary(outcome))
    print(
        f"Saved {path.name}; nothing was published. Read it over, then publish it with "
        f"`draftpress publish {path}`."
    )
    return 0
