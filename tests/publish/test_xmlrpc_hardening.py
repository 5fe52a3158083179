"""The XML-RPC engine against hostile or odd servers: a fake blog on 127.0.0.1.

A fake, because a real WordPress (tests/integration/engines/test_xmlrpc.py) never sends a
billion-laughs answer, an answer over the size cap, a gzip bomb or a broken answer, and is not a
Movable Type blog with its own RSD. The fake is a real HTTP server (a thread of the test) so
that everything goes through the real connection: origin checks, caps, parsing.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from editor.publish import errors
from editor.publish.answers import MAX_ANSWER_BYTES
from editor.publish.blog_http import BlogConnection
from editor.publish.engines.base import XMLRPC
from editor.publish.engines.detect import speaks
from editor.publish.engines.xmlrpc import XmlRpcEngine
from editor.publish.engines.xmlrpc_client import (
    WRONG_PASSWORD,
    XmlRpcClient,
    discover_endpoint,
    edit_uri,
    parse_answer,
    parse_rsd,
)
from editor.publish.wordpress_client import WRONG_LOGIN
from tests.local_page import PROXY_VARIABLES

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<methodResponse><params><param><value><string>&lol9;</string></value></param></params>
</methodResponse>"""

RSD = """<?xml version="1.0" encoding="UTF-8"?>
<rsd version="1.0" xmlns="http://archipelago.phrasewise.com/rsd"><service>
<engineName>Movable Type</engineName><apis>
<api name="Blogger" blogID="7" preferred="false" apiLink="{api}"/>
<api name="MetaWeblog" blogID="7" preferred="true" apiLink="{api}"/>
</apis></service></rsd>"""

PAGE = '<html><head><link rel="EditURI" type="application/rsd+xml" href="{rsd}"></head></html>'


def answer(value: object) -> bytes:
    """An XML-RPC answer carrying `value`."""
    return xmlrpc.client.dumps((value,), methodresponse=True).encode()


def fault(code: int, words: str) -> bytes:
    """An XML-RPC fault answer."""
    return xmlrpc.client.dumps(xmlrpc.client.Fault(code, words)).encode()


@dataclass
class Reply:
    """What the fake blog sends for one path."""

    body: bytes | None = None
    status: int = 200
    content_type: str = "text/xml; charset=UTF-8"
    gzip_bomb: int = 0  # send a gzip answer unpacking to this many bytes
    oversize: int = 0  # send this many bytes of XML-ish padding


@dataclass
class FakeBlog:
    """A fake blog: replies by path (GET and POST alike) and the methods called, in order."""

    url: str = ""
    replies: dict[str, Reply] = field(default_factory=dict)
    by_method: dict[str, bytes] = field(default_factory=dict)  # answers to POSTs, by method
    methods: list[str] = field(default_factory=list)


@contextlib.contextmanager
def fake_blog(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBlog]:
    """Serve a FakeBlog on 127.0.0.1 for the test (see the module's docstring for why)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    blog = FakeBlog()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Keep the test output quiet."""

        def _reply(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if b"<methodName>" in body:
                blog.methods.append(body.split(b"<methodName>")[1].split(b"<")[0].decode())
            method = blog.methods[-1] if b"<methodName>" in body else ""
            reply = blog.replies.get(self.path.split("?")[0], Reply(b"no", 404, "text/html"))
            if method in blog.by_method:
                reply = Reply(blog.by_method[method])
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.gzip_bomb:
                packed = gzip.compress(b"<" + b" " * reply.gzip_bomb, compresslevel=9)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(packed)))
                self.end_headers()
                self.wfile.write(packed)
                return
            if reply.oversize:
                self.send_header("Content-Length", str(reply.oversize))
                self.end_headers()
                chunk = b"<methodResponse>" + b" " * (1 << 20)
                with contextlib.suppress(OSError):  # the client stops reading at the cap
                    sent = 0
                    while sent < reply.oversize:
                        piece = chunk[: reply.oversize - sent]
                        self.wfile.write(piece)
                        sent += len(piece)
                return
            data = reply.body or b""
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = _reply  # noqa: N815 (stdlib API)
        do_POST = _reply  # noqa: N815 (stdlib API)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    blog.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield blog
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture
def blog(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBlog]:
    with fake_blog(monkeypatch) as served:
        yield served


def call(blog: FakeBlog, method: str = "metaWeblog.getPost", *, wordpress: bool = False):
    """Call a method on the fake blog's /xmlrpc.php through the real guarded connection."""
    with BlogConnection(blog.url) as connection:
        client = XmlRpcClient(connection, wordpress_words=wordpress)
        client.endpoint = discover_endpoint(connection) or client.find_endpoint()
        client.wordpress_words = wordpress
        return client.call(method, "1", "user", "secret", action="reading the post")


def test_a_billion_laughs_answer_is_refused_at_once(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(BILLION_LAUGHS)
    began = time.monotonic()
    with pytest.raises(errors.UnexpectedAnswer, match="refuses to read"):
        call(blog)
    assert time.monotonic() - began < 5


def test_an_external_entity_is_refused() -> None:
    external = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<methodResponse><params><param><value><string>&x;</string></value></param></params>
</methodResponse>"""
    with pytest.raises(errors.UnexpectedAnswer, match="refuses to read"):
        parse_answer(external, "reading the post")


def test_an_answer_over_the_cap_is_not_read_to_its_end(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(oversize=MAX_ANSWER_BYTES + (2 << 20))
    with pytest.raises(errors.AnswerTooLarge):
        call(blog)


def test_a_gzip_bomb_is_stopped_at_the_cap(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(gzip_bomb=MAX_ANSWER_BYTES + 1024)
    with pytest.raises(errors.AnswerTooLarge):
        call(blog)


def test_a_wrong_password_fault_is_said_in_the_writers_words(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(fault(403, "Incorrect username or password."), 200)
    with pytest.raises(errors.WrongCredentials) as elsewhere:
        call(blog)
    assert str(elsewhere.value) == WRONG_PASSWORD
    with pytest.raises(errors.WrongCredentials) as on_wordpress:
        call(blog, wordpress=True)
    assert str(on_wordpress.value) == WRONG_LOGIN  # the words the REST API's refusal gets


def test_other_faults_name_what_the_blog_said(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(fault(404, "Invalid post ID."))
    with pytest.raises(errors.NotFound, match="Invalid post ID"):
        call(blog)
    blog.replies["/xmlrpc.php"] = Reply(fault(401, "Sorry, you are not allowed to edit."))
    with pytest.raises(errors.NotAllowed, match="not allowed to edit"):
        call(blog)
    blog.replies["/xmlrpc.php"] = Reply(fault(-32601, "server error. requested method x"))
    with pytest.raises(errors.ApiUnavailable):
        call(blog)


def test_a_web_page_where_xmlrpc_belongs_says_it_may_be_blocked(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(b"<html>Forbidden</html>", 403, "text/html")
    with pytest.raises(errors.ApiUnavailable, match="blocked by the host"):
        call(blog)


def test_broken_xml_rpc_is_an_unexpected_answer(blog: FakeBlog) -> None:
    blog.replies["/xmlrpc.php"] = Reply(b"<?xml version='1.0'?><methodResponse><params>")
    with pytest.raises(errors.UnexpectedAnswer, match="not valid XML-RPC"):
        call(blog)
    blog.replies["/xmlrpc.php"] = Reply(
        b"<?xml version='1.0'?><methodResponse><params><param><value><int>x</int></value>"
        b"</param></params></methodResponse>"
    )
    with pytest.raises(errors.UnexpectedAnswer, match="not valid XML-RPC"):
        call(blog)


def test_rsd_discovery_finds_a_movable_type_blog_and_keeps_to_its_origin(blog: FakeBlog) -> None:
    """The RSD names another host for the API: the request still goes to the blog's own."""
    blog.replies["/"] = Reply(PAGE.format(rsd="/mt/rsd.xml").encode(), content_type="text/html")
    blog.replies["/mt/rsd.xml"] = Reply(RSD.format(api="https://elsewhere.example/mt-xmlrpc.cgi")
                                        .encode())
    with BlogConnection(blog.url) as connection:
        endpoint = discover_endpoint(connection)
    assert endpoint is not None
    assert endpoint.url == blog.url + "/mt-xmlrpc.cgi" and endpoint.blog_id == "7"
    assert endpoint.engine_name == "Movable Type" and not endpoint.is_wordpress
    assert speaks(blog.url, XMLRPC)


def test_a_blog_without_rsd_is_not_detected(blog: FakeBlog) -> None:
    blog.replies["/"] = Reply(b"<html><head><title>A shop</title></head></html>", 200, "text/html")
    assert not speaks(blog.url, XMLRPC)
    blog.replies["/"] = Reply(PAGE.format(rsd="/rsd").encode(), content_type="text/html")
    blog.replies["/rsd"] = Reply(BILLION_LAUGHS)  # hostile RSD: refused, so not detected
    assert not speaks(blog.url, XMLRPC)


def test_an_engine_without_wordpress_calls_logs_in_with_blogger(blog: FakeBlog) -> None:
    blog.replies["/"] = Reply(PAGE.format(rsd="/rsd").encode(), content_type="text/html")
    blog.replies["/rsd"] = Reply(RSD.format(api=blog.url + "/rpc").encode())
    blogs = [{"blogid": "7", "blogName": "Notes", "url": blog.url + "/", "isAdmin": True}]
    listed = ["metaWeblog.newPost", "metaWeblog.getPost", "blogger.getUsersBlogs"]
    blog.by_method = {"system.listMethods": answer(listed), "blogger.getUsersBlogs": answer(blogs)}
    engine = XmlRpcEngine(blog.url, "me", "secret")
    try:
        report = engine.check()
    finally:
        engine.close()
    assert blog.methods == ["system.listMethods", "blogger.getUsersBlogs"]
    assert report.blog_title == "Notes" and engine.api.blog_id == "7"
    assert not engine.capabilities().pages and not report.can_upload
    assert "no modification dates" in report.summary()


def test_rsd_and_page_parsing() -> None:
    assert edit_uri('<link rel="stylesheet" href="a.css"><link REL="EditURI" href="/r">') == "/r"
    assert edit_uri("<p>no link</p>") == ""
    engine_name, apis = parse_rsd(RSD.format(api="https://x/rpc").encode())
    assert engine_name == "Movable Type" and [a.name for a in apis] == ["Blogger", "MetaWeblog"]
    with pytest.raises(ValueError):
        parse_rsd(b"<html/>")
    with pytest.raises(ValueError):
        parse_rsd(BILLION_LAUGHS)


def test_a_blog_without_xmlrpc_says_so_when_logging_in(blog: FakeBlog) -> None:
    """No EditURI, and /xmlrpc.php is a 404 page: the writer is told, no password is judged."""
    blog.replies["/"] = Reply(b"<html><head></head></html>", 200, "text/html")
    engine = XmlRpcEngine(blog.url, "me", "secret")
    try:
        with pytest.raises(errors.ApiUnavailable, match="found no XML-RPC") as refused:
            engine.check()
    finally:
        engine.close()
    assert "secret" not in str(refused.value)
    assert blog.methods == ["system.listMethods"]  # the login itself was never sent
