"""Which local files a post may use: only files inside its own folder, after symlinks.

One rule for the preview (which files the page may load) and for publishing (which files may
be uploaded): a file counts as the post's when its real path (every symlink followed) lies
inside the real path of the folder that holds the post's .md file, its `<name>.assets/`
included. Absolute paths, `file://` addresses, `../` escapes (also percent-encoded) and
symlinks that point out of the folder all fail it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

REMOTE_SCHEMES = ("http", "https", "data")


def is_local_reference(src: str) -> bool:
    """Tell whether an image src names a file on this machine (not a web address)."""
    return urlsplit(src).scheme.lower() not in REMOTE_SCHEMES and not src.startswith("//")


def referenced_path(src: str, folder: Path) -> Path:
    """Return the file a local src names, read against `folder` (symlinks not yet followed)."""
    return folder / unquote(urlsplit(src).path)


def inside_folder(path: Path, folder: Path) -> bool:
    """Tell whether `path`, after symlinks, lies inside `folder` (after symlinks)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return False


def files_outside(sources: list[str], post_path: Path | None) -> list[str]:
    """Return the local srcs among `sources` that are not files of the post at `post_path`.

    A post that was never saved has no folder: every local src is outside it.
    """
    local = [src for src in sources if is_local_reference(src)]
    if post_path is None:
        return local
    folder = Path(post_path).parent
    return [src for src in local if not inside_folder(referenced_path(src, folder), folder)]
