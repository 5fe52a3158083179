"""What Bold, Italic, Code and Link do to the text around the cursor (no Qt, no widgets).

A writer's tool, not a code editor's: with no selection a command starts a span and, pressed
again right before its closing marker, steps out of it (no `****`); on an empty span it takes
the pair away again. With a selection it toggles: it unwraps when the markers surround the
selection or are part of it, and wraps otherwise (blanks at the selection's ends stay
outside, where Markdown wants them). Each plan is a list of small replacements that never
rewrite the writer's own characters, so the exact text (NBSP and the like) is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from editor.gui.editing.inline_spans import inline_spans

URL = re.compile(r"^(?:https?://|mailto:)\S+$")
_SPAN_KIND = {"**": "strong", "*": "emphasis", "`": "code_span"}
_OTHER_CHAR = {"*": "_", "_": "*"}  # `_x_` and `__x__` are the same spans as `*x*`, `**x**`


@dataclass(frozen=True)
class SpanEdit:
    """Replacements (position, characters removed, text inserted) and the selection after."""

    replacements: list[tuple[int, int, str]] = field(default_factory=list)  # last first
    anchor: int = 0  # the selection afterwards, in positions of the changed text
    position: int = 0


def _run_before(text: str, at: int, char: str) -> int:
    """Count the `char`s ending at `at`."""
    count = 0
    while at - count > 0 and text[at - count - 1] == char:
        count += 1
    return count


def _run_after(text: str, at: int, char: str) -> int:
    """Count the `char`s starting at `at`."""
    count = 0
    while at + count < len(text) and text[at + count] == char:
        count += 1
    return count


def _present(marker: str, before: int, after: int) -> int:
    """Return how many marker characters to take away each side (0: the span is not there)."""
    if marker == "`":
        return before if before == after and before else 0
    shortest = min(before, after)
    if len(marker) == 1:
        return 1 if shortest % 2 == 1 else 0  # `*x*`, or the inner star of `***x***`
    return 2 if shortest >= 2 else 0


def _code_fence(inner: str) -> tuple[str, str]:
    """Return the backticks (and padding) that make `inner` one code span."""
    runs = [len(run) for run in re.findall(r"`+", inner)]
    if not runs:
        return "`", "`"
    fence = "`" * (max(runs) + 1)
    pad = " " if inner.startswith("`") or inner.endswith("`") else ""
    return fence + pad, pad + fence


def toggle_span(text: str, start: int, end: int, marker: str) -> SpanEdit:
    """Plan Bold (`**`), Italic (`*`) or Code (a backtick) on text[start:end] (the selection)."""
    if start == end:
        return _at_cursor(text, start, marker)
    inner_start = start + len(text[start:end]) - len(text[start:end].lstrip())
    inner_end = end - (len(text[start:end]) - len(text[start:end].rstrip()))
    if inner_start >= inner_end:
        return _at_cursor(text, start, marker)
    start, end = inner_start, inner_end
    inner = text[start:end]
    chars = [marker[0], *([_OTHER_CHAR[marker[0]]] if marker[0] in _OTHER_CHAR else [])]
    for char in chars:  # the markers surround the selection: unwrap
        count = _present(marker, _run_before(text, start, char), _run_after(text, end, char))
        if count:
            return SpanEdit(
                [(end, count, ""), (start - count, count, "")], start - count, end - count
            )
    for char in chars:  # the selection holds its markers: unwrap inside it
        count = _present(marker, _run_after(inner, 0, char), _run_before(inner, len(inner), char))
        if count and len(inner) > 2 * count:
            return SpanEdit([(end - count, count, ""), (start, count, "")], start, end - 2 * count)
    opening, closing = _code_fence(inner) if marker == "`" else (marker, marker)
    return SpanEdit(
        [(end, 0, closing), (start, 0, opening)],
        start + len(opening),
        end + len(opening),
    )


def _at_cursor(text: str, at: int, marker: str) -> SpanEdit:
    """No selection: step out of the span being closed, take an empty pair away, or start one."""
    for _first, last, kind in inline_spans(text, 0, len(text)):
        if kind != _SPAN_KIND[marker]:
            continue
        closing = _run_before(text, last, text[last - 1])
        if marker != "`":
            closing = len(marker)
        if last - closing == at:
            return SpanEdit([], last, last)  # step out past the closing marker
    size = len(marker)
    char = marker[0]
    if (
        text[at - size : at] == marker
        and text[at : at + size] == marker
        and _run_before(text, at, char) == size
        and _run_after(text, at, char) == size
    ):
        return SpanEdit([(at - size, 2 * size, "")], at - size, at - size)  # changed my mind
    return SpanEdit([(at, 0, marker * 2)], at + size, at + size)


def plan_link(selected: str, clipboard_url: str) -> SpanEdit:
    """Plan Ctrl+K on `selected` with `clipboard_url` (a web address on the clipboard, or "").

    Positions are the selection's own (0 to its length); its words are never rewritten.
    """
    size = len(selected)
    stripped = selected.strip()
    if URL.match(stripped):  # the selection is the address: type the link's words next
        return SpanEdit([(0, size, f"[]({stripped})")], 1, 1)
    if clipboard_url and stripped:  # the link made at once; the writer goes on after it
        tail = f"]({clipboard_url})"
        end = size + 1 + len(tail)
        return SpanEdit([(size, 0, tail), (0, 0, "[")], end, end)
    if clipboard_url:
        return SpanEdit([(0, size, f"[]({clipboard_url})")], 1, 1)
    if stripped:  # the address is typed next, between the parentheses
        return SpanEdit([(size, 0, "]()"), (0, 0, "[")], size + 3, size + 3)
    return SpanEdit([(0, size, "[]()")], 1, 1)


def url_of(text: str) -> str:
    """Return `text` as a web address when it is one (one line, http(s) or mailto), else ""."""
    stripped = text.strip()
    return stripped if URL.match(stripped) else ""
