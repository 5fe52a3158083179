"""The publish journal against the real WordPress: a publish that dies after the blog created
the post, before anything learned of it, never makes a second post on the next publish."""

from __future__ import annotations

import pytest

from editor.cli import main
from editor.core.post import load_post
from editor.publish.remote_record import read_remote_record
from editor.publish.wordpress_client import WordPressClient
from tests.integration.sample_posts import unique
from tests.integration.test_outbox import posts_titled
from tests.integration.test_tls_and_plain_http import add_blog, simple_post


class Crash(BaseException):
    """Draftpress dying (killed, power cut) right after the blog created the post."""


def test_a_crash_after_the_create_does_not_duplicate_on_the_next_publish(
    wordpress, memory_keyring, monkeypatch, tmp_path
) -> None:
    assert add_blog(wordpress, monkeypatch, "journal", wordpress.url) == 0
    title = unique("Created then crashed")
    path = simple_post(tmp_path, title)
    before = path.read_bytes()
    create = WordPressClient.create_post

    def create_then_crash(self, *args, **kwargs):
        create(self, *args, **kwargs)  # the blog has the post now…
        raise Crash  # …and the process dies before it hears of it

    with monkeypatch.context() as patch:
        patch.setattr(WordPressClient, "create_post", create_then_crash)
        with pytest.raises(Crash):
            main(["publish", str(path), "--blog", "journal"])
    assert len(posts_titled(wordpress, title)) == 1
    # The editor still holding the text from before the publish saves it over the file (or
    # the writer presses Undo): whatever the file held about the publish is gone.
    path.write_bytes(before)

    assert main(["publish", str(path), "--blog", "journal"]) == 0

    [post] = posts_titled(wordpress, title)
    assert read_remote_record(load_post(path).text, "journal").id == post["id"]
