"""Escaping text for the places it goes in Markdown: link text, URLs, plain inline text."""

from __future__ import annotations

import re

_LINK_TEXT_SPECIALS = re.compile(r"([\\\[\]])")
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]()>#!|{}])")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]()<>#!|{}+\-.])")
_WHITESPACE = re.compile(r"\s+")
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # an `&` a browser would read as an entity
_ESCAPED_HTML = re.compile(r"&(lt|amp);")


def one_line(text: str) -> str:
    """Collapse runs of whitespace (newlines included) to single spaces."""
    return _WHITESPACE.sub(" ", text).strip()


def _no_html(text: str) -> str:
    """Write `<` as `&lt;`, so that text that looks like HTML (a fetched page title with a
    `<script>` or `<img onerror=…>`) shows as text instead of becoming markup. Markdown has
    no backslash escape for `<`; `\\<` would show its backslash. An `&` that starts what reads
    as an entity (`&lt;` typed as text) is written `&amp;`, so it reads back as typed."""
    return _ENTITY_START.sub("&amp;", text).replace("<", "&lt;")


def escape_link_text(text: str) -> str:
    """Escape text for `[here](…)` or `![here](…)`: backslashes, square brackets and HTML."""
    return _no_html(_LINK_TEXT_SPECIALS.sub(r"\\\1", one_line(text)))


def escape_inline(text: str) -> str:
    """Escape text so Markdown shows it literally inside a paragraph (HTML included)."""
    return _no_html(_INLINE_SPECIALS.sub(r"\\\1", one_line(text)))


def unescape(text: str) -> str:
    """Undo backslash escapes of Markdown's punctuation and the `&lt;` of escaped HTML."""
    unescaped = _UNESCAPE.sub(r"\1", text)
    return _ESCAPED_HTML.sub(lambda match: "<" if match.group(1) == "lt" else "&", unescaped)


def normalize_url(url: str) -> str:
    """Return a URL as a link target keeps it: one line, with `<` and `>` percent-encoded."""
    return one_line(url).replace("<", "%3C").replace(">", "%3E")


def format_url(url: str) -> str:
    """Write a URL for a link target: in angle brackets when it has spaces or parentheses."""
    url = normalize_url(url)
    if any(ch in url for ch in " ()"):
        return "<" + url + ">"
    return url


def parse_url(target: str) -> str:
    """Read a link target written by format_url (or by hand)."""
    target = target.strip()
    if target.startswith("<") and target.endswith(">"):
        return target[1:-1]
    return target


def link(text: str, url: str) -> str:
    """Return `[text](url)`, or the escaped text alone when there is no URL."""
    if not one_line(url):
        return escape_inline(text)
    return f"[{escape_link_text(text)}]({format_url(url)})"


# A link written by `link`: the text may hold escaped brackets; the URL is plain or in <>.
LINK_PATTERN = r"\[(?P<{0}_text>(?:\\.|[^\]\\])*)\]\((?P<{0}_url><[^>\n]*>|[^()\s]*)\)"


_BLOCK_FENCE = re.compile(r"^(\s*)/(//+)")
_ESCAPED_FENCE = re.compile(r"^(\s*)&#47;(//+)")


def escape_block_fence(line: str) -> str:
    """Keep a line that starts with `///` from opening or closing a caption block."""
    return _BLOCK_FENCE.sub(r"\1&#47;\2", line)


def unescape_block_fence(line: str) -> str:
    """Undo escape_block_fence."""
    return _ESCAPED_FENCE.sub(r"\1/\2", line)
