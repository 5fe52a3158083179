"""Limits on every blog request: a total deadline, the writer's Cancel, and quitting.

httpx's timeouts bound each read, not the request: a server trickling one header line every few
seconds never trips them, and nothing lets another thread stop a read under way. So the blog
clients' sockets (httpcore's network backend, replaced by `bind_to_limits`) wait in short
slices and, between two slices, check the deadline and cancel flag the running request set on
its thread (`limited`) and the app-wide stop (`stop_all_requests`). A request thus ends within a
slice of its deadline, of Cancel or of quitting, whatever the server does. Only the name lookup
(the system resolver) cannot be interrupted.
"""

from __future__ import annotations

import errno
import logging
import os
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from editor.publish.request_stop import STOPPING as _stopping
from editor.publish.request_stop import allow_requests as allow_requests
from editor.publish.request_stop import stop_all_requests as stop_all_requests

log = logging.getLogger(__name__)

SLICE_S = 0.1  # the longest a socket waits before the limits are checked again
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY, 10035}  # 10035: Windows


class RequestCancelled(Exception):
    """The writer cancelled the request, or Draftpress is closing."""


class DeadlinePassed(Exception):
    """The request ran past its total deadline."""


_local = threading.local()


@dataclass(frozen=True)
class Limits:
    """One request's limits: when it must be over, and whether it was cancelled."""

    deadline: float  # time.monotonic()
    cancelled: Callable[[], bool]

    def check(self) -> None:
        """Raise if the request was cancelled or its deadline passed."""
        if _stopping.is_set() or self.cancelled():
            raise RequestCancelled
        if time.monotonic() >= self.deadline:
            raise DeadlinePassed


_UNLIMITED = Limits(float("inf"), lambda: False)


def current_limits() -> Limits:
    """Return the limits of the request running on this thread (none: only the app's stop)."""
    return getattr(_local, "limits", None) or _UNLIMITED


@contextmanager
def limited(seconds: float, cancelled: Callable[[], bool] | None = None) -> Iterator[Limits]:
    """Run the requests inside on this thread under a deadline `seconds` away and a cancel flag."""
    previous = getattr(_local, "limits", None)
    limits = Limits(time.monotonic() + seconds, cancelled or (lambda: False))
    limits.check()
    _local.limits = limits
    try:
        yield limits
    finally:
        _local.limits = previous


def pause(seconds: float, cancelled: Callable[[], bool] | None = None) -> None:
    """Wait `seconds` (between two attempts), ending early with RequestCancelled."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if _stopping.is_set() or (cancelled is not None and cancelled()):
            raise RequestCancelled
        time.sleep(min(SLICE_S, left))


def _slices(timeout: float | None, timed_out: type[Exception]) -> Iterator[float]:
    """Yield how long to wait next (at most a slice) until `timeout`; raise on a limit."""
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        limits = current_limits()
        limits.check()
        now = time.monotonic()
        wait = min(SLICE_S, max(limits.deadline - now, 0.001))
        if end is not None:
            if now >= end:
                raise timed_out("timed out")
            wait = min(wait, end - now)
        yield wait


def _ready(sock: socket.socket, events: int, wait: float) -> bool:
    """Wait up to `wait` s for a socket event (selectors: no FD_SETSIZE limit, unlike select)."""
    with selectors.DefaultSelector() as selector:
        selector.register(sock, events)
        return bool(selector.select(wait))


def _readable(sock: socket.socket) -> bool:
    """Tell whether a socket has data or was closed (a pooled connection the server dropped)."""
    if sock.fileno() < 0:
        return True
    return _ready(sock, selectors.EVENT_READ, 0)


class SlicedStream(httpcore.NetworkStream):
    """A socket (plain or TLS) whose every wait is cut into slices checked against the limits."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read up to `max_bytes`; `timeout` bounds this one read, the limits the request."""
        for wait in _slices(timeout, httpcore.ReadTimeout):
            try:
                self._sock.settimeout(wait)
                return self._sock.recv(max_bytes)
            except TimeoutError:  # nothing yet: check the limits, wait again
                continue
            except OSError as error:
                raise httpcore.ReadError(error) from error
        raise AssertionError("unreachable")  # pragma: no cover

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send all of `buffer`; `timeout` bounds each wait for the peer to take more."""
        view = memoryview(buffer)
        slices = _slices(timeout, httpcore.WriteTimeout)
        while view:
            wait = next(slices)
            try:
                self._sock.settimeout(wait)
                sent = self._sock.send(view)  # after a timeout TLS wants the same bytes again
            except TimeoutError:
                continue
            except OSError as error:
                raise httpcore.WriteError(error) from error
            view = view[sent:]
            slices = _slices(timeout, httpcore.WriteTimeout)  # progress: a new wait

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> SlicedStream:
        """Return this connection wrapped in TLS, the handshake done in slices."""
        try:
            tls = ssl_context.wrap_socket(
                self._sock, server_hostname=server_hostname, do_handshake_on_connect=False
            )
            for wait in _slices(timeout, httpcore.ConnectTimeout):
                try:
                    tls.settimeout(wait)
                    tls.do_handshake()
                    return SlicedStream(tls)
                except TimeoutError:
                    continue
        except OSError as error:  # ssl.SSLError (a refused certificate) included
            self.close()
            raise httpcore.ConnectError(error) from error
        except BaseException:
            self.close()
            raise
        raise AssertionError("unreachable")  # pragma: no cover

    def get_extra_info(self, info: str) -> Any:
        """Answer httpcore's questions about the connection."""
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock  # has selected_alpn_protocol(), all httpcore asks of it
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            return _readable(self._sock)
        return None


def _connect(sock: socket.socket, address: Any, timeout: float | None) -> None:
    """Connect without blocking, checking the limits between slices."""
    sock.setblocking(False)
    code = sock.connect_ex(address)
    if code in (0, errno.EISCONN):
        return
    if code not in _IN_PROGRESS:
        raise OSError(code, os.strerror(code))
    for wait in _slices(timeout, httpcore.ConnectTimeout):
        if _ready(sock, selectors.EVENT_WRITE, wait):  # connected, or failed (SO_ERROR says)
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code))
            return


class SlicedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with sliced waits (see the module's docstring)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> SlicedStream:
        """Open a TCP connection to the first address of `host` that accepts one."""
        current_limits().check()
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise httpcore.ConnectError(error) from error
        failure: OSError | None = None
        for family, kind, proto, _name, address in addresses:
            sock = socket.socket(family, kind, proto)
            try:
                for option in socket_options or ():
                    sock.setsockopt(*option)
                if local_address is not None:
                    sock.bind((local_address, 0))
                _connect(sock, address, timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return SlicedStream(sock)
            except httpcore.ConnectTimeout:
                sock.close()
                raise
            except OSError as error:
                sock.close()
                failure = error
            except BaseException:
                sock.close()
                raise
        raise httpcore.ConnectError(failure or OSError(f"no address for {host}"))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        """Unix sockets are not used for blogs: httpcore's own connection."""
        return httpcore.SyncBackend().connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        """Wait between httpcore's connection retries."""
        pause(seconds)


_BACKEND = SlicedBackend()


def bind_to_limits(client: httpx.Client) -> httpx.Client:
    """Put `client`'s connections (proxies from the environment too) on sliced sockets.

    httpx offers no public way to choose httpcore's network backend, so this sets it on the
    pools of the client's transports; a test transport (httpx.MockTransport) has none.
    """
    transports = [client._transport, *client._mounts.values()]  # noqa: SLF001
    for transport in transports:
        if not isinstance(transport, httpx.HTTPTransport):
            continue
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend"):
            pool._network_backend = _BACKEND  # noqa: SLF001
        else:  # a newer httpx: requests keep httpx's per-read timeouts only
            log.warning("cannot bound blog requests in time: unknown httpx transport")
    return client
