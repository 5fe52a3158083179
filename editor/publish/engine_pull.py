"""Bring a post from any blog that can pull into the library, through the engine interface (no Qt).

One implementation for the window (Open from Blog, the blog's version of a conflict) and the
command line (`draftpress pull`). `pull_remote_post` reads one post with `engine.read_post` and
returns the post's text and the `RemoteRecord` that names the blog and the post, with the mark
the engine's conflict check compares (so the next publish updates the same post, and an edit
made on the blog after the pull is noticed):

- WordPress keeps its own lossless round trip (editor/publish/pull.py: block markup piece by
  piece, tags and categories by id, the kept copy) exactly as it is;
- Ghost's HTML comes back through its cards (engines/ghost_markdown.py);
- XML-RPC (metaWeblog.getPost / wp.getPost) and Micropub (q=source `content`) hold the HTML a
  publish sent (or text a writer typed on the blog): html_to_markdown reads it like WordPress's
  classic content.

The Markdown body pulled is also kept as the base of the next merge (engine_bases.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.core.front_matter import with_front_matter_field
from editor.core.library import new_post_path
from editor.core.post import STATUSES
from editor.publish import errors
from editor.publish.engine_bases import save_base
from editor.publish.engines.base import GHOST, WORDPRESS, BlogEngine, RemotePost
from editor.publish.engines.registry import engine_spec
from editor.publish.post_statuses import normalise_status
from editor.publish.remote_record import RemoteRecord, sha256_text, with_remote_record

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class PulledPost:
    """A post read from the blog: its text for the library and the record inside it."""

    text: str  # front matter (with `blog:` and `remote:`) and the Markdown body
    body: str  # the Markdown body alone
    record: RemoteRecord
    name: str  # for the file name: the slug, else the title
    day: dt.date | None = None  # for the file name: the post's date, if it has one


class CannotPull(errors.PublishError):
    """The account's engine cannot read its posts back."""


def cannot_pull_message(blog: str, kind: str) -> str:
    """Say, in the writer's words, that this blog's engine cannot read posts back."""
    label = engine_spec(kind).label if kind else "WordPress"
    return (
        f"Draftpress cannot read posts back from “{blog}”: its {label} connection does not "
        "offer it. Publishing still works; to edit a post, edit its file in your library."
    )


def can_pull(engine: BlogEngine) -> bool:
    """Tell whether the engine can read its posts back (its capabilities say `pull`)."""
    return engine.capabilities().pull


def markdown_of(kind: str, html: str) -> str:
    """Return the dialect Markdown of a post's content as the engine `kind` stores it."""
    if kind == GHOST:
        from editor.publish.engines.ghost_markdown import ghost_markdown

        return ghost_markdown(html)
    from editor.publish.html_to_markdown import content_to_markdown

    return content_to_markdown(html)


def remote_mark(remote: RemotePost) -> str:
    """Return what the engine's conflict check compares with `RemoteRecord.content_sha256`."""
    return remote.fingerprint or sha256_text(remote.html)


def record_id(remote_id: str) -> int | str:
    """Return a post id as a record keeps it: a number stays a number (XML-RPC's), else text."""
    return int(remote_id) if remote_id.isdigit() and remote_id == str(int(remote_id)) else remote_id


def pulled_record(remote: RemotePost, blog: str) -> RemoteRecord:
    """Return the record of a post just read: the next publish updates it, edits are noticed."""
    return RemoteRecord(
        blog=blog,
        id=record_id(remote.id),
        type="page" if remote.type == "page" else "",
        url=remote.url,
        modified_gmt=remote.modified,
        content_sha256=remote_mark(remote),
    )


def front_matter_date(date: str, status: str) -> str:
    """Return a pulled post's date for its front matter: the day alone while it is unpublished
    (a draft's date floats until it goes out; a full time would pin it), else the full time."""
    if not date:
        return ""
    return date[:10] if status in ("draft", "pending") else date[:19]


def pulled_text(remote: RemotePost, blog: str, kind: str, categories: bool) -> PulledPost:
    """Return the library text of a post another engine than WordPress read back."""
    body = markdown_of(kind, remote.html)
    status = normalise_status(remote.status)
    fields: list[tuple[str, Any]] = [
        ("title", remote.title.strip()),
        ("slug", remote.slug),
        ("date", front_matter_date(remote.date, status)),
        ("status", status if status in STATUSES else "draft"),
        ("tags", list(remote.tags)),
        ("categories", list(remote.categories) if categories else None),
        ("excerpt", remote.excerpt.strip()),
        ("featured_image", remote.featured_image),
        ("blog", blog),
    ]
    text = ""
    for key, value in fields:
        text = with_front_matter_field(text, key, value)
    record = pulled_record(remote, blog)
    text = with_remote_record(text + "\n" + body if text else body, record)
    name = remote.slug or remote.title or "untitled"
    return PulledPost(text, body, record, name, _day(remote.date))


def _day(date: str) -> dt.date | None:
    """Return the day of a pulled date, or None."""
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        return None


def _wordpress_pull(engine: Any, remote_id: str, root: Path, blog: str, reuse: bool) -> Path:
    """Pull through WordPress's own round trip (pull.py), unchanged."""
    from editor.publish.engines.wordpress import _remote_id
    from editor.publish.pull import pull_into_library

    number, post_type = _remote_id(remote_id)
    server_post = engine.client.get_post(number, post_type)
    return pull_into_library(engine.client, server_post, root, blog, reuse=reuse)


def pull_remote_post(engine: BlogEngine, remote_id: str, blog: str) -> PulledPost:
    """Read one post with the engine and return its library text and record (no file written).

    Not for WordPress, whose pull keeps its block markup (use `pull_into_library_from`).
    """
    if not can_pull(engine):
        raise CannotPull(cannot_pull_message(blog, engine.kind))
    remote = engine.read_post(remote_id)
    return pulled_text(remote, blog, engine.kind, engine.capabilities().categories)


def write_new_post(root: Path, text: str, name: str, today: dt.date | None = None) -> Path:
    """Write a pulled post to a new `YYYY-MM-DD-name.md` in the library; return its path."""
    root.mkdir(parents=True, exist_ok=True)
    path = new_post_path(root, name, today or dt.date.today())
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def pull_into_library_from(
    engine: BlogEngine,
    remote_id: str,
    root: Path,
    blog: str,
    *,
    reuse: bool = True,
    data_root: Path | None = None,
) -> Path:
    """Return the library file of a blog post: the one there already (if `reuse`), else a new one.

    Without `reuse` a new file is always written (the blog's version beside a local draft).
    """
    from editor.publish.pull import find_local_copy

    if engine.kind == WORDPRESS:
        return _wordpress_pull(engine, remote_id, root, blog, reuse)
    if not can_pull(engine):
        raise CannotPull(cannot_pull_message(blog, engine.kind))
    if reuse:
        existing = find_local_copy(root, blog, record_id(remote_id))
        if existing is not None:
            return existing
    pulled = pull_remote_post(engine, remote_id, blog)
    path = write_new_post(root, pulled.text, pulled.name, pulled.day)
    try:
        save_base(blog, pulled.record.id, pulled.record.content_sha256, pulled.body, data_root)
    except OSError as error:  # the base helps a later merge; never a reason to fail the pull
        log.warning("could not keep the pulled post's base: %s", error)
    log.info("pulled %s post %s into %s", engine.kind, remote_id, path)
    return path
