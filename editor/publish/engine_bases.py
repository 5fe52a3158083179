"""The base of a merge for engines other than WordPress: the post's Markdown as the blog held it.

WordPress keeps the blog's block markup piece by piece (blog_copies.py). Ghost, XML-RPC and
Micropub store HTML a publish sent, which pulls back to the same Markdown: their base is that
Markdown, kept when a post is pulled or published, with the mark of the blog's version it
belongs to (`RemoteRecord.content_sha256`), so a base of an older version is never used. One
JSON file per blog post beside the blog copies (`<data dir>/blog-copies/`, the writer's only).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.publish.blog_copies import copy_path

log = logging.getLogger(__name__)

FORMAT = 1
SUFFIX = ".markdown-base.json"


def base_path(blog: str, post_id: int | str, root: Path | None = None) -> Path:
    """Return the file that keeps the Markdown base of one blog post."""
    copy = copy_path(blog, post_id, root)
    return copy.with_name(copy.stem + SUFFIX)


def save_base(
    blog: str, post_id: int | str | None, version: str, markdown: str, root: Path | None = None
) -> None:
    """Keep the post's Markdown as the blog's version `version` holds it."""
    if post_id is None or not version:
        return
    path = base_path(blog, post_id, root)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {"format": FORMAT, "version": version, "markdown": markdown}
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    os.chmod(path, 0o600)
    log.debug("kept the Markdown base of %s post %s", blog, post_id)


def load_base(
    blog: str, post_id: int | str | None, version: str, root: Path | None = None
) -> str | None:
    """Return the kept Markdown of the blog's version `version` of the post, else None."""
    if post_id is None or not version:
        return None
    try:
        data = json.loads(base_path(blog, post_id, root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    markdown = data.get("markdown")
    return markdown if isinstance(markdown, str) else None
