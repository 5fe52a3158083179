"""File > Revisions… in the real window: earlier versions listed, diffed, restored undoably."""

from __future__ import annotations

from pathlib import Path

from editor.core.revisions import list_revisions, revisions_folder
from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait
from tests.gui.marked_words import marked_runs

FRONT = "---\ntitle: Drafting\n---\n\n"


def _save_text(qtbot, win: MainWindow, text: str) -> None:
    """Replace the editor's text by typing-like edits and save through the window."""
    win.editor.replace_all_text(text)
    with qtbot.waitSignal(win.document.saved, timeout=10000):
        win.document.save()


def _open_revisions(qtbot, win: MainWindow):
    win.menu_actions["revisions"].trigger()
    qtbot.waitUntil(lambda: win.revisions.dialog is not None, timeout=10000)
    return win.revisions.dialog


def test_three_saves_list_two_earlier_versions_and_restore_is_one_undo(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    post = isolated_home / "library" / "drafting.md"
    post.write_text(FRONT + "First words.\n", encoding="utf-8")
    open_and_wait(qtbot, window, post)
    _save_text(qtbot, window, FRONT + "First words, then more.\n")
    _save_text(qtbot, window, FRONT + "Second thoughts entirely, rewritten here.\n")
    _save_text(qtbot, window, FRONT + "The final version.\n")
    window.editor.replace_all_text(FRONT + "The final version, being edited.\n")

    dialog = _open_revisions(qtbot, window)

    def labels() -> list[str]:
        return [dialog.list.item(row).text() for row in range(dialog.list.count())]

    assert len(labels()) == 3  # the file as opened, and the two saves before the last
    # Word counts fill in from the background, newest first.
    qtbot.waitUntil(lambda: labels()[2].endswith("2 words"), timeout=10000)
    assert labels()[0].endswith("5 words") and labels()[1].endswith("4 words")
    qtbot.waitUntil(lambda: "the text in the window" in dialog.diff.toPlainText())
    diff = dialog.diff.toPlainText()
    # Marked words, not a unified diff: no ---/+++/@@ lines, no -/+ line markers.
    assert not any(line.startswith(("---", "+++", "@@", "-", "+")) for line in diff.splitlines())
    inserted, deleted = marked_runs(dialog.diff.document())
    assert "Second thoughts entirely" in " ".join(deleted)
    assert "final" in " ".join(inserted) and "being edited" in " ".join(inserted)
    assert "adds" in diff and "removes" in diff

    dialog.list.setCurrentRow(1)
    qtbot.waitUntil(lambda: "then more" in " ".join(marked_runs(dialog.diff.document())[1]))
    dialog.restore_button.click()

    qtbot.waitUntil(lambda: window.revisions.dialog is None, timeout=10000)
    assert window.editor.toPlainText() == FRONT + "First words, then more.\n"
    assert window.document.is_modified
    assert post.read_text(encoding="utf-8") == FRONT + "The final version.\n"
    window.editor.undo()  # one undo takes the whole restore back
    assert window.editor.toPlainText() == FRONT + "The final version, being edited.\n"


def test_restore_pressed_before_the_version_is_read_waits_for_it(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    post = isolated_home / "library" / "quick.md"
    post.write_text(FRONT + "Old.\n", encoding="utf-8")
    open_and_wait(qtbot, window, post)
    _save_text(qtbot, window, FRONT + "New.\n")
    dialog = _open_revisions(qtbot, window)

    dialog.restore_button.click()  # at once: the diff (and the text) may still be on its way

    qtbot.waitUntil(lambda: window.revisions.dialog is None, timeout=10000)
    assert window.editor.toPlainText() == FRONT + "Old.\n"


def test_revisions_are_kept_outside_the_posts_folder(
    qtbot, window: MainWindow, isolated_home: Path
) -> None:
    post = isolated_home / "library" / "elsewhere.md"
    post.write_text(FRONT + "One.\n", encoding="utf-8")
    open_and_wait(qtbot, window, post)
    _save_text(qtbot, window, FRONT + "Two.\n")

    [revision] = list_revisions(post)
    assert revision.file.parent == revisions_folder(post)
    assert revision.file.is_relative_to(isolated_home / "data")
    assert not any(p.suffix == ".rev" for p in post.parent.rglob("*"))


def test_a_post_never_saved_has_no_revisions_to_show(qtbot, window, prompter) -> None:
    window.menu_actions["revisions"].trigger()

    told = prompter.told("Revisions")
    assert told and "not been saved" in told[0]
    assert window.revisions.dialog is None


def test_revisions_shortcut_is_ctrl_alt_r(window: MainWindow) -> None:
    assert window.menu_actions["revisions"].shortcut().toString() == "Ctrl+Alt+R"
