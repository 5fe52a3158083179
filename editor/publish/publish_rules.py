"""The pure rules of one publish: upload names, dates, statuses, and what may be sent.

No Qt, no network: the Publisher (publisher.py) applies these while it talks to the blog.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.local_files import files_outside
from editor.core.post import STATUSES
from editor.publish import errors
from editor.publish.post_images import ImageUse

if TYPE_CHECKING:  # a type only: the rules load without the HTTP client (the Details form)
    from editor.publish.answers import JsonObject


def upload_file_name(path: Path, sha: str) -> str:
    """Return the upload name: an ASCII form of the stem plus a content tag (finds lost uploads)."""
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_stem).strip("-").lower()[:60] or "image"
    suffix = re.sub(r"[^A-Za-z0-9.]", "", path.suffix.lower())
    return f"{stem}-{sha[:12]}{suffix}"


def gmt_now() -> str:
    """Return the current UTC time as WordPress writes it."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def post_date(date: str, status: str, today: dt.date | None = None) -> str | None:
    """Return the `date` to send, or None to let WordPress use the time of publishing.

    A full date and time is sent as it is; a bare date is sent (at 09:00) only when it lies in
    the future or the post is to be scheduled, so that a future date schedules the post.
    """
    if not date:
        if status == "future":
            raise errors.PublishError("To schedule a post, give it a date and time in the future.")
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", date):
        return date.replace(" ", "T")[:19]
    try:
        day = dt.date.fromisoformat(date[:10])
    except ValueError:
        raise errors.PublishError(f"“{date}” is not a date (write it as YYYY-MM-DD).") from None
    if status == "future" or day > (today or dt.date.today()):
        return f"{day.isoformat()}T09:00:00"
    return None


def blog_holds_payload(payload: JsonObject, server: JsonObject | None) -> bool:
    """Tell whether the blog already holds exactly what the payload would send."""
    if not server:
        return False

    def raw(key: str) -> str:
        value = server.get(key)
        return str(value.get("raw", "")) if isinstance(value, dict) else str(value or "")

    def ids(key: str) -> list[str]:  # compared as text: a hostile answer may mix types
        value = server.get(key)
        return sorted(str(i) for i in value) if isinstance(value, list) else []

    slug = str(server.get("slug") or server.get("generated_slug") or "")
    same = (
        payload["content"] == raw("content")
        and payload["title"].strip() == raw("title").strip()
        and payload.get("excerpt", "").strip() == raw("excerpt").strip()
        and payload.get("status", server.get("status")) == server.get("status")
        and payload["slug"] in (slug, str(server.get("slug") or ""))
        and str(payload.get("featured_media", 0)) == str(server.get("featured_media") or 0)
    )
    for key in ("tags", "categories"):  # pages have none
        if same and key in payload:
            same = sorted(str(i) for i in payload[key]) == ids(key)
    if same and "sticky" in payload:
        same = bool(payload["sticky"]) == bool(server.get("sticky"))
    if same and "date" in payload:
        same = payload["date"] == str(server.get("date") or "")[:19]
    return same


def custom_status(answer: JsonObject) -> str:
    """Return the status the blog answered when it is one of its own (not a standard one)."""
    status = str(answer.get("status") or "")
    return status if status not in STATUSES else ""


def refuse_files_outside(images: list[ImageUse], post_path: Path | None) -> None:
    """Refuse, before anything is sent, a post naming local files outside its folder."""
    outside = files_outside([image.src for image in images], post_path)
    if not outside:
        return
    names = ", ".join(f"“{src}”" for src in outside)
    if post_path is None:
        raise errors.ImageOutsideFolder(
            f"This post is not saved yet, so it has no folder its images could come from "
            f"({names}). Save the post first, then publish; nothing was sent."
        )
    raise errors.ImageOutsideFolder(
        f"Draftpress uploads only images inside the post's folder ({post_path.parent}), so "
        f"nothing was sent. Outside it: {names}. Move them into the folder (Insert > Image… "
        "copies an image there) or remove them from the post."
    )
