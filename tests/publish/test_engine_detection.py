"""Engine detection from an address, against small real HTTP servers on 127.0.0.1.

Each server here answers like one kind of blog's home page (a Link header, a <link> element, an
RSD document, Ghost's site endpoint): the real servers are in tests/integration (WordPress here,
the others in the engine helpers' suites), these cover the signs one by one and hostile answers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from editor.publish import errors
from editor.publish.engines import detect
from editor.publish.engines.base import GHOST, MICROPUB, WORDPRESS, XMLRPC
from tests.local_page import PROXY_VARIABLES

Route = tuple[int, dict[str, str], bytes]


@contextlib.contextmanager
def serve(routes: dict[str, Route]) -> Iterator[str]:
    """Serve fixed answers by path (404 for others); yield the site's address."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib API)
            """Keep the test output quiet."""

        def do_GET(self) -> None:  # noqa: N802 (stdlib API)
            status, headers, body = routes.get(self.path, (404, {}, b"not here"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(head: str = "") -> bytes:
    html = f"<!doctype html><html><head><title>A blog</title>{head}</head><body>Hi</body></html>"
    return html.encode()


def test_a_plain_page_is_none_of_them_and_says_so() -> None:
    with serve({"/": (200, HTML, page())}) as url:
        found = detect.detect_engines(url)
        assert found.found == [] and found.kind == ""
        with pytest.raises(detect.NoEngineFound, match="found no blog it can publish to"):
            found.require()
        with pytest.raises(detect.NoEngineFound):
            detect.detect_engine(url)


def test_micropub_by_link_header_and_by_link_element() -> None:
    header = {**HTML, "Link": '<https://example.test/micropub>; rel="micropub"'}
    with serve({"/": (200, header, page())}) as url:
        assert detect.detect_engines(url).found == [MICROPUB]
    element = '<link rel="micropub" href="/micropub">'
    with serve({"/": (200, HTML, page(element))}) as url:
        assert detect.detect_engine(url) == MICROPUB


def test_ghost_by_its_site_endpoint_answering_json() -> None:
    site = b'{"site":{"title":"Ghost blog","version":"5.130"}}'
    routes = {
        "/": (200, HTML, page()),
        "/ghost/api/admin/site/": (200, {"Content-Type": "application/json"}, site),
    }
    with serve(routes) as url:
        assert detect.detect_engines(url).found == [GHOST]
    routes["/ghost/api/admin/site/"] = (200, HTML, page())  # a page, not Ghost's JSON
    with serve(routes) as url:
        assert detect.detect_engines(url).found == []


RSD = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsd version="1.0" xmlns="http://archipelago.phrasewise.com/rsd"><service>
<engineName>Movable Type</engineName>
<apis><api name="MetaWeblog" blogID="1" preferred="true" apiLink="/mt-xmlrpc.cgi"/></apis>
</service></rsd>"""


def test_xmlrpc_by_the_rsd_document_behind_edituri() -> None:
    routes = {
        "/": (200, HTML, page('<link rel="EditURI" type="application/rsd+xml" href="/rsd.xml">')),
        "/rsd.xml": (200, {"Content-Type": "application/rsd+xml"}, RSD),
    }
    with serve(routes) as url:
        assert detect.detect_engines(url).found == [XMLRPC]
        with detect.SiteProbe(url) as probe:
            assert detect.rsd_api_link(probe) == url + "/mt-xmlrpc.cgi"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rsd [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rsd><service><apis><api name="WordPress" apiLink="/x&d;"/></apis></service></rsd>"""


def test_hostile_rsd_answers_are_not_followed_or_expanded() -> None:
    # An entity bomb is refused by defusedxml (not expanded); an EditURI on another origin is
    # not fetched (no request leaves the blog's origin while detecting).
    routes = {
        "/": (200, HTML, page('<link rel="EditURI" href="/rsd.xml">')),
        "/rsd.xml": (200, {"Content-Type": "text/xml"}, BOMB),
    }
    with serve(routes) as url:
        assert detect.detect_engines(url).found == []
    elsewhere = '<link rel="EditURI" href="http://127.0.0.2:9/rsd.xml">'
    with serve({"/": (200, HTML, page(elsewhere))}) as url:
        assert detect.detect_engines(url).found == []


def test_an_address_that_does_not_answer_says_so_in_plain_words() -> None:
    with serve({}) as url:
        pass  # the server is gone: nothing listens on its port any more
    with pytest.raises(errors.PublishError, match="could not be reached|did not answer"):
        detect.detect_engines(url)


def test_every_kind_has_a_detector_and_the_order_names_them_all() -> None:
    assert set(detect.ORDER) == set(detect.DETECTORS) == {WORDPRESS, GHOST, MICROPUB, XMLRPC}
    for kind in detect.ORDER:
        assert callable(detect.detector(kind))
