"""The recovery journal: unsaved text kept in the app's data folder until it is saved or dropped.

Each running Draftpress has a session folder `recovery/<session>/` holding a lock file (locked
for the life of the process), `session.json` (pid, start time) and one `entry-<id>.json` per
document with unsaved work. A session whose lock can be taken belongs to a process that is gone
(killed, crashed, power cut): its entries are what the next start offers to recover. Taking the
lock also claims the session, so a second running instance never offers the same entries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.core.post import FileFingerprint, NotUtf8, Post, PostFileError, load_post
from editor.core.process_lock import ProcessLock
from editor.core.settings import data_dir
from editor.core.text_stats import count_words

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
LOCK_FILE = "lock"
SESSION_FILE = "session.json"
ENTRY_PREFIX = "entry-"
# The text is encoded this many characters at a time: one json.dumps of a 1 MB text is 5 ms of
# C that holds the interpreter lock (the journal is written on a thread beside the window's).
TEXT_CHUNK_CHARS = 32_768


def recovery_dir() -> Path:
    """Return the folder that holds every session's journal."""
    return data_dir() / "recovery"


def make_private_dir(folder: Path) -> Path:
    """Create `folder` (and parents) and make it readable by its owner only (0700)."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # not every file system has POSIX modes
        os.chmod(folder, 0o700)
    return folder


def _now() -> str:
    """Return the current time as an ISO string with the local offset."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class JournalEntry:
    """One document's unsaved text as journaled, with what it was based on."""

    entry_id: str
    text: str
    path: Path | None
    base_fingerprint: FileFingerprint | None
    newline: str
    bom: bool
    encoding: str
    created: str
    updated: str
    session_id: str
    pid: int
    file: Path  # where this entry is stored

    @property
    def chosen_encoding(self) -> str | None:
        """Return the legacy encoding the writer chose for the file, None for UTF-8 (sniffed)."""
        utf8 = self.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        return None if utf8 else self.encoding

    @property
    def display_name(self) -> str:
        """Return the document's file name, or "Untitled" for a post never saved."""
        return self.path.name if self.path else "Untitled"

    @property
    def words(self) -> int:
        """Return the word count of the journaled text."""
        return count_words(self.text)

    def to_json(self) -> bytes:
        """Encode the entry as stored on disk."""
        fingerprint = self.base_fingerprint
        data = {
            "format": FORMAT_VERSION,
            "entry_id": self.entry_id,
            "path": str(self.path) if self.path else None,
            "base_fingerprint": (
                None
                if fingerprint is None
                else {
                    "size": fingerprint.size,
                    "mtime_ns": fingerprint.mtime_ns,
                    "sha256": fingerprint.sha256,
                }
            ),
            "newline": self.newline,
            "bom": self.bom,
            "encoding": self.encoding,
            "created": self.created,
            "updated": self.updated,
            "session_id": self.session_id,
            "pid": self.pid,
        }
        # The same bytes as json.dumps(data | {"text": text}, ensure_ascii=False, indent=1):
        # the text last, its string encoded in slices (JSON escapes each character alone).
        fields = json.dumps(data, ensure_ascii=False, indent=1)
        text = self.text
        parts = [fields[:-2], ',\n "text": "']
        for start in range(0, len(text), TEXT_CHUNK_CHARS):
            parts.append(
                json.dumps(text[start : start + TEXT_CHUNK_CHARS], ensure_ascii=False)[1:-1]
            )
        parts.append('"\n}')
        return "".join(parts).encode("utf-8")

    @classmethod
    def from_file(cls, file: Path) -> JournalEntry:
        """Read an entry file (raises ValueError or OSError when it is unreadable)."""
        data = json.loads(file.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError(f"{file.name} is not a journal entry")
        raw_fingerprint = data.get("base_fingerprint")
        fingerprint = (
            FileFingerprint(
                int(raw_fingerprint["size"]),
                int(raw_fingerprint["mtime_ns"]),
                str(raw_fingerprint["sha256"]),
            )
            if isinstance(raw_fingerprint, dict)
            else None
        )
        return cls(
            entry_id=str(data.get("entry_id") or file.stem.removeprefix(ENTRY_PREFIX)),
            text=data["text"],
            path=Path(data["path"]) if data.get("path") else None,
            base_fingerprint=fingerprint,
            newline=str(data.get("newline") or "\n"),
            bom=bool(data.get("bom")),
            encoding=str(data.get("encoding") or "utf-8"),
            created=str(data.get("created") or ""),
            updated=str(data.get("updated") or ""),
            session_id=str(data.get("session_id") or file.parent.name),
            pid=int(data.get("pid") or 0),
            file=file,
        )


def _entry_files(folder: Path) -> Iterator[Path]:
    """Yield a session folder's entry files (never the temp files of an unfinished write)."""
    with contextlib.suppress(FileNotFoundError):
        for file in sorted(folder.iterdir()):
            if file.name.startswith(ENTRY_PREFIX) and file.suffix == ".json":
                yield file


class JournalSession:
    """This process's journal: write, replace and remove the entries of its open documents."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = make_private_dir(root or recovery_dir())
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        self.session_id = f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.folder = make_private_dir(self.root / self.session_id)
        self._lock = ProcessLock(self.folder / LOCK_FILE)
        if not self._lock.try_acquire():  # a fresh, unique folder: nobody else can hold it
            raise OSError(f"could not lock the recovery journal in {self.folder}")
        info = {"pid": os.getpid(), "started": _now(), "format": FORMAT_VERSION}
        self._write_private(self.folder / SESSION_FILE, json.dumps(info).encode("utf-8"))
        self._created: dict[str, str] = {}

    def entry_file(self, entry_id: str) -> Path:
        """Return where the entry `entry_id` of this session is stored."""
        return self.folder / f"{ENTRY_PREFIX}{entry_id}.json"

    def write(
        self,
        entry_id: str,
        text: str,
        path: Path | None,
        base_fingerprint: FileFingerprint | None,
        *,
        newline: str = "\n",
        bom: bool = False,
        encoding: str = "utf-8",
    ) -> JournalEntry:
        """Journal a document's text atomically: the previous entry stays until this one is in."""
        created = self._created.setdefault(entry_id, _now())
        entry = JournalEntry(
            entry_id=entry_id,
            text=text,
            path=Path(os.path.abspath(path)) if path else None,
            base_fingerprint=base_fingerprint,
            newline=newline,
            bom=bom,
            encoding=encoding,
            created=created,
            updated=_now(),
            session_id=self.session_id,
            pid=os.getpid(),
            file=self.entry_file(entry_id),
        )
        self._write_private(entry.file, entry.to_json())
        return entry

    def remove(self, entry_id: str) -> None:
        """Drop a document's entry (its work was saved or knowingly discarded)."""
        self._created.pop(entry_id, None)
        with contextlib.suppress(FileNotFoundError):
            self.entry_file(entry_id).unlink()

    def entries(self) -> list[JournalEntry]:
        """Return this session's entries (for tests and diagnostics)."""
        return [JournalEntry.from_file(file) for file in _entry_files(self.folder)]

    def close(self) -> None:
        """End the session: remove its folder if no unsaved work is left in it, then unlock."""
        if not any(_entry_files(self.folder)):
            _remove_session_folder(self.folder)
        self._lock.release()

    @staticmethod
    def _write_private(file: Path, data: bytes) -> None:
        """Write a file atomically and make it readable by its owner only (0600)."""
        atomic_write_bytes(file, data)
        with contextlib.suppress(OSError):
            os.chmod(file, 0o600)  # later atomic writes keep this mode


def _remove_session_folder(folder: Path) -> None:
    """Delete a session folder that holds no entries (lock, session file, stray temp files)."""
    shutil.rmtree(folder, ignore_errors=True)


@dataclass
class ClaimedSession:
    """A dead process's session, locked by us so that no other instance offers it too."""

    folder: Path
    lock: ProcessLock

    def release(self) -> None:
        """Give the session back; delete it once it holds no entries."""
        if not any(_entry_files(self.folder)):
            _remove_session_folder(self.folder)
        self.lock.release()


def _already_on_disk(entry: JournalEntry) -> bool:
    """Tell whether the entry's file holds exactly the entry's text (nothing to recover)."""
    if entry.path is None:
        return False
    return compare_with_disk(entry).disk_text == entry.text


class RecoveredWork:
    """The entries left behind by processes that are no longer running, claimed by this one."""

    def __init__(self, root: Path | None = None, own_session: JournalSession | None = None):
        self.root = root or recovery_dir()
        self.own_folder = own_session.folder if own_session else None
        self.claimed: dict[Path, ClaimedSession] = {}

    def scan(self) -> list[JournalEntry]:
        """Claim every dead session and return all their entries, oldest first."""
        if self.root.is_dir():
            for folder in sorted(self.root.iterdir()):
                if folder.is_dir() and folder != self.own_folder and folder not in self.claimed:
                    self._claim(folder)
        entries: list[JournalEntry] = []
        for folder in list(self.claimed):
            for file in _entry_files(folder):
                try:
                    entry = JournalEntry.from_file(file)
                except (OSError, ValueError, KeyError, TypeError) as error:
                    # Kept on disk: an entry we cannot read is still never deleted unasked.
                    log.warning("cannot read recovery entry %s: %s", file, error)
                    continue
                if _already_on_disk(entry):
                    log.info("recovery entry %s holds what its file holds; dropped", file)
                    self.discard(entry)
                    continue
                entries.append(entry)
        entries.sort(key=lambda entry: entry.updated)
        return entries

    def _claim(self, folder: Path) -> None:
        """Take the lock of a session whose process is gone; leave live sessions alone."""
        lock = ProcessLock(folder / LOCK_FILE)
        try:
            if not lock.try_acquire():
                return  # a running Draftpress owns it
        except OSError as error:
            log.warning("cannot check recovery session %s: %s", folder, error)
            return
        if any(_entry_files(folder)):
            log.info("found unsaved work from a previous run in %s", folder)
            self.claimed[folder] = ClaimedSession(folder, lock)
        else:
            _remove_session_folder(folder)
            lock.release()

    def discard(self, entry: JournalEntry) -> None:
        """Delete a recovered entry (the writer restored it elsewhere, saved it or dropped it)."""
        with contextlib.suppress(FileNotFoundError):
            entry.file.unlink()

    def release(self) -> None:
        """Give back every claimed session (entries left in them are offered next time)."""
        for claimed in self.claimed.values():
            claimed.release()
        self.claimed.clear()


@dataclass(frozen=True)
class DiskComparison:
    """What the file a recovered entry belongs to holds now."""

    disk_text: str | None  # None: no file (never saved, deleted, or unreadable)
    changed_since: bool  # the file changed after the entry's text was based on it
    problem: str = ""  # why the file could not be read, in the writer's words


def load_entry_file(entry: JournalEntry) -> Post:
    """Read the file an entry belongs to in its encoding (raises PostFileError).

    An entry journaled after File > Convert to UTF-8 says UTF-8 while the file on disk is
    still in its old encoding: that file is read in its likely encoding, set to save as UTF-8.
    """
    assert entry.path is not None
    try:
        return load_post(entry.path, entry.chosen_encoding)
    except NotUtf8 as error:
        if entry.chosen_encoding is not None:
            raise
        return load_post(entry.path, error.guess).converted_to_utf8()


def compare_with_disk(entry: JournalEntry) -> DiskComparison:
    """Read the file on disk that a recovered entry belongs to, for a diff."""
    if entry.path is None:
        return DiskComparison(None, False)
    if not entry.path.exists():
        return DiskComparison(None, False, f"“{entry.path.name}” no longer exists on disk.")
    try:
        post = load_entry_file(entry)
    except PostFileError as error:
        return DiskComparison(None, False, str(error))
    base = entry.base_fingerprint
    changed = (
        base is not None
        and post.fingerprint is not None
        and (base.sha256 != post.fingerprint.sha256)
    )
    return DiskComparison(post.text, changed)
