"""Raw islands in the window: folded and dimmed in the editor, placeholders in the preview."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from editor.gui.main_window import MainWindow
from tests.gui.helpers import open_and_wait, wait_for_preview
from tests.render.test_raw_islands import GALLERY, LATEST, POST


def open_post(qtbot, win: MainWindow, folder: Path, text: str = POST) -> Path:
    """Write a post with islands to a file and open it in the window."""
    path = folder / "islands.md"
    path.write_bytes(text.encode("utf-8"))
    open_and_wait(qtbot, win, path)
    qtbot.waitUntil(lambda: win.editor.toPlainText() == text)
    return path


def hidden_lines(win: MainWindow) -> list[int]:
    """Return the numbers of the editor's hidden lines."""
    document = win.editor.document()
    return [
        number
        for number in range(document.blockCount())
        if not document.findBlockByNumber(number).isVisible()
    ]


def gallery_lines(win: MainWindow) -> tuple[int, int]:
    """Return the first and last line of the gallery island."""
    first = POST[: POST.index(GALLERY)].count("\n")
    return first, first + GALLERY.count("\n")


def test_a_post_with_islands_opens_folded_and_dimmed(qtbot, window: MainWindow, tmp_path) -> None:
    open_post(qtbot, window, tmp_path)
    folds = window.editor.folds.folds
    assert [fold.label for fold in folds] == [
        "Gallery, 2 images",
        "Latest posts (dynamic)",
        "Shortcode [contact-form] (dynamic)",
        "Columns (3)",
        "Preformatted",
        "More",
    ]
    assert all(fold.folded for fold in folds)
    first, last = gallery_lines(window)
    assert set(range(first + 1, last + 1)) <= set(hidden_lines(window))
    document = window.editor.document()
    assert document.findBlockByNumber(first).isVisible()
    assert window.editor.blockBoundingGeometry(document.findBlockByNumber(first + 1)).height() == 0
    # dimmed: the island's lines carry the muted format, no Markdown highlighting inside
    dim = window.editor.highlighter.format_for("island").foreground().color()
    shortcode_line = document.findBlockByNumber(POST[: POST.index("[contact-form")].count("\n"))
    ranges = shortcode_line.layout().formats()
    assert [(r.start, r.length) for r in ranges] == [(0, len(shortcode_line.text()))]
    assert ranges[0].format.foreground().color() == dim
    # the folded line is painted over with its label box (to the right edge, past its text)
    editor = window.editor
    rect = editor.blockBoundingGeometry(document.findBlockByNumber(first))
    y = int(rect.translated(editor.contentOffset()).center().y())
    x = editor.viewport().width() - 8
    folded_pixel = editor.viewport().grab().toImage().pixelColor(x, y)
    editor.folds.unfold_all()
    unfolded_pixel = editor.viewport().grab().toImage().pixelColor(x, y)
    assert folded_pixel != unfolded_pixel
    assert unfolded_pixel == editor.palette().base().color()


def test_the_preview_shows_static_islands_and_placeholders_for_dynamic_ones(
    qtbot, window: MainWindow, tmp_path
) -> None:
    open_post(qtbot, window, tmp_path)
    html = wait_for_preview(qtbot, window.preview, "Latest posts — shown by the blog")
    assert 'class="dp-dynamic-block"' in html
    assert "wp-image-12" in html and "wp-image-13" in html  # the gallery, as the blog shows it
    assert "Shortcode [contact-form] — shown by the blog" in html
    assert LATEST not in html


def test_enter_or_a_click_on_a_folded_line_unfolds_it_and_the_text_stays(
    qtbot, window: MainWindow, tmp_path
) -> None:
    open_post(qtbot, window, tmp_path)
    editor = window.editor
    document = editor.document()
    first, last = gallery_lines(window)
    cursor = editor.textCursor()
    cursor.setPosition(document.findBlockByNumber(first).position())
    editor.setTextCursor(cursor)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.findBlockByNumber(last).isVisible()
    assert editor.toPlainText() == POST and not document.isModified()
    # a click on the next folded line (latest posts is one line; the shortcode has three)
    line = POST[: POST.index("<!-- wp:shortcode")].count("\n")
    assert not document.findBlockByNumber(line + 1).isVisible()
    rect = editor.blockBoundingGeometry(document.findBlockByNumber(line)).translated(
        editor.contentOffset()
    )
    qtbot.mouseClick(
        editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, int(rect.center().y()))
    )
    assert document.findBlockByNumber(line + 1).isVisible()
    assert editor.toPlainText() == POST and not document.isModified()


def test_the_view_menu_folds_and_unfolds_and_find_unfolds_what_it_lands_in(
    qtbot, window: MainWindow, tmp_path
) -> None:
    open_post(qtbot, window, tmp_path)
    window.menu_actions["unfold_islands"].trigger()
    assert hidden_lines(window) == []
    window.menu_actions["fold_islands"].trigger()
    assert hidden_lines(window)
    editor = window.editor
    found = editor.document().find("wp-image-13")
    assert not found.block().isVisible()
    editor.setTextCursor(found)
    assert found.block().isVisible()
    assert editor.toPlainText() == POST


def test_saving_a_folded_post_without_edits_writes_the_same_bytes(
    qtbot, window: MainWindow, tmp_path
) -> None:
    path = open_post(qtbot, window, tmp_path)
    before = path.read_bytes()
    assert window.editor.folds.any_folded
    with qtbot.waitSignal(window.document.saved, timeout=10000):
        window.document.save(force=True)
    assert path.read_bytes() == before


def test_typing_on_a_folded_line_unfolds_it_first(qtbot, window: MainWindow, tmp_path) -> None:
    open_post(qtbot, window, tmp_path)
    editor = window.editor
    first, last = gallery_lines(window)
    block = editor.document().findBlockByNumber(first)
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()
    qtbot.keyClicks(editor, " ")
    assert editor.document().findBlockByNumber(last).isVisible()
    assert editor.toPlainText() == POST.replace(
        '{"linkTo":"none"} -->', '{"linkTo":"none"} --> ', 1
    )


def test_a_bare_cr_before_an_island_does_not_shift_its_fold(
    qtbot, window: MainWindow, tmp_path
) -> None:
    # A bare CR starts a block in the editor as LF does: the fold must land on the island.
    text = "intro\rline two\rline three\n\n" + GALLERY + "\n\nAfter.\n"
    path = tmp_path / "cr.md"
    path.write_bytes(text.encode("utf-8"))
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: bool(window.editor.folds.folds))
    first = 4  # intro, line two, line three, blank
    last = first + GALLERY.count("\n")
    document = window.editor.document()
    assert document.findBlockByNumber(first).text().startswith("<!-- wp:gallery")
    assert hidden_lines(window) == list(range(first + 1, last + 1))
    assert document.findBlockByNumber(2).isVisible()  # "line three" is not under the label
