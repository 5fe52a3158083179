"""The outbox: publishes asked for while the blog was unreachable, kept on disk until sent.

One JSON file in the config dir, rewritten atomically; every read-change-write of it holds
a file lock (`outbox.lock`), so a window and a terminal changing it at once lose nothing.
An entry names the post's file, the account and what was asked (status, output); never the
password, which stays in the keyring.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import uuid
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from editor.core.atomic_file import atomic_write_bytes
from editor.core.process_lock import ProcessLock, locked
from editor.core.settings import config_dir
from editor.publish import errors

log = logging.getLogger(__name__)

OUTBOX_FILE = "outbox.json"
SENDING_LOCK_FILE = "outbox-sending.lock"  # held by the one Draftpress sending from the outbox
CHANGE_LOCK_FILE = "outbox.lock"  # held while one Draftpress reads, changes and rewrites it


@dataclass(frozen=True)
class OutboxEntry:
    """One publish waiting for its blog to answer."""

    id: str
    path: str  # the post's file, absolute
    account: str  # the account's name
    title: str = ""  # the post's title when it was queued (for lists)
    status: str = ""  # the status asked for ("" = the post's own)
    queued_at: str = ""  # UTC, ISO 8601
    last_attempt: str = ""
    last_error: str = ""
    attempts: int = 0
    encoding: str = ""  # the post file's encoding when it is not UTF-8 ("" = UTF-8 or its BOM)

    @property
    def file_name(self) -> str:
        """Return the post file's name, for lists."""
        return Path(self.path).name

    @property
    def label(self) -> str:
        """Return how lists name the post: its title and file, or the file alone."""
        return f"“{self.title}” ({self.file_name})" if self.title else self.file_name


def outbox_path() -> Path:
    """Return the outbox file's path."""
    return config_dir() / OUTBOX_FILE


def _changing() -> contextlib.AbstractContextManager[ProcessLock]:
    """Hold the outbox's change lock (waiting for another Draftpress changing it)."""
    return locked(outbox_path().with_name(CHANGE_LOCK_FILE))


def _now() -> str:
    """Return the current UTC time, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def is_unreachable(error: BaseException) -> bool:
    """Tell whether a publish failed only because the connection to the blog failed.

    No connection at all, or one that broke off mid-request (what reached the blog is then
    unknown, and the publish journal finds it when the outbox sends the post again).
    """
    return isinstance(error, errors.Unreachable | errors.ConnectionBroken)


def load_outbox() -> list[OutboxEntry]:
    """Read the waiting publishes, oldest first (a missing file: none; a broken one: logged)."""
    try:
        raw = json.loads(outbox_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        log.warning("cannot read the outbox %s: %s", outbox_path(), error)
        return []
    known = {f.name for f in fields(OutboxEntry)}
    entries = []
    for item in raw.get("entries", []) if isinstance(raw, dict) else []:
        if isinstance(item, dict) and {"id", "path", "account"} <= item.keys():
            values = {k: v for k, v in item.items() if k in known}
            values["attempts"] = int(values.get("attempts") or 0)
            entries.append(OutboxEntry(**values))
    return entries


def save_outbox(entries: list[OutboxEntry]) -> None:
    """Write the outbox atomically (a read-change-write holds the change lock around it)."""
    path = outbox_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"entries": [asdict(entry) for entry in entries]}
    atomic_write_bytes(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def queue_publish(
    path: Path, account: str, status: str | None, error: str, title: str = "", encoding: str = ""
) -> OutboxEntry:
    """Put a publish in the outbox (the same post for the same blog is kept once)."""
    with _changing():
        return _queue_locked(path, account, status, error, title, encoding)


def _queue_locked(
    path: Path, account: str, status: str | None, error: str, title: str, encoding: str
) -> OutboxEntry:
    """Put a publish in the outbox (the caller holds the change lock)."""
    entries = load_outbox()
    key = (str(Path(path).absolute()), account)
    now = _now()
    for index, entry in enumerate(entries):
        if (entry.path, entry.account) == key:
            entry = replace(
                entry,
                title=title or entry.title,
                status=status or "",
                last_attempt=now,
                last_error=error,
                attempts=entry.attempts + 1,
                encoding=encoding or entry.encoding,
            )
            entries[index] = entry
            save_outbox(entries)
            return entry
    entry = OutboxEntry(
        id=uuid.uuid4().hex[:12],
        path=key[0],
        account=account,
        title=title,
        status=status or "",
        queued_at=now,
        last_attempt=now,
        last_error=error,
        attempts=1,
        encoding=encoding,
    )
    save_outbox([*entries, entry])
    log.info("queued %s for %s", entry.file_name, account)
    return entry


def note_attempt(entry_id: str, error: str) -> None:
    """Record a failed attempt to send an entry (it stays in the outbox)."""
    with _changing():
        entries = load_outbox()
        now = _now()
        save_outbox(
            [
                replace(e, last_attempt=now, last_error=error, attempts=e.attempts + 1)
                if e.id == entry_id
                else e
                for e in entries
            ]
        )


def remove_entry(entry_id: str) -> bool:
    """Take an entry out of the outbox (sent or cancelled); tell whether it was there."""
    with _changing():
        entries = load_outbox()
        kept = [e for e in entries if e.id != entry_id]
        if len(kept) != len(entries):
            save_outbox(kept)
    return len(kept) != len(entries)


def find_entry(entry_id: str) -> OutboxEntry | None:
    """Return the entry with this id, if it is still waiting."""
    return next((e for e in load_outbox() if e.id == entry_id), None)


def claim_sending() -> ProcessLock | None:
    """Take the right to send from the outbox; None while another Draftpress is sending.

    Two running copies (both seeing the network come back) must not publish one post twice.
    """
    path = outbox_path().with_name(SENDING_LOCK_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = ProcessLock(path)
    return lock if lock.try_acquire() else None


def waiting_text(count: int) -> str:
    """Return the status bar's words for `count` waiting publishes."""
    return f"{count} post{'s' if count != 1 else ''} waiting to publish"
