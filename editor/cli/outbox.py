"""`draftpress outbox [list|send|cancel N]`: publishes waiting for their blog to answer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.cli.common import ExitCode, fail
from editor.cli.publish import publish_file
from editor.core.post import PostFileError
from editor.publish import errors
from editor.publish.accounts import find_account
from editor.publish.outbox import (
    is_unreachable,
    load_outbox,
    note_attempt,
    remove_entry,
    waiting_text,
)


def list_command(_args: argparse.Namespace) -> int:
    """List the publishes waiting for their blog."""
    entries = load_outbox()
    if not entries:
        print("The outbox is empty.")
        return 0
    print(f"{waiting_text(len(entries))}:")
    for number, entry in enumerate(entries, 1):
        status = f" as {entry.status}" if entry.status else ""
        print(f"{number}\t{entry.label}\tto {entry.account}{status}\tqueued {entry.queued_at}")
        print(f"\t{entry.path}")
        if entry.last_error:
            print(f"\tlast try {entry.last_attempt}: {entry.last_error}")
    return 0


def send_command(_args: argparse.Namespace) -> int:
    """Try every waiting publish once: sent ones leave the outbox, unreachable ones stay."""
    entries = load_outbox()
    if not entries:
        print("The outbox is empty.")
        return 0
    still_waiting = 0
    failed = 0
    for entry in entries:
        print(f"Sending {entry.label} to {entry.account}…")
        try:
            account = find_account(entry.account)
            result = publish_file(
                Path(entry.path), account, entry.status or None, encoding=entry.encoding or None
            )
        except errors.PublishError as error:
            if is_unreachable(error):
                note_attempt(entry.id, str(error))
                still_waiting += 1
                print(f"  still waiting: {error}", file=sys.stderr)
                continue
            remove_entry(entry.id)
            failed += 1
            print(f"  not published (taken out of the outbox): {error}", file=sys.stderr)
            continue
        except PostFileError as error:
            remove_entry(entry.id)
            failed += 1
            print(f"  not published (taken out of the outbox): {error}", file=sys.stderr)
            continue
        remove_entry(entry.id)
        print(f"  {result.status}: {result.link}")
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
