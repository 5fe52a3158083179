"""`draftpress pull` and `publish --merge` say plainly when a blog's engine cannot read posts back.

Every engine Draftpress has can pull, so the engine that cannot is a stand-in registered for
the test (tests/gui/test_engine_fields.py's NoPullEngine: the real case does not exist yet).
"""

from __future__ import annotations

from editor.cli import main
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.engines.base import MICROPUB
from editor.publish.remote_record import RemoteRecord, with_remote_record
from tests.gui.test_engine_fields import token_engine

__all__ = ["token_engine"]


def add_account() -> Account:
    account = upsert_account(Account("notes", "https://notes.example", "", kind=MICROPUB))
    store_password(account, "token")
    return account


def test_pull_says_the_engine_cannot_read_posts_back(token_engine, memory_keyring, capsys):
    add_account()
    assert main(["pull", "--blog", "notes", "--list"]) == 1
    err = capsys.readouterr().err
    assert "cannot read posts back from “notes”" in err and "does not offer it" in err
    assert main(["pull", "https://notes.example/1", "--blog", "notes"]) == 1


def test_merge_says_the_engine_cannot_read_posts_back(
    token_engine, memory_keyring, capsys, tmp_path
):
    add_account()
    path = tmp_path / "post.md"
    text = "---\ntitle: Hi\nblog: notes\n---\n\nWords.\n"
    path.write_text(with_remote_record(text, RemoteRecord(blog="notes", id="https://n/1")))
    assert main(["publish", str(path), "--merge"]) == 1
    assert "cannot read posts back from “notes”" in capsys.readouterr().err
