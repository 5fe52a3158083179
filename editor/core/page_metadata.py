"""Who wrote a web page and what it is called: read from its <head> to prefill a quote.

Pure parsing, no network: editor.publish.page_fetch fetches the bytes and hands them here.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from editor.core.text_encoding import guess_legacy_encoding

log = logging.getLogger(__name__)

# Labels browsers read as Windows-1252 (the WHATWG Encoding Standard): pages that say Latin-1
# or ASCII mean it, and Python's Latin-1 would turn its curly quotes into control characters.
_WINDOWS_1252_LABELS = frozenset(
    {"ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1",
     "cp819", "ibm819", "windows-1252", "cp1252", "x-cp1252"}
)  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHARSET_IN_CONTENT = re.compile(r"charset\s*=\s*[\"']?\s*([^\s\"';]+)", re.IGNORECASE)
_SCAN_CODEC = "latin-1"  # reads the tags of any ASCII-based page before its charset is known


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself."""

    title: str = ""
    site_name: str = ""
    author: str = ""
    url: str = ""


class _HeadReader(HTMLParser):
    """Collects <title>, the <meta> tags that name the page, its site and its author, and the
    charset the page declares; tags after the head are not the page's description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.declared_charset = ""
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record meta tags and note when the title starts."""
        if self.done:
            return
        values = {key.lower(): (value or "") for key, value in attrs}
        if tag == "meta":
            self._note_charset(values)
            key = (values.get("property") or values.get("name") or "").lower().strip()
            content = values.get("content", "").strip()
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "title":
            self._in_title = True
        elif tag == "body":
            self.done = True

    def _note_charset(self, values: dict[str, str]) -> None:
        """Keep the first charset a <meta charset> or <meta http-equiv=content-type> names."""
        if self.declared_charset:
            return
        if values.get("charset", "").strip():
            self.declared_charset = values["charset"].strip()
        elif values.get("http-equiv", "").strip().lower() == "content-type":
            found = _CHARSET_IN_CONTENT.search(values.get("content", ""))
            self.declared_charset = found.group(1) if found else ""

    def handle_endtag(self, tag: str) -> None:
        """Note when the title or the head ends."""
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        """Collect the title's text."""
        if self._in_title and not self.done:
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


def codec_for_charset(label: str | None) -> str | None:
    """Return the Python codec for a charset label, or None if it names no text encoding."""
    name = (label or "").strip().strip("\"'").strip().lower()
    if not name:
        return None
    if name in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: not charsets
        return None
    return info.name


def _bom_codec(data: bytes | bytearray) -> str | None:
    """Return the codec a byte order mark at the start of `data` names, if any."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def page_encoding(data: bytes, header_charset: str | None, declared_charset: str | None) -> str:
    """Choose how to decode a page: its BOM, the HTTP charset, its <meta> charset, else a guess.

    The order is the one browsers follow (a BOM wins even over the HTTP header), so the title
    reads as the writer saw it. A page claiming UTF-16 in <meta> is ASCII-based, hence UTF-8.
    Without any declaration: UTF-8 if the bytes are UTF-8, else charset-normalizer's guess.
    """
    found = _bom_codec(data) or codec_for_charset(header_charset)
    if found:
        return found
    declared = codec_for_charset(declared_charset)
    if declared:
        return "utf-8" if declared.startswith("utf-16") else declared
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(data) - 3:  # not merely a character cut off at the end
            return guess_legacy_encoding(data)
    return "utf-8"


class PageHeadReader:
    """Collects a page's first bytes until its head has ended, then reads its metadata."""

    def __init__(self, header_charset: str | None = None) -> None:
        self._header_charset = header_charset
        self._data = bytearray()
        self._scan = _HeadReader()  # finds the end of the head and the declared charset
        self._decoder: codecs.IncrementalDecoder | None = None

    @property
    def size(self) -> int:
        """How many bytes were collected."""
        return len(self._data)

    def feed(self, chunk: bytes) -> bool:
        """Add the page's next bytes; True once its head has ended (the rest is not needed)."""
        self._data += chunk
        if self._decoder is None:
            if len(self._data) < 3:  # too short yet to tell a byte order mark
                return False
            codec = _bom_codec(self._data) or codec_for_charset(self._header_charset)
            self._decoder = codecs.getincrementaldecoder(codec or _SCAN_CODEC)("replace")
            chunk = bytes(self._data)
        self._scan.feed(self._decoder.decode(chunk))
        return self._scan.done

    def metadata(self, url: str = "") -> PageMetadata:
        """Decode the collected bytes in the page's own encoding and read its metadata."""
        data = bytes(self._data)
        if self._decoder is None:  # a page shorter than a byte order mark
            self._scan.feed(data.decode(_SCAN_CODEC))
        codec = page_encoding(data, self._header_charset, self._scan.declared_charset)
        log.debug("reading a page as %s", codec)
        return parse_page_metadata(data.decode(codec, "replace"), url)
