"""The Markdown punctuation of a line's inline spans, to be shown dimmed (no Qt).

The words come first: the `**`, `*`, backticks, brackets and angle brackets around them are
painted in the quiet colour the heading and quote markers already have, the span's own format
(bold, italic, code) kept under them.
"""

from __future__ import annotations

Span = tuple[int, int, str]
KIND = "punctuation"


def _run_at(text: str, at: int, char: str, step: int) -> int:
    """Count the `char`s from `at` going forward (step 1) or backward (step -1)."""
    count, index = 0, at
    while 0 <= index < len(text) and text[index] == char:
        count += 1
        index += step
    return count


def punctuation_spans(text: str, spans: list[Span]) -> list[Span]:
    """Return spans covering the markers of the inline `spans` found in `text`."""
    marks: list[Span] = []
    for first, last, kind in spans:
        if kind == "strong":
            marks += [(first, first + 2, KIND), (last - 2, last, KIND)]
        elif kind == "emphasis":
            marks += [(first, first + 1, KIND), (last - 1, last, KIND)]
        elif kind == "code_span":
            opening = _run_at(text, first, "`", 1)
            closing = _run_at(text, last - 1, "`", -1)
            marks += [(first, first + opening, KIND), (last - closing, last, KIND)]
        elif kind == "link_text":  # `[` and `]`, or an autolink's `<` and `>`
            marks += [(first, first + 1, KIND), (last - 1, last, KIND)]
        elif kind == "image":
            marks += [(first, first + 2, KIND), (last - 1, last, KIND)]
    return marks
