"""A guarded HTTP connection to one blog, shared by every blog engine's client.

Every request, redirects included, stays on the account's own scheme, host and port (a
redirect elsewhere ends in `BlogMoved`, and the password goes nowhere else); each request has
a total deadline however the server trickles, its answer is read within a size cap, Cancel ends
the request under way, an idempotent request is sent again after a transient fault, and every
network failure becomes a PublishError in the writer's words.
"""

from __future__ import annotations

import ipaddress
import logging
import ssl
from collections.abc import Callable
from typing import Any, TypedDict
from urllib.parse import urlsplit

import httpx

from editor.publish import errors, request_limits
from editor.publish.answers import ACCEPT_ENCODING, read_capped
from editor.publish.certificates import untrusted_certificate
from editor.publish.retry_policy import (
    DEFAULT_RETRY,
    RETRY_STATUSES,
    RetryPolicy,
    retry_after_seconds,
)

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)
UPLOAD_TIMEOUT = httpx.Timeout(120.0, connect=10.0)
REQUEST_DEADLINE_S = 60.0  # the longest one request may take in all, however the blog trickles
UPLOAD_DEADLINE_S = 180.0  # an upload's, before its size: the blog makes thumbnails meanwhile
UPLOAD_BYTES_PER_S = 50_000  # an upload gets 1 s longer per this many bytes (a slow uplink)
MAX_REDIRECTS = 10
USER_AGENT = "Draftpress (desktop blog editor)"


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


class ConnectionOptions(TypedDict, total=False):
    """The options a blog's client passes on to BlogConnection unchanged (see its __init__)."""

    retry: RetryPolicy
    upload_timeout: httpx.Timeout
    transport: httpx.BaseTransport | None
    verify: ssl.SSLContext | bool
    timeout: httpx.Timeout
    pinned_sha256: str
    deadline_s: float | None
    cancelled: Callable[[], bool] | None


class BlogConnection:
    """An HTTP connection to one blog's origin with the guards above; close it after use."""

    def __init__(
        self,
        site_url: str,
        *,
        auth: httpx.Auth | None = None,
        accept: str = "application/json",
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
            auth=auth,
            transport=transport,
            verify=verify,
            timeout=timeout,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": accept,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            # Every request, redirects included, stays on the account's scheme, host and port.
            event_hooks={"request": [self._stay_on_origin]},
        )
        request_limits.bind_to_limits(self._http)
        self.retry = retry
        self.upload_timeout = upload_timeout

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> BlogConnection:
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
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            log.info("the connection broke off while %s: %s", action, type(error).__name__)
            raise errors.ConnectionBroken(
                f"The connection to the blog broke off while {action}."
            ) from None
        except httpx.TransportError as error:
            log.info("the connection failed while %s: %s", action, type(error).__name__)
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

    def send(
        self, method: str, url: str, action: str, *, idempotent: bool = False, **kwargs: Any
    ) -> httpx.Response:
        """Send a request to a URL on the blog's origin, with every guard above.

        `action` names what is being done, in the writer's words ("uploading cat.png"), for
        the error messages. An idempotent request is sent again after a transient fault.
        """
        return self._send_retrying(method, url, action, idempotent=idempotent, **kwargs)
