"""The Qt-free publishing service: account saving with rollback, the publish journal's rules,
outcomes and the outbox claim (real files in a temporary config and data folder)."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from editor.publish import errors
from editor.publish.account_saving import save_account
from editor.publish.accounts import Account, AccountError, load_accounts, read_password
from editor.publish.error_messages import describe_error
from editor.publish.outbox import claim_sending, load_outbox, queue_publish
from editor.publish.outbox_sending import OutboxBusy, claim_entry, settle_entry
from editor.publish.publish_journal import RESTORED, RESUMED, keep_in_journal, text_for_publish
from editor.publish.publishing_service import PublishOutcome, outcome_of
from editor.publish.remote_record import RemoteRecord, read_remote_record, with_remote_record

SECRET = "abcd EFGH ijkl MNOP qrst UVWX"
TEXT = "---\ntitle: A post\n---\n\nWords.\n"


def test_an_account_the_keyring_refuses_is_not_kept(isolated_home) -> None:
    before = load_accounts()
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(errors.KeyringUnavailable):
            save_account(Account("blog", "https://a.example", "ada"), SECRET)
    finally:
        keyring.set_keyring(previous)
    assert load_accounts() == before


def test_replacing_an_account_moves_nothing_stale_and_keeps_one(memory_keyring) -> None:
    first = save_account(Account("blog", "https://a.example", "ada"), SECRET)
    with pytest.raises(AccountError, match="already an account"):
        save_account(Account("blog", "https://b.example", "bob"), "other")
    second = save_account(Account("blog", "https://b.example", "bob"), "other", first)
    assert [a.name for a in load_accounts()] == ["blog"]
    assert read_password(second) == "other"
    with pytest.raises(AccountError):
        read_password(first)  # the replaced account's keyring entry is gone


def test_an_unknown_error_is_described_without_its_text_or_the_password() -> None:
    assert "secret" not in describe_error(ValueError("secret"))
    assert SECRET not in describe_error(errors.PublishError(f"bad {SECRET}"), SECRET)


def test_outcomes_of_errors() -> None:
    assert outcome_of(errors.Unreachable("down")) == PublishOutcome.QUEUED == "queued"
    assert outcome_of(errors.Cancelled("no")) == PublishOutcome.CANCELLED
    assert outcome_of(errors.EditedOnServer("x", "", None)) == PublishOutcome.CONFLICT
    assert outcome_of(errors.PublishError("x")) == PublishOutcome.FAILED


def test_the_journal_wins_while_a_create_is_in_flight(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    keep_in_journal(path, RemoteRecord(blog="b", pending_create={"title": "A post"}))
    text, why = text_for_publish(TEXT, path, "b")
    assert why == RESUMED and read_remote_record(text, "b").pending_create == {"title": "A post"}
    assert text_for_publish(TEXT, tmp_path / "other.md", "b") == (TEXT, "")
    assert text_for_publish(TEXT, path, "another blog") == (TEXT, "")


def test_a_lost_record_is_restored_but_the_file_wins_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    keep_in_journal(path, RemoteRecord(blog="b", id=7, url="https://b/7"))
    text, why = text_for_publish(TEXT, path, "b")
    assert why == RESTORED and read_remote_record(text, "b").id == 7
    newer = with_remote_record(TEXT, RemoteRecord(blog="b", id=7, url="https://b/new"))
    assert text_for_publish(newer, path, "b") == (newer, "")  # a pull or merge wrote it


def test_only_one_sender_claims_the_outbox_and_a_settled_entry_is_not_sent_again(
    tmp_path: Path,
) -> None:
    entry = queue_publish(tmp_path / "post.md", "b", None, "down")
    other = claim_sending()  # another Draftpress sending
    assert other is not None
    with pytest.raises(OutboxBusy):
        claim_entry(entry.id)
    other.release()
    claim = claim_entry(entry.id)
    assert claim is not None and claim.entry.id == entry.id
    assert settle_entry(entry.id, PublishOutcome.QUEUED, "still down")
    assert load_outbox()[0].attempts == 2
    assert not settle_entry(entry.id, PublishOutcome.PUBLISHED)
    claim.release()
    assert claim_entry(entry.id) is None  # sent meanwhile: nothing to send
