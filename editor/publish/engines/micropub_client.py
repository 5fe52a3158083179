"""Micropub over HTTP: discovery, `q=config`, the media endpoint, create, update, `q=source`.

Every request goes through `BlogConnection` (the account's origin only, deadlines, size caps,
retries of idempotent requests, errors in plain words) with `Authorization: Bearer`. Answers
are hostile until checked: JSON is looked for defensively (a theme may print CSS before it),
and every value is checked for its type before use.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Generator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import httpx

from editor.publish import errors
from editor.publish.answers import JsonObject
from editor.publish.blog_http import BlogConnection, origin_of

log = logging.getLogger(__name__)

DISCOVERY_RELS = (
    "micropub",
    "micropub_media",
    "authorization_endpoint",
    "token_endpoint",
    "indieauth-metadata",
)
MAX_JSON_STARTS = 200  # where to try a JSON object in an answer with text before it


class BearerAuth(httpx.Auth):
    """Sends the token as `Authorization: Bearer` (BlogConnection keeps it on the origin)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the header to the request."""
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class _LinkElements(HTMLParser):
    """Collects `<link rel=... href=...>` (and `<a rel>`) elements of a page, first one wins."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep the rels this module looks for."""
        if tag not in ("link", "a"):
            return
        values = dict(attrs)
        href = values.get("href")
        if not href:
            return
        for rel in (values.get("rel") or "").lower().split():
            self.found.setdefault(rel, href)


def discovered_links(response: httpx.Response) -> dict[str, str]:
    """Return the Micropub and IndieAuth endpoints a page names (absolute URLs), by rel.

    `Link` headers win over `<link>` elements, as the specifications say.
    """
    base = str(response.url)
    found: dict[str, str] = {}
    for rel_value, link in response.links.items():
        url = link.get("url", "")
        for rel in str(rel_value).lower().split():
            if rel in DISCOVERY_RELS and url and rel not in found:
                found[rel] = urljoin(base, url)
    if "html" in response.headers.get("content-type", ""):
        parser = _LinkElements()
        try:
            parser.feed(response.text)
            parser.close()
        except (ValueError, AssertionError):  # a page too broken to read: headers only
            log.info("discovery: the page's HTML could not be read")
        for rel in DISCOVERY_RELS:
            if rel in parser.found and rel not in found:
                found[rel] = urljoin(base, parser.found[rel])
    return found


def json_in(text: str, action: str) -> Any:
    """Return the JSON an answer holds, even after text a theme printed before it.

    The whole text is tried first; then each `{` or `[` from the start (at most a few
    hundred), so CSS or a PHP notice before the data does not hide it.
    """
    decoder = json.JSONDecoder()
    stripped = text.strip()
    try:
        return json.loads(stripped)
    except (ValueError, RecursionError):
        pass
    tries = 0
    for index, char in enumerate(stripped):
        if char not in "{[":
            continue
        tries += 1
        if tries > MAX_JSON_STARTS:
            break
        try:
            value, end = decoder.raw_decode(stripped, index)
        except (ValueError, RecursionError):
            continue
        if not stripped[end:].strip() and isinstance(value, dict | list):
            return value
    raise errors.NotJson(
        f"The blog answered with a web page where Micropub data was expected ({action}). A "
        "security plugin or a login page may be in the way."
    )


def first_text(properties: JsonObject, name: str) -> str:
    """Return the first value of a Micropub property as text ("" when absent or odd)."""
    values = properties.get(name)
    if isinstance(values, list) and values:
        first = values[0]
        if isinstance(first, str):
            return first
        if isinstance(first, dict):
            return str(first.get("html") or first.get("value") or "")
    return ""


def texts(properties: JsonObject, name: str) -> list[str]:
    """Return a property's plain text values (nested objects left out)."""
    values = properties.get(name)
    if not isinstance(values, list):
        return []
    return [value for value in values if isinstance(value, str)]


@dataclass
class Endpoints:
    """What discovery and `q=config` found for a site."""

    micropub: str
    media: str = ""
    authorization: str = ""
    token: str = ""
    metadata: str = ""
    queries: list[str] = field(default_factory=list)  # q=… the endpoint answers ([]: unknown)
    statuses: list[str] = field(default_factory=list)  # post-status values ([]: unknown)
    properties: list[str] = field(default_factory=list)  # extra properties it supports


class MicropubClient:
    """One site's Micropub endpoint, with a bearer token; close it after use."""

    def __init__(self, connection: BlogConnection) -> None:
        self.connection = connection
        self.endpoints: Endpoints | None = None
        self._endpoint_for_config = ""

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    # -- discovery -------------------------------------------------------------------------

    def discover(self) -> Endpoints:
        """Find the endpoints from the site's home page, then ask the endpoint its config."""
        if self.endpoints is not None:
            return self.endpoints
        endpoints = self.find_endpoints()
        self._read_config(endpoints)
        self.endpoints = endpoints
        return endpoints

    def find_endpoints(self) -> Endpoints:
        """Find the endpoints the site's home page names (no token needed: for sign-in)."""
        home = self.connection.site_url + "/"
        answer = self.connection.send(
            "GET", home, "looking for the blog's Micropub endpoint", idempotent=True,
            headers={"Accept": "text/html,application/xhtml+xml"},
        )
        if answer.is_error:
            raise errors.Unreachable(
                f"The blog's home page answered {answer.status_code}, so Draftpress cannot "
                "find its Micropub endpoint. Check the blog's address."
            )
        links = discovered_links(answer)
        if "micropub" not in links:
            raise errors.ApiUnavailable(
                "This site does not name a Micropub endpoint (no rel=\"micropub\" link), so "
                "Draftpress cannot publish to it as a Micropub site."
            )
        for rel, url in links.items():
            if origin_of(url) != origin_of(self.connection.site_url):
                raise errors.ApiUnavailable(
                    f"The site's {rel} endpoint is at another address ({url}). Add the blog "
                    "with that address instead, so your token goes only there."
                )
        return Endpoints(
            links["micropub"],
            media=links.get("micropub_media", ""),
            authorization=links.get("authorization_endpoint", ""),
            token=links.get("token_endpoint", ""),
            metadata=links.get("indieauth-metadata", ""),
        )

    def _read_config(self, endpoints: Endpoints) -> None:
        """Ask `q=config`: the media endpoint, the queries and the post statuses."""
        self._endpoint_for_config = endpoints.micropub
        config = self._query({"q": "config"}, "reading the blog's Micropub settings")
        if not isinstance(config, dict):
            return
        media = config.get("media-endpoint")
        if isinstance(media, str) and media:
            media = urljoin(endpoints.micropub, media)
            if origin_of(media) == origin_of(self.connection.site_url):
                endpoints.media = media
            else:
                log.info("micropub: the media endpoint is on another origin; images off")
                endpoints.media = ""
        endpoints.queries = texts(config, "q")
        endpoints.statuses = texts(config, "post-status")
        endpoints.properties = texts(config, "properties")

    # -- requests --------------------------------------------------------------------------

    def _raise_for(self, answer: httpx.Response, action: str) -> None:
        """Turn a refusal into a PublishError in the writer's words."""
        if not answer.is_error:
            return
        code = ""
        description = ""
        try:
            data = json_in(answer.text, action)
        except errors.NotJson:
            data = None
        if isinstance(data, dict):
            code = str(data.get("error") or data.get("code") or "")
            description = str(data.get("error_description") or data.get("message") or "")[:200]
        status = answer.status_code
        if status == 401 or code in ("unauthorized", "invalid_token"):
            error: errors.PublishError = errors.WrongCredentials(
                "The blog refused the token. Sign in again with IndieAuth, or paste a new "
                "token from your site's token page."
            )
        elif status == 403 or code in ("forbidden", "insufficient_scope"):
            error = errors.NotAllowed(
                f"The token may not do this ({action}). Sign in again and allow creating, "
                "updating and media uploads."
            )
        elif status == 413:
            error = errors.UploadTooLarge(f"The blog refused a file as too large ({action}).")
        elif status == 404 or (status == 400 and "not found" in description.lower()):
            error = errors.NotFound(f"The blog does not have this post any more ({action}).")
        elif status >= 500:
            error = errors.ServerError(
                f"The blog failed while {action} (HTTP {status}). Try again later."
            )
        else:
            said = f": {description}" if description else ""
            error = errors.UnexpectedAnswer(
                f"The blog refused the request while {action} (HTTP {status}{said})."
            )
        error.code = code
        raise error

    def _query(self, params: dict[str, str], action: str) -> Any:
        """Send a `GET endpoint?q=…` and return its JSON."""
        endpoint = self.endpoints.micropub if self.endpoints else self._endpoint_for_config
        url = httpx.URL(endpoint).copy_merge_params(params)
        answer = self.connection.send("GET", str(url), action, idempotent=True)
        self._raise_for(answer, action)
        return json_in(answer.text, action)

    def source(self, url: str) -> JsonObject:
        """Return a post's source (`q=source&url=…`): its type and properties."""
        self.discover()
        data = self._query({"q": "source", "url": url}, "reading the post back")
        properties = data.get("properties") if isinstance(data, dict) else None
        if not isinstance(properties, dict):
            raise errors.UnexpectedAnswer(
                "The blog answered with something other than the post's source."
            )
        return {"type": data.get("type"), "properties": properties}

    def can_list(self) -> bool:
        """Tell whether the endpoint says it lists posts (`q=source` without a URL)."""
        return "source" in self.discover().queries

    def list_sources(self, limit: int, offset: int) -> list[JsonObject]:
        """Return up to `limit` of the site's posts, newest first, from `offset`."""
        self.discover()
        data = self._query(
            {"q": "source", "limit": str(limit), "offset": str(offset)}, "listing the posts"
        )
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            return []
        return [
            item for item in items if isinstance(item, dict)
            and isinstance(item.get("properties"), dict)
        ]

    def _post_json(self, body: JsonObject, action: str) -> httpx.Response:
        """POST JSON to the endpoint (never sent twice: what a failure did is unknown)."""
        endpoint = self.discover().micropub
        answer = self.connection.send("POST", endpoint, action, json=body)
        self._raise_for(answer, action)
        return answer

    def create(self, properties: JsonObject) -> str:
        """Create an h-entry; return its URL (the `Location` of the answer)."""
        body = {"type": ["h-entry"], "properties": properties}
        answer = self._post_json(body, "creating the post")
        location = answer.headers.get("location", "")
        if not location:
            raise errors.UnexpectedAnswer(
                "The blog created the post but did not say where it is (no Location)."
            )
        return str(urljoin(str(answer.url), location))

    def update(self, url: str, replace: JsonObject) -> str:
        """Replace a post's properties; return its URL (a new one if the blog moved it)."""
        body = {"action": "update", "url": url, "replace": replace}
        answer = self._post_json(body, "updating the post")
        location = answer.headers.get("location", "")
        return str(urljoin(str(answer.url), location)) if location else url

    def upload(self, data: bytes, file_name: str, mime: str, action: str) -> str:
        """Upload a file to the media endpoint; return its URL (the `Location` header)."""
        media = self.discover().media
        if not media:
            raise errors.NotAllowed(
                "This blog has no Micropub media endpoint, so Draftpress cannot upload images "
                "to it. Use images already on the web (https:// addresses)."
            )
        answer = self.connection.send(
            "POST", media, action, files={"file": (file_name, data, mime)}
        )
        self._raise_for(answer, action)
        location = answer.headers.get("location", "")
        if not location:
            raise errors.UnexpectedAnswer(
                f"The blog took the image but did not say where it is ({action})."
            )
        return str(urljoin(str(answer.url), location))

    def token_info(self) -> JsonObject:
        """Ask the token endpoint who the token belongs to ({} when it will not say)."""
        token_endpoint = self.discover().token
        if not token_endpoint:
            return {}
        answer = self.connection.send(
            "GET", token_endpoint, "checking the token", idempotent=True
        )
        if answer.is_error:
            if answer.status_code in (401, 403):
                self._raise_for(answer, "checking the token")
            return {}
        try:
            data = json_in(answer.text, "checking the token")
        except errors.NotJson:
            return {}
        return data if isinstance(data, dict) else {}
