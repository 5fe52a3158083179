"""What the blog told us about a post, kept under `remote:` in its front matter."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

from editor.core.front_matter import read_front_matter, with_front_matter_field

REMOTE_KEY = "remote"


@dataclass
class MediaRecord:
    """One uploaded image: its media id and URL on the blog."""

    id: int
    url: str


TermIds = int | list[int]


def term_pool(ids_by_name: dict[str, TermIds]) -> dict[str, list[int]]:
    """Return a record's term ids of one taxonomy as name -> ids in order."""
    return {name: list(i) if isinstance(i, list) else [i] for name, i in ids_by_name.items()}


def term_record(pairs: list[tuple[str, int]]) -> dict[str, TermIds]:
    """Return (name, id) pairs in order as a record's terms of one taxonomy."""
    pool: dict[str, list[int]] = {}
    for name, term_id in pairs:
        pool.setdefault(name, []).append(term_id)
    return {name: ids[0] if len(ids) == 1 else ids for name, ids in pool.items()}


@dataclass
class RemoteRecord:
    """The remote state of a post on one blog."""

    blog: str = ""
    # The blog's id for the post: WordPress's number (an int); other engines' ids are text
    # (Ghost's object id, a Micropub post's URL). Written back as it was read.
    id: int | str | None = None
    type: str = ""  # "page" for a page; "" for a post (records written before stay as they are)
    url: str = ""
    modified_gmt: str = ""
    content_sha256: str = ""  # of the content we last sent: tells server-side edits apart
    payload_sha256: str = ""  # of everything we last sent: an unchanged post is not re-sent
    media: dict[str, MediaRecord] = field(default_factory=dict)  # by sha256 of the file
    # taxonomy -> name -> id, or the ids in order when two terms share a name (two "News"
    # categories under different parents): terms are matched by id, never by name alone.
    terms: dict[str, dict[str, TermIds]] = field(default_factory=dict)
    pending_create: dict[str, str] = field(default_factory=dict)  # while a create is in flight
    pending_media: list[str] = field(default_factory=list)  # sha256s of uploads in flight
    pending_update: str = ""  # sha256 of the content of an update in flight
    custom_status: str = ""  # a status the blog gave beyond the standard five (kept as it is)

    @property
    def post_type(self) -> str:
        """Return the post type to address on the blog: "page" or "post"."""
        return self.type or "post"

    def to_yaml_data(self) -> dict[str, Any]:
        """Return the record as plain data for the front matter (empty parts left out)."""
        data = asdict(self)
        data["media"] = {sha: asdict(m) for sha, m in self.media.items()}
        return {key: value for key, value in data.items() if value not in (None, "", {}, [])}


HASH_LENGTH = 16  # hex digits of SHA-256 kept: 64 bits tell a post's images and versions apart


def short_sha256(data: bytes) -> str:
    """Return the first HASH_LENGTH hex digits of the SHA-256 of `data` (short in front matter)."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def sha256_text(text: str) -> str:
    """Return the short SHA-256 of text as UTF-8."""
    return short_sha256(text.encode("utf-8"))


class _TextOnly(HTMLParser):
    """Collects the text of HTML, leaving out tags, attributes and comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        """Keep text."""
        self.parts.append(data)


def text_sha256(html: str) -> str:
    """Return the short SHA-256 of the words of HTML content (tags and spacing left out).

    WordPress filters an author's HTML (tags and attributes it does not allow) but keeps the
    words: this tells "the content this app sent, as filtered" from other content.
    """
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return sha256_text(" ".join("".join(parser.parts).split()))


def _as_int(value: Any) -> int | None:
    """Return an int from front matter data, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def record_id(value: Any) -> int | str | None:
    """Return a post id from front matter data as its type was: a number, or an engine's text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def wordpress_id(record: RemoteRecord) -> int | None:
    """Return the record's id as WordPress's post number (None when it is not one)."""
    if isinstance(record.id, int):
        return record.id
    return _as_int(record.id)


def _term_ids(value: Any) -> TermIds | None:
    """Return a recorded term id (or the ids of same-named terms) from front matter data."""
    if isinstance(value, list):
        ids = [i for i in (_as_int(v) for v in value) if i]
        return ids if len(ids) > 1 else (ids[0] if ids else None)
    return _as_int(value) or None


def _entries(text: str) -> list[dict[str, Any]]:
    """Return the post's `remote:` records: one mapping (one blog), or a list (several blogs)."""
    return _entries_of(read_front_matter(text))


def _entries_of(front_matter: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the `remote:` records of parsed front matter."""
    data = front_matter.get(REMOTE_KEY)
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return [entry for entry in data if isinstance(entry, dict)]
    return []


def recorded_blogs(text: str) -> list[str]:
    """Return the blogs the post's `remote:` records name, in the order they were written."""
    return recorded_blogs_of(read_front_matter(text))


def recorded_blogs_of(front_matter: Mapping[str, Any]) -> list[str]:
    """Return the blogs named by the `remote:` records of parsed front matter, in order."""
    blogs = [str(entry.get("blog", "")) for entry in _entries_of(front_matter)]
    return [blog for blog in dict.fromkeys(blogs) if blog]


def recorded_blog_of(front_matter: Mapping[str, Any]) -> str:
    """Return the first blog named by the `remote:` records of parsed front matter ("": none)."""
    blogs = recorded_blogs_of(front_matter)
    return blogs[0] if blogs else ""


def recorded_blog(text: str) -> str:
    """Return the first blog the post's `remote:` records name ("" when it has none)."""
    blogs = recorded_blogs(text)
    return blogs[0] if blogs else ""


def _entry_for(text: str, blog: str) -> dict[str, Any] | None:
    """Return the `remote:` entry of `blog` (a lone entry naming no blog counts for any blog)."""
    entries = _entries(text)
    if len(entries) == 1 and "blog" not in entries[0]:
        return entries[0]
    return next((entry for entry in entries if str(entry.get("blog", "")) == blog), None)


def read_remote_record(text: str, blog: str) -> RemoteRecord:
    """Return the post's record for `blog` (a fresh one if the post has none for that blog)."""
    data = _entry_for(text, blog)
    if data is None:
        return RemoteRecord(blog=blog)
    media = {}
    for sha, item in (data.get("media") or {}).items():
        if isinstance(item, dict) and _as_int(item.get("id")) is not None:
            media[str(sha)] = MediaRecord(int(item["id"]), str(item.get("url", "")))
    terms = {
        str(tax): {str(name): ids for name, i in (names or {}).items() if (ids := _term_ids(i))}
        for tax, names in (data.get("terms") or {}).items()
        if isinstance(names, dict)
    }
    pending = data.get("pending_create") or {}
    pending_media = data.get("pending_media") or []
    return RemoteRecord(
        blog=blog,
        id=record_id(data.get("id")),
        type="page" if data.get("type") == "page" else "",
        url=str(data.get("url", "")),
        modified_gmt=str(data.get("modified_gmt", "")),
        content_sha256=str(data.get("content_sha256", "")),
        payload_sha256=str(data.get("payload_sha256", "")),
        pending_update=str(data.get("pending_update", "")),
        custom_status=str(data.get("custom_status", "") or ""),
        media=media,
        terms=terms,
        pending_create={str(k): str(v) for k, v in pending.items()}
        if isinstance(pending, dict)
        else {},
        pending_media=[str(sha) for sha in pending_media]
        if isinstance(pending_media, list)
        else [],
    )


def remote_field(text: str, record: RemoteRecord) -> dict[str, Any] | list[dict[str, Any]]:
    """Return the `remote:` field with `record` put in place of its blog's earlier record.

    A post on one blog keeps one mapping (as before several blogs were possible); a post on
    several blogs keeps a list, one record per blog, in the order they were first published.
    """
    new = record.to_yaml_data()
    entries = _entries(text)
    if len(entries) == 1 and "blog" not in entries[0]:
        entries = []  # a lone record naming no blog is this blog's (see _entry_for)
    replaced = False
    kept: list[dict[str, Any]] = []
    for entry in entries:
        if str(entry.get("blog", "")) == record.blog:
            if not replaced:
                kept.append(new)
            replaced = True
        else:
            kept.append(entry)
    if not replaced:
        kept.append(new)
    return kept[0] if len(kept) == 1 else kept


def with_remote_record(text: str, record: RemoteRecord) -> str:
    """Return the post's text with its record for `record.blog` replaced (others kept)."""
    return with_front_matter_field(text, REMOTE_KEY, remote_field(text, record))
