"""The REST client against recorded response shapes (httpx.MockTransport) and real sockets.

The recorded shapes are those measured on a real WordPress (see docs/notes/wordpress-rest.md); a
transport stands in only where a real WordPress cannot produce the case on demand (a proxy's
413 page, a login page instead of JSON). Network failures use real sockets on 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading

import httpx
import pytest

from editor.publish import errors
from editor.publish.blog_http import clear_text_warning
from editor.publish.retry_policy import NO_RETRY
from editor.publish.wordpress_client import WordPressClient

SITE = "https://blog.example"
PASSWORD = "abcd EFGH ijkl MNOP"
API_LINK = '<https://blog.example/wp-json/>; rel="https://api.w.org/"'


def wp_error(status: int, code: str, message: str) -> httpx.Response:
    """A WordPress REST error body as WordPress sends it."""
    return httpx.Response(
        status, json={"code": code, "message": message, "data": {"status": status}}
    )


def client_with(handler) -> WordPressClient:
    """A client whose requests go to `handler(request) -> Response`."""

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/" and not request.url.params.get("rest_route"):
            return httpx.Response(200, html="<html></html>", headers={"Link": API_LINK})
        return handler(request)

    return WordPressClient(SITE, "ada", PASSWORD, transport=httpx.MockTransport(route))


def test_discovery_follows_the_link_header_and_sends_basic_auth() -> None:
    seen = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, json={"id": 1, "name": "Ada", "capabilities": {}})

    with client_with(handler) as client:
        assert client.me()["name"] == "Ada"
    assert str(seen[0].url) == "https://blog.example/wp-json/wp/v2/users/me?context=edit"
    assert seen[0].headers["authorization"].startswith("Basic ")


def test_discovery_falls_back_to_rest_route_when_permalinks_are_plain() -> None:
    def route(request):
        if request.url.params.get("rest_route") == "/":
            return httpx.Response(200, json={"namespaces": ["wp/v2"]})
        if request.url.params.get("rest_route") == "/wp/v2/users/me":
            return httpx.Response(200, json={"id": 1})
        if request.url.path == "/":
            return httpx.Response(200, html="<html>no link header</html>")
        return httpx.Response(404, html="<html>Not found</html>")

    client = WordPressClient(SITE, "ada", PASSWORD, transport=httpx.MockTransport(route))
    assert client.me() == {"id": 1}
    assert client.root is not None and client.root.query_style


@pytest.mark.parametrize(
    ("response", "error", "words"),
    [
        (
            wp_error(401, "rest_not_logged_in", "You are not currently logged in."),
            errors.WrongCredentials,
            "application password",
        ),
        (
            wp_error(403, "rest_cannot_create", "Sorry, you are not allowed to create terms."),
            errors.NotAllowed,
            "not allowed to create terms",
        ),
        (
            wp_error(400, "rest_invalid_param", "Invalid parameter(s): status"),
            errors.PublishError,
            "Invalid parameter",
        ),
        (
            wp_error(404, "rest_post_invalid_id", "Invalid post ID."),
            errors.NotFound,
            "Invalid post",
        ),
        (wp_error(404, "rest_no_route", "No route was found."), errors.ApiUnavailable, "disabled"),
        (
            httpx.Response(413, html="<html><h1>413 Request Entity Too Large</h1></html>"),
            errors.UploadTooLarge,
            "larger than the server accepts",
        ),
        (
            wp_error(
                500, "rest_upload_sideload_error", "Sorry, you are not allowed to upload this."
            ),
            errors.ServerError,
            "could not store the file",
        ),
        (
            httpx.Response(200, html="<html><form id='loginform'></form></html>"),
            errors.NotJson,
            "web page instead of data",
        ),
        (
            httpx.Response(502, html="<html>Bad gateway</html>"),
            errors.ServerError,
            "HTTP 502) and sent an error page",
        ),
    ],
)
def test_every_error_shape_becomes_a_message_a_writer_can_act_on(response, error, words) -> None:
    with client_with(lambda _request: response) as client, pytest.raises(error) as caught:
        client.create_post({"title": "x"})
    assert words in str(caught.value)
    assert PASSWORD not in str(caught.value)


def closed_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_refused_connection_says_the_blog_cannot_be_reached() -> None:
    client = WordPressClient(f"http://127.0.0.1:{closed_port()}", "ada", PASSWORD, retry=NO_RETRY)
    with pytest.raises(errors.NoNetwork, match="could not be reached"):
        client.me()


def test_a_server_that_never_answers_times_out_with_a_clear_message() -> None:
    release = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def accept_and_hang() -> None:
        connection, _ = listener.accept()
        release.wait(10)
        connection.close()

    thread = threading.Thread(target=accept_and_hang, daemon=True)
    thread.start()
    client = WordPressClient(
        f"http://127.0.0.1:{port}", "ada", PASSWORD, timeout=httpx.Timeout(0.5), retry=NO_RETRY
    )
    try:
        with pytest.raises(errors.Timeout, match="did not answer in time"):
            client.me()
    finally:
        release.set()
        thread.join(5)
        listener.close()


def test_terms_are_matched_by_name_and_missing_ones_created() -> None:
    created = []

    def handler(request):
        if request.method == "GET":
            term = request.url.params["search"]
            return httpx.Response(200, json=[{"id": 7, "name": "Art"}] if term == "art" else [])
        created.append(request.content)
        return httpx.Response(201, json={"id": 9, "name": "New"})

    with client_with(handler) as client:
        assert client.term_ids("tags", ["art", "New"]) == {"art": 7, "New": 9}
    assert created == [b'{"name":"New"}']


def test_an_author_who_may_not_create_categories_is_told_so() -> None:
    def handler(request):
        if request.method == "GET":
            return httpx.Response(200, json=[])
        return wp_error(403, "rest_cannot_create", "Sorry, you are not allowed to create terms.")

    with client_with(handler) as client, pytest.raises(errors.NotAllowed, match="category"):
        client.term_ids("categories", ["Essays"])


def test_plain_http_to_another_host_is_warned_about_but_not_to_this_machine() -> None:
    assert "clear" in (clear_text_warning("http://blog.example") or "")
    assert clear_text_warning("http://127.0.0.1:8080") is None
    assert clear_text_warning("https://blog.example") is None


@pytest.mark.parametrize(
    ("site", "announced", "expected"),
    [
        # A blog behind a proxy that announces its internal address, or http:// for https.
        ("https://blog.example", "http://10.0.0.5:8080/wp-json/", "https://blog.example/wp-json/"),
        ("https://blog.example", "http://blog.example/wp-json/", "https://blog.example/wp-json/"),
        (
            "https://x.example/blog",
            "https://x.example/blog/?rest_route=/",
            "https://x.example/blog/?rest_route=%2Fwp%2Fv2%2Fusers%2Fme",
        ),
    ],
)
def test_the_api_is_used_on_the_address_the_writer_gave(site, announced, expected) -> None:
    seen: list[str] = []

    def route(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if len(seen) == 1:
            link = f'<{announced}>; rel="https://api.w.org/"'
            return httpx.Response(200, html="<html></html>", headers={"Link": link})
        return httpx.Response(200, json={"id": 1, "name": "Ada"})

    transport = httpx.MockTransport(route)
    with WordPressClient(site, "ada", PASSWORD, transport=transport) as client:
        client.me()
    assert seen[1].startswith(expected)
