"""Issue 18, Low findings: a blog's answers that are huge, packed, nested or misshapen.

A 100 MB JSON answer once took 635 MB, a 100 KB gzip answer 661 MB; a redirect loop, JSON
nested 100,000 deep, or a list or null where an object belongs ended the CLI in a traceback;
Open from Blog stayed on "Reading the posts…" when the list held non-objects. Every answer is
now capped at 32 MB unpacked and checked for its shape. WordPress cannot be made to answer so,
so the blog is a small server of our own on 127.0.0.1 (tests/security/hostile_blog.py), and
the commands are the real CLI's (its `main()`) and the real Open from Blog dialog.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from editor.cli import main
from editor.gui.publishing.open_from_blog import OpenFromBlogDialog
from editor.publish.account_client import default_client_factory
from editor.publish.accounts import Account
from editor.publish.answers import MAX_ANSWER_BYTES
from tests.security.hostile_blog import JSON, Answer, ScriptedBlog, json_answer

PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"
ME_ROUTE = ("GET", "/wp-json/wp/v2/users/me")
MB = 1024 * 1024


@pytest.fixture
def blog() -> Iterator[ScriptedBlog]:
    server = ScriptedBlog()
    yield server
    server.stop()


@pytest.fixture
def run_cli(blog, memory_keyring, monkeypatch, capsys) -> Callable[..., tuple[int, str]]:
    """Add the account `hostile` for the blog, then run a `draftpress` command: code, stderr."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    add = ["blogs", "add", "hostile", "--url", blog.url, "--user", "ada", "--password-stdin"]
    add += ["--engine", "wordpress"]  # the hostile blog is probed by its own tests
    assert main(add) == 0
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return code, captured.out + captured.err

    return run


def spaces(total: int, piece: int = MB) -> Iterator[bytes]:
    """`total` bytes of JSON whitespace, written a piece at a time (one object reused)."""
    chunk = b" " * piece
    for _ in range(total // piece):
        yield chunk


def gzip_bomb(unpacked: int) -> bytes:
    """A gzip JSON object holding a string of `unpacked` bytes (about 1/1000 of it packed)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    packed = [packer.compress(b'{"id": 1, "name": "')]
    chunk = b"a" * MB
    packed += [packer.compress(chunk) for _ in range(unpacked // MB)]
    packed += [packer.compress(b'"}'), packer.flush()]
    return b"".join(packed)


def peak_memory_of(function: Callable[[], object]) -> tuple[object, int]:
    """Run `function`; return its result and the peak of Python memory allocated meanwhile."""
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_100_mb_answer_is_refused_after_reading_at_most_the_cap(blog, run_cli) -> None:
    blog.routes[ME_ROUTE] = (200, JSON, spaces(100 * MB))

    (code, output), peak = peak_memory_of(lambda: run_cli("blogs", "test", "hostile"))

    assert code == 1
    assert "answer (logging in) is larger than 32 MB once unpacked" in output
    assert peak < MAX_ANSWER_BYTES + 16 * MB, f"peak {peak / MB:.0f} MB"


def test_a_small_gzip_answer_that_unpacks_hugely_is_refused(blog, run_cli) -> None:
    bomb = gzip_bomb(200 * MB)
    assert len(bomb) < 300_000
    blog.routes[ME_ROUTE] = (200, {**JSON, "Content-Encoding": "gzip"}, bomb)

    (code, output), peak = peak_memory_of(lambda: run_cli("blogs", "test", "hostile"))

    assert code == 1
    assert "answer (logging in) is larger than 32 MB once unpacked" in output
    assert peak < MAX_ANSWER_BYTES + 16 * MB, f"peak {peak / MB:.0f} MB"


def test_a_gzip_answer_under_the_cap_is_read(blog, run_cli) -> None:
    me = {"id": 1, "name": "Ada", "roles": ["author"], "capabilities": {"upload_files": True}}
    packed = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    body = packed.compress(json.dumps(me).encode()) + packed.flush()
    blog.routes[ME_ROUTE] = (200, {**JSON, "Content-Encoding": "gzip"}, body)

    code, output = run_cli("blogs", "test", "hostile")

    assert code == 0, output
    assert "Logged in as Ada (author)" in output
    assert "Upload images: yes" in output


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ((200, JSON, b"[" * 100_000 + b"]" * 100_000), "The blog sent broken data (logging in)"),
        (json_answer([]), "with data Draftpress did not expect (not an object)"),
        (json_answer(None), "with data Draftpress did not expect (not an object)"),
        (json_answer("Ada"), "with data Draftpress did not expect (not an object)"),
    ],
    ids=["nested-100000-deep", "list", "null", "string"],
)
def test_misshapen_json_is_reported_in_words(blog, run_cli, answer: Answer, said: str) -> None:
    blog.routes[ME_ROUTE] = answer

    code, output = run_cli("blogs", "test", "hostile")

    assert code == 1
    assert said in output


@pytest.mark.parametrize("route", ["/", "/wp-json/wp/v2/users/me"])
def test_a_redirect_loop_is_reported_in_words(blog, run_cli, route: str) -> None:
    blog.routes[("GET", route)] = (302, {"Location": f"{blog.url}{route}"}, b"")

    code, output = run_cli("blogs", "test", "hostile")

    assert code == 1
    assert "round in circles" in output
    assert "more than 10 redirects" in output
    assert len(blog.seen) <= 12  # it stopped following


NOT_POSTS = [1, None, "post", [], {"title": "no id"}, {"id": "7"}, {"id": True}]
REAL_POST = {"id": 5, "status": "draft", "date": "2024-05-01T10:00:00", "title": {"raw": "Real"}}


def test_listing_entries_that_are_not_posts_are_left_out_and_counted_on_the_cli(
    blog, run_cli
) -> None:
    blog.routes[("GET", "/wp-json/wp/v2/posts")] = json_answer([*NOT_POSTS, REAL_POST])

    code, output = run_cli("pull", "--list")

    assert code == 0
    assert "5\tdraft\t2024-05-01 10:00\tReal" in output
    assert "7 unreadable entries the blog sent left out." in output


def test_open_from_blog_shows_the_posts_and_says_what_it_left_out(qtbot, blog) -> None:
    blog.routes[("GET", "/wp-json/wp/v2/posts")] = json_answer([*NOT_POSTS, REAL_POST])
    account = Account("hostile", blog.url, "ada")
    dialog = OpenFromBlogDialog(account, PASSWORD, default_client_factory)
    qtbot.addWidget(dialog)

    qtbot.waitUntil(lambda: dialog.loaded, timeout=10000)

    assert [post["id"] for post in dialog.posts] == [5]
    assert dialog.tree.topLevelItemCount() == 1
    assert dialog.tree.topLevelItem(0).text(0) == "Real"
    assert "7 entries the blog sent are not posts Draftpress can read" in dialog.status.text()
    assert "Reading" not in dialog.status.text()
