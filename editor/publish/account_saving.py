"""Saving a blog account: the accounts file and the keyring change together or not at all."""

from __future__ import annotations

import logging

import keyring
import keyring.errors

from editor.publish.accounts import (
    KEYRING_SERVICE,
    Account,
    AccountError,
    load_accounts,
    read_password,
    save_accounts,
    store_password,
    upsert_account,
)
from editor.publish.errors import PublishError

log = logging.getLogger(__name__)


def save_account(account: Account, password: str, original: Account | None = None) -> Account:
    """Store an added or edited account; the password (if given) goes only to the keyring.

    An empty password when editing keeps the stored one (moved along if the account's name,
    site or user changed). When the keyring refuses, the accounts file is put back as it was
    and the error is raised: the account is never kept half-saved (nor without its password).
    `original` is the account being edited (None: a new one, which replaces one of its name
    only when the caller passes that one as `original`).
    """
    accounts = load_accounts()
    name = account.name.strip()
    if any(a.name == name for a in accounts) and (original is None or original.name != name):
        raise AccountError(f"There is already an account called “{name}”. Choose another name.")
    if original is None and not password:
        raise AccountError(
            "Enter the application password (WordPress: Users > Profile > Application Passwords)."
        )
    stored = upsert_account(account)  # validates and normalizes; appends or replaces by name
    # Keep the list's order: an edited account stays where it was, a new one goes last.
    ordered = [stored if original and a.name == original.name else a for a in accounts]
    if not any(a is stored for a in ordered):
        ordered.append(stored)
    save_accounts([a for a in ordered if a is stored or a.name != stored.name])
    moved = original is not None and original.keyring_user != stored.keyring_user
    try:
        if password:
            store_password(stored, password)
        elif moved and original is not None:
            try:
                kept = read_password(original)
            except AccountError:
                kept = ""  # there was none: the account stays without one, as before
            if kept:
                store_password(stored, kept)
    except PublishError:
        save_accounts(accounts)
        raise
    if moved and original is not None:
        try:
            keyring.delete_password(KEYRING_SERVICE, original.keyring_user)
        except keyring.errors.KeyringError as error:
            log.info("old keyring entry of %s not removed: %s", original.name, type(error).__name__)
    log.info("saved account %s", stored.name)
    return stored
