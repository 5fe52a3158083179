"""A copy of each post's `remote:` record outside the post, so an undo cannot cause a duplicate.

The record in the front matter is the truth. But a writer who undoes past the moment Draftpress
wrote it (or deletes it by hand) would make the next publish create a second post. So every
record is also kept in the config dir, by blog and file, and restored when the file lost it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.core.settings import config_dir
from editor.publish.answers import JsonObject
from editor.publish.remote_record import (
    RemoteRecord,
    read_remote_record,
    recorded_blog,
    with_remote_record,
)

log = logging.getLogger(__name__)

BACKUP_FILE = "published.json"


def _key(path: Path, blog: str) -> str:
    """Return the backup key of a post file on a blog."""
    return f"{blog}\t{Path(path).resolve()}"


def _load() -> JsonObject:
    """Read the backup file (empty when missing or unreadable)."""
    try:
        data = json.loads((config_dir() / BACKUP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember_record(path: Path, record: RemoteRecord) -> None:
    """Keep a copy of a post's record (only once the blog has the post)."""
    if record.id is None:
        return
    data = _load()
    data[_key(path, record.blog)] = record.to_yaml_data()
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write_bytes(folder / BACKUP_FILE, json.dumps(data, indent=1).encode("utf-8"))
    except OSError as error:
        log.warning("could not keep a copy of the publish record: %s", error)


def restore_record(text: str, path: Path, blog: str) -> tuple[str, bool]:
    """Return the text with its record restored from the copy if the file lost it."""
    if recorded_blog(text) not in ("", blog) or read_remote_record(text, blog).id is not None:
        return text, False
    saved = _load().get(_key(path, blog))
    if not isinstance(saved, dict):
        return text, False
    restored = read_remote_record(_as_text(saved), blog)
    if restored.id is None:
        return text, False
    return with_remote_record(text, restored), True


def _as_text(saved: JsonObject) -> str:
    """Return a minimal document holding a saved record, for read_remote_record to parse."""
    return "---\nremote: " + json.dumps(saved) + "\n---\n"  # JSON is YAML too
