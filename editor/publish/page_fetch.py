"""Fetch the head of a web page for the quote tool, bounded in size and in total time.

The deadline covers the whole fetch, from looking up the host to the end of the page's head:
a server that trickles its headers or its body a byte at a time is cut off when it passes.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from typing import Any

import httpx

from editor.core.page_metadata import PageHeadReader, PageMetadata

log = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 10.0  # the whole fetch: connecting, headers, redirects and the page's head
MAX_PAGE_BYTES = 2 * 1024 * 1024
USER_AGENT = "Draftpress (desktop blog editor; fetches a page's title to credit a quote)"
# A compressed page is never asked for: a small packed answer could unpack into gigabytes.
_HEADERS = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
TOO_SLOW = "The page did not answer in time."


class PageFetchError(Exception):
    """The page could not be read; the message is one line for the writer."""


class _Watchdog:
    """Shuts the fetch's connections when its deadline passes, wherever the fetch is waiting.

    httpx checks its timeouts per read, so a server sending a byte now and then never trips
    them; shutting the socket down wakes a read blocked on it at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False
        self.settled = threading.Event()  # the fetch ended, or was given up

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's trace hook: remember each connection's socket as it is made."""
        stream = info.get("return_value") if event.endswith(".complete") else None
        get_extra_info = getattr(stream, "get_extra_info", None)
        sock = get_extra_info("socket") if get_extra_info is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:  # connected just after the deadline
                _shut(sock)

    def expire(self) -> None:
        """Cut every connection of the fetch."""
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


_in_flight: set[_Watchdog] = set()
_in_flight_lock = threading.Lock()


def cancel_page_fetches() -> None:
    """End every fetch in flight at once (the app is quitting); each raises PageFetchError."""
    with _in_flight_lock:
        cancelled = list(_in_flight)
    for watchdog in cancelled:
        watchdog.expire()
        watchdog.settled.set()


def _shut(sock: socket.socket) -> None:
    """Shut a socket down for both directions; a closed one is left as it is."""
    with contextlib.suppress(OSError):
        # The plain socket call, also for a TLS socket: it only wakes the reader; closing
        # stays with the thread that owns the connection.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def fetch_page_metadata(url: str, timeout: float | None = None) -> PageMetadata:
    """Fetch a web page's head (within `timeout` seconds in all) and read its metadata."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise PageFetchError("That is not a web address (it should start with https://).")
    limit = FETCH_TIMEOUT_S if timeout is None else timeout
    watchdog = _Watchdog()
    outcome: list[PageMetadata | BaseException] = []

    def fetch() -> None:
        try:
            outcome.append(_fetch(url, limit, watchdog))
        except BaseException as error:  # noqa: BLE001 (handed to the caller's thread)
            outcome.append(error)
        finally:
            watchdog.settled.set()

    # The fetch runs on its own thread so that even a host name lookup, which no socket
    # timeout covers, cannot keep the caller past the deadline.
    worker = threading.Thread(target=fetch, name="draftpress-page-fetch", daemon=True)
    started = time.monotonic()
    with _in_flight_lock:
        _in_flight.add(watchdog)
    try:
        worker.start()
        watchdog.settled.wait(limit)
    finally:
        with _in_flight_lock:
            _in_flight.discard(watchdog)
    if not outcome or watchdog.expired:
        watchdog.expire()
        log.info("page fetch cut off after %.1f s: %s", time.monotonic() - started, url[:200])
        raise PageFetchError(TOO_SLOW)
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _fetch(url: str, timeout: float, watchdog: _Watchdog) -> PageMetadata:
    """Download the page up to the end of its head (on the fetch's own thread)."""
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers=_HEADERS
            ) as client,
            client.stream("GET", url, extensions={"trace": watchdog.trace}) as response,
        ):
            if response.status_code >= 400:
                raise PageFetchError(f"The page answered with error {response.status_code}.")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in ("text/html", "application/xhtml+xml"):
                raise PageFetchError(f"That address is not a web page (it is {kind or 'unknown'}).")
            reader = PageHeadReader(response.charset_encoding)
            for chunk in response.iter_bytes():
                if reader.feed(chunk):  # the head is all we need: stop downloading
                    break
                if reader.size > MAX_PAGE_BYTES:
                    raise PageFetchError("The page is too large to find its title.")
            final_url = str(response.url)
    except httpx.InvalidURL as error:
        raise PageFetchError("That is not a valid web address.") from error
    except httpx.TimeoutException as error:
        raise PageFetchError(TOO_SLOW) from error
    except httpx.HTTPError as error:
        if watchdog.expired:
            raise PageFetchError(TOO_SLOW) from error
        raise PageFetchError(f"The page could not be reached ({type(error).__name__}).") from error
    return reader.metadata(final_url)
