"""Split WordPress post content into its top-level pieces, losslessly (no Qt).

WordPress stores a post as block markup (`<!-- wp:name {json} -->…<!-- /wp:name -->`, or the
void `<!-- wp:name /-->`) with free HTML between blocks, or, for a classic post, as free HTML
alone. `split_content` returns the top-level pieces in order: each block whole (inner blocks
included), each stretch of free HTML between blocks, and the whitespace between them, such
that joining the pieces' text gives the content back byte for byte. `classic_chunks` splits
free HTML further into the paragraphs and elements WordPress's autop would see.

The comment grammar (editor.core.block_grammar, shared with the renderer's raw islands) is the
one WordPress's own block parser uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from editor.core.block_grammar import BLOCK_DELIMITER, block_attributes, full_block_name

_DELIMITER = BLOCK_DELIMITER
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
# Elements whose inside may hold blank lines that do not end a chunk (autop keeps them whole).
_CONTAINERS = (
    "pre", "table", "ul", "ol", "dl", "div", "blockquote", "figure", "script",
    "style", "section", "details", "form", "select", "object", "video", "audio",
)  # fmt: skip
_CONTAINER_TAG = re.compile(r"<(/?)(" + "|".join(_CONTAINERS) + r")\b[^>]*?(/?)>", re.IGNORECASE)
_SHORTCODE_TAG = re.compile(r"\[(/?)([A-Za-z][\w-]*)\b[^\]]*?(/?)\]")


@dataclass
class Piece:
    """One top-level piece of post content: a block, free HTML, or whitespace between them."""

    kind: str  # "block", "freeform" or "space"
    text: str  # exactly as in the content
    name: str = ""  # a block's name, `core/` added when it has no namespace
    attrs: dict[str, Any] = field(default_factory=dict)  # a block's parsed JSON attributes
    inner_names: list[str] = field(default_factory=list)  # names of the blocks inside, in order


def _full_name(name: str) -> str:
    """Return a block name with its namespace (`core/` when none is written)."""
    return full_block_name(name)


def _attrs(text: str | None) -> dict[str, Any]:
    """Parse a block comment's JSON attributes; broken or non-object JSON gives {}."""
    return block_attributes(text)


def _add_free(pieces: list[Piece], text: str) -> None:
    """Append free HTML between blocks: whitespace alone is a space piece."""
    if not text:
        return
    pieces.append(Piece("space" if not text.strip() else "freeform", text))


def split_content(content: str) -> list[Piece]:
    """Return the top-level pieces of post content; their texts joined are the content."""
    pieces: list[Piece] = []
    position = 0  # end of the last piece
    depth = 0
    block_start = 0
    opener: re.Match[str] | None = None
    inner: list[str] = []
    for match in _DELIMITER.finditer(content):
        name = _full_name(match.group("name"))
        if depth == 0:
            if match.group("closer"):
                continue  # a stray closer is free HTML, as WordPress reads it
            _add_free(pieces, content[position : match.start()])
            if match.group("void"):
                pieces.append(Piece("block", match.group(0), name, _attrs(match.group("attrs"))))
                position = match.end()
                continue
            depth, block_start, opener, inner = 1, match.start(), match, []
            continue
        if match.group("closer"):
            depth -= 1
            if depth == 0 and opener is not None:
                pieces.append(
                    Piece(
                        "block",
                        content[block_start : match.end()],
                        _full_name(opener.group("name")),
                        _attrs(opener.group("attrs")),
                        inner,
                    )
                )
                position = match.end()
        elif match.group("void"):
            inner.append(name)
        else:
            inner.append(name)
            depth += 1
    if depth and opener is not None:  # unclosed: WordPress closes it at the end of the post
        pieces.append(
            Piece(
                "block",
                content[block_start:],
                _full_name(opener.group("name")),
                _attrs(opener.group("attrs")),
                inner,
            )
        )
    else:
        _add_free(pieces, content[position:])
    return pieces


def _open_names(chunk: str, names: list[str]) -> list[str]:
    """Return the container elements and shortcodes still open after `chunk` (a stack)."""
    stack = list(names)
    for pattern, prefix in ((_CONTAINER_TAG, "<"), (_SHORTCODE_TAG, "[")):
        for match in pattern.finditer(chunk):
            if match.group(3):
                continue  # self-closing
            name = prefix + match.group(2).lower()
            if not match.group(1):
                stack.append(name)
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name)]
    return stack


def _closed_later(
    html: str, start: int, names: list[str], found: dict[str, int]
) -> list[str]:
    """Keep the open names whose closing tag or shortcode comes after `start`.

    `found` remembers where each closer was last found, so that an element left open over
    many blank lines costs one search, not one per line.
    """
    kept = []
    for name in names:
        where = found.get(name, -1)
        if where < start:
            closer = f"</{name[1:]}" if name[0] == "<" else f"[/{name[1:]}]"
            match = re.compile(re.escape(closer), re.IGNORECASE).search(html, start)
            where = found[name] = match.start() if match else len(html) + 1
        if where <= len(html):
            kept.append(name)
    return kept


def classic_chunks(html: str) -> list[Piece]:
    """Split free HTML into autop's chunks (blank-line separated), keeping open elements whole.

    A chunk that leaves a container element or an enclosing shortcode open (a `<pre>` with
    blank lines inside, `[caption]…[/caption]` over two paragraphs) runs on to the chunk that
    closes it. Whitespace between chunks is a space piece.
    """
    pieces: list[Piece] = []
    chunk_start = 0
    position = 0
    open_names: list[str] = []
    closers: dict[str, int] = {}
    for gap in _BLANK_LINES.finditer(html):
        open_names = _open_names(html[position : gap.start()], open_names)
        if open_names:
            open_names = _closed_later(html, gap.start(), open_names, closers)
        position = gap.start()
        if open_names:
            continue
        chunk = html[chunk_start : gap.start()]
        if chunk.strip():
            _add_free(pieces, chunk)
            _add_free(pieces, gap.group(0))
        else:
            _add_free(pieces, chunk + gap.group(0))
        chunk_start = position = gap.end()
    _add_free(pieces, html[chunk_start:])
    return _merge_spaces(pieces)


def _merge_spaces(pieces: list[Piece]) -> list[Piece]:
    """Join neighbouring space pieces into one."""
    merged: list[Piece] = []
    for piece in pieces:
        if merged and piece.kind == "space" and merged[-1].kind == "space":
            merged[-1].text += piece.text
        else:
            merged.append(piece)
    return merged


def content_pieces(content: str) -> list[Piece]:
    """Return the pieces a post's content is edited in: blocks, classic chunks and spaces."""
    pieces: list[Piece] = []
    for piece in split_content(content):
        if piece.kind == "freeform":
            pieces.extend(classic_chunks(piece.text))
        else:
            pieces.append(piece)
    return _merge_spaces(pieces)


def is_block_content(content: str) -> bool:
    """Tell whether content holds block markup (else it is a classic post)."""
    return any(piece.kind == "block" for piece in split_content(content))
