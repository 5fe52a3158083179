"""Raw islands: WordPress block markup kept verbatim in the Markdown of a pulled post (no Qt).

A block the dialect cannot express stays in the Markdown as the server's exact markup. An
island starts at a line beginning with a block opener (`<!-- wp:NAME …-->`) at the top level
(at the start of the text or after a blank line, outside fenced code) and runs, blank lines
included, to the end of the line where its nesting depth is back to zero: the balancing
closer, or the line of a void `<!-- wp:NAME … /-->`. An opener never closed runs to the end of
the text, as WordPress reads it. `find_islands` is the one detector; the renderer, the
incremental splitter and the editor all ask it (the highlighter follows it line by line with
`editor.core.block_grammar.depth_after`, the same counting rule).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from editor.core.block_grammar import LINE_DELIMITER, block_attributes, full_block_name

_FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE
_OPENER_LINE = re.compile(r"^<!--[ \t]+wp:", re.MULTILINE)
_TRAILING_SPACE = " \t\r\n"
# Blocks the server renders (their stored markup is not what the reader sees).
DYNAMIC_BLOCKS = frozenset(
    f"core/{name}"
    for name in (
        "latest-posts", "archives", "categories", "calendar", "query", "navigation",
        "latest-comments", "rss", "search", "tag-cloud", "page-list", "loginout", "shortcode",
        "block", "template-part", "comments", "home-link", "avatar", "read-more", "pattern",
    )
)  # fmt: skip
DYNAMIC_PREFIXES = ("core/site-", "core/post-", "core/query-", "core/comment")
_TITLES = {
    "core/more": "More",
    "core/nextpage": "Page break",
    "core/block": "Reusable block",
    "core/query": "Query loop",
    "core/rss": "RSS feed",
    "core/loginout": "Log in/out",
    "core/media-text": "Media & text",
}
_COUNTED = {  # block -> (inner block counted, singular, plural; no nouns: "Columns (3)")
    "core/gallery": ("core/image", "image", "images"),
    "core/columns": ("core/column", "", ""),
    "core/buttons": ("core/button", "", ""),
    "core/list": ("core/list-item", "item", "items"),
    "core/social-links": ("core/social-link", "", ""),
}
_SHORTCODE = re.compile(r"\[([A-Za-z][\w-]*)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Island:
    """One raw island: where it is in the text and what it shows."""

    start: int  # offset of the opener line
    end: int  # end of its last line, trailing whitespace excluded
    name: str  # the outer block's name, with its namespace (`core/gallery`)
    attrs: dict[str, Any] = field(hash=False, compare=False)
    children: tuple[str, ...]  # names of the blocks directly inside, in order
    dynamic: bool  # rendered by the server: the preview shows a placeholder
    label: str  # e.g. "Gallery, 2 images", "Columns (3)", "Latest posts (dynamic)"


def _after_blank_line(text: str, position: int) -> bool:
    """Tell whether `position` starts the text or a line after a blank (whitespace) line."""
    if position == 0:
        return True
    if text[position - 1] != "\n":
        return False
    previous = text.rfind("\n", 0, position - 1) + 1
    return not text[previous : position - 1].strip()


def island_end(text: str, start: int) -> int:
    """Return where the island whose opener line starts at `start` ends (see the module)."""
    depth = 0
    line_end = -1  # end of the line where the depth last came back to zero
    for match in LINE_DELIMITER.finditer(text, start):
        if line_end >= 0 and match.start() > line_end:
            break
        if match.group("closer"):
            depth = max(0, depth - 1)
        elif not match.group("void"):
            depth += 1
        if depth == 0:
            found = text.find("\n", match.end())
            line_end = len(text) if found < 0 else found
        else:
            line_end = -1
    end = len(text) if line_end < 0 else line_end
    return len(text[start:end].rstrip(_TRAILING_SPACE)) + start


def island_at(text: str, position: int) -> int:
    """Return the end of the island starting at `position`, or -1 when none starts there.

    Fenced code is the caller's business: `find_islands` and the block splitter skip it.
    """
    if not text.startswith("<!--", position) or not _after_blank_line(text, position):
        return -1
    opener = LINE_DELIMITER.match(text, position)
    if opener is None or opener.group("closer"):
        return -1
    return island_end(text, position)


def island_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the (start, end) of every island in Markdown text, in order."""
    position = 0
    fence: re.Match[str] | None = None
    fence_from = -1  # where `fence` was searched from (-1: not yet)
    while True:
        candidate = _OPENER_LINE.search(text, position)
        if candidate is None:
            return
        start = candidate.start()
        if fence_from < 0 or (fence is not None and fence.start() < position):
            fence_from = position
            fence = _FENCE.search(text, position)
        if fence is not None and fence.start() < start:
            position = fence.end()  # fenced code comes first: skip it
            fence_from = -1
            continue
        end = island_at(text, start)
        if end < 0:
            position = candidate.end()
            continue
        yield start, end
        position = end


def find_islands(text: str) -> list[Island]:
    """Return every island in Markdown text (a post's body), with its name and label."""
    return [describe_island(text, start, end) for start, end in island_spans(text)]


def describe_island(text: str, start: int, end: int) -> Island:
    """Name and label the island text[start:end]."""
    delimiters = list(LINE_DELIMITER.finditer(text, start, end))
    opener = delimiters[0]
    name = full_block_name(opener.group("name"))
    attrs = block_attributes(opener.group("attrs"))
    children: list[str] = []
    depth = 0
    content_start, content_end = opener.end(), end
    for match in delimiters:
        if match.group("closer"):
            depth -= 1
            if depth == 0:
                content_end = match.start()
                break
        else:
            if depth == 1:
                children.append(full_block_name(match.group("name")))
            if not match.group("void"):
                depth += 1
            elif depth == 0:
                content_end = content_start
                break
    inner = text[content_start:content_end]
    dynamic = is_dynamic(name, inner)
    return Island(
        start, end, name, attrs, tuple(children), dynamic,
        island_label(name, attrs, children, inner, dynamic),
    )  # fmt: skip


def is_dynamic(name: str, inner: str) -> bool:
    """Tell whether the server renders a block: by its name, or it holds no HTML of its own."""
    if name in DYNAMIC_BLOCKS or name.startswith(DYNAMIC_PREFIXES):
        return True
    return not LINE_DELIMITER.sub("", inner).strip()


def block_title(name: str) -> str:
    """Return a block's name for people: `core/latest-posts` -> "Latest posts"."""
    if name in _TITLES:
        return _TITLES[name]
    namespace, _, short = name.rpartition("/")
    title = short.replace("-", " ").replace("_", " ").capitalize()
    if namespace not in ("core", "core-embed", ""):
        title += f" ({namespace})"
    return title


def island_label(
    name: str, attrs: dict[str, Any], children: list[str], inner: str, dynamic: bool
) -> str:
    """Return the label the editor shows for a folded island."""
    title = block_title(name)
    if name in _COUNTED:
        counted, singular, plural = _COUNTED[name]
        count = children.count(counted)
        if name == "core/gallery" and not count:  # an old gallery: images, no inner blocks
            count = len(attrs.get("ids") or []) or inner.count("<img")
        if singular:
            title += f", {count} {singular if count == 1 else plural}"
        else:
            title += f" ({count})"
    elif name == "core/embed" or name.startswith("core-embed/"):
        provider = attrs.get("providerNameSlug") or name.partition("/")[2]
        if provider and name == "core/embed":
            title += f": {provider}"
    elif name == "core/shortcode":
        tag = _SHORTCODE.search(inner)
        if tag:
            title += f" [{tag.group(1)}]"
    return f"{title} (dynamic)" if dynamic else title


# -- the preview's placeholders ------------------------------------------------------------

PLACEHOLDER_CLASS = "dp-dynamic-block"


def placeholder_html(name: str, inner: str = "") -> str:
    """Return the preview's box standing for a block the blog renders."""
    title = block_title(name)
    tag = _SHORTCODE.search(inner) if name == "core/shortcode" else None
    if tag:
        title += f" [{tag.group(1)}]"
    title = html.escape(title)
    return (
        f'<div class="{PLACEHOLDER_CLASS}" data-block="{html.escape(name)}">'
        f"{title} — shown by the blog</div>"
    )


def _dynamic_spans(html_text: str) -> list[tuple[int, int, str, str]]:
    """Return the outermost dynamic blocks in HTML (start, end, name, inside), in order."""
    spans: list[tuple[int, int, str, str]] = []
    stack: list[tuple[str, int, int]] = []  # name, start, end of the opener
    for match in LINE_DELIMITER.finditer(html_text):
        name = full_block_name(match.group("name"))
        if match.group("closer"):
            if not stack:
                continue  # a stray closer
            opened, start, content_start = stack.pop()
            inner = html_text[content_start : match.start()]
            if is_dynamic(opened, inner):
                spans.append((start, match.end(), opened, inner))
        elif match.group("void"):
            spans.append((match.start(), match.end(), name, ""))
        else:
            stack.append((name, match.start(), match.end()))
    spans.sort()
    outermost: list[tuple[int, int, str, str]] = []
    for span in spans:
        if not outermost or span[0] >= outermost[-1][1]:  # else inside the one before
            outermost.append(span)
    return outermost


def with_placeholders(html_text: str) -> str:
    """Replace each dynamic block in rendered HTML with the preview's labelled placeholder.

    A preview-only step: the published HTML keeps the island verbatim.
    """
    if "wp:" not in html_text or "<!--" not in html_text:
        return html_text
    spans = _dynamic_spans(html_text)
    if not spans:
        return html_text
    parts = []
    position = 0
    for start, end, name, inner in spans:
        parts.append(html_text[position:start])
        parts.append(placeholder_html(name, inner))
        position = end
    parts.append(html_text[position:])
    return "".join(parts)
