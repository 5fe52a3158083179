"""The writing window end to end: type, watch the preview, edit metadata, save, reopen, close."""

from __future__ import annotations

from PySide6.QtCore import Qt

from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait, run_js, wait_for_preview


def test_typing_shows_up_in_the_preview_dom(qtbot, window: MainWindow) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "Hello *preview* world")
    html = wait_for_preview(qtbot, window.preview, "<em>preview</em>")
    assert "Hello" in html


def test_welcome_post_renders_figure_quote_and_code(
    qtbot, window: MainWindow, isolated_home
) -> None:
    open_and_wait(qtbot, window, isolated_home / "library" / "welcome-to-draftpress.md")
    html = wait_for_preview(qtbot, window.preview, "<figcaption>")
    assert "<blockquote>" in html and 'class="codehilite"' in html
    # The captioned image must load from the post's assets folder.
    script = "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
    qtbot.waitUntil(lambda: run_js(qtbot, window.preview, script) is True, timeout=10000)


def test_scroll_position_survives_an_update(qtbot, window: MainWindow) -> None:
    long_text = "\n\n".join(f"Paragraph number {n} with some words." for n in range(400))
    window.editor.setPlainText(long_text)
    wait_for_preview(qtbot, window.preview, "Paragraph number 399")
    run_js(qtbot, window.preview, "window.scrollTo(0, 2000); window.scrollY")
    qtbot.waitUntil(lambda: run_js(qtbot, window.preview, "window.scrollY") == 2000)
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("\n\nA brand new closing line.")
    wait_for_preview(qtbot, window.preview, "A brand new closing line.")
    assert run_js(qtbot, window.preview, "window.scrollY") == 2000


def test_editing_the_title_field_changes_the_front_matter(
    qtbot, window: MainWindow, isolated_home
) -> None:
    open_and_wait(qtbot, window, isolated_home / "library" / "welcome-to-draftpress.md")
    wait_for_preview(qtbot, window.preview, "<figcaption>")
    title = window.metadata.title_edit
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "A Better Title")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert "title: A Better Title" in window.editor.toPlainText().split("---")[1]
    assert "# not in front matter" not in window.editor.toPlainText()
    qtbot.waitUntil(lambda: "A Better Title" in window.windowTitle())
    window.editor.undo()
    assert "A Better Title" not in window.editor.toPlainText()


def test_save_then_reopen_gives_the_same_text(qtbot, window: MainWindow, isolated_home) -> None:
    path = isolated_home / "library" / "welcome-to-draftpress.md"
    open_and_wait(qtbot, window, path)
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("\nAdded in the test: ünïcödé ✓\n")
    text = window.editor.toPlainText()
    assert window.isWindowModified()
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save()
    assert not window.isWindowModified()
    assert path.read_text(encoding="utf-8") == text
    window.editor.setPlainText("scratch")
    window.editor.document().setModified(False)
    open_and_wait(qtbot, window, path)
    assert window.editor.toPlainText() == text


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    qtbot, window: MainWindow, prompter
) -> None:
    prompter.answer("Unsaved changes", None)
    qtbot.keyClicks(window.editor, "unsaved words")
    window.close()
    [asked] = prompter.asked("Unsaved changes")
    assert "not saved" in asked.text and asked.buttons == ["Save", "Discard", "Cancel"]
    assert window.isVisible()
    assert window.editor.toPlainText() == "unsaved words"


def test_closing_with_unsaved_changes_and_discard_closes(
    qtbot, window: MainWindow, prompter
) -> None:
    prompter.answer("Unsaved changes", "Discard")
    qtbot.keyClicks(window.editor, "throwaway")
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)


def test_scrolling_the_editor_scrolls_the_preview_along(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("\n\n".join(f"Paragraph {n} of a long post." for n in range(300)))
    wait_for_preview(qtbot, window.preview, "Paragraph 299")
    assert run_js(qtbot, window.preview, "window.scrollY") == 0
    bar = window.editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    bottom = "document.documentElement.scrollHeight - window.innerHeight"
    qtbot.waitUntil(
        lambda: run_js(qtbot, window.preview, f"Math.abs(window.scrollY - ({bottom})) < 2") is True
    )
    bar.setValue(0)
    qtbot.waitUntil(lambda: run_js(qtbot, window.preview, "window.scrollY") == 0)
