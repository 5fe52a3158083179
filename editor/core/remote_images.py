"""The writer's per-post choice to load remote images in the preview, kept in the data folder.

Off by default, like a mail client. A post where the writer chose "load them" has an empty
marker file `remote-images/<sha256 of the post's absolute path>` in the app's data folder:
never in the post's file or folder. A post moved or renamed asks again.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from editor.core.recovery_journal import make_private_dir
from editor.core.settings import data_dir

log = logging.getLogger(__name__)

FOLDER = "remote-images"


def choices_folder() -> Path:
    """Return the folder holding one marker per post allowed to load remote images."""
    return data_dir() / FOLDER


def _marker(post_path: Path) -> Path:
    """Return the marker file standing for `post_path`."""
    key = hashlib.sha256(str(post_path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return choices_folder() / key


def remote_images_allowed(post_path: Path) -> bool:
    """Tell whether the writer chose to load remote images for this post."""
    return _marker(post_path).is_file()


def set_remote_images_allowed(post_path: Path, allowed: bool) -> None:
    """Remember (or forget) the writer's choice to load remote images for this post."""
    marker = _marker(post_path)
    if allowed:
        make_private_dir(marker.parent)
        marker.touch()
    else:
        marker.unlink(missing_ok=True)
