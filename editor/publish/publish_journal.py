"""The publish journal: each post's publish state kept outside the post, in the data folder.

A publish writes here (never into the writer's file) what is in flight: a create or an update
whose answer may be lost, uploads in doubt, images already uploaded. The post's `remote:`
record is written into the file once, when the publish ends. The next publish of the same
file on the same blog reads the journal first, so a crash, a lost answer, an Undo or a save of
older text over the file never makes it create the post (or upload an image) twice.

One small JSON file per post file and blog, written atomically; nothing else shares it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from editor.core.atomic_file import atomic_write_bytes
from editor.core.settings import config_dir, data_dir
from editor.publish.remote_record import (
    RemoteRecord,
    read_remote_record,
    with_remote_record,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
JOURNAL_FOLDER = "publishing"
LEGACY_BACKUP_FILE = "published.json"  # the config dir's copy of final records, before 2026-12
RESUMED = "An interrupted publish of this post left its state; picking up where it stopped."
RESTORED = "The post had lost its publish record; restored it from the publish journal."


def journal_folder() -> Path:
    """Return the folder holding the publish journal."""
    return data_dir() / JOURNAL_FOLDER


def _file_key(path: Path) -> str:
    """Return the post file as the journal names it (absolute, links followed)."""
    return str(Path(path).resolve())


def journal_file(path: Path, blog: str) -> Path:
    """Return the journal file of the post file `path` on `blog`."""
    digest = hashlib.sha256(f"{blog}\t{_file_key(path)}".encode()).hexdigest()[:32]
    return journal_folder() / f"{digest}.json"


def keep_in_journal(path: Path, record: RemoteRecord) -> None:
    """Write a post's publish state (in flight or final) to the journal, atomically.

    Raises OSError when it cannot be written: a publish must not send what it cannot track.
    """
    folder = journal_folder()
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT_VERSION,
        "file": _file_key(path),
        "blog": record.blog,
        "record": record.to_yaml_data(),
    }
    atomic_write_bytes(journal_file(path, record.blog), json.dumps(data, indent=1).encode())


def journaled_record(path: Path, blog: str) -> RemoteRecord | None:
    """Return the journal's record of the post file `path` on `blog`, if it has one."""
    try:
        data = json.loads(journal_file(path, blog).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _legacy_record(path, blog)
    except (OSError, ValueError) as error:
        log.warning("cannot read the publish journal of %s: %s", Path(path).name, error)
        return None
    saved = data.get("record") if isinstance(data, dict) else None
    if not isinstance(saved, dict) or data.get("file") != _file_key(path):
        return None
    return _record_from(saved, blog)


def _legacy_record(path: Path, blog: str) -> RemoteRecord | None:
    """Return a final record kept by earlier versions in the config dir's published.json."""
    try:
        data = json.loads((config_dir() / LEGACY_BACKUP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    saved = data.get(f"{blog}\t{_file_key(path)}") if isinstance(data, dict) else None
    return _record_from(saved, blog) if isinstance(saved, dict) else None


def _record_from(saved: dict[str, Any], blog: str) -> RemoteRecord | None:
    """Parse a saved record as the front matter would hold it (JSON is YAML too)."""
    if saved.get("blog", blog) != blog:
        return None
    return read_remote_record("---\nremote: " + json.dumps(saved) + "\n---\n", blog)


def in_flight(record: RemoteRecord) -> bool:
    """Tell whether a record holds requests whose outcome is not known (a create, an update…)."""
    return bool(record.pending_create or record.pending_media or record.pending_update)


def text_for_publish(text: str, path: Path, blog: str) -> tuple[str, str]:
    """Return the post's text with the journal's record where it knows more, and why ("" if not).

    The journal wins while a request is in flight (the file never holds that state), and when
    the file lost its record (an Undo, a save of older text, a hand edit). Otherwise the file's
    record is the truth (a pull or a merge may have written a newer one).
    """
    journaled = journaled_record(path, blog)
    if journaled is None:
        return text, ""
    in_file = read_remote_record(text, blog)
    if in_flight(journaled) and in_file.id in (None, journaled.id):
        return with_remote_record(text, journaled), RESUMED
    if in_file.id is None and journaled.id is not None:
        return with_remote_record(text, journaled), RESTORED
    return text, ""
