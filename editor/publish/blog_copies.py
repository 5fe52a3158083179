"""The last content a blog held for a post, kept in the data folder (never in the post's file).

One JSON file per blog post, written when a post is pulled and after each publish:
- `content`: the post's `content.raw` as the blog stored it (the base of a three-way merge
  when both the blog and the writer changed the post since);
- `segments`: how that content maps to the Markdown of the post, piece by piece (each piece's
  Markdown and the server markup it came from), so that a publish re-sends the server's own
  markup for every piece the writer did not touch;
- `images`: remote image URL -> media id and size, so edited blocks keep their media ids.
The folder is `<data dir>/blog-copies/`, readable by the writer only (0700/0600).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from editor.core.atomic_file import atomic_write_bytes
from editor.core.settings import data_dir

log = logging.getLogger(__name__)

FOLDER = "blog-copies"
FORMAT = 1


@dataclass(frozen=True)
class Segment:
    """One piece of the post: its Markdown (stripped) and the server markup it stands for.

    `gap` is the whitespace the server content has before the markup.
    """

    markdown: str
    markup: str
    gap: str = ""


@dataclass
class BlogCopy:
    """What the blog held for one post, and how it maps to the post's Markdown."""

    content: str
    segments: list[Segment] = field(default_factory=list)
    trailing: str = ""  # whitespace after the last segment
    images: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> {id, size_slug}

    def to_json(self) -> dict[str, Any]:
        """Return the copy as JSON data."""
        return {
            "format": FORMAT,
            "content": self.content,
            "segments": [asdict(segment) for segment in self.segments],
            "trailing": self.trailing,
            "images": self.images,
        }


def _folder(root: Path | None = None) -> Path:
    """Return the blog-copies folder (created 0700 on first use)."""
    folder = (root or data_dir()) / FOLDER
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def copy_path(blog: str, post_id: int | str, root: Path | None = None) -> Path:
    """Return the file that keeps the copy of one blog post (a text id is hashed into a name)."""
    blog_key = hashlib.sha256(blog.encode("utf-8")).hexdigest()[:16]
    if isinstance(post_id, int) or post_id.isdigit():
        name = str(int(post_id))
    else:  # another engine's id (an object id, a URL): never a path of its own
        name = "id-" + hashlib.sha256(post_id.encode("utf-8")).hexdigest()[:24]
    return _folder(root) / blog_key / f"{name}.json"


def save_copy(blog: str, post_id: int | str, copy: BlogCopy, root: Path | None = None) -> None:
    """Keep the copy of a blog post (atomically; the writer only may read it)."""
    path = copy_path(blog, post_id, root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = json.dumps(copy.to_json(), ensure_ascii=False).encode("utf-8")
    atomic_write_bytes(path, data)
    os.chmod(path, 0o600)
    log.debug("kept the blog's copy of %s post %s (%d bytes)", blog, post_id, len(data))


def _segments(data: Any) -> list[Segment]:
    """Read the segments of a stored copy, dropping malformed ones."""
    if not isinstance(data, list):
        return []
    segments = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("markup"), str):
            segments.append(
                Segment(str(item.get("markdown", "")), item["markup"], str(item.get("gap", "")))
            )
    return segments


def load_copy(blog: str, post_id: int | str, root: Path | None = None) -> BlogCopy | None:
    """Return the kept copy of a blog post, or None if there is none (or it is unreadable)."""
    path = copy_path(blog, post_id, root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        return None
    images = data.get("images")
    return BlogCopy(
        content=data["content"],
        segments=_segments(data.get("segments")),
        trailing=str(data.get("trailing", "")),
        images=images if isinstance(images, dict) else {},
    )
