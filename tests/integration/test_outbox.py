"""The outbox against the real WordPress: a blog that does not answer (a closed port, a real
refused connection), then answers (a proxy to WordPress started on that very port)."""

from __future__ import annotations

import json

from editor.cli import main
from editor.core.post import load_post
from editor.publish.outbox import load_outbox, outbox_path
from editor.publish.remote_record import read_remote_record
from tests.integration.reverse_proxy import ReverseProxy
from tests.integration.sample_posts import unique
from tests.integration.test_tls_and_plain_http import add_blog, simple_post
from tests.publish.test_outbox import closed_port


def posts_titled(wordpress, title: str) -> list[dict]:
    """Return the blog's posts (any status) whose title is exactly `title`."""
    found = wordpress.request(
        "GET",
        "wp/v2/posts",
        params={"search": title, "status": "any", "context": "edit", "per_page": 20},
    ).json()
    return [post for post in found if post["title"]["raw"] == title]


def test_cli_queues_only_when_asked_and_sends_once_the_blog_answers(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    port = closed_port()
    assert add_blog(wordpress, monkeypatch, "later", f"http://127.0.0.1:{port}") == 0
    title = unique("Written on a train")
    path = simple_post(tmp_path, title)

    assert main(["publish", str(path), "--blog", "later"]) == 4
    assert "--queue" in capsys.readouterr().err
    assert load_outbox() == []
    assert main(["publish", str(path), "--blog", "later", "--status", "publish", "--queue"]) == 0
    assert "queued" in capsys.readouterr().out
    [entry] = load_outbox()
    assert (entry.path, entry.account, entry.status) == (str(path), "later", "publish")
    assert "could not be reached" in entry.last_error
    assert wordpress.admin_app_password not in outbox_path().read_text("utf-8")
    assert main(["outbox"]) == 0
    assert path.name in capsys.readouterr().out

    assert main(["outbox", "send"]) == 4  # still closed: it stays, with its attempt noted
    assert load_outbox()[0].attempts == 2

    with ReverseProxy(wordpress.url, port=port):
        capsys.readouterr()
        assert main(["outbox", "send"]) == 0
    assert "Published: http" in capsys.readouterr().out
    assert load_outbox() == []
    [post] = posts_titled(wordpress, title)
    assert post["status"] == "publish"
    assert read_remote_record(load_post(path).text, "later").id == post["id"]


def test_cli_cancel_takes_an_entry_out(wordpress, memory_keyring, monkeypatch, tmp_path) -> None:
    assert add_blog(wordpress, monkeypatch, "down", f"http://127.0.0.1:{closed_port()}") == 0
    first = simple_post(tmp_path, unique("First"))
    second = simple_post(tmp_path, unique("Second"))
    for path in (first, second):
        assert main(["publish", str(path), "--blog", "down", "--queue"]) == 0
    assert main(["outbox", "cancel", "3"]) == 1
    assert main(["outbox", "cancel", "1"]) == 0
    assert [e.path for e in load_outbox()] == [str(second)]
    assert json.loads(outbox_path().read_text("utf-8"))["entries"][0]["path"] == str(second)
