"""Fake blogs of our own on 127.0.0.1, for what a real WordPress cannot be made to do.

`ScriptedBlog` answers like a WordPress (front page announcing /wp-json/, users/me) except on the
routes a test scripts: huge, packed, nested or misshapen answers, redirect loops. Its answers
are written in pieces, so a 100 MB answer never sits in memory whole. `TricklingBlog` accepts
every request and then sends its answer's header lines one every `interval` seconds, forever
(until the client hangs up or the test ends): httpx's per-read timeouts never fire on it.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# status, headers, body (bytes, or pieces written one after another)
Answer = tuple[int, dict[str, str], bytes | Iterable[bytes]]
JSON = {"Content-Type": "application/json; charset=UTF-8"}


def json_answer(data: object, status: int = 200) -> Answer:
    """A JSON answer."""
    return status, JSON, json.dumps(data).encode()


ME = json_answer({"id": 1, "name": "Ada", "roles": ["administrator"], "capabilities": {}})


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that says nothing when a client hangs up on it."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@dataclass
class ScriptedBlog:
    """A tiny WordPress look-alike whose answers a test scripts by method and route."""

    routes: dict[tuple[str, str], Answer | Callable[[bytes], Answer]] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        blog = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                route = self.path.split("?")[0]
                blog.seen.append((method, self.path))
                answer = blog.routes.get((method, route)) or blog.default(method, route)
                if callable(answer):
                    answer = answer(body)
                status, headers, content = answer
                pieces = [content] if isinstance(content, bytes) else content
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if isinstance(content, bytes):
                    self.send_header("Content-Length", str(len(content)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for piece in pieces:
                        self.wfile.write(piece)
                except OSError:  # the client stopped reading: what the cap is for
                    self.close_connection = True

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._answer("GET")

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                self._answer("POST")

            def log_message(self, *_args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def default(self, method: str, route: str) -> Answer:
        """What a working WordPress answers on the routes no test scripted."""
        if (method, route) == ("GET", "/"):
            link = f'<{self.url}/wp-json/>; rel="https://api.w.org/"'
            return 200, {"Link": link, "Content-Type": "text/html"}, b"<html></html>"
        if (method, route) == ("GET", "/wp-json/wp/v2/users/me"):
            return ME
        return json_answer({"code": "rest_no_route", "message": "No route."}, 404)

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


class TricklingBlog:
    """Answers every request with one header line every `interval` seconds, never finishing."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.stopped = threading.Event()
        self.connections = 0
        self.hung_up = threading.Event()  # a client closed its connection
        blog = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                blog.connections += 1
                connection: socket.socket = self.request
                head = b""
                while b"\r\n\r\n" not in head:
                    piece = connection.recv(65536)
                    if not piece:  # closed before its request was all sent: a hang-up too
                        blog.hung_up.set()
                        return
                    head += piece
                lines = [b"HTTP/1.1 200 OK\r\n"]
                number = 0
                while not blog.stopped.is_set():
                    try:
                        line = lines.pop() if lines else b"X-Trickle-%d: 1\r\n" % number
                        connection.sendall(line)
                    except OSError:
                        break
                    number += 1
                    if blog.stopped.wait(blog.interval):
                        break
                    if _closed(connection):
                        break
                blog.hung_up.set()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop trickling and serving."""
        self.stopped.set()
        self.server.shutdown()
        self.server.server_close()


def _closed(connection: socket.socket) -> bool:
    """Tell whether the client closed the connection (it sends nothing else)."""
    connection.setblocking(False)
    try:
        return connection.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        connection.setblocking(True)
