"""Accounts live in the config file; their passwords only in the keyring."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backends import fail

from editor.publish import errors
from editor.publish.accounts import (
    Account,
    AccountError,
    accounts_path,
    find_account,
    load_accounts,
    read_password,
    remove_account,
    store_password,
    upsert_account,
)

SECRET = "abcd EFGH ijkl MNOP qrst UVWX"


def test_an_added_account_is_in_the_config_file_and_its_password_only_in_the_keyring(
    memory_keyring,
) -> None:
    account = upsert_account(Account("my blog", "blog.example/", "ada"))
    store_password(account, SECRET)
    assert account.url == "https://blog.example"
    text = accounts_path().read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["accounts"][0]["user"] == "ada"
    assert read_password(find_account("my blog")) == SECRET
    assert list(memory_keyring.store.values()) == [SECRET]


def test_replacing_an_account_keeps_one_entry(memory_keyring) -> None:
    upsert_account(Account("blog", "https://a.example", "ada"))
    upsert_account(Account("blog", "https://b.example", "bob"))
    assert [(a.url, a.user) for a in load_accounts()] == [("https://b.example", "bob")]


def test_removing_an_account_forgets_its_password(memory_keyring) -> None:
    account = upsert_account(Account("blog", "https://a.example", "ada"))
    store_password(account, SECRET)
    remove_account("blog")
    assert load_accounts() == []
    assert memory_keyring.store == {}


def test_an_unknown_account_is_named_with_the_ones_there_are(memory_keyring) -> None:
    upsert_account(Account("work", "https://a.example", "ada"))
    with pytest.raises(AccountError, match="work"):
        find_account("home")


def test_a_missing_password_says_to_enter_it_again(memory_keyring) -> None:
    account = upsert_account(Account("blog", "https://a.example", "ada"))
    with pytest.raises(AccountError, match="No password is stored"):
        read_password(account)


def test_without_a_keyring_nothing_falls_back_to_plain_text(isolated_home) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        account = upsert_account(Account("blog", "https://a.example", "ada"))
        with pytest.raises(errors.KeyringUnavailable, match="keyring"):
            store_password(account, SECRET)
    finally:
        keyring.set_keyring(previous)
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace")


def test_a_site_address_without_http_is_refused_when_it_has_a_wrong_scheme(memory_keyring) -> None:
    with pytest.raises(AccountError, match="https://"):
        upsert_account(Account("blog", "ftp://a.example", "ada"))
