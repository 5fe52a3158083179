"""Who wrote a web page and what it is called: read from its <head> to prefill a quote.

Pure parsing, no network: editor.publish.page_fetch fetches the bytes and hands them here.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

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
# After the head, the body is read for its h1, JSON-LD and byline up to this many bytes.
BODY_SCAN_BYTES = 512 * 1024
AUTHOR_META_KEYS = ("article:author", "author", "parsely-author", "dc.creator", "citation_author")
ARTICLE_TYPES = frozenset(
    {"Article", "BlogPosting", "NewsArticle", "Report", "ScholarlyArticle", "TechArticle",
     "SocialMediaPosting", "LiveBlogPosting", "OpinionNewsArticle", "ReviewNewsArticle",
     "AnalysisNewsArticle", "Review", "WebPage", "ItemPage", "Blog"}
)  # fmt: skip


@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself."""

    title: str = ""
    site_name: str = ""
    author: str = ""
    url: str = ""


class _HeadReader(HTMLParser):
    """Collects <title>, the <meta> tags that name the page, its site and its author, the
    charset the page declares, and from the body the first <h1>, JSON-LD and rel=author links.

    Meta tags after the head are not the page's description and are ignored.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.json_ld: list[str] = []
        self.rel_author_parts: list[str] = []
        self.declared_charset = ""
        self.head_ended = False
        self.h1_ended = False
        self.done = False
        self._in_title = False
        self._h1_depth = 0
        self._json_ld_parts: list[str] | None = None
        self._rel_author_open = False
        self._rel_author_ended = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record meta tags, and note where the title, the h1, JSON-LD and a byline start."""
        if self.done:
            return
        values = {key.lower(): (value or "") for key, value in attrs}
        if tag == "meta" and not self.head_ended:
            self._note_charset(values)
            key = (values.get("property") or values.get("name") or "").lower().strip()
            content = values.get("content", "").strip()
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "title" and not self.head_ended:
            self._in_title = True
        elif tag == "body":
            self.head_ended = True
        elif tag == "h1" and not self.h1_ended:
            self._h1_depth += 1
        elif tag == "script" and values.get("type", "").strip().lower() == "application/ld+json":
            self._json_ld_parts = []
        elif (
            tag == "a"
            and not self._rel_author_ended
            and "author" in values.get("rel", "").lower().split()
        ):
            self._rel_author_open = True

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
        """Note when the title, the head, the h1, a JSON-LD script, a byline or the page ends."""
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.head_ended = True
        elif tag == "h1" and self._h1_depth:
            self._h1_depth = 0
            self.h1_ended = bool("".join(self.h1_parts).strip())
        elif tag == "script" and self._json_ld_parts is not None:
            self.json_ld.append("".join(self._json_ld_parts))
            self._json_ld_parts = None
        elif tag == "a" and self._rel_author_open:
            self._rel_author_open = False
            self._rel_author_ended = bool("".join(self.rel_author_parts).strip())
        elif tag in ("body", "html"):
            self.head_ended = True
            self.done = True

    def handle_data(self, data: str) -> None:
        """Collect the text of the title, the first h1, JSON-LD scripts and the first byline."""
        if self.done:
            return
        if self._in_title and not self.head_ended:
            self.title_parts.append(data)
        if self._h1_depth and not self.h1_ended:
            self.h1_parts.append(data)
        if self._json_ld_parts is not None:
            self._json_ld_parts.append(data)
        if self._rel_author_open:
            self.rel_author_parts.append(data)


def parse_page_metadata(html_text: str, url: str = "") -> PageMetadata:
    """Read title, site name and author from a page's HTML."""
    reader = _HeadReader()
    reader.feed(html_text)
    reader.close()
    return _metadata_from(reader, url)


def _metadata_from(reader: _HeadReader, url: str) -> PageMetadata:
    """Turn what the reader collected into PageMetadata.

    The title: the article's own (og:title, a JSON-LD headline, then the first h1) before the
    tab's <title>, which usually carries the site's name too. The author: the author meta tags, then
    JSON-LD, then the text of a rel=author link.
    """
    meta = reader.meta
    site_name = _one_line(meta.get("og:site_name", ""))
    h1 = _one_line("".join(reader.h1_parts))
    if h1 and h1.casefold() == site_name.casefold():  # a logo heading, not the article's
        h1 = ""
    headline, json_ld_author = json_ld_article(reader.json_ld)
    title = (
        _one_line(meta.get("og:title", ""))
        or headline
        or h1
        or _one_line(meta.get("twitter:title", ""))
        or _one_line("".join(reader.title_parts))
    )
    author = next(
        (name for key in AUTHOR_META_KEYS if (name := _person_name(meta.get(key, "")))), ""
    )
    author = author or json_ld_author or _person_name("".join(reader.rel_author_parts))
    return PageMetadata(title=title, site_name=site_name, author=author, url=url)


def _one_line(text: str) -> str:
    """Collapse runs of white space into single spaces."""
    return " ".join(text.split())


def _person_name(text: str) -> str:
    """Return `text` as a name on one line, or "" if it is a profile address, not a name."""
    text = _one_line(text)
    return "" if text.startswith(("http://", "https://")) else text


def json_ld_article(scripts: list[str]) -> tuple[str, str]:
    """Return (headline, author names) of the first article described in JSON-LD scripts."""
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            log.debug("skipping a JSON-LD script that is not JSON")
            continue
        nodes = list(_json_ld_nodes(data))
        by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
        for node in nodes:
            if _is_article(node) and ("author" in node or "headline" in node):
                names = _author_names(node.get("author"), by_id)
                headline = node.get("headline")
                headline = _one_line(headline) if isinstance(headline, str) else ""
                return headline, _join_names(names) if names else ""
    return "", ""


def _json_ld_nodes(data: object) -> Iterator[dict[str, Any]]:
    """Yield every object of a JSON-LD document: top level, lists and @graph."""
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_nodes(data.get("@graph"))
        main = data.get("mainEntity")
        if isinstance(main, dict):
            yield main


def _is_article(node: dict[str, Any]) -> bool:
    """True for a node typed as an article, post or web page (any of its types)."""
    kinds = node.get("@type", [])
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in kinds)


def _author_names(value: object, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Return the names a JSON-LD author value gives: a name, a Person, a reference, a list."""
    if isinstance(value, list):
        return [name for item in value for name in _author_names(item, by_id)]
    if isinstance(value, str):
        name = _person_name(value)
        return [name] if name else []
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], {})
        given = value.get("name")
        if isinstance(given, str) and _person_name(given):
            return [_person_name(given)]
    return []


def _join_names(names: list[str]) -> str:
    """Join author names as a writer would: "A", "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


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
        self._head_size: int | None = None  # bytes read when the head ended

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
        if self._scan.head_ended and self._head_size is None:
            self._head_size = len(self._data)
        return self._has_enough()

    def _has_enough(self) -> bool:
        """True once the page has ended, or its title and author are known after the head, or
        the body was read as far as it is worth reading."""
        scan = self._scan
        if scan.done:
            return True
        if self._head_size is None:
            return False
        if len(self._data) - self._head_size > BODY_SCAN_BYTES:
            return True
        if not (scan.h1_ended or scan.meta.get("og:title")):
            return False
        return bool(_metadata_from(scan, "").author)

    def metadata(self, url: str = "") -> PageMetadata:
        """Decode the collected bytes in the page's own encoding and read its metadata."""
        data = bytes(self._data)
        if self._decoder is None:  # a page shorter than a byte order mark
            self._scan.feed(data.decode(_SCAN_CODEC))
        codec = page_encoding(data, self._header_charset, self._scan.declared_charset)
        log.debug("reading a page as %s", codec)
        return parse_page_metadata(data.decode(codec, "replace"), url)
