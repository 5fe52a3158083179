"""Attributed quotes: fields <-> the dialect's blockquote + caption (+ closing link) Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from editor.core.markdown_escape import (
    LINK_PATTERN,
    escape_block_fence,
    escape_inline,
    link,
    normalize_url,
    one_line,
    parse_url,
    unescape,
    unescape_block_fence,
)

DEFAULT_CLOSING = "Read the whole post here."
_ATTRIBUTION = re.compile(
    r"^— (?:(?P<author>(?:\\.|[^\\])*?)(?:, )?)?(?:"
    + LINK_PATTERN.format("source")
    + r"|\*(?P<plain_title>(?:\\.|[^*\\])+)\*)?$"
)
_CLOSING_LINE = re.compile(r"^" + LINK_PATTERN.format("closing") + r"$")


class EmptyQuote(ValueError):
    """A quote needs some quoted text."""


@dataclass(frozen=True)
class QuoteFields:
    """What the quote dialog collects."""

    text: str
    author: str = ""
    source_title: str = ""
    source_url: str = ""
    closing_text: str = ""
    closing_url: str = ""

    def normalized(self) -> QuoteFields:
        """Return the fields as the Markdown keeps them (trimmed, one-line where needed)."""
        # A line starting `&#47;//` shows as `///` and is written (escaped) just like it.
        lines = [unescape_block_fence(line.rstrip()) for line in self.text.strip("\n").split("\n")]
        text = "\n".join(lines).strip()
        text = re.sub(r"\n{3,}", "\n\n", text)
        source_url = normalize_url(self.source_url)
        source_title = one_line(self.source_title) or source_url
        closing_url = normalize_url(self.closing_url) or source_url
        closing_text = one_line(self.closing_text) if closing_url else ""
        return QuoteFields(
            text=text,
            author=one_line(self.author),
            source_title=source_title,
            source_url=source_url,
            closing_text=closing_text,
            closing_url=closing_url if closing_text else "",
        )


def _quote_line(line: str) -> str:
    """Prefix one line of quoted text, escaping a leading `///` that would open a block."""
    if not line:
        return ">"
    return f"> {escape_block_fence(line)}"


def _attribution(fields: QuoteFields) -> str:
    """Return the caption line: `— Author, [Title](url)`."""
    parts = []
    if fields.author:
        parts.append(escape_inline(fields.author))
    if fields.source_title and fields.source_url:
        parts.append(link(fields.source_title, fields.source_url))
    elif fields.source_title:  # a publication without a web address: set in italics
        parts.append(f"*{escape_inline(fields.source_title)}*")
    return "— " + ", ".join(parts) if parts else ""


def build_quote_markdown(fields: QuoteFields) -> str:
    """Return the Markdown for an attributed quote (raises EmptyQuote without text)."""
    fields = fields.normalized()
    if not fields.text:
        raise EmptyQuote("There is no text to quote: paste or type the quote first.")
    quoted = "\n".join(_quote_line(line) for line in fields.text.split("\n"))
    parts = [quoted]
    attribution = _attribution(fields)
    if attribution:
        parts.append(f"/// caption\n{attribution}\n///")
    if fields.closing_text:
        parts.append(link(fields.closing_text, fields.closing_url))
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class SnippetSpan:
    """Where a snippet sits in a document: [start, end) character offsets."""

    start: int
    end: int


def _line_starts(text: str) -> list[int]:
    """Return the offset at which each line starts."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _parse_quote_lines(lines: list[str], first: int) -> tuple[QuoteFields, int] | None:
    """Parse a quote starting at line `first`; return the fields and the line after it."""
    index = first
    quoted: list[str] = []
    while index < len(lines) and lines[index].startswith(">"):
        line = lines[index][1:]
        quoted.append(line[1:] if line.startswith(" ") else line)
        index += 1
    if not quoted:
        return None
    text = "\n".join(unescape_block_fence(q) for q in quoted).strip()
    end = index
    author = title = url = ""
    probe = index + 1 if index < len(lines) and not lines[index].strip() else index
    if probe + 2 < len(lines) + 0 and lines[probe].strip() == "/// caption":
        close = probe + 1
        while close < len(lines) and lines[close].strip() != "///":
            close += 1
        caption = "\n".join(lines[probe + 1 : close]).strip()
        match = _ATTRIBUTION.match(caption)
        if close < len(lines) and match:
            author = unescape(match.group("author") or "")
            title = unescape(match.group("source_text") or match.group("plain_title") or "")
            url = parse_url(match.group("source_url") or "")
            end = close + 1
    closing_text = closing_url = ""
    probe = end + 1 if end < len(lines) and not lines[end].strip() else end
    if probe < len(lines):
        closing = _CLOSING_LINE.match(lines[probe].strip())
        if closing and (probe + 1 >= len(lines) or not lines[probe + 1].strip()):
            closing_text = unescape(closing.group("closing_text"))
            closing_url = parse_url(closing.group("closing_url"))
            end = probe + 1
    fields = QuoteFields(text, author, title, url, closing_text, closing_url)
    return fields, end


def parse_quote_markdown(markdown: str) -> QuoteFields | None:
    """Read the fields back from a quote snippet (None if it does not start with a quote)."""
    parsed = _parse_quote_lines(markdown.strip("\n").split("\n"), 0)
    return parsed[0] if parsed else None


def find_quote_at(text: str, offset: int) -> tuple[SnippetSpan, QuoteFields] | None:
    """Find the attributed quote around `offset`: its span and fields, or None."""
    lines = text.split("\n")
    starts = _line_starts(text)
    line_no = max(0, min(len(lines) - 1, text.count("\n", 0, offset)))
    first = line_no
    if not lines[first].startswith(">"):
        # The cursor may be on the caption or the closing link: walk up to the quote.
        while first > 0 and not lines[first].startswith(">"):
            first -= 1
            if not lines[first].strip() and first > 0 and not lines[first - 1].strip():
                return None
        if not lines[first].startswith(">"):
            return None
    while first > 0 and lines[first - 1].startswith(">"):
        first -= 1
    parsed = _parse_quote_lines(lines, first)
    if parsed is None:
        return None
    fields, end_line = parsed
    if line_no >= end_line:
        return None
    end = starts[end_line] - 1 if end_line < len(starts) else len(text)
    return SnippetSpan(starts[first], end), fields
