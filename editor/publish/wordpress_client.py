"""The WordPress REST API client: discovery, login, media, posts, terms; errors in plain words."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from typing import Any, Unpack
from urllib.parse import urlsplit, urlunsplit

import httpx

from editor.publish import errors
from editor.publish.answers import (
    JsonObject,
    PostListing,
    decode_json,
    json_of,
    post_id_of,
    refused_as_anonymous,
    usable_item,
)
from editor.publish.blog_http import (
    BlogConnection,
    ConnectionOptions,
)
from editor.publish.retry_policy import (
    is_idempotent,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

API_REL = 'rel="https://api.w.org/"'
WRONG_LOGIN = (
    "The blog refused the user name or application password. Use your WordPress user name "
    "(not the password's label) and an application password from Users > Profile > "
    "Application Passwords."
)


@dataclass(frozen=True)
class ApiRoot:
    """Where a site's REST API lives: `/wp-json/` or the `?rest_route=` form."""

    base: str  # e.g. https://blog.example/wp-json  or  https://blog.example/?rest_route=
    query_style: bool

    def url(self, route: str) -> tuple[str, dict[str, str]]:
        """Return the URL and extra query parameters for a route like `/wp/v2/posts`."""
        if self.query_style:
            return self.base.split("?", 1)[0], {"rest_route": route}
        return self.base.rstrip("/") + route, {}


def on_site_origin(href: str, site_url: str) -> str:
    """Return an API address the site announced, moved onto the site's own scheme and host.

    A WordPress behind a proxy or with a stale Site Address announces its own idea of where it
    lives (`http://` where the writer uses `https://`, an internal host name): the password
    must only ever go where the writer pointed Draftpress.
    """
    announced, site = urlsplit(href), urlsplit(site_url)
    return urlunsplit((site.scheme, site.netloc, announced.path, announced.query, ""))


def _is_json(response: httpx.Response) -> bool:
    """Tell whether a response carries JSON."""
    return "json" in response.headers.get("content-type", "").lower()


def _server_message(response: httpx.Response) -> tuple[str, str]:
    """Return WordPress's error code and message from a JSON error body."""
    _ok, body = decode_json(response)
    if isinstance(body, dict):
        return str(body.get("code", "")), str(body.get("message", ""))
    return "", ""


def _server_data(response: httpx.Response) -> JsonObject:
    """Return the `data` object of a JSON error body (empty when there is none)."""
    _ok, body = decode_json(response)
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}


def _json_of(response: httpx.Response, action: str, expect: type | None = None) -> Any:
    """Return a response's decoded JSON (broken data, or not of type `expect`: an error)."""
    return json_of(response, action, expect)


def raise_for_response(response: httpx.Response, action: str) -> None:
    """Turn an unsuccessful or non-JSON answer into the matching PublishError."""
    status = response.status_code
    if status == 413:
        raise errors.UploadTooLarge(
            f"The blog refused {action}: the file is larger than the server accepts. "
            "Make the image smaller or ask the blog's host to raise the upload limit."
        )
    if status == 503:  # maintenance mode (an update running) or an overloaded host
        wait = retry_after_seconds(response.headers.get("retry-after"))
        when = f"in about {max(1, round(wait / 60))} minute(s)" if wait else "in a few minutes"
        raise errors.ServerError(
            f"The blog is briefly unavailable (HTTP 503) while {action}: it is being updated "
            f"or is too busy. It asks to be tried again {when}."
        )
    if status >= 500 and not _is_json(response):
        raise errors.ServerError(
            f"The blog failed while {action} (HTTP {status}) and sent an error page "
            "instead of data. This is usually temporary: try again in a few minutes."
        )
    if not _is_json(response):
        raise errors.NotJson(
            f"The blog answered {action} with a web page instead of data (HTTP {status}). "
            "A firewall, a security plugin, a login page or maintenance mode may be in the way."
        )
    if status < 400:
        return
    code, message = _server_message(response)
    detail = f" (WordPress said: {message})" if message else ""
    if status == 401 or refused_as_anonymous(response):
        raise errors.WrongCredentials(WRONG_LOGIN)
    if status == 403:
        raise errors.NotAllowed(f"This account may not do {action}{detail}.")
    if status == 404 and code == "rest_no_route":
        raise errors.ApiUnavailable(
            f"The blog's REST API does not offer {action}; it may be disabled by a plugin."
        )
    if status == 404:
        raise errors.NotFound(f"The blog does not have it any more ({action}){detail}.")
    if status >= 500:
        if code == "rest_upload_sideload_error":
            raise errors.ServerError(f"The blog could not store the file{detail}.")
        raise errors.ServerError(f"The blog failed while {action} (HTTP {status}){detail}.")
    refused = errors.PublishError(f"The blog refused {action} (HTTP {status}){detail}.")
    refused.code, refused.data = code, _server_data(response)
    raise refused


def _same_term(term: JsonObject, name: str) -> bool:
    """Tell whether a term WordPress returned is `name` (it stores `&` as `&amp;`)."""
    return html.unescape(str(term.get("name", ""))).casefold() == name.casefold()


POST_ROUTES = {"post": "/wp/v2/posts", "page": "/wp/v2/pages"}


def post_route(post_type: str) -> str:
    """Return the REST route of a post type: "post" (the default) or "page"."""
    return POST_ROUTES.get(post_type or "post", POST_ROUTES["post"])


def _header_int(response: httpx.Response, name: str, default: int) -> int:
    """Return a header as an int (the default when it is missing or not a number)."""
    try:
        return int(response.headers.get(name, ""))
    except ValueError:
        return default


class WordPressClient(BlogConnection):
    """Talks to one WordPress site as one user (application password, HTTP Basic auth)."""

    def __init__(
        self,
        site_url: str,
        user: str,
        password: str,
        **options: Unpack[ConnectionOptions],  # transport, verify, deadlines, cancel…
    ) -> None:
        super().__init__(site_url, auth=httpx.BasicAuth(user, password), **options)  # accepts JSON
        self.root: ApiRoot | None = None

    def __enter__(self) -> WordPressClient:
        return self

    def request(
        self, method: str, route: str, action: str, *, expect: type | None = None, **kwargs: Any
    ) -> Any:
        """Call a REST route and return its JSON (of type `expect`; else a PublishError)."""
        return _json_of(self.respond(method, route, action, **kwargs), action, expect)

    def respond(self, method: str, route: str, action: str, **kwargs: Any) -> httpx.Response:
        """Call a REST route and return its successful JSON response (headers included)."""
        root = self.discover()
        url, params = root.url(route)
        params.update({k: str(v) for k, v in (kwargs.pop("params", None) or {}).items()})
        idempotent = is_idempotent(method, route)
        response = self._send_retrying(
            method, url, action, idempotent=idempotent, params=params, **kwargs
        )
        raise_for_response(response, action)
        return response

    # -- discovery and login ---------------------------------------------------------------

    def discover(self) -> ApiRoot:
        """Find the REST API: the `Link` header, then `/wp-json/`, then `?rest_route=`."""
        if self.root is not None:
            return self.root
        response = self._send_retrying(
            "GET", self.site_url + "/", "opening the site", idempotent=True
        )
        if response.status_code >= 500:  # down or in maintenance: say so, not "no API"
            raise_for_response(response, "opening the site")
        # The site answered on its own origin (a redirect elsewhere raised BlogMoved); the API
        # it announces is used there too, wherever the announcement points.
        for part in response.headers.get_list("link"):
            for link in part.split(","):
                if API_REL in link and "<" in link:
                    announced = link[link.index("<") + 1 : link.index(">")]
                    href = on_site_origin(announced, self.site_url)
                    self.root = ApiRoot(href, "rest_route=" in href)
                    return self.root
        for root in (
            ApiRoot(self.site_url + "/wp-json", False),
            ApiRoot(self.site_url + "/?rest_route=", True),
        ):
            url, params = root.url("/")
            probe = self._send_retrying(
                "GET", url, "looking for the REST API", idempotent=True, params=params
            )
            if probe.status_code == 200 and _is_json(probe) and "namespaces" in probe.text:
                self.root = root
                return root
        raise errors.ApiUnavailable(
            f"{self.site_url} does not offer the WordPress REST API. It may not be a WordPress "
            "site, or a plugin or the host blocks the API."
        )

    def me(self) -> JsonObject:
        """Return the logged-in user with roles and capabilities."""
        user: JsonObject = self.request(
            "GET", "/wp/v2/users/me", "logging in", expect=dict, params={"context": "edit"}
        )
        return user

    # -- media -----------------------------------------------------------------------------

    def upload_media(
        self, data: bytes, filename: str, mime: str, fields: JsonObject | None = None
    ) -> JsonObject:
        """Upload one file to the media library, setting alt text and caption in the same call."""
        headers = {
            "Content-Type": mime,
            "Content-Disposition": f'attachment; filename="{filename}"',
        }
        action = f"uploading {filename}"
        answer: JsonObject = self.request(
            "POST",
            "/wp/v2/media",
            action,
            expect=dict,
            content=data,
            headers=headers,
            params=fields or {},
            timeout=self.upload_timeout,
        )
        post_id_of(answer, action)
        return answer

    def find_media(self, search: str) -> list[JsonObject]:
        """Search the media library (by file name fragment)."""
        found = self.request(
            "GET",
            "/wp/v2/media",
            "searching the media library",
            expect=list,
            params={"search": search, "per_page": 20, "context": "edit"},
        )
        return [item for item in found if isinstance(item, dict)]

    # -- posts -----------------------------------------------------------------------------

    def get_post(self, post_id: int, post_type: str = "post") -> JsonObject:
        """Return a post or page as stored (context=edit: raw content)."""
        action = f"reading the {post_type}"
        route = f"{post_route(post_type)}/{post_id}"
        answer: JsonObject = self.request(
            "GET", route, action, expect=dict, params={"context": "edit"}
        )
        post_id_of(answer, action, post_id)
        return answer

    def create_post(self, payload: JsonObject, post_type: str = "post") -> JsonObject:
        """Create a post or page."""
        action = f"creating the {post_type}"
        answer: JsonObject = self.request(
            "POST", post_route(post_type), action, expect=dict, json=payload
        )
        post_id_of(answer, action)
        return answer

    def update_post(self, post_id: int, payload: JsonObject, post_type: str = "post") -> JsonObject:
        """Update a post or page; an answer naming another post is refused."""
        action = f"updating the {post_type}"
        route = f"{post_route(post_type)}/{post_id}"
        answer: JsonObject = self.request("POST", route, action, expect=dict, json=payload)
        post_id_of(answer, action, post_id)
        return answer

    def search_posts(
        self, search: str, per_page: int = 20, orderby: str = "date", post_type: str = "post"
    ) -> list[JsonObject]:
        """Find posts of any status whose title or content matches (newest first)."""
        found = self.request(
            "GET",
            post_route(post_type),
            f"searching the blog's {post_type}s",
            expect=list,
            params={
                "search": search,
                "status": "publish,future,draft,pending,private",
                "per_page": per_page,
                "context": "edit",
                "orderby": orderby,
                "order": "desc",
            },
        )
        return [post for post in found if isinstance(post, dict)]

    def list_posts(
        self,
        post_type: str = "post",
        *,
        page: int = 1,
        per_page: int = 20,
        search: str = "",
        status: str = "any",
    ) -> PostListing:
        """Return one page of the blog's posts or pages, newest first, with the whole count.

        `status` is "any" (every status but trash, custom ones included: needs edit rights) or
        one of publish, future, draft, pending, private; `search` matches titles (WordPress
        before 6.2 also matches the text).
        """
        params: dict[str, Any] = {
            "page": page,
            "per_page": per_page,
            "status": status,
            "context": "edit",
            "orderby": "date",
            "order": "desc",
        }
        if search.strip():
            params["search"] = search.strip()
            params["search_columns"] = "post_title"  # WordPress 6.2+; older ones ignore it
        action = f"listing the blog's {post_type}s"
        response = self.respond("GET", post_route(post_type), action, params=params)
        answered = _json_of(response, action, list)
        items = [item for item in answered if usable_item(item)]
        if len(items) < len(answered):
            log.warning("%s: skipped %d unreadable entries", action, len(answered) - len(items))
        total = _header_int(response, "x-wp-total", len(answered))
        pages = _header_int(response, "x-wp-totalpages", 1 if answered else 0)
        return PostListing(items, total, pages, page, per_page, len(answered) - len(items))

    # -- terms -----------------------------------------------------------------------------

    def term_ids(self, taxonomy: str, names: list[str], *, create: bool = True) -> dict[str, int]:
        """Return the ids of tags or categories by name, creating the missing ones."""
        route = "/wp/v2/tags" if taxonomy == "tags" else "/wp/v2/categories"
        found: dict[str, int] = {}
        for name in names:
            matches = self.request(
                "GET",
                route,
                f"looking up the {taxonomy}",
                expect=list,
                params={"search": name, "per_page": 100, "hide_empty": "false"},
            )
            exact = [t for t in matches if usable_item(t) and _same_term(t, name)]
            if exact:
                found[name] = int(exact[0]["id"])
            elif create:
                try:
                    action = f"creating the {taxonomy[:-1]} “{name}”"
                    term = self.request("POST", route, action, expect=dict, json={"name": name})
                    post_id_of(term, action)
                except errors.PublishError as error:
                    existing = getattr(error, "data", {}).get("term_id")
                    if getattr(error, "code", "") == "term_exists" and existing:
                        found[name] = int(existing)  # there, but its stored name differs
                        continue
                    if not isinstance(error, errors.NotAllowed):
                        raise
                    kind = "category" if taxonomy == "categories" else "tag"
                    raise errors.NotAllowed(
                        f"The {kind} “{name}” does not exist on the blog and this account may "
                        f"not create {taxonomy}. Pick an existing {kind} or ask an editor."
                    ) from None
                found[name] = int(term["id"])
        return found
