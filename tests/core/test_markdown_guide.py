"""The Markdown guide's text: the bundled guide with its shortcut table filled in."""

from __future__ import annotations

from editor.core.markdown_guide import SHORTCUTS_MARKER, MenuShortcut, guide_markdown
from editor.render.markdown_renderer import render_markdown


def test_the_table_takes_the_markers_place_and_keeps_odd_keys_literal() -> None:
    shortcuts = [
        MenuShortcut("Edit", "Bold", ("Ctrl+B",)),
        MenuShortcut("View > Zoom", "Zoom In", ("Ctrl++", "Ctrl+=")),
        MenuShortcut("Format", "Code | inline", ("Ctrl+`",)),
    ]
    text = guide_markdown(shortcuts)
    assert SHORTCUTS_MARKER not in text
    html = render_markdown(text)
    table = html[html.rindex("<table>") :]
    assert "<td>Ctrl++ or Ctrl+=</td>" in table
    assert "<td>Code | inline</td>" in table and "<td>Ctrl+`</td>" in table
    assert "<td>View &gt; Zoom</td>" in table


def test_the_bundled_guide_describes_the_dialect() -> None:
    html = render_markdown(guide_markdown([]))
    assert "<figcaption>" in html  # the quote example renders as a figure with its attribution
    assert 'class="footnote' in html
    assert "/// caption" in html and "attrs: {class: align-right}" in html
