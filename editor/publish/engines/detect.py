"""Which blog engine an address speaks, found from the address alone (no credentials sent).

Each engine kind has a detector: a function that takes a `SiteProbe` (a `BlogConnection` to the
blog's origin, without credentials, that fetches the home page once) and says whether the blog
speaks that engine's API. `DETECTORS` names them as "module:function", like the registry's
openers, so an engine's module can take its detector over by changing one line. Detectors are
tried in `ORDER`, richest API first; the first that answers yes is the engine to use.

The signs, from each API's documentation and measured on the test servers:
- WordPress REST: the home page's `Link: <…/wp-json/>; rel="https://api.w.org/"` header;
- Ghost: `/ghost/api/admin/site/` answers JSON with a `site` object (no key needed);
- Micropub: `Link: <…>; rel="micropub"` (header) or `<link rel="micropub" href="…">` (HTML);
- XML-RPC: the home page's `<link rel="EditURI" href="…?rsd">` leads to an RSD document that
  names an API (`<api name="WordPress" apiLink="…/xmlrpc.php">`, MetaWeblog, Movable Type…).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, cast
from urllib.parse import urljoin

import httpx
from defusedxml import ElementTree as SafeXml
from defusedxml.common import DefusedXmlException

from editor.publish import errors
from editor.publish.blog_http import BlogConnection, origin_of
from editor.publish.engines.base import GHOST, MICROPUB, WORDPRESS, XMLRPC
from editor.publish.retry_policy import NO_RETRY

log = logging.getLogger(__name__)

DETECT_DEADLINE_S = 10.0  # each request of a detection, however slowly the site answers
DETECT_TIMEOUT = httpx.Timeout(8.0, connect=5.0)
MAX_HTML_SCANNED = 512 * 1024  # <link> elements are in the head: the rest is not read
WORDPRESS_API_REL = "https://api.w.org/"

Detector = Callable[["SiteProbe"], bool]

# kind -> "module:function": the detector of each engine (an engine module may supply its own).
DETECTORS: dict[str, str] = {
    WORDPRESS: "editor.publish.engines.detect:detect_wordpress",
    GHOST: "editor.publish.engines.detect:detect_ghost",
    MICROPUB: "editor.publish.engines.detect:detect_micropub",
    XMLRPC: "editor.publish.engines.detect:detect_xmlrpc",
}
# Richest first: a WordPress site also speaks XML-RPC, but its REST API has pages, pull,
# featured images, application passwords and modification dates for conflict checks.
ORDER = (WORDPRESS, GHOST, MICROPUB, XMLRPC)

NONE_FOUND = (
    "Draftpress found no blog it can publish to at {url}: it is not a WordPress site (no REST "
    "API, no XML-RPC), not a Ghost site and announces no Micropub endpoint. Check the address "
    "(the blog's home page), or choose the blog's engine yourself."
)


class NoEngineFound(errors.PublishError):
    """The address answered, but speaks none of the APIs Draftpress knows."""


class _LinkTags(HTMLParser):
    """Collects the `<link rel=… href=…>` elements of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (rel, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep each link's rel values and href."""
        if tag != "link":
            return
        values = {name: value or "" for name, value in attrs}
        for rel in values.get("rel", "").split():
            if values.get("href"):
                self.links.append((rel.casefold(), values["href"]))


class SiteProbe(BlogConnection):
    """A connection to a blog's origin without credentials, remembering the home page."""

    def __init__(self, site_url: str, **options: Any) -> None:
        options.setdefault("retry", NO_RETRY)
        options.setdefault("timeout", DETECT_TIMEOUT)
        options.setdefault("deadline_s", DETECT_DEADLINE_S)
        super().__init__(site_url, accept="*/*", **options)
        self._home: httpx.Response | None = None
        self._html_links: list[tuple[str, str]] | None = None

    def __enter__(self) -> SiteProbe:
        return self

    def home(self) -> httpx.Response:
        """Return the home page's answer (fetched once)."""
        if self._home is None:
            self._home = self.send("GET", self.site_url + "/", "opening the blog's address")
        return self._home

    def get(self, url: str, action: str) -> httpx.Response | None:
        """GET a URL on the blog's origin; None when it is elsewhere or does not answer."""
        if origin_of(url) != origin_of(self.site_url):
            log.info("detect: %s is off the blog's origin; not followed", url)
            return None
        try:
            return self.send("GET", url, action)
        except errors.Cancelled:
            raise
        except errors.PublishError as error:  # this sign is missing; the others may be there
            log.info("detect: %s: %s", action, error)
            return None

    def header_links(self, rel: str) -> list[str]:
        """Return the home page's `Link` header targets with this rel, as absolute URLs."""
        found = []
        for header in self.home().headers.get_list("link"):
            for part in header.split(","):
                if "<" not in part or ">" not in part:
                    continue
                target = part[part.index("<") + 1 : part.index(">")].strip()
                params = part[part.index(">") + 1 :]
                for param in params.split(";"):
                    name, _, value = param.partition("=")
                    rels = value.strip().strip('"').casefold().split()
                    if name.strip().casefold() == "rel" and rel.casefold() in rels:
                        found.append(urljoin(self.site_url + "/", target))
        return found

    def html_links(self, rel: str) -> list[str]:
        """Return the home page's `<link rel=…>` targets with this rel, as absolute URLs."""
        if self._html_links is None:
            response = self.home()
            parser = _LinkTags()
            if "html" in response.headers.get("content-type", "html"):
                with suppress(AssertionError, ValueError):  # markup HTMLParser gives up on
                    parser.feed(response.text[:MAX_HTML_SCANNED])
            self._html_links = parser.links
        return [
            urljoin(self.site_url + "/", href) for name, href in self._html_links if name == rel
        ]

    def links(self, rel: str) -> list[str]:
        """Return the targets of this rel from the headers first, then the page's head."""
        return self.header_links(rel) + self.html_links(rel.casefold())


def detect_wordpress(probe: SiteProbe) -> bool:
    """Tell whether the site announces the WordPress REST API (its `Link` header)."""
    return bool(probe.header_links(WORDPRESS_API_REL))


def detect_ghost(probe: SiteProbe) -> bool:
    """Tell whether the site answers Ghost's public Admin API site endpoint with JSON."""
    answer = probe.get(probe.site_url + "/ghost/api/admin/site/", "looking for Ghost")
    if answer is None or answer.status_code != 200:
        return False
    try:
        data = answer.json()
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("site"), dict)


def detect_micropub(probe: SiteProbe) -> bool:
    """Tell whether the site announces a Micropub endpoint (header or `<link>`)."""
    return bool(probe.links("micropub"))


def rsd_api_link(probe: SiteProbe) -> str:
    """Return the XML-RPC endpoint the site's RSD document names ("" when there is none)."""
    for rsd_url in probe.html_links("edituri"):
        answer = probe.get(rsd_url, "reading the blog's RSD document")
        if answer is None or answer.status_code != 200:
            continue
        try:
            root = SafeXml.fromstring(answer.content)
        except (SafeXml.ParseError, DefusedXmlException, ValueError):
            log.info("detect: %s is not a readable RSD document", rsd_url)
            continue
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] == "api" and element.get("apiLink"):
                return urljoin(rsd_url, str(element.get("apiLink")))
    return ""


def detect_xmlrpc(probe: SiteProbe) -> bool:
    """Tell whether the site's RSD document (behind `<link rel="EditURI">`) names an API."""
    return bool(rsd_api_link(probe))


def detector(kind: str) -> Detector:
    """Return the detector of an engine kind."""
    module_name, function_name = DETECTORS[kind].split(":")
    return cast(Detector, getattr(importlib.import_module(module_name), function_name))


@dataclass(frozen=True)
class Detection:
    """What an address speaks: every engine found, and the one to use."""

    url: str
    found: list[str] = field(default_factory=list)  # kinds, in ORDER

    @property
    def kind(self) -> str:
        """Return the engine to use (the richest found); "" when none was."""
        return self.found[0] if self.found else ""

    def require(self) -> str:
        """Return the engine to use; raise NoEngineFound in the writer's words when none."""
        if not self.kind:
            raise NoEngineFound(NONE_FOUND.format(url=self.url))
        return self.kind


def detect_engines(
    url: str, *, kinds: tuple[str, ...] = ORDER, first_only: bool = False, **options: Any
) -> Detection:
    """Probe an address (no credentials) and return the engines it speaks, richest first.

    `options` go to the connection (verify, pinned_sha256, transport, cancelled). The home
    page not answering raises its PublishError (Unreachable, BlogMoved, …); an engine whose
    own probe fails is simply not found. With `first_only`, probing stops at the first found.
    """
    found = []
    with SiteProbe(url.rstrip("/"), **options) as probe:
        home = probe.home()
        if home.status_code >= 500:
            raise errors.ServerError(
                f"The site at {url} failed (HTTP {home.status_code}) when Draftpress opened it. "
                "Try again in a few minutes."
            )
        for kind in kinds:
            if detector(kind)(probe):
                found.append(kind)
                if first_only:
                    break
    log.info("detect %s: %s", url, found or "none")
    return Detection(url, found)


def speaks(url: str, kind: str, **options: Any) -> bool:
    """Tell whether the address speaks one engine's API (its detector alone, no credentials)."""
    return kind in detect_engines(url, kinds=(kind,), **options).found


def detect_engine(url: str, **options: Any) -> str:
    """Return the engine to use for an address; NoEngineFound when it speaks none we know."""
    return detect_engines(url, first_only=True, **options).require()
