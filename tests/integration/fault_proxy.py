"""A fault-injecting HTTP reverse proxy on 127.0.0.1 in front of the real test WordPress.

Each connection carries one request (the proxy answers with `Connection: close`, as `php -S`
does). A test scripts what happens to the requests it cares about with `FaultProxy.on(...)`:
match on the method and a substring of the request target, fire on the Nth match (and on
`times` matches from there, or every later one with `times=None`), and do one of:

- `PASS` — forward (the default for everything unmatched);
- `DROP_MID_UPLOAD` — read part of the request body, then cut the connection (nothing reaches
  the blog);
- `LOSE_ANSWER` — forward, let the blog handle it, then cut the connection before the answer;
- `ERROR_PAGE` — answer `status` (500, 502, ...) with an HTML page, never forwarding;
- `SLOW` — forward, then hold the answer for `delay` seconds (beyond the client's timeout);
- `REFUSE` — close the connection at once, as a server that is down or restarting would.

`before` runs a callable before the action (revoke a password, restart the server).

WordPress writes absolute URLs of its own address into its answers (the `Link` header that
announces the REST API, `source_url`, `link`): the proxy passes them on unchanged, as a
careless reverse proxy would, so the client must stay on the address it was given (it moves
the announced API onto it) or the faults would never reach it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

PASS = "pass"
DROP_MID_UPLOAD = "drop-mid-upload"
LOSE_ANSWER = "lose-answer"
ERROR_PAGE = "error-page"
SLOW = "slow"
REFUSE = "refuse"

ERROR_PAGE_BODY = (
    "<!DOCTYPE html><html><head><title>{status} Error</title></head><body><h1>{status}</h1>"
    "<p>The server encountered a temporary error.</p></body></html>"
)
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Rule:
    """What to do with the requests that match a method and a target substring."""

    method: str
    target: str
    action: str
    nth: int = 1
    times: int | None = 1  # None: every match from the nth on
    status: int = 502
    delay: float = 0.0
    before: Callable[[], None] | None = None
    matched: int = 0
    fired: int = 0

    def matches(self, method: str, target: str) -> bool:
        """Tell whether a request is one this rule is about (a pattern ending in `$` must end
        the path, so that `/wp/v2/posts$` is the create and not `/wp/v2/posts/12`)."""
        if method != self.method:
            return False
        if self.target.endswith("$"):
            return target.split("?", 1)[0].endswith(self.target[:-1])
        return self.target in target

    def fires(self, method: str, target: str) -> bool:
        """Count a request and tell whether this rule acts on it."""
        if not self.matches(method, target):
            return False
        self.matched += 1
        if self.matched < self.nth or (self.times is not None and self.fired >= self.times):
            return False
        self.fired += 1
        return True


@dataclass
class Seen:
    """One request the proxy received and what it did with it."""

    method: str
    target: str
    action: str


@dataclass
class _State:
    rules: list[Rule] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)


def _read_head(connection: socket.socket) -> tuple[bytes, bytes]:
    """Read up to the blank line ending the headers; return (head, body bytes read with it)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError("the client closed the connection before its headers")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _with_headers(head: bytes, replace: dict[bytes, bytes]) -> bytes:
    """Return a request head with some headers replaced (by lower-case name) or added."""
    lines = head.split(b"\r\n")
    kept = [line for line in lines[1:] if line.partition(b":")[0].strip().lower() not in replace]
    added = [name + b": " + value for name, value in replace.items()]
    return b"\r\n".join([lines[0], *kept, *added])


class FaultProxy:
    """A reverse proxy to `upstream_port()` on 127.0.0.1 whose faults a test scripts."""

    def __init__(self, upstream_port: Callable[[], int]) -> None:
        self._upstream_port = upstream_port
        self._state = _State()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    proxy._handle(self.request)
                except OSError as error:  # the client gave up (its timeout): nothing to do
                    log.debug("fault proxy: %s", error)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """The address to give the client instead of the blog's."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; answers held by SLOW are let go at once."""
        self._state.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- scripting -------------------------------------------------------------------------

    def on(self, method: str, target: str, action: str, **options) -> Rule:
        """Add a rule (see the module docstring); rules are tried in the order added."""
        rule = Rule(method.upper(), target, action, **options)
        with self._state.lock:
            self._state.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule: from now on everything passes (the fault is over)."""
        with self._state.lock:
            self._state.rules.clear()

    def seen(self, action: str | None = None) -> list[Seen]:
        """The requests received so far (those that got `action`, if given)."""
        with self._state.lock:
            return [s for s in self._state.seen if action is None or s.action == action]

    # -- one connection --------------------------------------------------------------------

    def _choose(self, method: str, target: str) -> Rule | None:
        with self._state.lock:
            for rule in self._state.rules:
                if rule.fires(method, target):
                    self._state.seen.append(Seen(method, target, rule.action))
                    return rule
            self._state.seen.append(Seen(method, target, PASS))
        return None

    def _handle(self, client: socket.socket) -> None:
        head, body = _read_head(client)
        method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        rule = self._choose(method, target)
        action = rule.action if rule else PASS
        if rule is not None and rule.before is not None:
            rule.before()
        if action == REFUSE:
            return  # closing without a word, as a port with nothing behind it
        length = _content_length(head)
        if action == DROP_MID_UPLOAD:
            wanted = max(1, length // 2)
            while len(body) < wanted:
                chunk = client.recv(min(65536, wanted - len(body)))
                if not chunk:
                    break
                body += chunk
            client.shutdown(socket.SHUT_RDWR)
            return
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                raise ConnectionError("the client closed the connection mid-body")
            body += chunk
        if action == ERROR_PAGE:
            status = rule.status if rule else 502
            page = ERROR_PAGE_BODY.format(status=status).encode()
            client.sendall(
                f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\n"
                "Content-Type: text/html; charset=UTF-8\r\n"
                f"Content-Length: {len(page)}\r\nConnection: close\r\n\r\n".encode()
                + page
            )
            return
        answer = self._forward(head, body)
        if action == LOSE_ANSWER:
            client.shutdown(socket.SHUT_RDWR)
            return
        if action == SLOW and rule is not None:
            self._state.release.wait(rule.delay)
        client.sendall(answer)

    def _forward(self, head: bytes, body: bytes) -> bytes:
        """Send the request to the blog and return its whole raw answer."""
        port = self._upstream_port()
        upstream_host = f"127.0.0.1:{port}".encode()
        head = _with_headers(head, {b"host": upstream_host, b"connection": b"close"})
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=120) as upstream:
                upstream.sendall(head + b"\r\n\r\n" + body)
                chunks = []
                while chunk := upstream.recv(65536):
                    chunks.append(chunk)
        except OSError:
            return b""  # the blog is down: the client sees the connection close unanswered
        return b"".join(chunks)


@contextlib.contextmanager
def fault_proxy(upstream_port: Callable[[], int]):
    """A started FaultProxy, stopped at the end of the block."""
    proxy = FaultProxy(upstream_port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
