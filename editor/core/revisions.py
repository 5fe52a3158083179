"""Revisions: before each save, the version being replaced is kept in the app's data folder.

Snapshots of one post live in `revisions/<hash of the post's absolute path>/`, one file per
version named `<nanoseconds>-<sha256 prefix>.rev` holding the file's exact bytes, with the
version's own modification time. Consecutive identical versions are stored once; the oldest
are pruned by count and age, but the newest snapshot is always kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.core.post import NotUtf8, Post, PostFileError, decode_post_bytes, save_post
from editor.core.recovery_journal import make_private_dir
from editor.core.settings import data_dir
from editor.core.text_stats import count_words

log = logging.getLogger(__name__)

SUFFIX = ".rev"
SOURCE_FILE = "source.txt"
DEFAULT_MAX_COUNT = 50
DEFAULT_MAX_AGE_DAYS = 90


@dataclass(frozen=True)
class RevisionLimits:
    """How many snapshots of one post are kept, and for how long."""

    max_count: int = DEFAULT_MAX_COUNT
    max_age_days: int = DEFAULT_MAX_AGE_DAYS


@dataclass(frozen=True)
class Revision:
    """One kept version of a post file."""

    file: Path
    kept_ns: int  # when it was replaced by a save
    sha256: str

    @property
    def written_at(self) -> dt.datetime:
        """Return when this version was written (its file's modification time), local time."""
        return dt.datetime.fromtimestamp(self.file.stat().st_mtime).astimezone()

    def read_bytes(self) -> bytes:
        """Return the version's exact bytes."""
        return self.file.read_bytes()

    def read_text(self) -> str:
        """Return the version's text as the editor holds it (LF line endings, no BOM)."""
        data = self.read_bytes()
        try:
            return decode_post_bytes(data, self.file.name)[0]
        except NotUtf8 as legacy:  # a legacy 8-bit file: read it in its likely encoding
            if legacy.guess:
                with contextlib.suppress(PostFileError, LookupError):
                    return decode_post_bytes(data, self.file.name, legacy.guess)[0]
        except PostFileError:
            pass
        # show it anyway, unreadable bytes marked
        return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


@dataclass(frozen=True)
class RevisionInfo:
    """What the list shows at once for a revision: when it was written and its size."""

    revision: Revision
    written_at: dt.datetime
    size: int


def revisions_root() -> Path:
    """Return the folder holding the revisions of every post."""
    return data_dir() / "revisions"


def _path_key(path: str) -> str:
    """Return the folder name for the revisions of the file at `path`."""
    return hashlib.sha256(path.encode("utf-8", errors="surrogateescape")).hexdigest()[:32]


def revisions_folder(post_path: Path) -> Path:
    """Return the folder holding the revisions of the post at `post_path`.

    Keyed by the file's real path, so a post opened through a symlink shares the history of
    the file it points to; a history kept under the path as given (before links were followed)
    is still found.
    """
    real = revisions_root() / _path_key(os.path.realpath(post_path))
    given = revisions_root() / _path_key(os.path.abspath(post_path))
    return given if given != real and not real.is_dir() and given.is_dir() else real


def _parse(file: Path) -> Revision | None:
    """Read a snapshot's name; None for anything else in the folder."""
    if file.suffix != SUFFIX:
        return None
    kept, _, digest = file.stem.partition("-")
    if not kept.isdigit() or not digest:
        return None
    return Revision(file, int(kept), digest)


def list_revisions(post_path: Path) -> list[Revision]:
    """Return the kept versions of a post, newest first."""
    folder = revisions_folder(post_path)
    if not folder.is_dir():
        return []
    found = [rev for rev in map(_parse, folder.iterdir()) if rev is not None]
    return sorted(found, key=lambda rev: rev.kept_ns, reverse=True)


def describe_revisions(post_path: Path) -> list[RevisionInfo]:
    """Return the kept versions with their time and size, newest first (reads no content)."""
    infos = []
    for revision in list_revisions(post_path):
        try:
            stat = revision.file.stat()
        except OSError as error:  # pruned meanwhile
            log.debug("revision %s is gone: %s", revision.file, error)
            continue
        written = dt.datetime.fromtimestamp(stat.st_mtime).astimezone()
        infos.append(RevisionInfo(revision, written, stat.st_size))
    return infos


def revision_word_count(revision: Revision) -> int:
    """Return the word count of a kept version (reads it)."""
    return count_words(revision.read_text())


def keep_revision(
    post_path: Path,
    data: bytes,
    written_ns: int | None = None,
    *,
    limits: RevisionLimits | None = None,
    now_ns: int | None = None,
) -> Revision | None:
    """Keep `data` as the newest version of the post; None if it equals the newest already kept."""
    limits = limits or RevisionLimits()
    now_ns = time.time_ns() if now_ns is None else now_ns
    digest = hashlib.sha256(data).hexdigest()
    existing = list_revisions(post_path)
    if existing and existing[0].sha256 == digest[:16]:
        return None
    folder = make_private_dir(revisions_folder(post_path))
    source = folder / SOURCE_FILE
    if not source.exists():
        atomic_write_bytes(source, os.path.realpath(post_path).encode("utf-8", "surrogateescape"))
    kept_ns = max(now_ns, existing[0].kept_ns + 1) if existing else now_ns
    file = folder / f"{kept_ns:020d}-{digest[:16]}{SUFFIX}"
    atomic_write_bytes(file, data)
    with contextlib.suppress(OSError):
        os.chmod(file, 0o600)
        if written_ns is not None:
            os.utime(file, ns=(written_ns, written_ns))
    prune_revisions(post_path, limits, now_ns=now_ns)
    return Revision(file, kept_ns, digest[:16])


def prune_revisions(post_path: Path, limits: RevisionLimits, *, now_ns: int | None = None) -> int:
    """Delete versions beyond the count or older than the age limit (never the newest)."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    oldest_kept_ns = now_ns - limits.max_age_days * 86_400 * 1_000_000_000
    removed = 0
    for index, revision in enumerate(list_revisions(post_path)):
        if index == 0:
            continue  # the newest is always kept
        if index >= max(1, limits.max_count) or revision.kept_ns < oldest_kept_ns:
            with contextlib.suppress(FileNotFoundError):
                revision.file.unlink()
                removed += 1
    return removed


def keep_version_on_disk(
    path: Path, replacement: bytes | None = None, limits: RevisionLimits | None = None
) -> Revision | None:
    """Keep the file at `path` as a revision, unless there is none or it equals `replacement`."""
    try:
        data = path.read_bytes()
        written_ns = path.stat().st_mtime_ns
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None
    if data == replacement:
        return None  # saving the same bytes again replaces nothing
    return keep_revision(path, data, written_ns, limits=limits)


def save_keeping_revision(
    post: Post, path: Path, *, force: bool = False, limits: RevisionLimits | None = None
) -> Post:
    """Save `post` to `path` like save_post, first keeping the version it replaces.

    A revision that cannot be kept (e.g. the data folder's disk is full) is logged and does
    not stop the save: the writer's text reaching their file comes first.
    """
    try:
        keep_version_on_disk(Path(path), post.to_bytes(), limits)
    except OSError as error:
        log.warning("could not keep the previous version of %s: %s", path, error)
    return save_post(post, path, force=force)
