"""`draftpress blogs add|list|test|trust|remove`: the blog accounts (no window)."""

from __future__ import annotations

import argparse
import getpass
import sys

from editor.cli.common import ExitCode, ask_yes, fail
from editor.publish import errors
from editor.publish.account_client import needs_plain_http_consent, plain_http_question
from editor.publish.account_saving import save_account
from editor.publish.accounts import (
    KINDS,
    Account,
    find_account,
    load_accounts,
    normalize_url,
    read_password,
    remove_account,
    update_account,
)
from editor.publish.certificates import (
    fetch_certificate,
    fingerprint_of,
    normalize_fingerprint,
    system_trusts,
)
from editor.publish.engines.base import MICROPUB
from editor.publish.engines.registry import EngineSpec, engine_spec, open_engine


class NoTerminal(Exception):
    """There is no terminal to ask the secret on, and no --password-stdin / --token-stdin."""


NO_TERMINAL = (
    "there is no terminal to ask the password on. Pass --password-stdin (a password) or "
    "--token-stdin (a token or an API key) and send it on stdin, e.g. `draftpress blogs add "
    "NAME --url URL --user USER --password-stdin < password.txt`. Nothing was saved."
)


def _read_new_secret(args: argparse.Namespace, label: str) -> str:
    """Read the engine's secret from stdin or a prompt (never from the command line)."""
    if args.password_stdin or args.token_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise NoTerminal
    try:
        return getpass.getpass(f"{label}: ").strip()
    except EOFError:  # Ctrl-D at the prompt
        return ""


def _signed_in_token(url: str) -> str:
    """Sign in with IndieAuth in the system browser; return the token the site gave."""
    import webbrowser

    from editor.core.web_links import is_web_address
    from editor.publish.engines.indieauth import sign_in_with_indieauth

    def open_url(address: str) -> None:
        print(f"Sign in on your site in the browser (or open this address yourself):\n{address}")
        if is_web_address(address):
            webbrowser.open(address)

    signed_in = sign_in_with_indieauth(url, open_url=open_url)
    print(f"Signed in as {signed_in.me}.")
    return signed_in.token


def _engine_for(args: argparse.Namespace, url: str) -> EngineSpec:
    """Return the engine the writer chose, or the one the address speaks (said on stdout)."""
    if args.engine:
        return engine_spec(args.engine)
    from editor.publish.engines.detect import detect_engine

    try:
        kind = detect_engine(url)
    except errors.PublishError as error:
        raise errors.PublishError(
            f"{error} Nothing was saved. If you know the blog's engine, pass --engine KIND "
            f"(one of {', '.join(KINDS)})."
        ) from None
    spec = engine_spec(kind)
    print(f"{url} is a {spec.label} blog.")
    return spec


def add_command(args: argparse.Namespace) -> int:
    """Add (or replace) an account: find its engine, keep its secret in the keyring."""
    url = normalize_url(args.url)
    signing_in = bool(getattr(args, "sign_in", False))
    if not (args.password_stdin or args.token_stdin or signing_in) and not sys.stdin.isatty():
        return fail(NO_TERMINAL, ExitCode.USAGE)  # before any request: nothing to ask it on
    if signing_in and not args.engine:
        args.engine = MICROPUB  # IndieAuth signs in to Micropub (a WordPress site may speak both)
    try:
        spec = _engine_for(args, url)
    except errors.PublishError as error:
        return fail(str(error))
    credential = spec.credential
    if credential.needs_user and not args.user.strip():
        return fail(
            f"{spec.label} logs in a user: pass --user USER (your user name on the blog). "
            "Nothing was saved.",
            ExitCode.USAGE,
        )
    if signing_in and spec.kind != MICROPUB:
        return fail(
            f"--sign-in is for Micropub blogs (IndieAuth); {spec.label} asks for its "
            f"{credential.label.lower()}. Nothing was saved.",
            ExitCode.USAGE,
        )
    try:
        if signing_in:
            if needs_plain_http_consent(Account(args.name, url, "", kind=spec.kind)) and not (
                args.allow_insecure_http
            ):
                return fail(
                    "not added: the token would travel unencrypted. Use the https:// address, "
                    "or pass --allow-insecure-http to accept that for this blog."
                )
            secret = _signed_in_token(url)
        else:
            secret = _read_new_secret(args, credential.label)
    except NoTerminal:
        return fail(NO_TERMINAL, ExitCode.USAGE)
    except errors.PublishError as error:
        return fail(f"{error} Nothing was saved.")
    if not secret:
        return fail(f"no {credential.label.lower()} given; nothing was saved.")
    account = Account(
        name=args.name,
        url=url,
        user=args.user if credential.needs_user else "",
        kind=spec.kind,
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
        stored = save_account(account, secret, replaced)  # no account without its secret
    except errors.PublishError as error:
        return fail(str(error))
    who = f"{stored.user} at {stored.url}" if stored.user else stored.url
    print(f"Added “{stored.name}” ({spec.label}: {who}).")
    return 0


def _confirm_plain_http(account: Account, args: argparse.Namespace) -> bool:
    """Ask whether the password may go over http:// (never when it comes from stdin)."""
    if args.password_stdin or args.token_stdin:
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
        engine = open_engine(account, read_password(account))
        try:
            report = engine.check()
        finally:
            engine.close()
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
