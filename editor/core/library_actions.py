"""What the library's context menu does to a post file that is not open: retitle, duplicate."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from editor.core.front_matter import with_front_matter_field
from editor.core.post import load_post, save_post

log = logging.getLogger(__name__)


def assets_folder(path: Path) -> Path:
    """Return the post's images folder (`name.assets` beside `name.md`)."""
    return path.with_suffix(".assets")


def retitle_post(path: Path, title: str) -> Path:
    """Set the `title:` of a closed post file; every other byte stays as it was."""
    post = load_post(path)
    text = with_front_matter_field(post.text, "title", title)
    if text != post.text:
        save_post(post.with_text(text), path)
        log.info("retitled %s", path.name)
    return path


def _free_copy_path(path: Path) -> Path:
    """Return `name-copy.md` (then `name-copy-2.md`, …) where neither it nor its assets exist."""
    number = 1
    while True:
        suffix = "-copy" if number == 1 else f"-copy-{number}"
        target = path.with_name(f"{path.stem}{suffix}.md")
        if not target.exists() and not assets_folder(target).exists():
            return target
        number += 1


def duplicate_post(path: Path) -> Path:
    """Copy a post (and its `.assets` folder) as a new draft beside it; return the new path.

    The copy's title says it is a copy and its `remote:` record is left out: publishing the
    copy makes a new blog post, never updates the original's.
    """
    post = load_post(path)
    meta = post.meta()
    target = _free_copy_path(path)
    text = with_front_matter_field(post.text, "remote", None)
    text = with_front_matter_field(text, "title", f"{meta.title or path.stem} (copy)")
    if meta.status != "draft":
        text = with_front_matter_field(text, "status", "draft")
    assets = assets_folder(path)
    if assets.is_dir():
        shutil.copytree(assets, assets_folder(target))
        text = text.replace(f"{assets.name}/", f"{assets_folder(target).name}/")
    save_post(post.with_text(text), target, force=True)
    log.info("duplicated %s as %s", path.name, target.name)
    return target
