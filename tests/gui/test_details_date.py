"""The Details form's date and time field in the real window: the post's `date:` shown, changed
with the keyboard as one undo step in the file's own spelling, and scheduling said in words."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit

from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait

SCHEDULED = (
    "---\ntitle: Winter notes\nstatus: future\ndate: 2099-12-03 09:00  # morning\n"
    "blog: CI Blog\ntags: [a, b]\n---\n\nWords.\n"
)


def _open(qtbot, window: MainWindow, folder: Path, text: str) -> Path:
    path = folder / "library" / "winter-notes.md"
    path.write_text(text, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    return path


def test_the_date_shows_changes_in_the_files_spelling_and_undoes_in_one_step(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    _open(qtbot, window, isolated_home, SCHEDULED)
    panel = window.metadata
    qtbot.waitUntil(lambda: panel.date_edit.text() == "3 Dec 2099, 09:00")
    assert panel.schedule_label.isVisible() or not window.isVisible()
    assert panel.schedule_label.text() == "Scheduled for 3 Dec 2099, 09:00 on CI Blog."
    assert not window.document.is_modified  # showing the date writes nothing
    assert window.editor.toPlainText() == SCHEDULED

    panel.date_edit.setFocus()
    panel.date_edit.setCurrentSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Up)  # the 4th
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)

    changed = SCHEDULED.replace("2099-12-03 09:00", "2099-12-04 09:00")
    qtbot.waitUntil(lambda: window.editor.toPlainText() == changed)  # every other byte kept
    qtbot.waitUntil(
        lambda: panel.schedule_label.text() == "Scheduled for 4 Dec 2099, 09:00 on CI Blog."
    )
    window.editor.undo()
    assert window.editor.toPlainText() == SCHEDULED


def test_a_future_date_with_status_published_says_it_will_be_scheduled(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    text = "---\ntitle: Later\nstatus: publish\ndate: 2099-12-04\nblog: CI Blog\n---\n\nWords.\n"
    _open(qtbot, window, isolated_home, text)
    panel = window.metadata
    qtbot.waitUntil(lambda: "4 Dec 2099, 09:00" in panel.schedule_label.text())
    assert panel.schedule_label.text() == (
        "Publishing schedules it: it goes out on 4 Dec 2099, 09:00 on CI Blog."
    )
    assert panel.date_edit.text() == "4 Dec 2099, 09:00"  # a bare date goes out at 09:00


def test_a_post_without_a_date_shows_not_set_and_gets_one_only_when_changed(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    text = "---\ntitle: Now\nstatus: draft\n---\n\nWords.\n"
    _open(qtbot, window, isolated_home, text)
    panel = window.metadata
    qtbot.waitUntil(lambda: panel.date_edit.text().startswith("Not set"))
    assert not panel.schedule_label.text()
    assert window.editor.toPlainText() == text and not window.document.is_modified

    panel.date_edit.setFocus()
    panel.date_edit.setCurrentSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Up)
    qtbot.keyClick(panel.date_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "\ndate: 20" in window.editor.toPlainText())
    front = window.editor.toPlainText().split("---")[1]
    assert "title: Now\nstatus: draft\ndate: 20" in front  # a real date, near now
    window.editor.undo()
    assert window.editor.toPlainText() == text
