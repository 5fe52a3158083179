"""Formatting that behaves like a writing tool (issue 12): Bold/Italic/Code step out of a span
and toggle, Ctrl+K takes a web address from the clipboard, Paste turns a web page into Markdown
and Paste as Plain Text does not. The real window, real key presses, the real clipboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from editor.gui.main_window import MainWindow
from tests.gui.test_editing_commands import place_cursor, select, set_text
from tests.gui.test_link_dialog import answer_link_dialog

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def clipboard_emptied_after():
    """Empty the clipboard after each test, while Python still holds the data it put there
    (a QMimeData made in Python left on the clipboard crashes the interpreter's exit)."""
    yield
    QApplication.clipboard().clear()


def put_on_clipboard(text: str = "", html: str = "", urls: list[str] | None = None) -> None:
    """Put text, HTML and/or URLs on the system clipboard, as another program would."""
    mime = QMimeData()
    if text:
        mime.setText(text)
    if html:
        mime.setHtml(html)
    if urls:
        mime.setUrls([QUrl(url) for url in urls])
    QApplication.clipboard().setMimeData(mime)


def text_of(window: MainWindow) -> str:
    return window.editor.toPlainText()


# -- Bold, Italic, Code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "marker"), [(Qt.Key.Key_B, "**"), (Qt.Key.Key_I, "*"), (Qt.Key.Key_E, "`")]
)
def test_pressed_again_before_the_closing_marker_steps_out_of_the_span(
    qtbot, window: MainWindow, key, marker
) -> None:
    set_text(window.editor, "")
    qtbot.keyClicks(window.editor, "Say ")
    qtbot.keyClick(window.editor, key, CTRL)
    qtbot.keyClicks(window.editor, "loud")
    qtbot.keyClick(window.editor, key, CTRL)
    qtbot.keyClicks(window.editor, " now")
    assert text_of(window) == f"Say {marker}loud{marker} now"


def test_bold_pressed_twice_on_nothing_takes_the_pair_away_again(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Say  now")
    place_cursor(window.editor, 4)
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert text_of(window) == "Say **** now"
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert text_of(window) == "Say  now"
    assert window.editor.textCursor().position() == 4


def test_italic_on_a_bold_word_adds_italic_rather_than_breaking_the_bold(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, "A **bold** word")
    select(window.editor, "bold")
    qtbot.keyClick(window.editor, Qt.Key.Key_I, CTRL)
    assert text_of(window) == "A ***bold*** word"
    qtbot.keyClick(window.editor, Qt.Key.Key_I, CTRL)  # and toggles back
    assert text_of(window) == "A **bold** word"
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert text_of(window) == "A bold word"


def test_a_selection_with_a_trailing_blank_is_wrapped_around_its_words(
    qtbot, window: MainWindow
) -> None:
    set_text(window.editor, "Make this bold please")
    select(window.editor, "bold ")
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert text_of(window) == "Make this **bold** please"
    assert window.editor.textCursor().selectedText() == "bold"
    window.editor.undo()  # one undo step
    assert text_of(window) == "Make this bold please"


def test_code_around_text_with_a_backtick_uses_a_longer_fence(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Type a`b here")
    select(window.editor, "a`b")
    qtbot.keyClick(window.editor, Qt.Key.Key_E, CTRL)
    assert text_of(window) == "Type ``a`b`` here"
    qtbot.keyClick(window.editor, Qt.Key.Key_E, CTRL)
    assert text_of(window) == "Type a`b here"


def test_toggles_keep_characters_beyond_the_basic_plane_and_nbsp(qtbot, window: MainWindow) -> None:
    set_text(window.editor, "Ship 🚢\u00a0it now")
    cursor = window.editor.textCursor()
    cursor.setPosition(5)
    cursor.setPosition(5 + 2 + 1 + 2, QTextCursor.MoveMode.KeepAnchor)  # UTF-16 units
    window.editor.setTextCursor(cursor)
    qtbot.keyClick(window.editor, Qt.Key.Key_B, CTRL)
    assert window.editor.exact_text() == "Ship **🚢\u00a0it** now"
    assert window.editor.textCursor().selectedText() == "🚢\u00a0it"


# -- Link --------------------------------------------------------------------------------------


def test_ctrl_k_with_an_address_on_the_clipboard_makes_the_link_at_once(
    qtbot, window: MainWindow
) -> None:
    put_on_clipboard(text="https://example.org/trains ")
    set_text(window.editor, "Try Draftpress now")
    select(window.editor, "Draftpress")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert text_of(window) == "Try [Draftpress](https://example.org/trains) now"
    assert window.editor.textCursor().position() == len(
        "Try [Draftpress](https://example.org/trains)"
    )
    window.editor.undo()
    assert text_of(window) == "Try Draftpress now"


def test_ctrl_k_with_an_address_and_no_selection_leaves_the_cursor_for_the_words(
    qtbot, window: MainWindow
) -> None:
    put_on_clipboard(urls=["https://example.org/a"])
    set_text(window.editor, "See  here")
    place_cursor(window.editor, 4)
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    qtbot.keyClicks(window.editor, "this")
    assert text_of(window) == "See [this](https://example.org/a) here"


def test_ctrl_k_with_other_text_on_the_clipboard_asks_for_the_address(
    qtbot, window: MainWindow
) -> None:
    # Since tools12 (issue 12): no web address on the clipboard opens the small link dialog
    # (tests/gui/test_link_dialog.py) instead of leaving `[Draftpress]()` to fill in.
    put_on_clipboard(text="not an address")
    set_text(window.editor, "Try Draftpress now")
    select(window.editor, "Draftpress")
    answer_link_dialog(qtbot, address="https://example.org")
    qtbot.keyClick(window.editor, Qt.Key.Key_K, CTRL)
    assert text_of(window) == "Try [Draftpress](https://example.org) now"


# -- Paste -------------------------------------------------------------------------------------

PAGE = (
    "<html><head><style>p { color: red }</style><script>steal()</script></head><body>"
    '<!--StartFragment--><h2 onclick="steal()">Night trains</h2>'
    '<p>They are <b>back</b>, says <a href="https://example.org/report" '
    'onmouseover="steal()">the report</a> (see <a href="/local/page">our page</a>).</p>'
    "<ul><li>Vienna</li><li>Zurich</li></ul>"
    '<p><img src="https://example.org/train.jpg" alt="A sleeper car"></p>'
    "<script>steal()</script><!--EndFragment--></body></html>"
)
PAGE_TEXT = "Night trains\nThey are back, says the report (see our page).\nVienna\nZurich\n"
PAGE_MARKDOWN = (
    "## Night trains\n\n"
    "They are **back**, says [the report](https://example.org/report) (see our page).\n\n"
    "- Vienna\n- Zurich\n\n"
    "[A sleeper car](https://example.org/train.jpg)\n"
)


def test_paste_from_a_web_page_gives_clean_markdown_in_one_undo_step(
    qtbot, window: MainWindow
) -> None:
    put_on_clipboard(text=PAGE_TEXT, html=PAGE)
    set_text(window.editor, "")
    qtbot.keyClick(window.editor, Qt.Key.Key_V, CTRL)
    assert text_of(window) == PAGE_MARKDOWN
    assert "steal" not in text_of(window) and "color" not in text_of(window)
    window.editor.undo()
    assert text_of(window) == ""


def test_a_few_words_from_a_page_go_into_the_sentence(qtbot, window: MainWindow) -> None:
    put_on_clipboard(text="very fast", html="<meta charset='utf-8'><span>very <i>fast</i></span>")
    set_text(window.editor, "Trains are  today.")
    place_cursor(window.editor, len("Trains are "))
    window.menu_actions["paste"].trigger()
    assert text_of(window) == "Trains are very *fast* today."


def test_paste_as_plain_text_keeps_the_words_only(qtbot, window: MainWindow) -> None:
    put_on_clipboard(text=PAGE_TEXT, html=PAGE)
    set_text(window.editor, "")
    qtbot.keyClick(window.editor, Qt.Key.Key_V, CTRL | SHIFT)
    assert text_of(window) == PAGE_TEXT
    assert window.menu_actions["paste_plain"].text() == "Paste as Plain &Text"


def test_pasting_an_address_over_selected_words_makes_a_link(qtbot, window: MainWindow) -> None:
    put_on_clipboard(text="https://example.org/trains")
    set_text(window.editor, "Read the timetable first")
    select(window.editor, "the timetable")
    qtbot.keyClick(window.editor, Qt.Key.Key_V, CTRL)
    assert text_of(window) == "Read [the timetable](https://example.org/trains) first"
    window.editor.undo()
    assert text_of(window) == "Read the timetable first"


def test_copy_and_paste_within_the_editor_keeps_the_markdown_as_written(
    qtbot, window: MainWindow
) -> None:
    original = "Some **bold**, <b>html</b> and a *word*"
    set_text(window.editor, original)
    window.editor.selectAll()
    qtbot.keyClick(window.editor, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().mimeData().hasHtml()  # Qt's own rendering, not converted
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(window.editor, Qt.Key.Key_V, CTRL)
    assert window.editor.exact_text() == original + original


def test_a_qt_programs_copy_with_markdown_pastes_its_text(qtbot, window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("Some **bold**")
    mime.setHtml("<p>Some <i>bold</i></p>")  # converted, it would read *bold*
    mime.setData("text/markdown", b"Some **bold**")
    QApplication.clipboard().setMimeData(mime)
    set_text(window.editor, "")
    qtbot.keyClick(window.editor, Qt.Key.Key_V, CTRL)
    assert text_of(window) == "Some **bold**"
