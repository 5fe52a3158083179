"""A status of the blog's own (pulled from it) shows in the details panel and stays (issue 11)."""

from __future__ import annotations

from pathlib import Path

from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait


def combo_items(window: MainWindow) -> list[str]:
    combo = window.metadata.status_combo
    return [combo.itemText(i) for i in range(combo.count())]


def test_a_blogs_own_status_is_shown_and_kept_until_another_post_opens(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    reviewed = library_root / "reviewed.md"
    reviewed.write_text("---\ntitle: Reviewed\nstatus: in-review\n---\n\nWords.\n")
    plain = library_root / "plain.md"
    plain.write_text("---\ntitle: Plain\nstatus: draft\n---\n\nWords.\n")

    open_and_wait(qtbot, window, reviewed)
    qtbot.waitUntil(lambda: window.metadata.status_combo.currentText() == "in-review")
    assert combo_items(window)[-1] == "in-review"
    window.metadata.title_edit.setFocus()
    qtbot.keyClicks(window.metadata.title_edit, " again")
    window.metadata.commit()
    assert "\nstatus: in-review\n" in window.editor.toPlainText()  # not replaced by "draft"

    window.editor.document().setModified(False)
    open_and_wait(qtbot, window, plain)
    qtbot.waitUntil(lambda: window.metadata.status_combo.currentText() == "Draft")
    assert "in-review" not in combo_items(window)
