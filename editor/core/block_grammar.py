"""The grammar of WordPress block comments, shared by the pull and the renderer (no Qt).

A block is delimited by `<!-- wp:name {json} -->` and `<!-- /wp:name -->`, or is one void
`<!-- wp:name {json} /-->`. The grammar is the one WordPress's own block parser uses: a name
with an optional namespace, optional JSON attributes ending at the first `}` followed by
whitespace and `-->`.
"""

from __future__ import annotations

import json
import re
from typing import Any

_NAME = r"(?P<name>(?:[a-z][a-z0-9_-]*/)?[a-z][a-z0-9_-]*)"
BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:" + _NAME + r"\s+(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)
# The same grammar confined to one line: what the Markdown side (raw islands) counts, so that
# scanning a whole text and scanning it line by line (the editor's highlighter) agree.
# WordPress always writes a block comment on one line (its JSON escapes newlines).
LINE_DELIMITER = re.compile(
    r"<!--[ \t]+(?P<closer>/)?wp:" + _NAME + r"[ \t]+(?P<attrs>\{[^\n]*?\}[ \t]+)?(?P<void>/)?-->"
)


def full_block_name(name: str) -> str:
    """Return a block name with its namespace (`core/` when none is written)."""
    return name if "/" in name else f"core/{name}"


def block_attributes(text: str | None) -> dict[str, Any]:
    """Parse a block comment's JSON attributes; broken or non-object JSON gives {}."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# `depth_after` finds LINE_DELIMITER's matches in linear time: the pattern's lazy attributes
# would rescan a line from every `<!-- wp:x {` that has no end (quadratic in the editor).
_LINE_HEAD = re.compile(r"<!--[ \t]+(?P<closer>/)?wp:" + _NAME + r"[ \t]+")
_LINE_ATTRS_END = re.compile(r"\}[ \t]+(?P<void>/)?-->")
_LINE_END = re.compile(r"(?P<void>/)?-->")


def depth_after(line: str, depth: int) -> int:
    """Return the block nesting depth after the delimiters on one line (never below 0)."""
    attrs_end: re.Match[str] | None = None  # the first end of attributes after the last `{`
    attrs_end_at = -1  # where it starts (len(line): none left)
    pos = 0
    while (head := _LINE_HEAD.search(line, pos)) is not None:
        after = head.end()
        if line.startswith("{", after):
            if attrs_end_at <= after:  # the `{` positions only grow: each end is found once
                attrs_end = _LINE_ATTRS_END.search(line, after + 1)
                attrs_end_at = attrs_end.start() if attrs_end else len(line)
            end = attrs_end
        else:
            end = _LINE_END.match(line, after)
        if end is None:
            pos = head.start() + 1
            continue
        if head.group("closer"):
            depth = max(0, depth - 1)
        elif not end.group("void"):
            depth += 1
        pos = end.end()
    return depth
