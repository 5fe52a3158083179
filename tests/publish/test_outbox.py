"""The outbox file: entries kept once per post and blog, atomically written, never a password."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from editor.publish import errors
from editor.publish.account_client import blog_answers, client_for_account
from editor.publish.accounts import Account
from editor.publish.outbox import (
    is_unreachable,
    load_outbox,
    note_attempt,
    outbox_path,
    queue_publish,
    remove_entry,
    waiting_text,
)


def closed_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on (a real refused connection)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_queued_publish_is_kept_once_per_post_and_blog(tmp_path) -> None:
    post = tmp_path / "post.md"
    first = queue_publish(post, "my blog", None, "could not be reached")
    again = queue_publish(post, "my blog", "publish", "still not")
    other = queue_publish(post, "other blog", None, "no")
    entries = load_outbox()
    assert [e.id for e in entries] == [first.id, other.id]
    assert entries[0].status == "publish" and entries[0].attempts == 2
    assert entries[0].last_error == "still not" and entries[0].queued_at == first.queued_at
    assert again.id == first.id and entries[0].path == str(post.absolute())
    note_attempt(first.id, "third try")
    assert load_outbox()[0].attempts == 3
    assert remove_entry(first.id) and not remove_entry(first.id)
    assert [e.account for e in load_outbox()] == ["other blog"]
    assert json.loads(outbox_path().read_text("utf-8"))["entries"][0]["account"] == "other blog"


def test_a_broken_outbox_file_reads_as_empty() -> None:
    outbox_path().parent.mkdir(parents=True, exist_ok=True)
    outbox_path().write_text("{not json", "utf-8")
    assert load_outbox() == []


def test_waiting_text() -> None:
    assert waiting_text(1) == "1 post waiting to publish"
    assert waiting_text(3) == "3 posts waiting to publish"


def test_a_refused_connection_is_unreachable_and_the_probe_says_no() -> None:
    account = Account("down", f"http://127.0.0.1:{closed_port()}", "ada")
    with (
        client_for_account(account, "secret") as client,
        pytest.raises(errors.PublishError) as caught,
    ):
        client.discover()
    assert is_unreachable(caught.value) and "could not be reached" in str(caught.value)
    assert not is_unreachable(errors.ServerError("500"))
    assert not is_unreachable(errors.WrongCredentials("401"))
    assert blog_answers(account) is False


def test_an_unknown_host_is_unreachable() -> None:
    account = Account("nowhere", "https://nowhere.invalid", "ada")  # .invalid never resolves
    with (
        client_for_account(account, "secret") as client,
        pytest.raises(errors.PublishError) as caught,
    ):
        client.discover()
    assert is_unreachable(caught.value)


WRITER = """
import sys
from pathlib import Path
from editor.publish.outbox import queue_publish
folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
for number in range(count):
    queue_publish(folder / f"{name}-{number}.md", "my blog", None, "unreachable")
"""


def test_two_processes_queueing_at_once_lose_no_entry(tmp_path) -> None:
    # Two real processes (a window and a terminal, say) each queue their own posts at once.
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    count = 60
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, str(count)], env=env)
        for name in ("window", "terminal")
    ]
    assert [writer.wait(120) for writer in writers] == [0, 0]
    paths = {entry.path for entry in load_outbox()}
    assert len(paths) == 2 * count
