"""The drafts library: a folder of posts, listed newest first, with a welcome post on first run."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from editor.core.front_matter import FrontMatterError
from editor.core.post import meta_from_text, new_post_text
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


@dataclass(frozen=True)
class PostSummary:
    """One line of the library list."""

    path: Path
    title: str
    date: str
    status: str
    modified: float
    problem: str = ""


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


def _read_header(path: Path) -> str:
    """Return the start of a file, enough to hold its front matter, read in its encoding."""
    with path.open("rb") as handle:
        data = handle.read(HEADER_READ_LIMIT)
    sniffed = sniff_bom(data)
    if sniffed is not None:
        return data[sniffed.bom_length :].decode(sniffed.codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.end >= len(data) - 3 and len(data) == HEADER_READ_LIMIT:
            return data[: error.start].decode("utf-8", errors="replace")  # a cut last character
        return data.decode(guess_legacy_encoding(data), errors="replace")


def summarize(path: Path) -> PostSummary:
    """Read what the library list shows about one post file."""
    modified = path.stat().st_mtime
    try:
        meta = meta_from_text(_read_header(path).replace("\r\n", "\n"))
    except (FrontMatterError, OSError) as error:
        return PostSummary(path, path.stem, "", "", modified, problem=str(error))
    return PostSummary(path, meta.title or path.stem, meta.date, meta.status, modified)


def _sort_key(summary: PostSummary) -> tuple[str, float]:
    """Order by the post's date (ISO text sorts correctly), then by last change."""
    return (summary.date[:10], summary.modified)


def list_posts(root: Path) -> list[PostSummary]:
    """Return the library's posts, newest first."""
    if not root.is_dir():
        return []
    summaries = []
    for path in root.glob("*.md"):
        if path.is_file() and not path.name.startswith("."):
            try:
                summaries.append(summarize(path))
            except OSError as error:
                log.warning("skipping %s: %s", path, error)
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
