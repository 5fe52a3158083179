"""The preview follows each keystroke: edits fed in order, only changed pieces patched."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from editor.gui.main_window import MainWindow
from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import render_markdown
from tests.gui.helpers import preview_html, run_js, wait_for_preview

PARAGRAPHS = "\n\n".join(f"Paragraph {n} says *hello*." for n in range(6)) + "\n"


def wait_preview_current(qtbot, win: MainWindow, timeout: int = 20000) -> str:
    """Wait until the preview shows a render of the editor's current text; return its HTML."""

    def current() -> bool:
        result = win.live.last_result
        return (
            result is not None
            and result.text == win.editor.toPlainText()
            and win.preview.shown_serial == result.serial
        )

    qtbot.waitUntil(current, timeout=timeout)
    return preview_html(qtbot, win.preview)


def as_parsed(qtbot, win: MainWindow, html: str) -> str:
    """Return `html` as the browser serialises it once parsed (entities become characters)."""
    script = (
        "(function (h) { var t = document.createElement('template'); t.innerHTML = h;"
        f" return t.innerHTML; }})({json.dumps(html)})"
    )
    return str(run_js(qtbot, win.preview, script))


def full_render(qtbot, win: MainWindow) -> str:
    """Return a full render of the editor's text, as the preview's DOM would serialise it."""
    return as_parsed(qtbot, win, render_markdown(win.editor.toPlainText()))


def type_at_end_of_line(qtbot, win: MainWindow, line: int, text: str) -> None:
    """Put the cursor at the end of source line `line` and type `text` as key presses."""
    block = win.editor.document().findBlockByNumber(line)
    cursor = win.editor.textCursor()
    cursor.setPosition(block.position() + block.length() - 1)
    win.editor.setTextCursor(cursor)
    win.editor.setFocus()
    qtbot.keyClicks(win.editor, text)


def test_typing_patches_only_the_changed_piece(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText(PARAGRAPHS)
    wait_for_preview(qtbot, window.preview, "Paragraph 5")
    wait_preview_current(qtbot, window)
    # A mark set from our script world on the first paragraph's node survives only if the
    # patch leaves that node alone.
    run_js(qtbot, window.preview, "document.querySelector('#content p').dpMark = 7; true")
    type_at_end_of_line(qtbot, window, 6, " More words")
    html = wait_preview_current(qtbot, window)
    assert "Paragraph 3 says <em>hello</em>. More words" in html
    assert run_js(qtbot, window.preview, "document.querySelector('#content p').dpMark") == 7
    assert html == full_render(qtbot, window)


def test_the_dom_equals_a_full_render_after_mixed_edits(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("# Title\n\n" + PARAGRAPHS)
    wait_preview_current(qtbot, window)
    editor = window.editor
    type_at_end_of_line(qtbot, window, 2, " with an emoji ")
    editor.insertPlainText("😀")  # QTest types Latin-1 only; Qt counts this as 2 positions
    qtbot.keyClicks(editor, " in it")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "- a new list")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "- of two")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    editor.undo()
    cursor = editor.textCursor()
    cursor.insertText("\u2029```\ncode\u00a0here\n```\u2029")  # paragraph separators, nbsp
    editor.set_heading(2)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(0)
    cursor.setPosition(4, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText("Renamed")
    html = wait_preview_current(qtbot, window)
    assert html == full_render(qtbot, window)
    assert window.live.last_result.text == editor.toPlainText()
    fresh = IncrementalRenderer()
    fresh.render(editor.toPlainText())  # the length the preview keeps as deltas arrive
    assert window.preview.shown_html_chars == sum(len(block.html) for block in fresh.blocks)


def test_a_footnote_added_early_renumbers_the_footnotes(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText(
        "Intro paragraph.\n\nLater claim.[^later]\n\n[^later]: The later note.\n"
    )
    html = wait_for_preview(qtbot, window.preview, "The later note")
    assert 'id="fn:later"' in html and ">1</a>" in html
    type_at_end_of_line(qtbot, window, 0, "[^early]")
    # Python-Markdown numbers notes in the order of their definitions: define it first.
    cursor = window.editor.textCursor()
    cursor.setPosition(window.editor.document().findBlockByNumber(4).position())
    window.editor.setTextCursor(cursor)
    qtbot.keyClicks(window.editor, "[^early]: The early note.")
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    qtbot.keyClick(window.editor, Qt.Key.Key_Return)
    html = wait_preview_current(qtbot, window)
    assert html == full_render(qtbot, window)
    assert html.index('id="fn:early"') < html.index('id="fn:later"')
    assert 'href="#fn:later">2</a>' in html


def test_replacing_the_whole_text_and_reopening_render_afresh(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText(PARAGRAPHS)
    wait_preview_current(qtbot, window)
    window.editor.replace_all_text("Only *this* now.\n")
    html = wait_preview_current(qtbot, window)
    assert html == "<p>Only <em>this</em> now.</p>"
    window.editor.load_text("# Loaded\n\nFresh text.\n")
    html = wait_preview_current(qtbot, window)
    assert html == full_render(qtbot, window)


def test_the_details_follow_the_front_matter(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("---\ntitle: First\n---\nBody words here.\n")
    qtbot.waitUntil(lambda: "First" in window.windowTitle())
    type_at_end_of_line(qtbot, window, 1, " and second")
    qtbot.waitUntil(lambda: "First and second" in window.windowTitle())
    qtbot.waitUntil(
        lambda: (
            run_js(qtbot, window.preview, "document.getElementById('dp-title').textContent")
            == "First and second"
        )
    )
    qtbot.waitUntil(lambda: window.words_label.text().startswith("3 words"))


def test_a_post_from_another_folder_shows_its_own_images(
    qtbot, window: MainWindow, tmp_path
) -> None:
    from tests.gui.helpers import open_and_wait
    from tests.gui.test_preview_safety import write_png

    elsewhere = tmp_path / "elsewhere"
    write_png(elsewhere / "pics" / "one.png")
    post = elsewhere / "post.md"
    post.write_text("# Away\n\n![A picture](pics/one.png)\n", encoding="utf-8")
    window.editor.setPlainText("![A picture](pics/one.png)\n")  # not there in the library
    wait_preview_current(qtbot, window)
    open_and_wait(qtbot, window, post)
    wait_for_preview(qtbot, window.preview, "<h1")
    loaded = "document.images.length === 1 && document.images[0].naturalWidth === 40"
    qtbot.waitUntil(lambda: run_js(qtbot, window.preview, loaded) is True, timeout=10000)
