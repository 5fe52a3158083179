"""The inline Markdown spans of one line, found in bounded time (no Qt).

The highlighter's rules for code spans, images, links, autolinks, strong and emphasis used to be
regular expressions with lazy or open-ended bodies (`.+?`, `[^\\]]+`, `[^>\\s]+`). Python's
engine retries such a body from every opener, so a line with many openers and no closer (`*a `
or `[` repeated) cost time quadratic in its length. Here each rule is the same match as that
regular expression, found without rescanning: openers and closers are located once, each
"next closer at or after" lookup moves forward only, and every pass masks what later passes
must not see in one sweep. Inline markup is looked for only in a line's first INLINE_CHARS
characters, and shown only up to where its first INLINE_SPANS spans start (painting costs per
span); the rest of such a line stays plain.
"""

from __future__ import annotations

import re
from bisect import bisect_left

INLINE_CHARS = 16_000  # inline markup is highlighted up to here in a line; plain beyond
INLINE_SPANS = 1_000  # and no further than where a line's first this many spans start

Span = tuple[int, int, str]
_MASK = "\x00"

_BACKTICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!<>~|]")
_AUTOLINK_OPEN = re.compile(r"<(?:https?|ftp|mailto):")
_AUTOLINK_STOP = re.compile(r"[>\s]")
# Each starts with the one delimiter character it consumes (so that the engine skips ahead to
# the next `*` or `_`) and looks around it for the rest, so that overlapping candidates (`***`)
# are all seen.
_STRONG_OPEN = re.compile(r"\*(?=\*\S)|_(?<![\w_]_)(?=_\S)")
_STRONG_CLOSE = {
    "*": re.compile(r"\*(?<=\S\*)(?=\*)"),
    "_": re.compile(r"_(?<=\S_)(?=_(?![\w_]))"),
}
_EMPHASIS_OPEN = re.compile(r"\*(?<!\*\*)(?=[^\s*])|_(?<![\w_]_)(?=[^\s_])")
_EMPHASIS_CLOSE = {
    "*": re.compile(r"\*(?<=[^\s*]\*)(?!\*)"),
    "_": re.compile(r"_(?<=[^\s_]_)(?![\w_])"),
}


class _Next:
    """The first position at or after `pos` where a character (or pattern) occurs.

    Asked with positions that never decrease, it scans each character at most once: an answer
    at or after the new position is still the first one.
    """

    def __init__(self, text: str, char: str = "", pattern: re.Pattern[str] | None = None) -> None:
        self._text, self._char, self._pattern = text, char, pattern
        self._found = -1

    def __call__(self, pos: int) -> int:
        """Return the next occurrence at or after `pos`, or len(text) if there is none."""
        if self._found < pos:
            if self._pattern is not None:
                match = self._pattern.search(self._text, pos)
                found = match.start() if match else -1
            else:
                found = self._text.find(self._char, pos)
            self._found = len(self._text) if found < 0 else found
        return self._found


def _masked(text: str, ranges: list[tuple[int, int]]) -> str:
    """Return `text` with the sorted, disjoint `ranges` replaced by NULs, in one pass."""
    if not ranges:
        return text
    pieces, last = [], 0
    for start, end in ranges:
        pieces.append(text[last:start])
        pieces.append(_MASK * (end - start))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def inline_spans(text: str, start: int, end: int) -> list[Span]:
    """Return the spans of code, images, links, strong and emphasis inside text[start:end]."""
    end = min(end, INLINE_CHARS)
    if end <= start:
        return []
    spans: list[Span] = []
    work = _MASK * start + text[start:end]
    # Each pass runs only where its opening character occurs (most lines hold few of them).
    if "`" in work:
        work = _masked(work, _code_spans(work, spans))
    if "\\" in work:
        work = _ESCAPE.sub(_MASK * 2, work)
    if "![" in work:
        work = _masked(work, _bracketed(work, "![", spans, "image"))
    if "[" in work:
        work = _masked(work, _bracketed(work, "[", spans, "link_text"))
    if "<" in work:
        work = _masked(work, _autolinks(work, spans))
    if "**" in work or "__" in work:
        work = _masked(work, _delimited(work, _STRONG_OPEN, _STRONG_CLOSE, 2, spans, "strong"))
    if "*" in work or "_" in work:
        _delimited(work, _EMPHASIS_OPEN, _EMPHASIS_CLOSE, 1, spans, "emphasis")
    if len(spans) > INLINE_SPANS:  # painting costs per span: keep the first ones only
        cut = sorted(span[0] for span in spans)[INLINE_SPANS]
        spans = [span for span in spans if span[0] < cut]
    return spans


def _code_spans(work: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Code spans: a backtick run up to the next run of the same length (masked whole)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(work)]
    by_length: dict[int, list[int]] = {}
    for number, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(number)
    masks: list[tuple[int, int]] = []
    number = 0
    while number < len(runs):
        a, b = runs[number]
        same = by_length[b - a]
        later = bisect_left(same, number + 1)
        if later == len(same):
            number += 1
            continue
        closer = same[later]
        spans.append((a, runs[closer][1], "code_span"))
        masks.append((a, runs[closer][1]))
        number = closer + 1
    return masks


def _bracketed(work: str, opener: str, spans: list[Span], kind: str) -> list[tuple[int, int]]:
    """Images (`![text](url)`, `![text][ref]`) or links (`[text](url)`, `[text][ref]`).

    The text runs to the first `]` (an image's may be empty), the tail to the first `)` or `]`.
    An image is masked whole; a link keeps its text visible to strong and emphasis.
    """
    image = opener == "!["
    size = len(work)
    next_opener = _Next(work, opener)
    text_end, url_end, ref_end = _Next(work, "]"), _Next(work, ")"), _Next(work, "]")
    masks: list[tuple[int, int]] = []
    pos = 0
    while (first := next_opener(pos)) < size:
        close = text_end(first + len(opener))
        if close == size:
            break  # no `]` left: no later opener can match either
        pos = first + 1
        tail = close + 1
        if (close == first + 1 and not image) or tail >= size:
            continue
        if work[tail] == "(":
            last = url_end(tail + 1)
        elif work[tail] == "[":
            last = ref_end(tail + 1)
        else:
            continue
        if last == size:
            continue
        spans.append((first, tail, kind))
        spans.append((tail, last + 1, "ref_label" if work[tail] == "[" else "link_url"))
        if image:
            masks.append((first, last + 1))
        else:
            masks.append((first, first + 1))
            masks.append((close, last + 1))
        pos = last + 1
    return masks


def _autolinks(work: str, spans: list[Span]) -> list[tuple[int, int]]:
    """Autolinks: `<scheme:` and at least one character up to `>`, no whitespace."""
    stop = _Next(work, pattern=_AUTOLINK_STOP)
    masks: list[tuple[int, int]] = []
    pos = 0
    while (m := _AUTOLINK_OPEN.search(work, pos)) is not None:
        last = stop(m.end())
        if last < len(work) and last > m.end() and work[last] == ">":
            spans.append((m.start(), last + 1, "link_text"))
            masks.append((m.start(), last + 1))
            pos = last + 1
        else:
            pos = m.start() + 1
    return masks


def _delimited(
    work: str,
    openers: re.Pattern[str],
    closers: dict[str, re.Pattern[str]],
    width: int,
    spans: list[Span],
    kind: str,
) -> list[tuple[int, int]]:
    """Strong (`width` 2) or emphasis (1): an opener to the first closer of its character.

    The content is at least one character, so a closer starts `width + 1` past its opener.
    Once a character has no closer left, no later opener of it can close either.
    """
    ends = {
        char: [m.start() for m in closers[char].finditer(work)] for char in "*_" if char in work
    }
    masks: list[tuple[int, int]] = []
    pos = 0
    for m in openers.finditer(work):
        first = m.start()
        char = work[first]
        if first < pos or char not in ends:
            continue
        found = ends[char]
        index = bisect_left(found, first + width + 1)
        if index == len(found):
            del ends[char]
            if not ends:
                break
            continue
        last = found[index] + width
        spans.append((first, last, kind))
        masks.append((first, first + width))
        masks.append((last - width, last))
        pos = last
    return masks
