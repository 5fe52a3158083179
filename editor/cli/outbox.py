"""`draftpress outbox [list|send|cancel N]`: publishes waiting for their blog to answer."""

from __future__ import annotations

import argparse
import sys

from editor.cli.common import ExitCode, fail
from editor.publish.outbox import OutboxEntry, load_outbox, remove_entry, waiting_text
from editor.publish.post_statuses import status_word


def list_command(_args: argparse.Namespace) -> int:
    """List the publishes waiting for their blog."""
    entries = load_outbox()
    if not entries:
        print("The outbox is empty.")
        return 0
    print(f"{waiting_text(len(entries))}:")
    for number, entry in enumerate(entries, 1):
        status = f" as {status_word(entry.status)}" if entry.status else ""
        print(f"{number}\t{entry.label}\tto {entry.account}{status}\tqueued {entry.queued_at}")
        print(f"\t{entry.path}")
        if entry.last_error:
            print(f"\tlast try {entry.last_attempt}: {entry.last_error}")
    return 0


def send_command(_args: argparse.Namespace) -> int:
    """Try every waiting publish once: sent ones leave the outbox, unreachable ones stay."""
    from editor.publish.outbox_sending import OutboxBusy, send_waiting
    from editor.publish.publishing_service import PublishOutcome, publish_file

    if not load_outbox():
        print("The outbox is empty.")
        return 0

    def starting(entry: OutboxEntry) -> None:
        print(f"Sending {entry.label} to {entry.account}…")

    try:
        reports = send_waiting(starting, lambda request: publish_file(request, progress=print))
    except OutboxBusy as busy:
        return fail(f"{busy} Nothing was sent; try again when it is done.", ExitCode.UNREACHABLE)
    still_waiting = failed = 0
    for report in reports:
        if report.outcome == PublishOutcome.PUBLISHED and report.result is not None:
            print(f"  {status_word(report.result.status)}: {report.result.link}")
        elif report.stays:
            still_waiting += 1
            print(f"  still waiting: {report.error}", file=sys.stderr)
        else:
            failed += 1
            print(f"  not published (taken out of the outbox): {report.error}", file=sys.stderr)
    if still_waiting:
        print(f"{waiting_text(still_waiting)}.")
    if failed:
        return ExitCode.FAILURE
    return ExitCode.UNREACHABLE if still_waiting else ExitCode.OK


def cancel_command(args: argparse.Namespace) -> int:
    """Take entry N (as `draftpress outbox` numbers them) out of the outbox."""
    entries = load_outbox()
    if not 1 <= args.number <= len(entries):
        return fail(f"there is no entry {args.number} in the outbox ({len(entries)} waiting).")
    entry = entries[args.number - 1]
    remove_entry(entry.id)
    print(f"Cancelled: {entry.label} will not be sent to {entry.account}.")
    return 0
