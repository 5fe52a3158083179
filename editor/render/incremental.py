"""Incremental rendering: re-render only the top-level blocks an edit touched (no Qt).

The document is split at blank lines where Python-Markdown would never join the two sides, each
block's HTML is cached by its text, and the body is the blocks' HTML joined the way
Python-Markdown joins top-level elements. Whatever is document-wide (reference links,
footnotes, abbreviations, a table of contents, raw HTML blocks, explicit ids, headings that
would need de-duplicated ids) makes the split unsafe, and such documents get a full render:
the output is always byte-identical to `MarkdownRenderer.render_body`.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from editor.core.front_matter import split_front_matter
from editor.render.markdown_renderer import MarkdownRenderer

log = logging.getLogger(__name__)

CACHE_SIZE = 20_000
SENTINEL = "ZQXDRAFTPRESSBLOCKENDZQX"
SENTINEL_HTML = f"<p>{SENTINEL}</p>"
# Constructs whose meaning reaches across blocks: with any of them, render the whole document.
_DOCUMENT_WIDE = re.compile(
    r"^ {0,3}\[[^\]\n]+\]:"  # reference definitions (and footnote definitions)
    r"|\[\^"  # footnote references
    r"|^\*\["  # abbreviations
    r"|\[TOC\]"  # a table of contents
    r"|^ {0,3}<"  # raw HTML blocks may span blank lines
    r"|\{[:#]|\{ *\.|id="  # attribute lists may set ids the toc must avoid
    r"|^ {0,3}[:~]"  # definition lists continue after blank lines
    r"|" + "ZQXDRAFTPRESSBLOCKENDZQX",  # our own sentinel, typed by hand
    re.MULTILINE,
)
_CAPTION_FENCE = re.compile(r"^ {0,3}(/{3,})(.*)$")
_LIST_ITEM = re.compile(r"^ {0,3}([*+-]|\d+[.)])(\s|$)")
# Headings anywhere (also inside quotes and lists); finding too many only costs a full render.
_HEADING = re.compile(
    r"^[\s>*+\-\d.)]*#{1,6}(.*?)#*\s*$|^[\s>]*(.+)\n[\s>]*(=+|-+)\s*$", re.MULTILINE
)


def _starts_block(line: str, previous: list[str]) -> bool:
    """Tell whether `line` (after a blank line) starts a block the previous one cannot absorb.

    Lists and quotes continue across blank lines (and lazily, without markers), so a list item
    never starts a block after a block holding a list, nor a quote after one holding a quote.
    """
    if not line or line[0] in " \t":
        return False  # indented: code or a list/quote continuation
    if line.lstrip().startswith(">") and any(text.lstrip().startswith(">") for text in previous):
        return False
    return not (_LIST_ITEM.match(line) and any(_LIST_ITEM.match(text) for text in previous))


def _fenced_blocks(body: str) -> dict[int, int]:
    """Map the first line of each fenced code block to its last, as Python-Markdown finds them."""
    starts = {}
    for match in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(body):
        first = body.count("\n", 0, match.start())
        starts[first] = first + match.group(0).count("\n")
    return starts


def split_blocks(body: str) -> list[str] | None:
    """Split Markdown into independently renderable blocks, or None when that is unsafe."""
    if _DOCUMENT_WIDE.search(body):
        return None
    lines = body.split("\n")
    fenced = _fenced_blocks(body)
    blocks: list[str] = []
    current: list[str] = []
    caption_depth: list[str] = []
    blank_before = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if index in fenced:  # a fenced code block is one piece, whatever it holds
            if blank_before and not caption_depth and current and _starts_block(line, current):
                blocks.append("\n".join(current).rstrip("\n"))
                current = []
            current.extend(lines[index : fenced[index] + 1])
            index = fenced[index] + 1
            blank_before = False
            continue
        index += 1
        marker = _CAPTION_FENCE.match(line)
        if marker:
            slashes, rest = marker.group(1), marker.group(2).strip()
            if rest:  # an opening line such as `/// caption`
                caption_depth.append(slashes)
            elif caption_depth and caption_depth[-1] == slashes:
                caption_depth.pop()
            # a caption belongs to the block before it: never split here
            current.append(line)
            blank_before = False
            continue
        if not line.strip():
            current.append(line)
            blank_before = True
            continue
        if blank_before and not caption_depth and current and _starts_block(line, current):
            block = "\n".join(current).rstrip("\n")
            if block.strip():
                blocks.append(block)
            current = []
        current.append(line)
        blank_before = False
    if caption_depth:
        return None  # unclosed constructs swallow the rest of the document
    tail = "\n".join(current).rstrip("\n")
    if tail.strip():
        blocks.append(tail)
    if _duplicate_headings(blocks):
        return None
    return blocks


def _duplicate_headings(blocks: list[str]) -> bool:
    """Tell whether two headings would need de-duplicated ids (a document-wide counter)."""
    seen: set[str] = set()
    for block in blocks:
        for match in _HEADING.finditer(block):
            text = (match.group(1) or match.group(2) or "").strip().lower()
            key = re.sub(r"[^\w]+", "", text)
            if key in seen:
                return True
            seen.add(key)
    return False


@dataclass(frozen=True)
class RenderedBlock:
    """One top-level piece of the preview: where its source starts and the HTML it renders to."""

    line: int  # 0-based line of the post text (front matter included) where the block starts
    html: str  # this piece of the body HTML; the pieces joined are the whole body HTML


class IncrementalRenderer:
    """Renders a post's body, re-rendering only blocks whose text changed since last time."""

    def __init__(self, renderer: MarkdownRenderer | None = None) -> None:
        self._renderer = renderer or MarkdownRenderer()
        self._cache: OrderedDict[str, str] = OrderedDict()
        self.text = ""
        self.last_rendered_blocks = 0  # how many blocks the last call actually rendered
        self.blocks: list[RenderedBlock] = []  # the last render, piece by piece, in order

    def _block_html(self, block: str) -> str:
        """Return a block's HTML from the cache, rendering it when new."""
        cached = self._cache.get(block)
        if cached is not None:
            self._cache.move_to_end(block)
            return cached
        # Rendered alone, a block loses the whitespace Python-Markdown puts after it in a full
        # render (e.g. the newline after a highlighted code block); a sentinel paragraph after
        # it keeps that whitespace, and the piece is cut just before the sentinel.
        rendered = self._renderer.render_body(f"{block}\n\n{SENTINEL}\n")
        cut = rendered.rfind(SENTINEL_HTML)
        html = rendered[:cut] if cut >= 0 else rendered + "\n"
        self.last_rendered_blocks += 1
        self._cache[block] = html
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return html

    def render(self, text: str) -> str:
        """Return the body HTML of a whole post text (front matter skipped)."""
        self.text = text
        self.last_rendered_blocks = 0
        body_start = split_front_matter(text).body_start
        body = text[body_start:]
        first_line = text.count("\n", 0, body_start)
        blocks = split_blocks(body)
        if blocks is None:
            self.last_rendered_blocks = -1  # a full render
            html = self._renderer.render_body(body)
            self.blocks = [RenderedBlock(first_line, html)]
            return html
        pieces: list[RenderedBlock] = []
        search_from = 0
        for block in blocks:
            start = body.index(block, search_from)
            search_from = start + len(block)
            line = first_line + body.count("\n", 0, start)
            pieces.append(RenderedBlock(line, self._block_html(block)))
        if pieces:  # the body HTML has no leading or trailing whitespace
            pieces[0] = RenderedBlock(pieces[0].line, pieces[0].html.lstrip())
            pieces[-1] = RenderedBlock(pieces[-1].line, pieces[-1].html.rstrip())
        self.blocks = pieces
        return "".join(piece.html for piece in pieces)

    def edit(self, position: int, removed: int, added_text: str) -> str:
        """Apply one edit (as QTextDocument.contentsChange reports it) and return the new HTML."""
        text = self.text[:position] + added_text + self.text[position + removed :]
        return self.render(text)
