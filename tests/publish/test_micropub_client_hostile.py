"""The Micropub client against hostile or odd answers no real server here gives on demand
(an httpx MockTransport plays the site): JSON after CSS, endpoints on another origin, a create
answered without a Location, a refused token, a non-JSON page where data was expected."""

from __future__ import annotations

import json

import httpx
import pytest

from editor.publish import errors
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.micropub import MicropubEngine
from editor.publish.engines.micropub_client import BearerAuth, MicropubClient

SITE = "https://blog.example"
HOME_LINKS = (
    f'<{SITE}/micropub>; rel="micropub", <{SITE}/media>; rel="micropub_media", '
    f'<{SITE}/token>; rel="token_endpoint"'
)
CSS_THEN_CONFIG = (
    "<style>body{margin:0}</style>\n"
    '{"media-endpoint": "https://blog.example/media", "q": ["config", "source"], '
    '"post-status": ["published", "draft"]}'
)


def client_for(handler) -> MicropubClient:
    transport = httpx.MockTransport(handler)
    return MicropubClient(BlogConnection(SITE, auth=BearerAuth("t0ken"), transport=transport))


def site(home_links: str = HOME_LINKS, config: str = CSS_THEN_CONFIG, create=None):
    """Return a handler playing a Micropub site; `create` answers POSTs to the endpoint."""

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == "Bearer t0ken"
        if request.url.path == "/":
            return httpx.Response(200, headers={"link": home_links, "content-type": "text/html"},
                                  text="<html></html>")
        if request.method == "GET" and request.url.params.get("q") == "config":
            return httpx.Response(200, text=config, headers={"content-type": "text/html"})
        if request.method == "POST" and create is not None:
            return create(request)
        return httpx.Response(404)

    return handler


def test_config_after_css_is_read() -> None:
    client = client_for(site())
    endpoints = client.discover()
    assert endpoints.media == f"{SITE}/media" and "source" in endpoints.queries
    caps = MicropubEngine(client).capabilities()
    assert caps.statuses == ("publish", "draft") and caps.images and not caps.pages
    client.close()


def test_an_endpoint_on_another_origin_is_refused() -> None:
    links = '<https://elsewhere.example/micropub>; rel="micropub"'
    client = client_for(site(home_links=links))
    with pytest.raises(errors.ApiUnavailable, match="another address"):
        client.discover()
    client.close()


def test_a_media_endpoint_on_another_origin_turns_images_off() -> None:
    config = '{"media-endpoint": "https://elsewhere.example/media"}'
    client = client_for(site(config=config))
    assert client.discover().media == ""
    client.close()


def test_a_create_without_location_is_an_error() -> None:
    client = client_for(site(create=lambda _request: httpx.Response(201)))
    with pytest.raises(errors.UnexpectedAnswer, match="did not say where"):
        client.create({"name": ["x"]})
    client.close()


def test_a_refused_token_is_said_in_the_writers_words() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/":
            return site()(request)
        return httpx.Response(401, json={"error": "unauthorized"})

    client = client_for(refuse)
    with pytest.raises(errors.WrongCredentials, match="Sign in again"):
        client.discover()
    client.close()


def test_a_login_page_where_data_was_expected() -> None:
    client = client_for(site(config="<html><body><form>Log in</form></body></html>"))
    with pytest.raises(errors.NotJson):
        client.discover()
    client.close()


def test_a_site_without_micropub_is_named() -> None:
    client = client_for(site(home_links='<https://blog.example/wp-json/>; rel="https://api.w.org/"'))
    with pytest.raises(errors.ApiUnavailable, match="does not name a Micropub endpoint"):
        client.discover()
    client.close()


def test_a_lost_create_is_adopted_from_a_listing_with_urls(tmp_path) -> None:
    """A site whose q=source listing names each post's URL (as Micro.blog's does; the test
    WordPress's plugin does not): the post a lost create made is found there and updated,
    never created twice."""
    from editor.core.post import load_post
    from editor.publish.engines.micropub_content import body_with_uploads
    from editor.publish.publish_journal import keep_in_journal
    from editor.publish.publisher import PublishOptions
    from editor.publish.remote_record import RemoteRecord, sha256_text
    from editor.render.checked_render import render_checked

    path = tmp_path / "post.md"
    path.write_text("---\ntitle: Found again\nstatus: publish\n---\n\nSome words.\n")
    content = body_with_uploads(render_checked(path.read_text()), {})
    keep_in_journal(path, RemoteRecord(blog="mb", pending_create={
        "title": "Found again", "started_gmt": "2026-12-03T12:00:00",
        "content_sha256": sha256_text(content)}))
    url = f"{SITE}/2026/12/03/found-again.html"
    sent: list[dict] = []
    listed = {"type": ["h-entry"], "properties": {
        "name": ["Found again"], "content": [{"html": content}], "url": [url]}}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.params.get("q") == "source":
            if "url" in request.url.params:
                return httpx.Response(200, json=listed)
            return httpx.Response(200, json={"items": [listed]})
        return site()(request)

    def post(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(204)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/micropub":
            return post(request)
        return answer(request)

    engine = MicropubEngine(client_for(handler))
    result = engine.publish(
        load_post(path), "mb", PublishOptions(), path=path,
        progress=lambda _m: None, cancelled=lambda: False,
    )
    assert not result.created and result.updated and result.link == url
    assert [body.get("action") for body in sent] == ["update"]
