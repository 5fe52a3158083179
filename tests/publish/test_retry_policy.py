"""Which requests retry by themselves, how long they wait, and that creates never retry."""

from __future__ import annotations

import random

import httpx
import pytest

from editor.publish import errors
from editor.publish.retry_policy import RetryPolicy, is_idempotent, retry_after_seconds
from editor.publish.wordpress_client import WordPressClient

API_LINK = '<https://blog.example/wp-json/>; rel="https://api.w.org/"'
FAST = RetryPolicy(tries=3, base_delay=0.01, max_delay=0.05, total_cap=1.0)


@pytest.mark.parametrize(
    ("method", "route", "expected"),
    [
        ("GET", "/wp/v2/posts", True),
        ("GET", "/wp/v2/media", True),
        ("POST", "/wp/v2/posts/42", True),  # an update of a known post
        ("POST", "/wp/v2/media/7", True),
        ("POST", "/wp/v2/posts", False),  # a create
        ("POST", "/wp/v2/media", False),  # an upload
        ("POST", "/wp/v2/tags", False),  # a new term
        ("DELETE", "/wp/v2/posts/42", True),
    ],
)
def test_only_reads_and_updates_of_a_known_item_are_idempotent(method, route, expected) -> None:
    assert is_idempotent(method, route) is expected


def test_waits_double_with_jitter_and_stop_at_the_tries_and_the_cap() -> None:
    policy = RetryPolicy(tries=4, base_delay=0.5, max_delay=4.0, total_cap=2.5, jitter=0.25)
    rng = random.Random(7)
    first = policy.delay(1, 0.0, rng=rng)
    second = policy.delay(2, first, rng=rng)
    assert 0.375 <= first <= 0.625 and 0.75 <= second <= 1.25
    assert policy.delay(3, first + second, rng=rng) is None  # 2 s more would pass the cap
    assert RetryPolicy(tries=3).delay(3, 0.0) is None


def test_retry_after_is_honoured_but_a_long_one_gives_up() -> None:
    policy = RetryPolicy(max_delay=4.0)
    assert policy.delay(1, 0.0, retry_after=3.0) == 3.0
    assert policy.delay(1, 0.0, retry_after=120.0) is None
    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None


def client_answering(answers: list[httpx.Response], seen: list[str]) -> WordPressClient:
    """A client whose API requests get `answers` in turn (a stand-in: a real 503 on demand)."""

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return httpx.Response(200, html="<html></html>", headers={"Link": API_LINK})
        seen.append(f"{request.method} {request.url.path}")
        return answers.pop(0)

    transport = httpx.MockTransport(route)
    return WordPressClient("https://blog.example", "ada", "pw", transport=transport, retry=FAST)


def test_a_read_is_sent_again_after_a_503_and_succeeds() -> None:
    seen: list[str] = []
    answers = [httpx.Response(503, headers={"Retry-After": "0"}), httpx.Response(200, json=[])]
    with client_answering(answers, seen) as client:
        assert client.search_posts("x") == []
    assert seen == ["GET /wp-json/wp/v2/posts"] * 2


def test_a_create_is_never_sent_twice_after_a_502() -> None:
    seen: list[str] = []
    answers = [httpx.Response(502, html="<h1>Bad Gateway</h1>"), httpx.Response(201, json={})]
    with client_answering(answers, seen) as client, pytest.raises(errors.ServerError) as caught:
        client.create_post({"title": "x"})
    assert seen == ["POST /wp-json/wp/v2/posts"]
    assert "HTTP 502" in str(caught.value) and "try again" in str(caught.value)


def test_a_read_gives_up_after_the_last_try() -> None:
    seen: list[str] = []
    answers = [httpx.Response(504, html="<p>timeout</p>") for _ in range(5)]
    with client_answering(answers, seen) as client, pytest.raises(errors.ServerError):
        client.get_post(5)
    assert len(seen) == FAST.tries
