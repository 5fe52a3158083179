"""Blog accounts: name, site and user in a config file; the password only in the OS keyring."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from editor.core.atomic_file import atomic_write_bytes
from editor.core.settings import config_dir
from editor.publish.engines.base import GHOST, MICROPUB, WORDPRESS, XMLRPC
from editor.publish.errors import KeyringUnavailable, PublishError

if TYPE_CHECKING:  # answers brings httpx; the window lists accounts without it
    from editor.publish.answers import JsonObject

# keyring (about 0.1 s to import) is imported where a password is read, stored or removed:
# listing the accounts, which the window does at start-up, never needs it.

log = logging.getLogger(__name__)

ACCOUNTS_FILE = "accounts.json"
KEYRING_SERVICE = "Draftpress"
# The engine kinds an account may name (editor.publish.engines.base); the registry says which
# of them this Draftpress can open.
KINDS = (WORDPRESS, GHOST, MICROPUB, XMLRPC)
OUTPUTS = ("auto", "blocks", "classic")
KEYRING_HELP = (
    "Draftpress keeps blog passwords only in your system's keyring, and none is available. "
    "On Linux, install and start a Secret Service (GNOME Keyring or KeePassXC); on Windows "
    "and macOS the system keyring is used automatically."
)


class AccountError(PublishError):
    """An account that cannot be added, found or changed."""


@dataclass(frozen=True)
class Account:
    """One blog the writer publishes to."""

    name: str
    url: str
    user: str
    kind: str = "wordpress"
    output: str = "auto"  # block markup or classic HTML; "auto" asks the site
    allow_plain_http: bool = False  # the writer agreed to send the password over http://
    # A certificate the writer trusts for this account only (self-signed): its SHA-256
    # fingerprint and PEM text. Public data, so it lives in the accounts file.
    pinned_sha256: str = ""
    pinned_pem: str = ""

    @property
    def keyring_user(self) -> str:
        """Return the keyring entry's user name: unique per account, readable in keyring tools."""
        return f"{self.name}:{self.user}@{self.url}"


def accounts_path() -> Path:
    """Return the accounts config file's path."""
    return config_dir() / ACCOUNTS_FILE


def load_accounts() -> list[Account]:
    """Read the accounts file (no file: no accounts)."""
    try:
        raw = json.loads(accounts_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        raise AccountError(f"Cannot read the accounts file {accounts_path()}: {error}") from error
    accounts = []
    for entry in raw.get("accounts", []) if isinstance(raw, dict) else []:
        if isinstance(entry, dict) and {"name", "url", "user"} <= entry.keys():
            accounts.append(_account_from(entry))
    return accounts


def _account_from(entry: JsonObject) -> Account:
    """Build an Account from one JSON entry (unknown keys dropped, flags read as booleans)."""
    values: dict[str, Any] = {}  # each a bool or a str, as its field is
    for spec in fields(Account):
        if spec.name in entry:
            value = entry[spec.name]
            values[spec.name] = value is True if spec.type == "bool" else str(value)
    return Account(**values)


def save_accounts(accounts: list[Account]) -> None:
    """Write the accounts file atomically (no passwords in it, ever)."""
    path = accounts_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"accounts": [asdict(account) for account in accounts]}
    atomic_write_bytes(path, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def normalize_url(url: str) -> str:
    """Return a site URL with a scheme and no trailing slash."""
    url = url.strip()
    if url and "://" not in url:
        url = "https://" + url
    return url.rstrip("/")


def find_account(name: str, accounts: list[Account] | None = None) -> Account:
    """Return the account called `name`, or raise AccountError naming the ones there are."""
    accounts = load_accounts() if accounts is None else accounts
    for account in accounts:
        if account.name == name:
            return account
    names = ", ".join(a.name for a in accounts) or "none yet"
    raise AccountError(f"There is no blog account called “{name}” (accounts: {names}).")


def upsert_account(account: Account) -> Account:
    """Add the account or replace the one with the same name; return it as stored."""
    if not account.name.strip():
        raise AccountError("Give the account a name, e.g. “my blog”.")
    if account.kind not in KINDS:
        raise AccountError(f"Draftpress cannot publish to “{account.kind}” blogs yet.")
    account = replace(
        account,
        name=account.name.strip(),
        url=normalize_url(account.url),
        user=account.user.strip(),
        output=account.output if account.output in OUTPUTS else "auto",
    )
    if not account.url.startswith(("http://", "https://")):
        raise AccountError("The site address must start with https:// (or http://).")
    others = [a for a in load_accounts() if a.name != account.name]
    save_accounts([*others, account])
    return account


class AccountChanges(TypedDict, total=False):
    """The fields of a stored account that `update_account` may change."""

    url: str
    user: str
    kind: str
    output: str
    allow_plain_http: bool
    pinned_sha256: str
    pinned_pem: str


def update_account(name: str, **changes: Unpack[AccountChanges]) -> Account:
    """Change some fields of a stored account (e.g. a pinned certificate); return it."""
    accounts = load_accounts()
    updated = replace(find_account(name, accounts), **changes)
    save_accounts([updated if a.name == name else a for a in accounts])
    return updated


def remove_account(name: str) -> None:
    """Remove an account and its password from the keyring."""
    accounts = load_accounts()
    account = find_account(name, accounts)
    save_accounts([a for a in accounts if a.name != name])
    import keyring.errors

    try:
        keyring.delete_password(KEYRING_SERVICE, account.keyring_user)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as error:
        log.warning("could not remove the password of %s from the keyring: %s", name, type(error))


def _check_backend() -> None:
    """Refuse keyrings that cannot keep a secret (none at all, or a plain-text file)."""
    import keyring

    backend = keyring.get_keyring()
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail") or module.startswith("keyrings.alt"):
        raise KeyringUnavailable(KEYRING_HELP)
    if getattr(backend, "priority", 1) <= 0 and not module.startswith("keyring.backends.chainer"):
        raise KeyringUnavailable(KEYRING_HELP)


def store_password(account: Account, password: str) -> None:
    """Put the account's application password in the OS keyring."""
    _check_backend()
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, account.keyring_user, password)
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(
            f"The keyring refused to store the password ({type(error).__name__}). {KEYRING_HELP}"
        ) from None


def read_password(account: Account) -> str:
    """Return the account's password from the keyring (AccountError when none is stored)."""
    _check_backend()
    import keyring.errors

    try:
        password = keyring.get_password(KEYRING_SERVICE, account.keyring_user)
    except keyring.errors.KeyringError as error:
        raise KeyringUnavailable(
            f"The keyring could not be read ({type(error).__name__}). {KEYRING_HELP}"
        ) from None
    if not password:
        raise AccountError(
            f"No password is stored for “{account.name}”. Edit the account and enter its "
            "application password again."
        )
    return password
