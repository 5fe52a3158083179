"""Line diffs between two versions of a post, as HTML for a QTextBrowser (difflib)."""

from __future__ import annotations

import difflib
import html

_STYLE = {
    "+": "background:#e6ffec;color:#116329;",
    "-": "background:#ffebe9;color:#82071e;",
    "@": "color:#6e7781;",
}


def unified_diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[str]:
    """Return the unified diff of two texts, line by line (3 lines of context)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), old_label, new_label, n=3, lineterm=""
        )
    )


def diff_html(old: str, new: str, old_label: str, new_label: str) -> str:
    """Return the diff of two texts as an HTML page: removed lines red, added lines green."""
    lines = unified_diff_lines(old, new, old_label, new_label)
    if not lines:
        return "<p>No differences: the two texts are the same.</p>"
    rows = []
    for line in lines:
        style = _STYLE.get(line[:1], "")
        if line.startswith(("+++", "---")):
            style = "font-weight:bold;"
        rows.append(f'<span style="{style}">{html.escape(line) or "&nbsp;"}</span>')
    return "<pre style='margin:0'>" + "\n".join(rows) + "</pre>"


def text_html(text: str, heading: str) -> str:
    """Return a whole text as HTML under a heading (for a document that has no file to diff)."""
    return f"<p><b>{html.escape(heading)}</b></p><pre>{html.escape(text)}</pre>"
