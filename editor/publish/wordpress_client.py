"""The WordPress REST API client: discovery, login, media, posts, terms; errors in plain words."""

from __future__ import annotations

import html
import ipaddress
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from editor.publish import errors, request_limits
from editor.publish.answers import (
    ACCEPT_ENCODING,
    JsonObject,
    PostListing,
    decode_json,
    json_of,
    post_id_of,
    read_capped,
    refused_as_anonymous,
    usable_item,
)
from editor.publish.certificates import untrusted_certificate
from editor.publish.retry_policy import (
    DEFAULT_RETRY,
    RETRY_STATUSES,
    RetryPolicy,
    is_idempotent,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

API_REL = 'rel="https://api.w.org/"'
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
REQUEST_DEADLINE_S = 60.0  # the longest one request may take in all, however the blog trickles
UPLOAD_DEADLINE_S = 180.0  # an upload's, before its size: the blog makes thumbnails meanwhile
UPLOAD_BYTES_PER_S = 50_000  # an upload gets 1 s longer per this many bytes (a slow uplink)
MAX_REDIRECTS = 10
USER_AGENT = "Draftpress (desktop blog editor)"
WRONG_LOGIN = (
    "The blog refused the user name or application password. Use your WordPress user name "
    "(not the password's label) and an application password from Users > Profile > "
    "Application Passwords."
)


def is_local_host(url: str) -> bool:
    """Tell whether a URL points at this machine (where plain http is no risk)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name such as 127.0.0.1.nip.io is not this machine
        return False


def clear_text_warning(url: str) -> str | None:
    """Return a warning when a password would travel unencrypted, else None."""
    if url.startswith("http://") and not is_local_host(url):
        return (
            "This blog address starts with http://, so your password would travel in clear "
            "text. Use the https:// address if the blog has one."
        )
    return None


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


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """Return a URL's origin: scheme, host and port (the scheme's default port filled in)."""
    parsed = httpx.URL(str(url))
    return parsed.scheme, parsed.host.lower(), parsed.port or DEFAULT_PORTS.get(parsed.scheme)


class _LeftOrigin(Exception):
    """A request (a redirect) was about to leave the account's origin; never sent."""

    def __init__(self, target: httpx.URL) -> None:
        super().__init__(str(target))
        self.target = target


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


class WordPressClient:
    """Talks to one WordPress site as one user (application password, HTTP Basic auth)."""

    def __init__(
        self,
        site_url: str,
        user: str,
        password: str,
        *,
        retry: RetryPolicy = DEFAULT_RETRY,  # how idempotent requests are sent again
        upload_timeout: httpx.Timeout = UPLOAD_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        pinned_sha256: str = "",
        deadline_s: float | None = None,  # each request's total deadline (default: the module's)
        cancelled: Callable[[], bool] | None = None,  # True: end the request under way now
    ) -> None:
        self.site_url = site_url.rstrip("/")
        self.pinned_sha256 = pinned_sha256  # the certificate `verify` trusts, named in refusals
        self.deadline_s = deadline_s
        self.cancelled = cancelled
        self._http = httpx.Client(
            auth=httpx.BasicAuth(user, password),
            transport=transport,
            verify=verify,
            timeout=timeout,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            # Every request, redirects included, stays on the account's scheme, host and port.
            event_hooks={"request": [self._stay_on_origin]},
        )
        request_limits.bind_to_limits(self._http)
        self.retry = retry
        self.upload_timeout = upload_timeout
        self.root: ApiRoot | None = None

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> WordPressClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------------------------

    def _stay_on_origin(self, request: httpx.Request) -> None:
        """Refuse to send any request (a redirect's too) off the account's own origin."""
        if origin_of(request.url) != origin_of(self.site_url):
            raise _LeftOrigin(request.url)

    def _moved(self, url: str, target: httpx.URL) -> errors.BlogMoved:
        """Return the question a redirect to another origin puts to the writer."""
        if url.rstrip("/") == self.site_url:  # the front page: the blog's new address
            new_address = str(target.copy_with(query=None, fragment=None)).rstrip("/")
        else:
            new_address = f"{target.scheme}://{target.netloc.decode('ascii')}"
        return errors.BlogMoved(
            f"The blog at {self.site_url} now redirects to {new_address}. If it moved, edit "
            f"the account's address to {new_address}. Draftpress sent your password nowhere else."
        )

    def _deadline(self, kwargs: dict[str, Any]) -> float:
        """Return a request's total deadline in seconds (an upload's grows with its size)."""
        seconds = self.deadline_s if self.deadline_s is not None else REQUEST_DEADLINE_S
        content = kwargs.get("content") or b""
        if content:
            return max(seconds, UPLOAD_DEADLINE_S) + len(content) / UPLOAD_BYTES_PER_S
        return seconds

    def _exchange(self, method: str, url: str, action: str, **kwargs: Any) -> httpx.Response:
        """Send a request, follow its redirects (each checked) and read the capped answer."""
        request = self._http.build_request(method, url, **kwargs)
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._http.send(request, stream=True, follow_redirects=False)
            try:
                if response.next_request is None:
                    return read_capped(response, action)
                request = response.next_request  # its body is never read
            finally:
                response.close()
        raise errors.UnexpectedAnswer(
            f"The blog sent Draftpress round in circles while {action} (more than "
            f"{MAX_REDIRECTS} redirects). Check the blog's address and its redirect settings."
        )

    def _send(self, method: str, url: str, action: str, **kwargs: Any) -> httpx.Response:
        """Send one request within its deadline, turning network failures into PublishErrors."""
        seconds = self._deadline(kwargs)
        try:
            with request_limits.limited(seconds, self.cancelled):
                return self._exchange(method, url, action, **kwargs)
        except request_limits.RequestCancelled:
            raise errors.Cancelled(f"Cancelled while {action}.") from None
        except request_limits.DeadlinePassed:
            raise errors.AnswerTooSlow(
                f"The blog did not finish answering within {seconds:.0f} seconds ({action}). "
                "It may be overloaded, or something between you and the blog holds the answer."
            ) from None
        except _LeftOrigin as left:
            raise self._moved(url, left.target) from None
        except httpx.DecodingError:
            raise errors.UnexpectedAnswer(
                f"The blog's answer ({action}) was packed wrongly and cannot be read."
            ) from None
        except httpx.ConnectTimeout:
            raise errors.Unreachable(
                f"The blog at {self.site_url} did not answer. Check your connection."
            ) from None
        except httpx.TimeoutException:
            raise errors.Timeout(f"The blog did not answer in time ({action}).") from None
        except httpx.ConnectError as error:
            if isinstance(error.__cause__, ssl.SSLCertVerificationError) or "CERTIFICATE" in str(
                error
            ):
                raise untrusted_certificate(self.site_url, self.pinned_sha256) from None
            raise errors.Unreachable(
                f"The blog at {self.site_url} could not be reached. Check your connection."
            ) from None
        except httpx.TransportError as error:
            log.info("the connection broke off while %s: %s", action, type(error).__name__)
            raise errors.NoNetwork(
                f"The connection to the blog broke off while {action}."
            ) from None

    def _send_retrying(
        self, method: str, url: str, action: str, *, idempotent: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """Send a request; an idempotent one is sent again after a transient fault.

        Transient: no connection, a broken connection, a timeout, or a 502/503/504 (waiting
        as long as a Retry-After asks, within the policy). A request that is not idempotent is
        sent once: what a failure did on the blog is unknown, and the publisher looks it up.
        """
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            failure: errors.PublishError | None = None
            retry_after = None
            try:
                response = self._send(method, url, action, **kwargs)
            except errors.AnswerTooSlow:
                raise  # a trickling server would only trickle again
            except (errors.Timeout, errors.NoNetwork) as error:
                failure = error
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                retry_after = retry_after_seconds(response.headers.get("retry-after"))
            wait = self.retry.delay(attempt, waited, retry_after) if idempotent else None
            if wait is None:
                if failure is not None:
                    raise failure
                return response
            log.info(
                "%s: %s; trying again in %.1f s",
                action,
                type(failure).__name__ if failure else f"HTTP {response.status_code}",
                wait,
            )
            try:
                request_limits.pause(wait, self.cancelled)
            except request_limits.RequestCancelled:
                raise errors.Cancelled(f"Cancelled while {action}.") from None
            waited += wait

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
