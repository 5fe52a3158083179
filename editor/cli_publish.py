"""The `draftpress blogs …` and `draftpress publish …` commands (no window)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from editor.cli_outbox import add_outbox_parsers, add_trust_parser
from editor.core.post import STATUSES, NotUtf8, PostFileError, load_post
from editor.publish import errors
from editor.publish.account_client import (
    client_for_account,
    needs_plain_http_consent,
    plain_http_question,
)
from editor.publish.account_saving import save_account
from editor.publish.accounts import (
    Account,
    find_account,
    load_accounts,
    read_password,
    remove_account,
)
from editor.publish.connection_check import check_connection
from editor.publish.outbox import is_unreachable, queue_publish
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.wordpress_client import WordPressClient


def _fail(message: str, code: int = 1) -> int:
    """Print an error for the writer and return the exit code."""
    print(f"draftpress: {message}", file=sys.stderr)
    return code


def _read_new_password(args: argparse.Namespace) -> str:
    """Read the application password from stdin or a prompt (never from the command line)."""
    if args.password_stdin:
        return sys.stdin.readline().strip()
    return getpass.getpass("Application password: ").strip()


def _blogs_add(args: argparse.Namespace) -> int:
    """Add (or replace) an account and keep its password in the keyring."""
    password = _read_new_password(args)
    if not password:
        return _fail("no password given; nothing was saved.")
    account = Account(
        name=args.name,
        url=args.url,
        user=args.user,
        output=args.output,
        allow_plain_http=args.allow_insecure_http,
    )
    try:
        if needs_plain_http_consent(account) and not _confirm_plain_http(account, args):
            return _fail(
                "not added: the password would travel unencrypted. Use the https:// address, "
                "or pass --allow-insecure-http to accept that for this blog."
            )
        replaced = next((a for a in load_accounts() if a.name == account.name), None)
        stored = save_account(account, password, replaced)  # no account without its password
    except errors.PublishError as error:
        return _fail(str(error))
    print(f"Added “{stored.name}” ({stored.user} at {stored.url}).")
    return 0


def _ask_yes(question: str) -> bool:
    """Ask a yes/no question on the terminal (no terminal: no)."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _confirm_plain_http(account: Account, args: argparse.Namespace) -> bool:
    """Ask whether the password may go over http:// (never when it comes from stdin)."""
    if args.password_stdin:
        return False
    return _ask_yes(plain_http_question(account.url))


def _blogs_list(_args: argparse.Namespace) -> int:
    """List the accounts (never their passwords)."""
    accounts = load_accounts()
    if not accounts:
        print("No blog accounts yet. Add one with: draftpress blogs add NAME --url URL --user USER")
    for account in accounts:
        print(f"{account.name}\t{account.kind}\t{account.url}\t{account.user}\t{account.output}")
    return 0


def _client_for(account: Account) -> WordPressClient:
    """Return a client logged in with the account's keyring password."""
    return client_for_account(account, read_password(account))


def _blogs_test(args: argparse.Namespace) -> int:
    """Find the API, log in and say what the account may do."""
    try:
        account = find_account(args.name)
        with _client_for(account) as client:
            report = check_connection(client)
    except errors.PublishError as error:
        return _fail(str(error))
    print(report.summary())
    return 0


def _blogs_remove(args: argparse.Namespace) -> int:
    """Remove an account and its keyring entry."""
    try:
        remove_account(args.name)
    except errors.PublishError as error:
        return _fail(str(error))
    print(f"Removed “{args.name}”.")
    return 0


def _publish(args: argparse.Namespace) -> int:
    """Publish a post file to its blog; when the blog is unreachable, queue it if asked."""
    path = Path(args.file)
    try:
        meta = load_post(path, args.encoding).meta()
        accounts = load_accounts()
        name = args.blog or meta.blog or (accounts[0].name if len(accounts) == 1 else "")
        if not name:
            return _fail("which blog? Add `blog: NAME` to the post or pass --blog NAME.")
        account = find_account(name, accounts)
        if args.merge:
            from editor.cli_merge import merge_file

            if args.overwrite or args.queue:
                return _fail("--merge publishes nothing: leave out --overwrite and --queue.")

            with _client_for(account) as client:
                return merge_file(path, account, client, args.encoding)
        request = request_for(
            account, path, args.status, overwrite=args.overwrite, encoding=args.encoding
        )
        result = publish_file(request, progress=print)
    except errors.EditedOnServer as error:
        return _fail(
            f"{error} Run again with --merge to bring the blog's changes into your file "
            "(nothing is published), or with --overwrite to replace them.",
            3,
        )
    except errors.UnverifiedRecord as error:
        return _fail(
            f"{error} It was not updated. Run again with --overwrite to update “{error.title}” "
            "with this file.",
            3,
        )
    except errors.PublishError as error:
        if not is_unreachable(error):
            return _fail(str(error))
        if not args.queue:
            return _fail(f"{error} Run again with --queue to send it when the blog answers.", 4)
        queue_publish(path, account.name, args.status, str(error), meta.title, args.encoding or "")
        print(f"queued: {error} `draftpress outbox send` sends it when the blog answers.")
        return 0
    except NotUtf8 as error:
        return _fail(f"{error} Pass --encoding {error.guess} to read it so.")
    except (PostFileError, LookupError) as error:
        return _fail(str(error))
    print(f"{result.status}: {result.link}")
    return 0


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Register `blogs` and `publish` on the top-level command parser."""
    blogs = commands.add_parser("blogs", help="manage blog accounts").add_subparsers(
        dest="blogs_command", required=True
    )
    add = blogs.add_parser("add", help="add or replace a blog account")
    add.add_argument("name")
    add.add_argument("--url", required=True, help="the blog's address, e.g. https://blog.example")
    add.add_argument("--user", required=True, help="your WordPress user name")
    add.add_argument("--output", choices=("auto", "blocks", "classic"), default="auto")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument(
        "--allow-insecure-http",
        action="store_true",
        help="accept that the password travels unencrypted to an http:// blog",
    )
    add.set_defaults(run=_blogs_add)
    blogs.add_parser("list", help="list the accounts").set_defaults(run=_blogs_list)
    test = blogs.add_parser("test", help="log in and report what the account may do")
    test.add_argument("name")
    test.set_defaults(run=_blogs_test)
    remove = blogs.add_parser("remove", help="remove an account and its password")
    remove.add_argument("name")
    remove.set_defaults(run=_blogs_remove)

    publish = commands.add_parser("publish", help="publish a post to its blog")
    publish.add_argument("file")
    publish.add_argument("--blog", help="the account to publish to (default: the post's blog)")
    publish.add_argument("--status", choices=STATUSES, help="override the post's status")
    publish.add_argument("--encoding", help="the file's encoding when it is not UTF-8, e.g. cp1252")
    publish.add_argument(
        "--overwrite", action="store_true", help="replace changes made on the blog since"
    )
    publish.add_argument(
        "--merge",
        action="store_true",
        help="bring the blog's changes into the file (saved, not published)",
    )
    publish.add_argument(
        "--queue", action="store_true", help="if the blog is unreachable, send it later"
    )
    publish.set_defaults(run=_publish)
    add_trust_parser(blogs)
    add_outbox_parsers(commands)
