"""The welcome post's shortcut table lists the window's shortcuts, as the menus set them."""

from __future__ import annotations

import re

from PySide6.QtGui import QKeySequence

from editor.gui.main_window import MainWindow
from editor.resource_locator import read_resource_text

# The clipboard keys every program shares, and Quit, are left out of the table on purpose.
COMMON = {"cut", "copy", "paste", "select_all", "quit"}


def test_every_shortcut_of_the_menus_is_in_the_welcome_post(window: MainWindow) -> None:
    welcome = read_resource_text("welcome", "welcome-to-draftpress.md")
    table = "\n".join(line for line in welcome.splitlines() if line.startswith("| "))
    table = table.replace("Ctrl+plus", "Ctrl++").replace("Ctrl+minus", "Ctrl+-")  # as written
    listed = set(re.findall(r"(?:Ctrl\+|Shift\+|Alt\+)*(?:F\d+\b|\w\b|[,+=-](?=[ ,|]))", table))
    listed |= {f"Ctrl+{n}" for n in range(1, 5)} if "Ctrl+1 … Ctrl+4" in table else set()
    missing = []
    for name, action in window.menu_actions.by_name.items():
        keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in action.shortcuts()]
        if keys and name not in COMMON and not listed & set(keys):  # one of them is enough
            missing.append(f"{name}: {keys}")
    assert not missing
    assert "coming in a later version" not in welcome
    for words in ("Insert a quote", "Insert an image", "Publish", "Outbox", "Open from Blog"):
        assert words in welcome
