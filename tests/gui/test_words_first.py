"""The words first (issue 12): the publish record folded into one line, the writing font, the
measure and line spacing, and dimmed Markdown punctuation, in the real window."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.publish.remote_record import read_remote_record
from tests.gui.fake_blog import FakeBlog
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import (  # noqa: F401 (fixtures)
    POST_TEXT,
    account,
    blog,
    opened_urls,
    publish_and_wait,
    publishing,
)

MEDIA = "".join(
    f"    {sha}:\n      id: {200 + n}\n      url: https://ci.example/wp-content/uploads/2026/12/"
    f"photo-{n}.jpg\n"
    for n, sha in enumerate(
        ["1f2e3d4c5b6a7980", "2a3b4c5d6e7f8091", "3b4c5d6e7f8091a2", "4c5d6e7f8091a2b3"]
    )
)
RECORD = (
    "remote:\n"
    "  blog: CI Blog\n"
    "  id: 4711\n"
    "  url: https://ci.example/2026/12/03/night-train/\n"
    "  modified_gmt: '2026-12-03T09:41:07'\n"
    "  content_sha256: 9a8b7c6d5e4f3a2b\n"
    "  payload_sha256: 0f1e2d3c4b5a6978\n"
    "  media:\n" + MEDIA + "  terms:\n"
    "    tags:\n      travel: 12\n      trains: 15\n"
    "    categories:\n      Journeys: 3\n"
)
PROSE = "We took the night train north, and the words came first."
PUBLISHED = (
    "---\ntitle: Night Train\nstatus: publish\ntags: [travel, trains]\n"
    "categories: [Journeys]\n" + RECORD + "---\n\n" + PROSE + "\n"
)


def open_post(qtbot, window: MainWindow, folder: Path, text: str = PUBLISHED) -> Path:
    """Write `text` to a post file and open it."""
    path = folder / "night-train.md"
    path.write_bytes(text.encode("utf-8"))
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == text)
    return path


def line_of(text: str, needle: str) -> int:
    """Return the number of the line holding `needle`."""
    return text[: text.index(needle)].count("\n")


def record_fold(window: MainWindow):
    """Return the publish record's fold (None when there is none)."""
    folds = window.editor.folds.folds
    return folds[0] if folds and folds[0].record else None


def fixed_width(window: MainWindow) -> bool:
    """Tell whether the editor's font gives every letter the same width."""
    metrics = window.editor.fontMetrics()
    return metrics.horizontalAdvance("iiii") == metrics.horizontalAdvance("mmmm")


def hidden(window: MainWindow, line: int) -> bool:
    """Tell whether a line of the editor is folded away."""
    return not window.editor.document().findBlockByNumber(line).isVisible()


def on_first_screen(window: MainWindow, needle: str) -> bool:
    """Tell whether the line holding `needle` is inside the editor's viewport."""
    editor = window.editor
    block = editor.document().find(needle).block()
    rect = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    return rect.top() >= 0 and rect.bottom() <= editor.viewport().height()


# -- the publish record ------------------------------------------------------------------------


def test_the_publish_record_opens_folded_into_one_line_and_prose_is_on_the_first_screen(
    qtbot, window: MainWindow, tmp_path
) -> None:
    window.resize(1024, 700)
    open_post(qtbot, window, tmp_path)
    fold = record_fold(window)
    assert fold is not None and fold.folded
    assert fold.label == "Published to CI Blog · 3 Dec 2026"
    first = line_of(PUBLISHED, "remote:")
    last = line_of(PUBLISHED, "Journeys: 3")
    assert not hidden(window, first)
    assert all(hidden(window, line) for line in range(first + 1, last + 1))
    assert not hidden(window, line_of(PUBLISHED, "title:"))  # the writer's fields stay
    qtbot.waitUntil(lambda: on_first_screen(window, PROSE))
    # a click on the folded line shows the record
    editor = window.editor
    cursor = QTextCursor(editor.document().findBlockByNumber(first))
    editor.folds.handle_click(cursor)
    assert not fold.folded and not hidden(window, first + 1)


def test_a_folded_record_saves_the_same_bytes_and_find_opens_it(
    qtbot, window: MainWindow, tmp_path
) -> None:
    path = open_post(qtbot, window, tmp_path)
    window.editor.document().setModified(True)
    window.document.save()
    qtbot.waitUntil(lambda: not window.document.is_modified)
    assert path.read_bytes() == PUBLISHED.encode("utf-8")
    window.menu_actions["find"].trigger()
    window.find_bar.find_edit.setText("payload_sha256")
    window.find_bar.find_next()
    qtbot.waitUntil(lambda: window.editor.textCursor().selectedText() == "payload_sha256")
    assert not record_fold(window).folded
    assert not hidden(window, line_of(PUBLISHED, "payload_sha256"))


def test_the_record_stays_folded_when_the_details_form_rewrites_the_front_matter_and_undo_works(
    qtbot, window: MainWindow, tmp_path
) -> None:
    open_post(qtbot, window, tmp_path)
    window.document.set_field("tags", ["travel", "trains", "night"])
    text = window.editor.toPlainText()
    assert "night" in text and "payload_sha256" in text
    qtbot.waitUntil(lambda: hidden(window, line_of(text, "payload_sha256")))
    assert record_fold(window).folded
    assert not hidden(window, line_of(text, "tags:"))
    window.editor.undo()
    assert window.editor.toPlainText() == PUBLISHED
    qtbot.waitUntil(lambda: hidden(window, line_of(PUBLISHED, "payload_sha256")))
    # a record taken out (Undo of a publish, say) leaves no fold and no hidden line behind
    window.document.set_field("remote", None)
    qtbot.waitUntil(lambda: record_fold(window) is None)
    document = window.editor.document()
    assert all(document.findBlockByNumber(n).isVisible() for n in range(document.blockCount()))
    window.editor.undo()
    qtbot.waitUntil(lambda: record_fold(window) is not None and record_fold(window).folded)


def test_a_record_changed_on_disk_is_folded_again_after_the_reload(
    qtbot, window: MainWindow, tmp_path
) -> None:
    path = open_post(qtbot, window, tmp_path)
    changed = PUBLISHED.replace("id: 4711", "id: 4712").replace("2026-12-03", "2026-12-05")
    path.write_bytes(changed.encode("utf-8"))
    qtbot.waitUntil(lambda: window.editor.toPlainText() == changed, timeout=10000)
    qtbot.waitUntil(lambda: record_fold(window).label == "Published to CI Blog · 5 Dec 2026")
    assert record_fold(window).folded
    assert hidden(window, line_of(changed, "payload_sha256"))


def test_after_a_publish_the_record_is_folded_and_a_copy_elsewhere_updates_the_same_post(
    qtbot,
    window: MainWindow,
    publishing,  # noqa: F811 (fixture)
    blog: FakeBlog,  # noqa: F811 (fixture)
    account,  # noqa: F811 (fixture)
    library_root: Path,
    tmp_path: Path,
    prompter,
    opened_urls,  # noqa: F811 (fixture)
    monkeypatch,
) -> None:
    path = library_root / "2024-05-01-night-train.md"
    path.write_text(POST_TEXT, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    prompter.answer("Published", "Open in browser")
    publish_and_wait(qtbot, window, "published")
    qtbot.waitUntil(lambda: record_fold(window) is not None and record_fold(window).folded)
    assert record_fold(window).label.startswith("Published to my blog")
    assert len(blog.created()) == 1
    # The record is in the file: a copy on another machine (another data folder, no journal)
    # updates the same blog post.
    elsewhere = tmp_path / "other-machine"
    elsewhere.mkdir()
    copy = elsewhere / path.name
    shutil.copyfile(path, copy)
    monkeypatch.setenv("DRAFTPRESS_DATA_DIR", str(tmp_path / "fresh-data"))
    open_and_wait(qtbot, window, copy)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText("A second paragraph, written on the train home.\n")
    prompter.answer("Published", "Open in browser")
    publish_and_wait(qtbot, window, "published")
    assert len(blog.created()) == 1
    record = read_remote_record(copy.read_text(encoding="utf-8"), "my blog")
    assert "second paragraph" in blog.posts[record.id]["content"]["raw"]


# -- the writing font, the measure, the spacing, the punctuation ---------------------------


def test_prose_is_set_in_a_proportional_font_with_spaced_lines_in_a_centred_measure(
    qtbot, make_window, tmp_path
) -> None:
    window = make_window()
    window.resize(1900, 900)
    window.splitter.setSizes([250, 1300, 350])
    editor = window.editor
    assert not fixed_width(window)
    editor.setPlainText(PROSE * 20)
    qtbot.waitUntil(lambda: editor.viewportMargins().left() > 40)
    margins = editor.viewportMargins()
    assert margins.left() == margins.right()
    column = editor.viewport().width() - 2 * editor.document().documentMargin()
    running = "The quick brown fox jumps over the lazy dog, then writes a letter. "
    measure = editor.fontMetrics().horizontalAdvance(running) / len(running) * 70
    assert abs(column - measure) <= 2  # 70 characters of running text
    block = editor.document().firstBlock()
    lines = block.layout().lineCount()
    assert lines > 1
    height = editor.blockBoundingRect(block).height()
    natural = sum(block.layout().lineAt(n).height() for n in range(lines))
    assert abs(height - natural * 1.4) < 1 + lines
    # Narrow: the text takes the pane, with a little air
    window.resize(1024, 700)
    window.splitter.setSizes([250, 450, 324])
    qtbot.waitUntil(lambda: editor.viewportMargins().left() < margins.left())


def test_monospace_stays_a_setting(qtbot, make_window) -> None:
    window = make_window(Settings(preview_debounce_ms=20, editor_monospace=True))
    assert fixed_width(window)


def test_markdown_punctuation_is_dimmed_and_the_words_keep_their_format(
    qtbot, window: MainWindow
) -> None:
    editor = window.editor
    editor.setPlainText("Some **bold** and `code` and [a link](https://example.org).")
    block = editor.document().firstBlock()
    dim = editor.highlighter.format_for("punctuation").foreground().color()

    def colour_at(position: int):
        for run in block.layout().formats():
            if run.start <= position < run.start + run.length:
                return QTextCharFormat(run.format)
        return QTextCharFormat()

    text = block.text()
    stars = colour_at(text.index("**"))
    assert stars is not None and stars.foreground().color() == dim
    assert stars.fontWeight() > 500  # still part of the bold span
    word = colour_at(text.index("bold"))
    assert word is not None and word.foreground().color() != dim
    assert colour_at(text.index("`")).foreground().color() == dim
    assert colour_at(text.index("[")).foreground().color() == dim


def test_a_click_in_the_margin_beside_the_text_puts_the_cursor_on_that_line(
    qtbot, make_window
) -> None:
    window = make_window()
    window.resize(1900, 900)
    window.splitter.setSizes([250, 1300, 350])
    editor = window.editor
    editor.setPlainText("First line of the post.\nSecond line, the one clicked beside.\nThird.")
    qtbot.waitUntil(lambda: editor.viewportMargins().left() > 40)
    second = editor.document().findBlockByNumber(1)
    rect = editor.blockBoundingGeometry(second).translated(editor.contentOffset())
    y = int(editor.viewport().mapTo(editor, rect.center().toPoint()).y())
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    assert editor.textCursor().position() == second.position()
    right = editor.width() - editor.verticalScrollBar().width() - 8
    qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=QPoint(right, y))
    assert editor.textCursor().position() == second.position() + second.length() - 1
