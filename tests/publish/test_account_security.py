"""What an account remembers about trust (http:// consent, a pinned certificate) and the rules."""

from __future__ import annotations

import json

import pytest

from editor.publish import errors
from editor.publish.account_client import client_for_account, needs_plain_http_consent
from editor.publish.accounts import (
    Account,
    accounts_path,
    find_account,
    load_accounts,
    update_account,
    upsert_account,
)
from editor.publish.certificates import normalize_fingerprint


def test_trust_decisions_are_stored_with_the_account_and_read_back_as_they_were() -> None:
    upsert_account(Account("home", "https://nas.local", "ada"))
    update_account("home", pinned_sha256="AB:CD", pinned_pem="PEM", allow_plain_http=True)
    stored = json.loads(accounts_path().read_text("utf-8"))["accounts"][0]
    assert stored["allow_plain_http"] is True and stored["pinned_sha256"] == "AB:CD"
    assert find_account("home") == Account(
        "home", "https://nas.local", "ada", allow_plain_http=True,
        pinned_sha256="AB:CD", pinned_pem="PEM",
    )  # fmt: skip


def test_only_a_real_true_counts_as_consent() -> None:
    accounts_path().parent.mkdir(parents=True, exist_ok=True)
    entry = {"name": "x", "url": "http://blog.example", "user": "ada"}
    accounts_path().write_text(json.dumps({"accounts": [{**entry, "allow_plain_http": "yes"}]}))
    assert load_accounts()[0].allow_plain_http is False


@pytest.mark.parametrize(
    ("url", "allowed", "needs"),
    [
        ("http://blog.example", False, True),
        ("http://blog.example", True, False),
        ("https://blog.example", False, False),
        ("http://127.0.0.2:8080", False, False),  # all of 127.0.0.0/8 is this machine
        ("http://[::1]:8080", False, False),
        ("http://localhost", False, False),
        ("http://127.0.0.1.nip.io", False, True),  # a name, not this machine
    ],
)
def test_which_addresses_need_consent(url: str, allowed: bool, needs: bool) -> None:
    assert needs_plain_http_consent(Account("b", url, "ada", allow_plain_http=allowed)) is needs


def test_plain_http_without_consent_is_refused_before_a_client_exists() -> None:
    with pytest.raises(errors.PlainHttpRefused, match="unencrypted"):
        client_for_account(Account("b", "http://blog.example", "ada"), "secret")


def test_typed_fingerprints_are_normalized() -> None:
    assert normalize_fingerprint("ab cd:EF") == "AB:CD:EF"
    assert normalize_fingerprint("SHA256:abcd") == "AB:CD"
