"""Bring a post from the blog into the library: WordPress content -> a Draftpress Markdown post.

No Qt here. `post_from_server` is pure; the helpers at the end read or write library files and
call the blog through a `WordPressClient`.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from editor.core.front_matter import FrontMatterError, read_front_matter, with_front_matter_field
from editor.core.library import new_post_path
from editor.core.post import STATUSES
from editor.publish.answers import usable_item
from editor.publish.blog_copies import BlogCopy, save_copy
from editor.publish.remote_record import (
    REMOTE_KEY,
    RemoteRecord,
    sha256_text,
    term_record,
    with_remote_record,
)
from editor.publish.round_trip import pull_content

log = logging.getLogger(__name__)

_HEADER_READ_LIMIT = 64 * 1024

TermNames = Mapping[str, Mapping[int, str]]  # taxonomy ("tags", "categories") -> id -> name


class Client(Protocol):
    """What the pull needs of a WordPressClient (a protocol, so tests may pass a fake)."""

    def request(self, method: str, route: str, action: str, **kwargs: Any) -> Any:
        """Call a REST route and return its JSON."""


# -- the whole post ------------------------------------------------------------------------


def _raw(server_post: Mapping[str, Any], key: str) -> str:
    """Return `raw` (context=edit) of a field, else its `rendered` HTML (as text but content)."""
    value = server_post.get(key)
    if not isinstance(value, Mapping):
        return str(value or "")
    if value.get("raw") is not None:
        return str(value["raw"])
    rendered = str(value.get("rendered") or "")
    if key == "content":
        return rendered
    return html_lib.unescape(re.sub(r"<[^>]+>", "", rendered))


def _front_matter_date(server_post: Mapping[str, Any]) -> str:
    """Return the date for the front matter: the full time once the blog has fixed one."""
    date = str(server_post.get("date") or "")
    if not date:
        return ""
    if server_post.get("status") in ("draft", "pending", "auto-draft"):
        # An unpublished post's date usually floats (WordPress sets it when the post goes out),
        # and the REST API does not say whether it does: a full time would pin it (backdating
        # the post when it is published later), a day alone is not sent for a draft.
        return date[:10]
    return date[:19]


def _names(
    server_post: Mapping[str, Any], taxonomy: str, term_names: TermNames
) -> list[tuple[str, int]]:
    """Return the post's terms of one taxonomy as (name, id) in order (nameless ids dropped)."""
    known = term_names.get(taxonomy, {})
    found: list[tuple[str, int]] = []
    for term_id in server_post.get(taxonomy) or []:
        name = known.get(int(term_id))
        if name:
            found.append((name, int(term_id)))
        else:
            log.info("pull: no name for %s id %s; left out", taxonomy, term_id)
    return found


def _term_names(server_post: Mapping[str, Any], taxonomy: str, term_names: TermNames) -> list[str]:
    """Return the names of the post's terms of one taxonomy, in order, for the front matter."""
    return [name for name, _id in _names(server_post, taxonomy, term_names)]


def pulled_record(
    server_post: Mapping[str, Any], blog: str, term_names: TermNames | None = None
) -> RemoteRecord:
    """Return the remote record of a post as just read from the blog (the next publish updates)."""
    terms = {tax: _names(server_post, tax, term_names or {}) for tax in ("tags", "categories")}
    status = str(server_post.get("status") or "")
    return RemoteRecord(
        blog=blog,
        id=int(server_post["id"]),
        type="page" if server_post.get("type") == "page" else "",
        custom_status=status if status and status not in STATUSES else "",
        url=str(server_post.get("link") or ""),
        modified_gmt=str(server_post.get("modified_gmt") or ""),
        content_sha256=sha256_text(_raw(server_post, "content")),
        terms={tax: term_record(pairs) for tax, pairs in terms.items() if pairs},
    )


def pull_post(
    server_post: Mapping[str, Any],
    *,
    blog: str = "",
    term_names: TermNames | None = None,
    featured_image: str = "",
) -> tuple[str, BlogCopy]:
    """Return a Draftpress post text for a WordPress post and the blog copy that maps it back.

    `server_post` is the REST API's JSON with context=edit. Tags and categories come in as ids:
    pass `term_names` to keep them by name, else they are left out. With `blog`, the post also
    gets `blog:` and a `remote:` record, so that publishing it updates the same blog post.
    `featured_image` is the URL of the post's featured image, if it has one.
    """
    term_names = term_names or {}
    is_page = server_post.get("type") == "page"  # a page has no tags, categories or sticky flag
    fields: list[tuple[str, Any]] = [
        ("title", _raw(server_post, "title").strip()),
        ("slug", str(server_post.get("slug") or "")),
        ("date", _front_matter_date(server_post)),
        ("status", str(server_post.get("status") or "draft")),
        ("sticky", True if server_post.get("sticky") is True and not is_page else None),
        ("tags", None if is_page else _term_names(server_post, "tags", term_names)),
        ("categories", None if is_page else _term_names(server_post, "categories", term_names)),
        ("excerpt", _raw(server_post, "excerpt").strip()),
        ("featured_image", featured_image),
        ("blog", blog),
    ]
    text = ""
    for key, value in fields:
        text = with_front_matter_field(text, key, value)
    body, copy = pull_content(_raw(server_post, "content"))
    if featured_image and featured_image not in copy.images:
        copy.images[featured_image] = {"id": int(server_post.get("featured_media") or 0)}
    text = text + "\n" + body if text else body
    if blog:
        text = with_remote_record(text, pulled_record(server_post, blog, term_names))
    return text, copy


def post_from_server(
    server_post: Mapping[str, Any], *, blog: str = "", term_names: TermNames | None = None
) -> str:
    """Return a Draftpress post text (front matter + Markdown) for a WordPress post."""
    return pull_post(server_post, blog=blog, term_names=term_names)[0]


# -- the library and the blog --------------------------------------------------------------


def _same_id(recorded: object, wanted: int | str) -> bool:
    """Tell whether a recorded id names the post `wanted` (numbers compared as numbers)."""
    if not isinstance(recorded, int | float | str) or isinstance(recorded, bool):
        return False
    if isinstance(wanted, int) or str(wanted).strip().isdigit():
        try:
            return int(recorded) == int(wanted)
        except ValueError:
            return False
    return str(recorded).strip() == str(wanted).strip()


def find_local_copy(root: Path, blog: str, post_id: int | str) -> Path | None:
    """Return the library file whose `remote:` record is this blog's post `post_id`, if any.

    `post_id` is WordPress's number or another engine's text id (Ghost's, a Micropub URL); a
    post on several blogs (a list of records) is found by the record of this blog.
    """
    if not root.is_dir():
        return None
    for path in sorted(root.glob("*.md")):
        try:
            with path.open("rb") as handle:
                header = handle.read(_HEADER_READ_LIMIT).decode("utf-8", errors="replace")
            data = read_front_matter(header.lstrip("\ufeff").replace("\r\n", "\n"))
        except (OSError, FrontMatterError):
            continue
        remote = data.get(REMOTE_KEY)
        records = remote if isinstance(remote, list) else [remote]
        for entry in records:
            named = isinstance(entry, Mapping) and str(entry.get("blog", "")) == blog
            if named and _same_id(entry.get("id"), post_id):
                return path
    return None


def fetch_term_names(client: Client, server_post: Mapping[str, Any]) -> dict[str, dict[int, str]]:
    """Look up the names of the post's tags and categories on the blog."""
    names: dict[str, dict[int, str]] = {}
    for taxonomy in ("tags", "categories"):
        ids = [int(i) for i in server_post.get(taxonomy) or []]
        if not ids:
            continue
        terms = client.request(
            "GET",
            f"/wp/v2/{taxonomy}",
            f"reading the post's {taxonomy}",
            expect=list,
            params={"include": ",".join(map(str, ids)), "per_page": 100},
        )
        names[taxonomy] = {t["id"]: str(t.get("name", "")) for t in terms if usable_item(t)}
    return names


def fetch_featured_image(client: Client, server_post: Mapping[str, Any]) -> str:
    """Return the URL of the post's featured image ("" when it has none or it is gone)."""
    media_id = server_post.get("featured_media")
    if not isinstance(media_id, int) or media_id <= 0:
        return ""
    try:
        media = client.request("GET", f"/wp/v2/media/{media_id}", "reading the featured image")
    except Exception as error:  # a deleted image must not stop the pull  # noqa: BLE001
        log.info("pull: featured image %s not readable: %s", media_id, error)
        return ""
    url = media.get("source_url") if isinstance(media, Mapping) else None
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else ""


def _file_date(server_post: Mapping[str, Any]) -> dt.date:
    """Return the date for the file name: the post's own date, else today."""
    try:
        return dt.date.fromisoformat(str(server_post.get("date") or "")[:10])
    except ValueError:
        return dt.date.today()


def write_pulled_post(root: Path, text: str, server_post: Mapping[str, Any]) -> Path:
    """Write a pulled post to a new `YYYY-MM-DD-slug.md` in the library and return its path."""
    root.mkdir(parents=True, exist_ok=True)
    # WordPress sends a non-Latin slug percent-encoded: name the file in the writer's script.
    name = unquote(str(server_post.get("slug") or "")) or _raw(server_post, "title") or "untitled"
    path = new_post_path(root, name, _file_date(server_post))
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    log.info("pulled post %s into %s", server_post.get("id"), path)
    return path


def pull_into_library(
    client: Client, server_post: Mapping[str, Any], root: Path, blog: str, *, reuse: bool = True
) -> Path:
    """Return the library file of a blog post: the one already there (if `reuse`), else a new one.

    Without `reuse` a new file is always written (the server's version beside a local draft).
    """
    if reuse:
        existing = find_local_copy(root, blog, int(server_post["id"]))
        if existing is not None:
            return existing
    names = fetch_term_names(client, server_post)
    featured = fetch_featured_image(client, server_post)
    text, copy = pull_post(server_post, blog=blog, term_names=names, featured_image=featured)
    path = write_pulled_post(root, text, server_post)
    if blog:
        save_copy(blog, int(server_post["id"]), copy)
    return path
