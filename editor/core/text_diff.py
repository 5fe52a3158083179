"""Line diffs between two versions of a post, as HTML for a QTextBrowser (difflib).

A Markdown paragraph is one long line, so a changed line also marks the words that changed
within it, and long lines wrap instead of running off to the right.
"""

from __future__ import annotations

import difflib
import html
import re

_LINE_STYLE = {
    "+": "background:#e6ffec;color:#116329;",
    "-": "background:#ffebe9;color:#82071e;",
    "@": "color:#6e7781;",
}
_WORD_STYLE = {"+": "background:#abf2bc;", "-": "background:#ffc1c0;"}
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def unified_diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """Return the unified diff of two texts, line by line (3 lines of context)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, n=3, lineterm=""
        )
    )


def _marked_words(old: str, new: str) -> tuple[str, str]:
    """Return two changed lines as HTML with the words that differ between them marked."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_html: list[str] = []
    new_html: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = html.escape("".join(old_tokens[i1:i2]))
        new_part = html.escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
            continue
        if old_part:
            old_html.append(f'<span style="{_WORD_STYLE["-"]}">{old_part}</span>')
        if new_part:
            new_html.append(f'<span style="{_WORD_STYLE["+"]}">{new_part}</span>')
    return "".join(old_html), "".join(new_html)


def _similar(old: str, new: str) -> bool:
    """Tell whether two lines are versions of one paragraph (worth marking words in)."""
    return difflib.SequenceMatcher(None, old, new, autojunk=False).quick_ratio() >= 0.5


def _line_html(marker: str, body_html: str, style: str) -> str:
    """Return one diff line as an HTML block."""
    return f'<div style="{style}">{html.escape(marker)}{body_html or "&nbsp;"}</div>'


def _hunk_rows(lines: list[str]) -> list[str]:
    """Render diff lines; removed and added lines that pair up have their changed words marked."""
    rows: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("-") and not line.startswith("---"):
            removed = []
            while index < len(lines) and lines[index].startswith("-"):
                removed.append(lines[index][1:])
                index += 1
            added = []
            while index < len(lines) and lines[index].startswith("+"):
                added.append(lines[index][1:])
                index += 1
            old_rows, new_rows = [], []
            for position in range(max(len(removed), len(added))):
                old = removed[position] if position < len(removed) else None
                new = added[position] if position < len(added) else None
                old_html: str | None
                new_html: str | None
                if old is not None and new is not None and _similar(old, new):
                    old_html, new_html = _marked_words(old, new)
                else:
                    old_html = None if old is None else html.escape(old)
                    new_html = None if new is None else html.escape(new)
                if old_html is not None:
                    old_rows.append(_line_html("-", old_html, _LINE_STYLE["-"]))
                if new_html is not None:
                    new_rows.append(_line_html("+", new_html, _LINE_STYLE["+"]))
            rows += old_rows + new_rows
            continue
        if line.startswith(("+++", "---")):
            rows.append(_line_html("", html.escape(line), "font-weight:bold;"))
        else:
            marker, rest = line[:1], line[1:]
            style = _LINE_STYLE.get(marker, "")
            if marker == "@":
                marker, rest = "", line
            rows.append(_line_html(marker, html.escape(rest), style))
        index += 1
    return rows


def diff_html(old: str, new: str, old_label: str, new_label: str) -> str:
    """Return the diff of two texts as HTML: removed red, added green, changed words marked."""
    lines = unified_diff_lines(old, new, old_label, new_label)
    if not lines:
        return "<p>No differences: the two texts are the same.</p>"
    body = "".join(_hunk_rows(lines))
    return f'<div style="font-family:monospace;white-space:pre-wrap;">{body}</div>'


def text_html(text: str, heading: str) -> str:
    """Return a whole text as HTML under a heading (for a document that has no file to diff)."""
    return (
        f"<p><b>{html.escape(heading)}</b></p>"
        f'<div style="font-family:monospace;white-space:pre-wrap;">{html.escape(text)}</div>'
    )


def side_by_side_html(old: str, new: str) -> tuple[str, str]:
    """Return two versions of a passage as HTML, each with the words the other lacks marked."""
    wrap = '<div style="font-family:monospace;white-space:pre-wrap;">{}</div>'
    old_html, new_html = _marked_words(old, new)
    return wrap.format(old_html or "&nbsp;"), wrap.format(new_html or "&nbsp;")
