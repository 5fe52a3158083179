"""Ghost's Admin API over a guarded BlogConnection: tokens, images, posts; errors in plain words.

An Admin API key is `id:secret` (a custom integration's key, from Ghost Admin > Settings >
Integrations). Each request carries a fresh token (`Authorization: Ghost <jwt>`): HS256, signed
with the secret's bytes, the key id in the `kid` header, audience `/admin/`, valid 5 minutes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Generator
from typing import Any, Unpack
from urllib.parse import quote

import httpx
import jwt

from editor.publish import errors
from editor.publish.answers import JsonObject, decode_json, json_of
from editor.publish.blog_http import (
    BlogConnection,
    ConnectionOptions,
)

log = logging.getLogger(__name__)

ADMIN_API = "/ghost/api/admin/"
ACCEPT_VERSION = "v5.0"
TOKEN_LIFETIME_S = 5 * 60  # Ghost refuses tokens that live longer than 5 minutes
_KEY = re.compile(r"^\s*([0-9a-f]{24}):([0-9a-f]{64})\s*$", re.IGNORECASE)
KEY_HINT = (
    "Copy the Admin API key from Ghost Admin > Settings > Integrations (a custom integration): "
    "it looks like 24 letters and digits, a colon, then 64 more."
)
WRONG_KEY = (
    "Ghost refused the Admin API key. The integration may have been deleted or its key "
    f"regenerated. {KEY_HINT}"
)
POST_ROUTES = {"post": "posts", "page": "pages"}


def parse_admin_key(key: str) -> tuple[str, bytes]:
    """Return an Admin API key's id and secret bytes; WrongCredentials if it is not one."""
    match = _KEY.match(key or "")
    if match is None:
        raise errors.WrongCredentials(f"That is not a Ghost Admin API key. {KEY_HINT}")
    return match.group(1), bytes.fromhex(match.group(2))


def admin_token(key_id: str, secret: bytes, now: float | None = None) -> str:
    """Return a short-lived Admin API token for the key (HS256, `kid`, audience `/admin/`)."""
    issued = int(time.time() if now is None else now)
    claims = {"iat": issued, "exp": issued + TOKEN_LIFETIME_S, "aud": "/admin/"}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"kid": key_id})


class GhostAdminAuth(httpx.Auth):
    """Signs every request (a retried one too) with a fresh token."""

    def __init__(self, admin_key: str) -> None:
        self._admin_key = admin_key  # parsed when a request is signed (see open_engine)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add `Authorization: Ghost <token>` (WrongCredentials for a key that is not one)."""
        key_id, secret = parse_admin_key(self._admin_key)
        request.headers["Authorization"] = f"Ghost {admin_token(key_id, secret)}"
        yield request


def _is_json(response: httpx.Response) -> bool:
    """Tell whether a response carries JSON."""
    return "json" in response.headers.get("content-type", "").lower()


def ghost_error(response: httpx.Response) -> tuple[str, str, str]:
    """Return the first error's type, code and message (+ context) from a Ghost error body."""
    _ok, body = decode_json(response)
    listed = body.get("errors") if isinstance(body, dict) else None
    first = listed[0] if isinstance(listed, list) and listed else None
    if not isinstance(first, dict):
        return "", "", ""
    message = str(first.get("message") or "").strip()
    context = str(first.get("context") or "").strip()
    if context and context not in message:
        message = f"{message} {context}".strip()
    return str(first.get("type") or ""), str(first.get("code") or ""), message


def raise_for_ghost(response: httpx.Response, action: str) -> None:
    """Turn an unsuccessful or non-JSON answer from Ghost into the matching PublishError."""
    status = response.status_code
    if status == 413:
        raise errors.UploadTooLarge(
            f"Ghost refused {action}: the file is larger than the server accepts. Make the "
            "image smaller or ask the blog's host to raise the upload limit."
        )
    if status >= 500 and not _is_json(response):
        raise errors.ServerError(
            f"The blog failed while {action} (HTTP {status}) and sent an error page instead "
            "of data. This is usually temporary: try again in a few minutes."
        )
    if not _is_json(response):
        if status == 404:
            raise errors.ApiUnavailable(
                f"The blog does not offer Ghost's Admin API ({action}). Check the blog's "
                "address: it must be the Ghost site itself."
            )
        raise errors.NotJson(
            f"The blog answered {action} with a web page instead of data (HTTP {status}). "
            "A firewall, a login page or maintenance mode may be in the way."
        )
    if status < 400:
        return
    kind, code, message = ghost_error(response)
    detail = f" (Ghost said: {message})" if message else ""
    if status == 401:
        raise errors.WrongCredentials(WRONG_KEY)
    if status == 403:
        raise errors.NotAllowed(f"Ghost does not let this Admin API key do {action}{detail}.")
    if status == 404:
        raise errors.NotFound(f"The blog does not have it any more ({action}){detail}.")
    if status == 409 or kind == "UpdateCollisionError":
        raise errors.EditedOnServer(
            "This post was changed on the blog since you last published it. Publishing now "
            "would overwrite those changes."
        )
    if status >= 500:
        raise errors.ServerError(f"The blog failed while {action} (HTTP {status}){detail}.")
    refused = errors.PublishError(f"Ghost refused {action} (HTTP {status}){detail}.")
    refused.code = code or kind
    raise refused


def _one(answer: Any, key: str, action: str) -> JsonObject:
    """Return the single object of a Ghost answer such as {"posts": [{...}]}."""
    items = answer.get(key) if isinstance(answer, dict) else None
    item = items[0] if isinstance(items, list) and items else None
    if not isinstance(item, dict):
        raise errors.UnexpectedAnswer(
            f"Ghost answered {action} with data Draftpress did not expect (no {key[:-1]})."
        )
    return item


def _post_of(answer: Any, key: str, action: str, expected: str = "") -> JsonObject:
    """Return the post (or page) of an answer: it must carry an id, `expected` if given."""
    post = _one(answer, key, action)
    found = post.get("id")
    if not isinstance(found, str) or not found.strip():
        raise errors.UnexpectedAnswer(
            f"Ghost answered without a usable id while {action}, so Draftpress cannot tell "
            "what it stored. Look at the blog before publishing again."
        )
    if expected and found != expected:
        raise errors.UnexpectedAnswer(
            f"Ghost answered with another post ({found}) while {action} ({expected}). This "
            f"file stays linked to {expected}; look at both posts on the blog."
        )
    return post


def nql_text(value: str) -> str:
    """Return text as a quoted NQL string (Ghost's filter language): quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class GhostClient(BlogConnection):
    """Talks to one Ghost site's Admin API with one integration's Admin API key."""

    def __init__(
        self,
        site_url: str,
        admin_key: str,
        **options: Unpack[ConnectionOptions],  # transport, verify, deadlines, cancel…
    ) -> None:
        super().__init__(site_url, auth=GhostAdminAuth(admin_key), **options)  # accepts JSON

    def __enter__(self) -> GhostClient:
        return self

    def api_url(self, route: str) -> str:
        """Return the URL of an Admin API route such as `posts/` on this site."""
        return self.site_url + ADMIN_API + route.lstrip("/")

    def request(self, method: str, route: str, action: str, **kwargs: Any) -> Any:
        """Call an Admin API route and return its JSON (a PublishError for any refusal)."""
        headers = {"Accept-Version": ACCEPT_VERSION, **(kwargs.pop("headers", None) or {})}
        idempotent = method in ("GET", "PUT", "DELETE")  # a POST creates something each time
        response = self.send(
            method, self.api_url(route), action, idempotent=idempotent, headers=headers, **kwargs
        )
        raise_for_ghost(response, action)
        if response.status_code == 204 or not response.content:
            return {}
        return json_of(response, action, dict)

    # -- the site --------------------------------------------------------------------------

    def site(self) -> JsonObject:
        """Return the site's public facts (title, url, version): `site/` needs no key."""
        return _site_of(self.request("GET", "site/", "opening the Ghost site"))

    # -- images ----------------------------------------------------------------------------

    def upload_image(self, data: bytes, filename: str, mime: str, ref: str) -> str:
        """Upload one image (multipart `file`); return its URL on the blog."""
        action = f"uploading {filename}"
        # Encoded here so that the connection's deadline grows with the upload's size.
        encoded = httpx.Request(
            "POST", self.api_url("images/upload/"),
            files={"file": (filename, data, mime)}, data={"ref": ref, "purpose": "image"},
        )  # fmt: skip
        body = encoded.read()
        answer = self.request(
            "POST",
            "images/upload/",
            action,
            content=body,
            headers={"Content-Type": encoded.headers["Content-Type"]},
            timeout=self.upload_timeout,
        )
        url = _one(answer, "images", action).get("url")
        if not isinstance(url, str) or not url:
            raise errors.UnexpectedAnswer(f"Ghost answered {action} without the image's address.")
        return url

    # -- posts -----------------------------------------------------------------------------

    def get_post(self, post_id: str, post_type: str = "post") -> JsonObject:
        """Return one post (or page) with its HTML and tags."""
        route = f"{POST_ROUTES[post_type]}/{quote(post_id, safe='')}/"
        params = {"formats": "html", "include": "tags"}
        action = f"reading the {post_type}"
        answer = self.request("GET", route, action, params=params)
        return _post_of(answer, POST_ROUTES[post_type], action, post_id)

    def create_post(self, fields: JsonObject, post_type: str = "post") -> JsonObject:
        """Create a post (or page) from HTML; return it as Ghost stored it."""
        return self._write_post("POST", fields, post_type, None)

    def update_post(self, post_id: str, fields: JsonObject, post_type: str = "post") -> JsonObject:
        """Update a post (or page); `fields` carries the `updated_at` it was read at."""
        return self._write_post("PUT", fields, post_type, post_id)

    def _write_post(
        self, method: str, fields: JsonObject, post_type: str, post_id: str | None
    ) -> JsonObject:
        """Send a post's fields as HTML (a new one when `post_id` is None); return it stored."""
        route = POST_ROUTES[post_type]
        action = f"{'creating' if post_id is None else 'updating'} the {post_type}"
        where = f"{route}/" if post_id is None else f"{route}/{quote(post_id, safe='')}/"
        answer = self.request(
            method, where, action, json={route: [fields]},
            params={"source": "html", "formats": "html", "include": "tags"},
        )  # fmt: skip
        return _post_of(answer, route, action, post_id or "")

    def browse_posts(
        self,
        *,
        post_type: str = "post",
        page: int = 1,
        limit: int = 20,
        nql: str = "",
        order: str = "updated_at desc",
        formats: str = "",
    ) -> tuple[list[JsonObject], int]:
        """Return one page of posts (every status) and how many pages there are."""
        route = POST_ROUTES[post_type]
        params: dict[str, str | int] = {"page": page, "limit": limit, "order": order}
        if nql:
            params["filter"] = nql
        if formats:
            params["formats"] = formats
        answer = self.request("GET", f"{route}/", f"listing the blog's {route}", params=params)
        items = answer.get(route)
        listed = items if isinstance(items, list) else []
        posts = [item for item in listed if isinstance(item, dict)]
        meta = answer.get("meta")
        pagination = meta.get("pagination") if isinstance(meta, dict) else None
        pages = pagination.get("pages") if isinstance(pagination, dict) else 0
        return posts, pages if isinstance(pages, int) and pages >= 0 else 0


def _site_of(answer: Any) -> JsonObject:
    """Return the `site` object of the `site/` answer (not Ghost's: an error)."""
    site = answer.get("site") if isinstance(answer, dict) else None
    if not isinstance(site, dict):
        raise errors.ApiUnavailable(
            "The blog answered, but not as a Ghost site (no site information)."
        )
    return site
