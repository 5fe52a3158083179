"""Help > Markdown Guide: the bundled guide to the dialect, with the shortcut table filled in.

The table is made from the window's real menus (the window hands their shortcuts here), so it
never drifts from what the keys do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from editor.core.markdown_escape import escape_inline
from editor.resource_locator import read_resource_text

GUIDE_TITLE = "Markdown Guide"
SHORTCUTS_MARKER = "<!-- shortcuts -->"


@dataclass(frozen=True)
class MenuShortcut:
    """One menu command with its keys: where it is (`Edit > Spelling`), its name, its keys."""

    menu: str
    command: str
    keys: tuple[str, ...]


def shortcut_table(shortcuts: Sequence[MenuShortcut]) -> str:
    """Return a Markdown table of the shortcuts, in menu order."""
    rows = ["| Keys | Command | Menu |", "| ---- | ------- | ---- |"]
    for shortcut in shortcuts:
        keys = " or ".join(escape_inline(key) for key in shortcut.keys)
        rows.append(
            f"| {keys} | {escape_inline(shortcut.command)} | {escape_inline(shortcut.menu)} |"
        )
    return "\n".join(rows) + "\n"


def guide_markdown(shortcuts: Sequence[MenuShortcut], guide_text: str | None = None) -> str:
    """Return the guide's Markdown with the shortcut table in place of its marker."""
    text = read_resource_text("guide", "markdown-guide.md") if guide_text is None else guide_text
    table = shortcut_table(shortcuts)
    if SHORTCUTS_MARKER not in text:
        return text.rstrip("\n") + "\n\n" + table
    return text.replace(SHORTCUTS_MARKER, table.rstrip("\n"), 1)
