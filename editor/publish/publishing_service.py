"""Publishing a post file and recording the result: the one rule the window and the CLI share.

The publish itself (editor.publish.publisher) keeps its in-flight state in the publish journal;
this module reads the post, runs the publish with a client for the account and writes the
post's `remote:` record into the file once, at the end. The window writes the record of the
post open in its editor itself (one undoable change, one save); every other file goes through
`write_record_into_file`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.post import NotUtf8, Post, load_post, save_post
from editor.core.published_sources import remember_published
from editor.publish import errors
from editor.publish.accounts import Account, read_password
from editor.publish.engines.registry import open_engine
from editor.publish.remote_record import RemoteRecord, recorded_blogs, with_remote_record

if TYPE_CHECKING:  # the publisher brings the renderer: imported when a publish runs
    from editor.publish.engines.base import BlogEngine
    from editor.publish.publisher import PublishOptions, PublishResult

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
# The engine for an account and its secret (registry.open_engine; tests may put a fake behind).
EngineFactory = Callable[[Account, str], "BlogEngine"]


class PublishOutcome(StrEnum):
    """How one publish asked for by the writer (or the outbox) ended."""

    PUBLISHED = "published"  # the blog has it (or already had it)
    FAILED = "failed"  # an error the writer was told about; the draft is unchanged
    CANCELLED = "cancelled"  # the writer pressed Cancel (or the window closed)
    CONFLICT = "conflict"  # edited on the blog, or a record the file cannot prove: kept as is
    QUEUED = "queued"  # the blog was unreachable: it waits in the outbox
    REFUSED = "refused"  # nothing was sent: no account, no password, an unreadable file
    MERGED = "merged"  # the blog's changes were merged into the editor (nothing sent)
    SERVER_COPY = "server_copy"  # the blog's version was opened instead


@dataclass(frozen=True)
class PublishRequest:
    """One publish: which file goes to which account, with which choices."""

    account: Account
    path: Path
    options: PublishOptions
    encoding: str = "utf-8"  # the file's encoding, to read and write it when it is not open
    title: str = ""  # how messages name the post ("" = the file's name)

    @property
    def label(self) -> str:
        """Return how messages name the post."""
        return self.title or self.path.stem


def outcome_of(error: BaseException) -> PublishOutcome:
    """Return how a publish that raised `error` ended (before anyone was asked anything)."""
    from editor.publish.outbox import is_unreachable

    if isinstance(error, errors.Cancelled):
        return PublishOutcome.CANCELLED
    if isinstance(error, errors.EditedOnServer | errors.UnverifiedRecord):
        return PublishOutcome.CONFLICT
    if is_unreachable(error):
        return PublishOutcome.QUEUED
    return PublishOutcome.FAILED


def read_post_file(path: Path, encoding: str | None = None) -> Post:
    """Read a post file: UTF-8 (or by its BOM), else in the encoding known for it."""
    try:
        return load_post(path)
    except NotUtf8:
        if (encoding or "").lower().replace("_", "-") in ("", "utf-8", "utf8"):
            raise
        return load_post(path, encoding)


def write_record_into_file(path: Path, record: RemoteRecord, encoding: str | None = None) -> Post:
    """Write a publish's record into the post file as it is on disk now (one change, one save).

    Only the front matter's `remote:` field changes; every other byte stays as the file has it.
    """
    post = read_post_file(path, encoding)
    text = with_remote_record(post.text, record)
    return post if text == post.text else save_post(post.with_text(text))


def publish_post(
    request: PublishRequest,
    password: str,
    post: Post,
    *,
    engine_factory: EngineFactory = open_engine,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> PublishResult:
    """Publish `post` (the file of `request`, maybe as an editor shows it) through its engine.

    The account's engine (WordPress, Ghost, …) does the publish; the record is not written
    into the post: the caller does that once (see `write_record_into_file`); until then the
    publish journal holds it.
    """
    engine = engine_factory(request.account, password)
    try:
        result = engine.publish(
            post,
            request.account.name,
            request.options,
            path=post.path,
            progress=progress or (lambda _message: None),
            cancelled=cancelled or (lambda: False),
        )
    finally:
        engine.close()
    keep_merge_base(engine.kind, request.account.name, post, result)
    remember_published(request.path, post.text)  # for the library's "changed since" hint
    return result


def keep_merge_base(kind: str, blog: str, post: Post, result: PublishResult) -> None:
    """Keep the Markdown just published as the base of a later merge (engines but WordPress,
    whose publisher keeps the blog's markup itself)."""
    from editor.core.front_matter import FrontMatterError, body_of
    from editor.publish.engine_bases import save_base
    from editor.publish.engines.base import WORDPRESS

    if kind == WORDPRESS:
        return
    record = result.record
    try:
        save_base(blog, record.id, record.content_sha256, body_of(post.text).lstrip("\n"))
    except (OSError, FrontMatterError) as error:  # a help for merging, never a failed publish
        log.warning("could not keep the published post's base: %s", error)


def publish_file(
    request: PublishRequest,
    *,
    password: str | None = None,
    engine_factory: EngineFactory = open_engine,
    progress: Progress | None = None,
) -> PublishResult:
    """Publish a post file and record the result in it (the command line's publish)."""
    post = read_post_file(request.path, request.encoding)
    if password is None:
        password = read_password(request.account)
    result = publish_post(request, password, post, engine_factory=engine_factory, progress=progress)
    write_record_into_file(request.path, result.record, request.encoding)
    return result


def request_for(
    account: Account,
    path: Path,
    status: str | None = None,
    *,
    overwrite: bool = False,
    encoding: str | None = None,
    title: str = "",
) -> PublishRequest:
    """Return the request to publish `path` to `account` with the account's output."""
    from editor.publish.publisher import PublishOptions

    options = PublishOptions(status=status, overwrite_server_edits=overwrite, output=account.output)
    return PublishRequest(account, Path(path), options, encoding or "utf-8", title)


def unasked_account(text: str, accounts: list[Account], default_blog: str = "") -> Account | None:
    """Return the blog a post that names none goes to without a question, or None to ask.

    The only account; else the writer's default blog (Preferences), while it is an account and
    only for a post on no blog yet (a post already on a blog is never sent to another unasked).
    """
    if len(accounts) == 1:
        return accounts[0]
    if not default_blog or recorded_blogs(text):
        return None
    return next((account for account in accounts if account.name == default_blog), None)


def accounts_of_post(text: str, accounts: list[Account]) -> tuple[list[Account], list[str]]:
    """Return the accounts of the blogs a post lives on (its `remote:` records), in order,
    and the names of recorded blogs that are no longer accounts ("Publish to All")."""
    by_name = {account.name: account for account in accounts}
    names = recorded_blogs(text)
    return [by_name[n] for n in names if n in by_name], [n for n in names if n not in by_name]
