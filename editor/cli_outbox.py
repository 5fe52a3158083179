"""`draftpress outbox …` (publishes waiting for their blog) and `draftpress blogs trust NAME`."""

from __future__ import annotations

import argparse
import sys

from editor.publish import errors
from editor.publish.accounts import find_account, update_account
from editor.publish.certificates import (
    fetch_certificate,
    fingerprint_of,
    normalize_fingerprint,
    system_trusts,
)
from editor.publish.outbox import OutboxEntry, load_outbox, remove_entry, waiting_text


def _fail(message: str, code: int = 1) -> int:
    """Print an error for the writer and return the exit code."""
    print(f"draftpress: {message}", file=sys.stderr)
    return code


def _blogs_trust(args: argparse.Namespace) -> int:
    """Pin the certificate the blog presents now (after the writer confirmed its fingerprint)."""
    try:
        account = find_account(args.name)
    except errors.PublishError as error:
        return _fail(str(error))
    if args.forget:
        update_account(account.name, pinned_sha256="", pinned_pem="")
        print(f"“{account.name}” trusts only certificates your system trusts again.")
        return 0
    if not account.url.startswith("https://"):
        return _fail(f"{account.url} does not use https://: there is no certificate to trust.")
    try:
        if system_trusts(account.url):
            print(f"Your system already trusts the certificate of {account.url}: nothing to do.")
            return 0
        pem = fetch_certificate(account.url)
    except (OSError, ValueError) as error:
        return _fail(f"could not read the certificate of {account.url}: {error}")
    fingerprint = fingerprint_of(pem)
    print(f"The certificate of {account.url} has the SHA-256 fingerprint\n  {fingerprint}")
    if args.fingerprint:
        if normalize_fingerprint(args.fingerprint) != fingerprint:
            return _fail("that is not the fingerprint you gave: nothing was trusted.")
    elif not (
        sys.stdin.isatty()
        and input("Trust exactly this certificate for this blog? [y/N] ").strip().lower()
        in ("y", "yes")
    ):
        return _fail(
            "nothing was trusted. Compare the fingerprint with the one your blog's host shows, "
            "then run again with --fingerprint FINGERPRINT."
        )
    update_account(account.name, pinned_sha256=fingerprint, pinned_pem=pem)
    print(f"“{account.name}” now trusts this certificate (and only it).")
    return 0


def _outbox_list(_args: argparse.Namespace) -> int:
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


def _outbox_send(_args: argparse.Namespace) -> int:
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
        return _fail(f"{busy} Nothing was sent; try again when it is done.", 4)
    still_waiting = failed = 0
    for report in reports:
        if report.outcome == PublishOutcome.PUBLISHED and report.result is not None:
            print(f"  {report.result.status}: {report.result.link}")
        elif report.stays:
            still_waiting += 1
            print(f"  still waiting: {report.error}", file=sys.stderr)
        else:
            failed += 1
            print(f"  not published (taken out of the outbox): {report.error}", file=sys.stderr)
    if still_waiting:
        print(f"{waiting_text(still_waiting)}.")
    return 1 if failed else (4 if still_waiting else 0)


def _outbox_cancel(args: argparse.Namespace) -> int:
    """Take entry N (as `draftpress outbox` numbers them) out of the outbox."""
    entries = load_outbox()
    if not 1 <= args.number <= len(entries):
        return _fail(f"there is no entry {args.number} in the outbox ({len(entries)} waiting).")
    entry = entries[args.number - 1]
    remove_entry(entry.id)
    print(f"Cancelled: {entry.label} will not be sent to {entry.account}.")
    return 0


def add_trust_parser(blogs: argparse._SubParsersAction) -> None:
    """Register `blogs trust NAME`."""
    trust = blogs.add_parser("trust", help="trust the blog's (self-signed) certificate")
    trust.add_argument("name")
    trust.add_argument(
        "--fingerprint", help="the SHA-256 fingerprint you expect (confirms without asking)"
    )
    trust.add_argument("--forget", action="store_true", help="remove the trusted certificate")
    trust.set_defaults(run=_blogs_trust)


def add_outbox_parsers(commands: argparse._SubParsersAction) -> None:
    """Register `outbox`, `outbox send` and `outbox cancel N`."""
    outbox = commands.add_parser("outbox", help="publishes waiting for their blog to answer")
    outbox.set_defaults(run=_outbox_list)
    actions = outbox.add_subparsers(dest="outbox_command")
    actions.add_parser("list", help="list the waiting publishes").set_defaults(run=_outbox_list)
    actions.add_parser("send", help="try to send them now").set_defaults(run=_outbox_send)
    cancel = actions.add_parser("cancel", help="take entry N out of the outbox")
    cancel.add_argument("number", type=int)
    cancel.set_defaults(run=_outbox_cancel)
