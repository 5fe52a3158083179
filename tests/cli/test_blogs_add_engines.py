"""`draftpress blogs add`: the engine from the address or --engine, and only its credential.

Only WordPress is written in this branch: the token engine here is a stand-in registered for
the test (a fake where the real engine does not exist yet). Detection of the real servers is in
tests/integration/engines/test_contract.py; `blogs add` against the real WordPress in
tests/integration/test_engine_wordpress.py.
"""

from __future__ import annotations

import io

import pytest

from editor.cli import main
from editor.cli.common import ExitCode
from editor.publish.accounts import load_accounts
from editor.publish.engines import registry
from editor.publish.engines.base import MICROPUB, Credential
from tests.local_page import serve_page


@pytest.fixture
def token_engine(monkeypatch):
    spec = registry.EngineSpec(
        MICROPUB, "Micropub", Credential("Token", needs_user=False), "unused:opener"
    )
    monkeypatch.setitem(registry.ENGINES, MICROPUB, spec)


def test_a_token_engine_takes_its_token_on_stdin_and_no_user(
    token_engine, memory_keyring, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("the-token\n"))
    argv = ["blogs", "add", "notes", "--url", "https://notes.example", "--engine", "micropub"]

    assert main([*argv, "--token-stdin"]) == 0

    assert "Added “notes” (Micropub: https://notes.example)." in capsys.readouterr().out
    [account] = load_accounts()
    assert (account.kind, account.user) == (MICROPUB, "")
    assert list(memory_keyring.store.values()) == ["the-token"]


def test_wordpress_needs_a_user_name(memory_keyring, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    argv = ["blogs", "add", "wp", "--url", "https://wp.example", "--engine", "wordpress"]

    assert main([*argv, "--password-stdin"]) == ExitCode.USAGE

    assert "pass --user USER" in capsys.readouterr().err
    assert load_accounts() == [] and memory_keyring.store == {}


def test_an_address_that_is_no_blog_saves_nothing_and_names_engine(
    memory_keyring, monkeypatch, capsys
) -> None:
    with serve_page(monkeypatch, "<html><head><title>Hi</title></head></html>", "/") as url:
        monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
        argv = ["blogs", "add", "x", "--url", url, "--user", "ada", "--password-stdin"]
        assert main(argv) == 1
    error = capsys.readouterr().err
    assert "found no blog it can publish to" in error and "--engine KIND" in error
    assert load_accounts() == [] and memory_keyring.store == {}
