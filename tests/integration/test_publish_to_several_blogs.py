"""One post on several blogs: two accounts on the real WordPress (the admin and the author).

Each blog keeps its own `remote:` record in the post; `draftpress publish --all-blogs` sends the
post to every blog it is on, one after another, each with its own outcome.
"""

from __future__ import annotations

import io
import socket

from editor.cli import main
from editor.core.post import load_post
from editor.publish.outbox import load_outbox
from editor.publish.remote_record import read_remote_record, recorded_blogs
from tests.integration.sample_posts import unique
from tests.integration.test_engine_wordpress import add_blog
from tests.integration.test_publish_wordpress import make_post


def two_blogs(wordpress, monkeypatch, capsys) -> None:
    assert add_blog(wordpress, monkeypatch, "first", "--engine", "wordpress") == 0
    assert add_blog(wordpress, monkeypatch, "second", "--engine", "wordpress", user="author") == 0
    capsys.readouterr()


def on_both(wordpress, tmp_path, capsys):
    path = make_post(tmp_path, unique("Two Blogs"))
    posts = wordpress.count_posts()
    assert main(["publish", str(path), "--blog", "first"]) == 0
    assert main(["publish", str(path), "--blog", "second"]) == 0
    capsys.readouterr()
    text = load_post(path).text
    first, second = read_remote_record(text, "first"), read_remote_record(text, "second")
    assert recorded_blogs(text) == ["first", "second"]
    assert first.id and second.id and first.id != second.id
    assert wordpress.count_posts() == posts + 2
    assert wordpress.get_post_raw(second.id)["author"] == wordpress.author_id
    return path, first, second


def test_each_blog_keeps_its_own_record_and_all_blogs_updates_both(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    two_blogs(wordpress, monkeypatch, capsys)
    path, first, second = on_both(wordpress, tmp_path, capsys)
    posts, media = wordpress.count_posts(), wordpress.count_media()
    path.write_text(path.read_text(encoding="utf-8") + "\nA later line.\n", encoding="utf-8")

    assert main(["publish", str(path), "--all-blogs"]) == 0

    out = capsys.readouterr().out
    assert "first: Published: http" in out and "second: Published: http" in out
    text = load_post(path).text
    assert read_remote_record(text, "first").id == first.id
    assert read_remote_record(text, "second").id == second.id
    assert (wordpress.count_posts(), wordpress.count_media()) == (posts, media)
    for post_id in (first.id, second.id):
        assert "A later line." in wordpress.get_post_raw(post_id)["content"]["raw"]


def test_a_failure_on_one_blog_does_not_stop_the_others(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    two_blogs(wordpress, monkeypatch, capsys)
    path, first, second = on_both(wordpress, tmp_path, capsys)
    edited = "<!-- wp:paragraph --><p>Edited there.</p><!-- /wp:paragraph -->"
    wordpress.edit_post_on_server(first.id, edited)
    path.write_text(path.read_text(encoding="utf-8") + "\nAnother line.\n", encoding="utf-8")

    assert main(["publish", str(path), "--all-blogs"]) == 3  # the first failure's code

    captured = capsys.readouterr()
    assert "first: This post was changed on the blog" in captured.err
    assert "second: Published: http" in captured.out
    assert "Another line." in wordpress.get_post_raw(second.id)["content"]["raw"]
    assert "Another line." not in wordpress.get_post_raw(first.id)["content"]["raw"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def test_an_unreachable_blog_goes_to_the_outbox_and_the_other_is_published(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    two_blogs(wordpress, monkeypatch, capsys)
    path, first, _second = on_both(wordpress, tmp_path, capsys)
    # "second" moves to an address where nothing answers (added again: the keyring entry goes
    # with the address)
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.author_app_password + "\n"))
    dead = f"http://127.0.0.1:{closed_port()}"
    add = ["blogs", "add", "second", "--url", dead, "--user", wordpress.author_user]
    assert main([*add, "--password-stdin", "--engine", "wordpress"]) == 0
    path.write_text(path.read_text(encoding="utf-8") + "\nOffline line.\n", encoding="utf-8")

    assert main(["publish", str(path), "--all-blogs", "--queue"]) == 0

    out = capsys.readouterr().out
    assert "first: Published: http" in out and "second: queued:" in out
    assert [entry.account for entry in load_outbox()] == ["second"]
    assert "Offline line." in wordpress.get_post_raw(first.id)["content"]["raw"]


def test_all_blogs_on_a_post_that_is_on_no_blog_says_what_to_do(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    two_blogs(wordpress, monkeypatch, capsys)
    path = make_post(tmp_path, unique("Nowhere Yet"))
    assert main(["publish", str(path), "--all-blogs"]) == 1
    assert "not on any blog yet" in capsys.readouterr().err


def test_a_post_on_a_rest_blog_also_goes_to_an_xmlrpc_blog_and_keeps_both_records(
    wordpress, memory_keyring, monkeypatch, capsys, tmp_path
) -> None:
    # Two engines, one real server: the post keeps one record per blog whatever each speaks.
    assert add_blog(wordpress, monkeypatch, "rest", "--engine", "wordpress") == 0
    assert add_blog(wordpress, monkeypatch, "rpc", "--engine", "xmlrpc", user="author") == 0
    capsys.readouterr()
    path = make_post(tmp_path, unique("Two Engines"))
    posts = wordpress.count_posts()
    assert main(["publish", str(path), "--blog", "rest"]) == 0
    assert main(["publish", str(path), "--blog", "rpc"]) == 0, capsys.readouterr().err
    text = load_post(path).text
    assert recorded_blogs(text) == ["rest", "rpc"]
    rest, rpc = read_remote_record(text, "rest"), read_remote_record(text, "rpc")
    assert rest.id and rpc.id and rest.id != rpc.id
    assert wordpress.count_posts() == posts + 2
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert main(["publish", str(path), "--all-blogs"]) == 0, capsys.readouterr().err
    assert wordpress.count_posts() == posts + 2  # both updated, neither duplicated
    for post_id in (rest.id, rpc.id):
        assert "One more line." in wordpress.get_post_raw(post_id)["content"]["raw"]
