"""The Micropub client against hostile or odd answers no real server here gives on demand
(an httpx MockTransport plays the site): JSON after CSS, endpoints on another origin, a create
answered without a Location, a refused token, a non-JSON page where data was expected."""

from __future__ import annotations

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
