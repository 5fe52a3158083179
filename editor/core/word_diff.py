"""The difference between two versions of a post as marked words, for a writer (difflib).

Inserted words are shown on green, deleted words struck through on red, inline in the
paragraph they belong to; unchanged passages far from a change are left out with a "…" line.
No `---`/`+++`/`@@` bookkeeping: the HTML is for QTextBrowser (which knows spans, not
`<ins>`/`<del>`, so those are spans styled alike).
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence

INSERTED_STYLE = "background:#abf2bc;color:#0b3d1a;"
DELETED_STYLE = "background:#ffc1c0;color:#82071e;text-decoration:line-through;"
_GAP_STYLE = "color:#6e7781;"
_TOKEN = re.compile(r"\n|[^\S\n]+|\w+|[^\w\s]")
_CONTEXT_LINES = 1


def _escape(text: str) -> str:
    """Escape text for HTML, keeping line breaks."""
    return html.escape(text).replace("\n", "<br>")


def _ins(text: str) -> str:
    """Return inserted text as a marked span."""
    return f'<span style="{INSERTED_STYLE}">{_escape(text)}</span>' if text else ""


def _del(text: str) -> str:
    """Return deleted text as a marked, struck-through span."""
    return f'<span style="{DELETED_STYLE}">{_escape(text)}</span>' if text else ""


def marked_words_html(old: str, new: str) -> str:
    """Return one passage as HTML with deleted and inserted words marked inline."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(_escape("".join(old_tokens[i1:i2])))
        else:
            parts.append(_del("".join(old_tokens[i1:i2])))
            if tag == "replace":
                parts.append(" ")  # so "early" struck through and "late" read as two words
            parts.append(_ins("".join(new_tokens[j1:j2])))
    return "".join(parts)


def _gap(first: int, last: int) -> str:
    """Return the line that stands for unchanged lines `first`..`last` (1-based) left out."""
    lines = f"line {first}" if first == last else f"lines {first}–{last}"
    return f'<p style="{_GAP_STYLE}">… {lines} unchanged …</p>'


def _passage(lines: list[str]) -> str:
    """Join lines of a passage back into text (each line keeps its end)."""
    return "\n".join(lines)


def _plural(count: int, noun: str) -> str:
    """Return '1 word' / '3 words'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def change_summary(old: str, new: str, old_name: str, new_name: str) -> str:
    """Return a sentence saying how many words `new_name` adds to and removes from `old_name`."""
    inserted, deleted = count_changed_words(old, new)
    if not inserted and not deleted:
        return f"Compared with {old_name}, {new_name} changes only spacing or punctuation."
    changes = []
    if inserted:
        changes.append(f"adds {_plural(inserted, 'word')} (green)")
    if deleted:
        changes.append(f"removes {_plural(deleted, 'word')} (red, struck through)")
    return f"Compared with {old_name}, {new_name} {' and '.join(changes)}."


def _same_ends(old: Sequence[str], new: Sequence[str]) -> tuple[int, int]:
    """Return how many items `old` and `new` share at their start, then at their end."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _grouped_line_changes(
    old_lines: list[str], new_lines: list[str]
) -> list[list[tuple[str, int, int, int, int]]]:
    """Return difflib's grouped opcodes of two texts' lines, context lines around each change.

    The lines both share at their start and end are left out of the alignment (but for the
    context kept around a change): difflib's cost grows with the lines it aligns, and a long
    post's version usually differs in a few lines (a 1 MB post took about a minute).
    """
    start, end = _same_ends(old_lines, new_lines)
    start = max(0, start - _CONTEXT_LINES)
    end = max(0, end - _CONTEXT_LINES)
    old_middle = old_lines[start : len(old_lines) - end]
    new_middle = new_lines[start : len(new_lines) - end]
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    return [
        [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in group]
        for group in matcher.get_grouped_opcodes(_CONTEXT_LINES)
    ]


def word_diff_html(old: str, new: str, old_name: str, new_name: str) -> str:
    """Return how `new` differs from `old` as HTML: a summary, then changed words marked."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    groups = _grouped_line_changes(old_lines, new_lines) if old != new else []
    if old == new or not groups:
        return "<p>No differences: the two texts are the same.</p>"
    summary = html.escape(change_summary(old, new, old_name, new_name))
    blocks: list[str] = [f"<p><b>{summary}</b></p>"]
    shown_to = 0  # the new text's lines shown so far
    for group in groups:
        if group[0][3] > shown_to:
            blocks.append(_gap(shown_to + 1, group[0][3]))
        shown_to = group[-1][4]
        rows: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.append(_escape(_passage(old_lines[i1:i2])))
            else:
                rows.append(
                    marked_words_html(_passage(old_lines[i1:i2]), _passage(new_lines[j1:j2]))
                )
        blocks.append(f'<div style="white-space:pre-wrap;">{"<br>".join(rows)}</div>')
    if shown_to < len(new_lines):
        blocks.append(_gap(shown_to + 1, len(new_lines)))
    return "".join(blocks)


def count_changed_words(old: str, new: str) -> tuple[int, int]:
    """Return (words inserted, words deleted) going from `old` to `new`."""
    old_words, new_words = re.findall(r"\w+", old), re.findall(r"\w+", new)
    start, end = _same_ends(old_words, new_words)  # left out of the alignment, as above
    old_words = old_words[start : len(old_words) - end]
    new_words = new_words[start : len(new_words) - end]
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    inserted = deleted = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            deleted += i2 - i1
            inserted += j2 - j1
    return inserted, deleted
