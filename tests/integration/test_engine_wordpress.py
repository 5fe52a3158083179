"""What only the WordPress engine does, against the real WordPress. The steps every engine
shares (publish, read back, republish, conflicts, lost answers, pull, listing, check,
detection) are the contract: tests/integration/engines/test_contract.py.

Here: the RSD document behind the REST API, the engine's own capabilities and login report,
WordPress's numeric ids in the record, and `draftpress blogs add` finding the engine by itself.
"""

from __future__ import annotations

import io

from editor.cli import main
from editor.core.post import load_post
from editor.publish.accounts import Account, find_account
from editor.publish.engines import detect
from editor.publish.engines.base import WORDPRESS
from editor.publish.engines.registry import open_engine
from editor.publish.engines.wordpress import CAPABILITIES, WordPressEngine
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.remote_record import read_remote_record
from tests.integration.sample_posts import unique
from tests.integration.test_publish_wordpress import make_post


def account_for(wordpress, name: str = "wp") -> Account:
    return Account(
        name=name, url=wordpress.url, user=wordpress.admin_user, kind=WORDPRESS, output="blocks"
    )


def test_the_real_wordpress_names_its_xmlrpc_endpoint_in_its_rsd_document(wordpress) -> None:
    # Both APIs are found (the contract's detection test); REST wins, XML-RPC is behind RSD.
    with detect.SiteProbe(wordpress.url) as probe:
        assert detect.rsd_api_link(probe).endswith("/xmlrpc.php")


def test_the_engine_reports_what_the_account_may_do(wordpress) -> None:
    with open_engine(account_for(wordpress), wordpress.admin_app_password) as engine:
        assert isinstance(engine, WordPressEngine) and engine.capabilities() == CAPABILITIES
        report = engine.check()
    assert "Logged in as" in report.summary() and "Publish posts: yes" in report.summary()


def test_the_record_keeps_wordpress_numbers_as_ints(wordpress, memory_keyring, tmp_path) -> None:
    account = account_for(wordpress)
    path = make_post(tmp_path, unique("Numbered"))
    result = publish_file(request_for(account, path), password=wordpress.admin_app_password)
    assert isinstance(result.record.id, int)
    assert read_remote_record(load_post(path).text, "wp").id == result.record.id


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
