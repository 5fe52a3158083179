"""`draftpress blogs add|list|test|trust|remove`: the blog accounts (no window)."""

from __future__ import annotations

import argparse
import getpass
import sys

from editor.cli.common import ExitCode, ask_yes, client_for, fail
from editor.publish import errors
from editor.publish.account_client import needs_plain_http_consent, plain_http_question
from editor.publish.account_saving import save_account
from editor.publish.accounts import (
    Account,
    find_account,
    load_accounts,
    remove_account,
    update_account,
)
from editor.publish.certificates import (
    fetch_certificate,
    fingerprint_of,
    normalize_fingerprint,
    system_trusts,
)
from editor.publish.connection_check import check_connection


class NoTerminal(Exception):
    """There is no terminal to ask the password on, and --password-stdin was not given."""


def _read_new_password(args: argparse.Namespace) -> str:
    """Read the application password from stdin or a prompt (never from the command line)."""
    if args.password_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise NoTerminal
    try:
        return getpass.getpass("Application password: ").strip()
    except EOFError:  # Ctrl-D at the prompt
        return ""


def add_command(args: argparse.Namespace) -> int:
    """Add (or replace) an account and keep its password in the keyring."""
    try:
        password = _read_new_password(args)
    except NoTerminal:
        return fail(
            "there is no terminal to ask the password on. Pass --password-stdin and send the "
            "password on stdin, e.g. `draftpress blogs add NAME --url URL --user USER "
            "--password-stdin < password.txt`. Nothing was saved.",
            ExitCode.USAGE,
        )
    if not password:
        return fail("no password given; nothing was saved.")
    account = Account(
        name=args.name,
        url=args.url,
        user=args.user,
        output=args.output,
        allow_plain_http=args.allow_insecure_http,
    )
    try:
        if needs_plain_http_consent(account) and not _confirm_plain_http(account, args):
            return fail(
                "not added: the password would travel unencrypted. Use the https:// address, "
                "or pass --allow-insecure-http to accept that for this blog."
            )
        replaced = next((a for a in load_accounts() if a.name == account.name), None)
        stored = save_account(account, password, replaced)  # no account without its password
    except errors.PublishError as error:
        return fail(str(error))
    print(f"Added “{stored.name}” ({stored.user} at {stored.url}).")
    return 0


def _confirm_plain_http(account: Account, args: argparse.Namespace) -> bool:
    """Ask whether the password may go over http:// (never when it comes from stdin)."""
    if args.password_stdin:
        return False
    return ask_yes(plain_http_question(account.url))


def list_command(_args: argparse.Namespace) -> int:
    """List the accounts (never their passwords)."""
    accounts = load_accounts()
    if not accounts:
        print("No blog accounts yet. Add one with: draftpress blogs add NAME --url URL --user USER")
    for account in accounts:
        print(f"{account.name}\t{account.kind}\t{account.url}\t{account.user}\t{account.output}")
    return 0


def test_command(args: argparse.Namespace) -> int:
    """Find the API, log in and say what the account may do."""
    try:
        account = find_account(args.name)
        with client_for(account) as client:
            report = check_connection(client)
    except errors.PublishError as error:
        return fail(str(error))
    print(report.summary())
    return 0


def remove_command(args: argparse.Namespace) -> int:
    """Remove an account and its keyring entry."""
    try:
        remove_account(args.name)
    except errors.PublishError as error:
        return fail(str(error))
    print(f"Removed “{args.name}”.")
    return 0


def trust_command(args: argparse.Namespace) -> int:
    """Pin the certificate the blog presents now (after the writer confirmed its fingerprint)."""
    try:
        account = find_account(args.name)
    except errors.PublishError as error:
        return fail(str(error))
    if args.forget:
        update_account(account.name, pinned_sha256="", pinned_pem="")
        print(f"“{account.name}” trusts only certificates your system trusts again.")
        return 0
    if not account.url.startswith("https://"):
        return fail(f"{account.url} does not use https://: there is no certificate to trust.")
    try:
        if system_trusts(account.url):
            print(f"Your system already trusts the certificate of {account.url}: nothing to do.")
            return 0
        pem = fetch_certificate(account.url)
    except (OSError, ValueError) as error:
        return fail(f"could not read the certificate of {account.url}: {error}")
    fingerprint = fingerprint_of(pem)
    print(f"The certificate of {account.url} has the SHA-256 fingerprint\n  {fingerprint}")
    if args.fingerprint:
        if normalize_fingerprint(args.fingerprint) != fingerprint:
            return fail("that is not the fingerprint you gave: nothing was trusted.")
    elif not ask_yes("Trust exactly this certificate for this blog?"):
        return fail(
            "nothing was trusted. Compare the fingerprint with the one your blog's host shows, "
            "then run again with --fingerprint FINGERPRINT."
        )
    update_account(account.name, pinned_sha256=fingerprint, pinned_pem=pem)
    print(f"“{account.name}” now trusts this certificate (and only it).")
    return 0
