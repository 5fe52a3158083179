"""The WordPress engine behind the blog engine interface, against the real WordPress.

Also engine detection from the real site's address (it speaks both the REST API and XML-RPC),
and `draftpress blogs add` finding the engine by itself.
"""

from __future__ import annotations

import io

import pytest

from editor.cli import main
from editor.core.post import load_post
from editor.publish import errors
from editor.publish.accounts import Account, find_account
from editor.publish.engines import detect
from editor.publish.engines.base import WORDPRESS, XMLRPC
from editor.publish.engines.registry import open_engine
from editor.publish.engines.wordpress import CAPABILITIES, WordPressEngine
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.remote_record import read_remote_record
from tests.integration.test_publish_wordpress import make_post, unique


def account_for(wordpress, name: str = "wp", user: str = "admin") -> Account:
    login = wordpress.admin_user if user == "admin" else wordpress.author_user
    return Account(name=name, url=wordpress.url, user=login, kind=WORDPRESS, output="blocks")


def test_the_real_wordpress_is_detected_as_rest_first_and_xmlrpc_too(wordpress) -> None:
    # WordPress announces its REST API in a Link header and its XML-RPC endpoint through the RSD
    # document behind <link rel="EditURI">: both are found, and REST wins (it is first in
    # ORDER: pages, pull, featured images and modification dates that XML-RPC lacks).
    found = detect.detect_engines(wordpress.url)
    assert found.found == [WORDPRESS, XMLRPC]
    assert found.kind == WORDPRESS == detect.detect_engine(wordpress.url)
    with detect.SiteProbe(wordpress.url) as probe:
        assert detect.rsd_api_link(probe).endswith("/xmlrpc.php")


def test_check_with_the_right_and_a_wrong_secret(wordpress) -> None:
    account = account_for(wordpress)
    with open_engine(account, wordpress.admin_app_password) as engine:
        assert isinstance(engine, WordPressEngine) and engine.capabilities() == CAPABILITIES
        report = engine.check()
    assert report.can_publish and report.can_upload
    assert "Logged in as" in report.summary() and "Publish posts: yes" in report.summary()
    with (
        open_engine(account, "wrong wrong wrong wrong") as engine,
        pytest.raises(errors.WrongCredentials) as refused,
    ):
        engine.check()
    assert "application password" in str(refused.value).lower()


def test_publish_read_back_and_list_through_the_engine(wordpress, memory_keyring, tmp_path) -> None:
    account = account_for(wordpress)
    path = make_post(tmp_path, unique("Through the Engine"))
    posts, media = wordpress.count_posts(), wordpress.count_media()
    result = publish_file(request_for(account, path), password=wordpress.admin_app_password)
    assert result.created and result.uploaded == 2
    assert isinstance(result.record.id, int)  # WordPress keeps its numbers as ints
    assert read_remote_record(load_post(path).text, "wp").id == result.record.id
    again = publish_file(request_for(account, path), password=wordpress.admin_app_password)
    assert not again.created and again.uploaded == 0 and again.reused == 2
    assert (wordpress.count_posts(), wordpress.count_media()) == (posts + 1, media + 2)
    with open_engine(account, wordpress.admin_app_password) as engine:
        remote = engine.read_post(str(result.record.id))
        listed = engine.list_posts(search=remote.title)
    assert remote.id == str(result.record.id) and "first.png" not in remote.html
    assert remote.title.startswith("Through the Engine") and remote.status == "publish"
    assert [item.id for item in listed.items] == [remote.id]


def add_blog(wordpress, monkeypatch, name: str, *extra: str, user: str = "admin") -> int:
    """`draftpress blogs add` (no --engine: detected) with the application password on stdin."""
    login, secret = (
        (wordpress.admin_user, wordpress.admin_app_password)
        if user == "admin"
        else (wordpress.author_user, wordpress.author_app_password)
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    argv = ["blogs", "add", name, "--url", wordpress.url, "--user", login, "--password-stdin"]
    return main([*argv, "--output", "blocks", *extra])


def test_blogs_add_detects_wordpress_and_blogs_test_checks_through_the_engine(
    wordpress, memory_keyring, monkeypatch, capsys
) -> None:
    assert add_blog(wordpress, monkeypatch, "found") == 0
    assert f"{wordpress.url} is a WordPress blog." in capsys.readouterr().out
    assert find_account("found").kind == WORDPRESS
    assert main(["blogs", "test", "found"]) == 0
    assert "Publish posts: yes" in capsys.readouterr().out
