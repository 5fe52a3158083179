"""Sending from the outbox: one Draftpress at a time claims it, and each entry is sent once.

The window and `draftpress outbox send` both go through `claim_entry` (the claim is a lock held
by the one sender; the entry is read again under it, so one that another copy just sent is not
sent again) and `settle_entry` (what an outcome does to the entry).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.post import PostFileError
from editor.core.process_lock import ProcessLock
from editor.publish import errors
from editor.publish.accounts import find_account
from editor.publish.outbox import (
    OutboxEntry,
    claim_sending,
    find_entry,
    load_outbox,
    note_attempt,
    remove_entry,
)
from editor.publish.publishing_service import (
    PublishOutcome,
    PublishRequest,
    outcome_of,
    publish_file,
    request_for,
)

if TYPE_CHECKING:
    from editor.publish.publisher import PublishResult

log = logging.getLogger(__name__)

ANOTHER_SENDER = "Another Draftpress is sending from the outbox."


class OutboxBusy(Exception):
    """Another running Draftpress holds the outbox's claim (it is sending)."""


@dataclass
class Claim:
    """The right to send one outbox entry, held until released."""

    entry: OutboxEntry
    lock: ProcessLock

    def release(self) -> None:
        """Let other running Draftpress copies send from the outbox again."""
        self.lock.release()


def claim_entry(entry_id: str) -> Claim | None:
    """Claim the outbox and return the entry to send; None if it is no longer waiting.

    Raises OutboxBusy while another Draftpress is sending. The caller releases the claim
    once the entry is settled (see `settle_entry`).
    """
    lock = claim_sending()
    if lock is None:
        raise OutboxBusy(ANOTHER_SENDER)
    entry = find_entry(entry_id)  # again, now that no other Draftpress can send it
    if entry is None:
        lock.release()
        return None
    return Claim(entry, lock)


def settle_entry(entry_id: str, outcome: PublishOutcome, error: str = "") -> bool:
    """Apply a send's outcome to its entry; return whether it stays in the outbox.

    Still unreachable: it stays (with the attempt noted when `error` says why). Any other
    outcome (published, or the writer was told why not) takes it out.
    """
    if outcome == PublishOutcome.QUEUED:
        if error:
            note_attempt(entry_id, error)
        return True
    remove_entry(entry_id)
    return False


def request_for_entry(entry: OutboxEntry) -> PublishRequest:
    """Return the publish an entry asks for (its account as configured now)."""
    account = find_account(entry.account)
    return request_for(
        account, Path(entry.path), entry.status or None, encoding=entry.encoding or None,
        title=entry.title,
    )  # fmt: skip


@dataclass(frozen=True)
class SendReport:
    """What sending one entry did."""

    entry: OutboxEntry
    outcome: PublishOutcome
    result: PublishResult | None = None
    error: str = ""

    @property
    def stays(self) -> bool:
        """Tell whether the entry still waits in the outbox."""
        return self.outcome == PublishOutcome.QUEUED


Sender = Callable[[PublishRequest], "PublishResult"]


def send_entry(claim: Claim, send: Sender = publish_file) -> SendReport:
    """Send a claimed entry once and settle it (the claim stays held)."""
    entry = claim.entry
    try:
        result = send(request_for_entry(entry))
    except (errors.PublishError, PostFileError) as error:
        outcome = outcome_of(error)
        if outcome != PublishOutcome.QUEUED:
            outcome = PublishOutcome.FAILED  # no one to ask: it leaves the outbox, with why
        settle_entry(entry.id, outcome, str(error))
        return SendReport(entry, outcome, error=str(error))
    settle_entry(entry.id, PublishOutcome.PUBLISHED)
    return SendReport(entry, PublishOutcome.PUBLISHED, result)


@contextmanager
def _released(claim: Claim) -> Iterator[Claim]:
    """Hold a claim for the `with` block."""
    try:
        yield claim
    finally:
        claim.release()


def send_waiting(
    starting: Callable[[OutboxEntry], None] | None = None, send: Sender = publish_file
) -> list[SendReport]:
    """Try every waiting entry once, each under the claim; raise OutboxBusy if another sends."""
    reports = []
    for waiting in load_outbox():
        claim = claim_entry(waiting.id)
        if claim is None:  # sent or cancelled meanwhile
            continue
        with _released(claim):
            if starting is not None:
                starting(claim.entry)
            reports.append(send_entry(claim, send))
    return reports
