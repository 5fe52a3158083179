"""The drafts library: a folder of posts, listed newest first, with a welcome post on first run."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import platformdirs

from editor.core.front_matter import FrontMatterError, read_front_matter
from editor.core.front_matter_scan import scan_front_matter
from editor.core.listing_cache import ListingCache, PostSummary
from editor.core.post import meta_from_data, new_post_text
from editor.core.published_sources import changed_since_published, load_fingerprints
from editor.core.settings import APP_NAME, Settings
from editor.core.slug import cut_to_bytes, slugify
from editor.core.text_encoding import guess_legacy_encoding, sniff_bom
from editor.resource_locator import resource_path

log = logging.getLogger(__name__)

WELCOME_NAME = "welcome-to-draftpress"
HEADER_READ_LIMIT = 64 * 1024  # the front matter is at the top: never read whole huge files
# A post's file name in UTF-8 bytes, date, collision number and extension included: well under
# the 255-byte limit of most file systems, leaving room for the `.assets` folder and temp files.
MAX_FILE_NAME_BYTES = 200
MAX_POST_READ = 64 * 1024 * 1024  # a published post is read whole to compare (far above any post)


# A post's parsed front matter -> the blog its `remote:` record names (the publishing layer's rule).
BlogReader = Callable[[Mapping[str, Any]], str]


def library_dir(settings: Settings | None = None) -> Path:
    """Return the library folder: $DRAFTPRESS_HOME, else the setting, else Documents/Draftpress."""
    override = os.environ.get("DRAFTPRESS_HOME")
    if override:
        return Path(override).expanduser()
    if settings is not None and settings.library_dir:
        return Path(settings.library_dir).expanduser()
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def ensure_library(root: Path) -> bool:
    """Create the library with its welcome post if the folder does not exist; True if created."""
    if root.exists():
        return False
    root.mkdir(parents=True)
    source = resource_path("welcome", f"{WELCOME_NAME}.md")
    shutil.copyfile(source, root / source.name)
    assets = source.with_name(f"{WELCOME_NAME}.assets")
    if assets.is_dir():
        shutil.copytree(assets, root / assets.name)
    log.info("created the drafts library at %s", root)
    return True


def _read_header(path: Path, limit: int = HEADER_READ_LIMIT) -> str:
    """Return the start of a file, enough to hold its front matter, read in its encoding."""
    with path.open("rb") as handle:
        data = handle.read(limit)
    sniffed = sniff_bom(data)
    if sniffed is not None:
        return data[sniffed.bom_length :].decode(sniffed.codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end >= len(data) - 3 and len(data) == limit:
            return data[: error.start].decode("utf-8", errors="replace")  # a cut last character
        return data.decode(guess_legacy_encoding(data), errors="replace")


def summarize(
    path: Path,
    blog_reader: BlogReader | None = None,
    modified: float | None = None,
    fingerprints: dict[str, str] | None = None,
) -> PostSummary:
    """Read what the library list shows about one post file (`modified`: its known mtime).

    A published post is read whole to tell whether it changed since (`fingerprints`: what
    each post was when published, see editor/core/published_sources.py).
    """
    modified = path.stat().st_mtime if modified is None else modified
    try:
        header = _read_header(path).replace("\r\n", "\n")
        data = scan_front_matter(header)
        if data is None:  # not plain enough for the quick reader: the editor's own parser
            data = read_front_matter(header)
        meta = meta_from_data(data)
    except (FrontMatterError, OSError) as error:
        return PostSummary(path, path.stem, "", "", modified, problem=str(error))
    blog = blog_reader(data) if blog_reader is not None else ""
    changed = False
    if blog and fingerprints is not None:
        try:
            text = _read_header(path, MAX_POST_READ).replace("\r\n", "\n")
        except OSError:
            text = ""
        changed = bool(text) and changed_since_published(path, text, fingerprints) is True
    return PostSummary(
        path, meta.title or path.stem, meta.date, meta.status, modified, "", tuple(meta.tags),
        blog, changed,
    )  # fmt: skip


def _sort_key(summary: PostSummary) -> tuple[str, str]:
    """Order by the post's date (ISO text sorts correctly), then by file name.

    Never by the time of the last change: a save must not move the post's row under the mouse.
    """
    return (summary.date[:10], summary.path.name)


def list_posts(
    root: Path, blog_reader: BlogReader | None = None, cache: ListingCache | None = None
) -> list[PostSummary]:
    """Return the library's posts, newest first (unchanged files come from `cache`)."""
    if not root.is_dir():
        return []
    summaries: list[PostSummary] = []
    fingerprints = load_fingerprints() if blog_reader is not None else None
    for path in root.glob("*.md"):
        if path.name.startswith("."):
            continue
        try:
            info = path.stat()
            if not path.is_file():
                continue
            stamp = (info.st_mtime_ns, info.st_size)
            summary = cache.get(path, stamp) if cache is not None else None
            if summary is None:
                summary = summarize(path, blog_reader, info.st_mtime, fingerprints)
                if cache is not None:
                    cache.put(path, stamp, summary)
            summaries.append(summary)
        except OSError as error:
            log.warning("skipping %s: %s", path, error)
    if cache is not None:
        cache.save({summary.path for summary in summaries})
    return sorted(summaries, key=_sort_key, reverse=True)


def post_file_name(title: str, today: dt.date, number: int = 1) -> str:
    """Return `YYYY-MM-DD-slug.md` (`-N` before `.md` from 2), at most MAX_FILE_NAME_BYTES long."""
    prefix = f"{today.isoformat()}-"
    suffix = f"-{number}.md" if number > 1 else ".md"
    budget = MAX_FILE_NAME_BYTES - len(prefix) - len(suffix)  # both are ASCII
    return f"{prefix}{cut_to_bytes(slugify(title), budget) or 'untitled'}{suffix}"


def new_post_path(root: Path, title: str, today: dt.date) -> Path:
    """Return a free `YYYY-MM-DD-slug.md` path in the library for a new post."""
    number = 1
    candidate = root / post_file_name(title, today)
    while candidate.exists():
        number += 1
        candidate = root / post_file_name(title, today, number)
    return candidate


def create_post(root: Path, title: str, today: dt.date | None = None) -> Path:
    """Create a new post file in the library and return its path."""
    today = today or dt.date.today()
    root.mkdir(parents=True, exist_ok=True)
    path = new_post_path(root, title, today)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(new_post_text(title, today))
    return path
