"""Who wrote a web page and what it is called: read from its <head> to prefill a quote."""

from __future__ import annotations

import codecs
import logging
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx

log = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 6.0
MAX_PAGE_BYTES = 2 * 1024 * 1024
USER_AGENT = "Draftpress (desktop blog editor; fetches a page's title to credit a quote)"


class PageFetchError(Exception):
    """The page could not be read; the message is one line for the writer."""


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself."""

    title: str = ""
    site_name: str = ""
    author: str = ""
    url: str = ""


class _HeadReader(HTMLParser):
    """Collects <title> and the <meta> tags that name the page, its site and its author."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record meta tags and note when the title starts."""
        values = {key.lower(): (value or "") for key, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or "").lower().strip()
            content = values.get("content", "").strip()
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        """Note when the title or the head ends."""
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        """Collect the title's text."""
        if self._in_title:
            self.title_parts.append(data)


def parse_page_metadata(html_text: str, url: str = "") -> PageMetadata:
    """Read title, site name and author from a page's HTML."""
    reader = _HeadReader()
    reader.feed(html_text)
    return _metadata_from(reader, url)


def _metadata_from(reader: _HeadReader, url: str) -> PageMetadata:
    """Turn what the reader collected into PageMetadata."""
    meta = reader.meta
    author = meta.get("article:author", "") or meta.get("author", "")
    if author.startswith(("http://", "https://")):  # often a profile URL, not a name
        author = meta.get("author", "") if not meta.get("author", "").startswith("http") else ""
    title = meta.get("og:title") or " ".join("".join(reader.title_parts).split())
    return PageMetadata(
        title=" ".join(title.split()),
        site_name=" ".join(meta.get("og:site_name", "").split()),
        author=" ".join(author.split()),
        url=url,
    )


def fetch_page_metadata(url: str, timeout: float = FETCH_TIMEOUT_S) -> PageMetadata:
    """Fetch a web page (bounded in time and size) and read its metadata."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise PageFetchError("That is not a web address (it should start with https://).")
    deadline = time.monotonic() + 2 * timeout  # the whole fetch, not only each network read
    try:
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise PageFetchError(f"The page answered with error {response.status_code}.")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in ("text/html", "application/xhtml+xml"):
                raise PageFetchError(f"That address is not a web page (it is {kind or 'unknown'}).")
            decoder = codecs.getincrementaldecoder(response.encoding or "utf-8")("replace")
            reader = _HeadReader()
            received = 0
            for chunk in response.iter_bytes():
                if time.monotonic() > deadline:  # a server trickling bytes: each read is quick
                    raise PageFetchError("The page did not answer in time.")
                reader.feed(decoder.decode(chunk))
                received += len(chunk)
                if reader.done:  # the head is all we need: stop downloading
                    break
                if received > MAX_PAGE_BYTES:
                    raise PageFetchError("The page is too large to find its title.")
            final_url = str(response.url)
    except httpx.TimeoutException as error:
        raise PageFetchError("The page did not answer in time.") from error
    except httpx.HTTPError as error:
        raise PageFetchError(f"The page could not be reached ({type(error).__name__}).") from error
    except LookupError as error:  # an unknown charset name
        raise PageFetchError("The page uses a text encoding Draftpress does not know.") from error
    return _metadata_from(reader, final_url)
