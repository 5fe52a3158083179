"""What a post's file on disk holds now compared with what the editor's post came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from editor.core.post import FileFingerprint, Post, PostFileError, post_from_bytes


@dataclass(frozen=True)
class DiskState:
    """What the file on disk holds now compared with what the editor's post came from."""

    path: Path
    kind: str  # "same", "changed", "missing" or "unreadable"
    post: Post | None = None  # the file as read now (for "changed")
    problem: str = ""  # why it could not be read (for "unreadable")


def read_disk_state(path: Path, expected: FileFingerprint | None, encoding: str) -> DiskState:
    """Compare the content of the file at `path` with `expected` (size and time can lie)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return DiskState(path, "missing")
    except OSError as error:
        return DiskState(path, "unreadable", problem=error.strerror or str(error))
    if expected is not None and hashlib.sha256(data).hexdigest() == expected.sha256:
        return DiskState(path, "same")
    try:
        post = post_from_bytes(path, data, None if encoding == "utf-8" else encoding)
    except PostFileError as error:
        return DiskState(path, "unreadable", problem=str(error))
    return DiskState(path, "changed", post)
