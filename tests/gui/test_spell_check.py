"""Spell checking in the real window, with real Hunspell dictionaries through Enchant.

Needs Enchant and the hunspell-en-us, -de-de dictionaries (scripts/system-packages.sh lists them).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPaintEvent
from PySide6.QtWidgets import QMenu

from editor.core import spelling
from editor.core.settings import Settings, load_settings
from editor.gui.editing.prose_ranges import prose_in_line, words_in
from editor.gui.editing.spell_check import SpellCheck
from editor.gui.main_window import MainWindow

pytestmark = pytest.mark.skipif(
    not {"en_US", "de_DE"} <= set(spelling.available_languages()),
    reason="needs Enchant with the en_US and de_DE Hunspell dictionaries",
)

POST = """---
title: Teh misspelt title stays alone
---
Teh writter recieved a mesage.

Code `teh mesage` and a link [fine words](https://exmaple.com/writter) stay alone:

```
recieved = writter
```

See https://www.exmaple.org/mesage or mail writter@exmaple.com.
"""


@pytest.fixture(autouse=True)
def _fresh_session_words():
    """Words ignored by one test must not be ignored in the next (one app run per test)."""
    spelling.ignored_this_session.clear()
    yield
    spelling.ignored_this_session.clear()


def underlined(spell: SpellCheck) -> list[str]:
    """The words the editor underlines now: the misspelt words of the prose lines on screen."""
    words = []
    for block, _geometry in spell._visible_blocks():
        if spell._prose_line(block):
            text = block.text()
            words += [text[a:b] for a, b in spell._misspelt.get(text, [])]
    return words


def load(qtbot, win: MainWindow, text: str) -> SpellCheck:
    """Put `text` in the window's editor and wait until the screen was checked."""
    win.editor.load_text(text)
    spell = win.editor.spelling
    qtbot.waitUntil(lambda: _all_checked(spell), timeout=5000)
    return spell


def _all_checked(spell: SpellCheck) -> bool:
    shown = [b for b, _g in spell._visible_blocks() if spell._prose_line(b)]
    return bool(shown) and all(b.text() in spell._misspelt for b in shown)


def red_pixels(win: MainWindow) -> int:
    """Count the underline's red in a picture of the editor's viewport."""
    image: QImage = win.editor.viewport().grab().toImage()
    red = QColor("#e0302b")
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - red.red()) < 40
                and abs(pixel.green() - red.green()) < 40
                and abs(pixel.blue() - red.blue()) < 40
            ):
                count += 1
    return count


def test_misspelt_prose_is_underlined_and_nothing_else(qtbot, window: MainWindow) -> None:
    spell = load(qtbot, window, POST)
    assert underlined(spell) == ["Teh", "writter", "recieved", "mesage"]
    assert red_pixels(window) > 20  # the wavy lines are painted


def test_nothing_is_underlined_with_spelling_off(qtbot, window: MainWindow) -> None:
    spell = load(qtbot, window, POST)
    assert red_pixels(window) > 20
    window.editor.spelling.set_enabled(False)
    qtbot.waitUntil(lambda: red_pixels(window) == 0, timeout=3000)
    assert load_settings().spelling_enabled is False  # remembered
    assert not spell.active


def test_a_suggestion_replaces_the_word_as_one_undo_step(qtbot, window: MainWindow) -> None:
    spell = load(qtbot, window, "Teh writter recieved a mesage.\n")
    editor = window.editor
    menu = editor.createStandardContextMenu()
    spell.add_to_context_menu(menu, editor.toPlainText().index("writter") + 2, editor.replace_range)
    texts = [action.text() for action in menu.actions()]
    assert "writer" in texts
    assert "Add “writter” to Dictionary" in texts and "Ignore “writter”" in texts
    next(a for a in menu.actions() if a.text() == "writer").trigger()
    assert editor.toPlainText() == "Teh writer recieved a mesage.\n"
    qtbot.waitUntil(lambda: "writter" not in underlined(spell) and _all_checked(spell))
    assert underlined(spell) == ["Teh", "recieved", "mesage"]
    editor.undo()
    assert editor.toPlainText() == "Teh writter recieved a mesage.\n"
    menu.deleteLater()


def test_no_menu_entries_on_a_right_word_or_in_code(qtbot, window: MainWindow) -> None:
    spell = load(qtbot, window, "Fine words and `writter` here.\n")
    menu = QMenu()
    text = window.editor.toPlainText()
    for position in (text.index("words"), text.index("writter")):
        spell.add_to_context_menu(menu, position, window.editor.replace_range)
    assert menu.actions() == []


def test_add_to_dictionary_persists_for_a_new_window(
    qtbot, make_window: Callable[..., MainWindow]
) -> None:
    first = make_window()
    spell = load(qtbot, first, "Teh writter recieved a mesage.\n")
    menu = first.editor.createStandardContextMenu()
    spell.add_to_context_menu(menu, 1, first.editor.replace_range)
    next(a for a in menu.actions() if a.text().startswith("Add “Teh”")).trigger()
    qtbot.waitUntil(lambda: "Teh" not in underlined(spell) and _all_checked(spell))
    assert "Teh" in spelling.personal_words_path().read_text(encoding="utf-8").split()
    second = make_window()
    again = load(qtbot, second, "Teh writter recieved a mesage.\n")
    assert underlined(again) == ["writter", "recieved", "mesage"]
    menu.deleteLater()


def test_ignore_lasts_for_the_session_only(qtbot, window: MainWindow) -> None:
    spell = load(qtbot, window, "Teh writter recieved a mesage.\n")
    menu = window.editor.createStandardContextMenu()
    spell.add_to_context_menu(menu, 5, window.editor.replace_range)
    next(a for a in menu.actions() if a.text().startswith("Ignore")).trigger()
    qtbot.waitUntil(lambda: "writter" not in underlined(spell) and _all_checked(spell))
    assert not spelling.personal_words_path().read_text(encoding="utf-8").strip()
    menu.deleteLater()


def test_lang_front_matter_switches_the_dictionary(qtbot, window: MainWindow) -> None:
    german = "---\ntitle: Ein Brief\nlang: de\n---\nDer Schreiber bekam eine Nachricht.\n"
    spell = load(qtbot, window, german)
    qtbot.waitUntil(lambda: spell.speller is not None and spell.speller.language == "de_DE")
    qtbot.waitUntil(lambda: _all_checked(spell))
    assert underlined(spell) == []
    english = german.replace("lang: de\n", "")
    spell = load(qtbot, window, english)
    qtbot.waitUntil(lambda: spell.speller is not None and spell.speller.language == "en_US")
    qtbot.waitUntil(lambda: _all_checked(spell) and underlined(spell) != [])
    assert "Schreiber" in underlined(spell)


def test_the_chosen_language_is_remembered(qtbot, make_window) -> None:
    window = make_window()
    spell = load(qtbot, window, "Colour and favourite.\n")
    assert underlined(spell) == ["Colour", "favourite"]
    spell.set_language("en_GB")
    qtbot.waitUntil(lambda: _all_checked(spell) and underlined(spell) == [])
    assert load_settings().spelling_language == "en_GB"
    again = make_window(load_settings())
    assert load(qtbot, again, "Colour and favourite.\n").speller.language == "en_GB"


def test_without_any_dictionary_the_writer_is_told_once_and_can_write(
    qtbot, make_window, monkeypatch
) -> None:
    # The one fake here: a machine without Enchant cannot be made from this one (the library
    # is installed system-wide), so its absence is what pyenchant's import failure gives.
    monkeypatch.setattr(spelling, "_enchant", lambda: None)
    monkeypatch.setattr("editor.gui.editing.spell_check._told_unavailable", False)
    window = make_window(Settings(preview_debounce_ms=20))
    qtbot.waitUntil(lambda: "Spell checking is off" in window.statusBar().currentMessage())
    assert "apt install hunspell-en-us" in window.statusBar().currentMessage()
    window.editor.load_text("Teh writter recieved a mesage.\n")
    qtbot.keyClicks(window.editor, "More wrods")
    assert "More wrods" in window.editor.toPlainText()
    assert not window.editor.spelling.active
    second = make_window(Settings(preview_debounce_ms=20))
    assert "Spell checking is off" not in second.statusBar().currentMessage()


def test_the_window_and_the_pure_rules_agree_on_the_prose(qtbot, window: MainWindow) -> None:
    from editor.gui.editing.prose_ranges import prose_ranges

    spell = load(qtbot, window, POST)
    expected = [w for _a, _b, w in words_in(POST, prose_ranges(POST))]
    shown = []
    for block, _geometry in spell._visible_blocks():
        if spell._prose_line(block):
            shown += [w for _a, _b, w in words_in(block.text(), prose_in_line(block.text()))]
    assert shown == expected


def test_the_word_being_typed_is_underlined_once_the_writer_moves_on(
    qtbot, window: MainWindow
) -> None:
    spell = load(qtbot, window, "Good words.\n")
    editor = window.editor
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "Then writter")
    qtbot.waitUntil(lambda: _all_checked(spell) and "writter" in underlined(spell))
    assert red_pixels(window) == 0  # the cursor is still at the end of the word
    qtbot.keyClicks(editor, " ")
    qtbot.waitUntil(lambda: red_pixels(window) > 10, timeout=3000)


def test_right_click_on_a_misspelt_word_offers_and_applies_a_suggestion(
    qtbot, window: MainWindow
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    load(qtbot, window, "Teh writter recieved a mesage.\n")
    editor = window.editor
    cursor = editor.textCursor()
    cursor.setPosition(editor.toPlainText().index("writter") + 3)
    point = editor.cursorRect(cursor).center()
    offered: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, choose)
            return
        offered.extend(action.text() for action in menu.actions())
        chosen = [a for a in menu.actions() if a.text() == "writer"]
        menu.close()  # first, so that a menu without the entry fails the test, never hangs it
        for action in chosen:
            action.trigger()

    QTimer.singleShot(0, choose)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, editor.viewport().mapToGlobal(point)
    )
    editor.contextMenuEvent(event)  # the menu runs until `choose` picks from it
    assert offered[0] == "writer" and "Select All" in offered
    assert editor.toPlainText() == "Teh writer recieved a mesage.\n"


def test_a_long_post_is_checked_once_it_has_loaded_not_while_it_loads(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    from editor.gui.editing.editor_pane import BULK_LOAD_CHARS

    first = "Teh writter recieved a mesage."
    text = f"{first}\n\n" + "A paragraph of fine words.\n\n" * 40_000
    assert len(text) > 4 * BULK_LOAD_CHARS  # loaded slice by slice, over many event-loop turns
    editor, spell = window.editor, window.editor.spelling
    looked_while_loading: list[bool] = []  # each time spelling measured the screen: loading?
    measure = spell._visible_blocks

    def measured() -> list:
        looked_while_loading.append(editor.loading)
        return measure()

    monkeypatch.setattr(spell, "_visible_blocks", measured)
    with qtbot.waitSignal(editor.loading_finished, timeout=60000):
        editor.load_text(text)
    assert not any(looked_while_loading)  # painting and checking waited for the whole text
    qtbot.waitUntil(lambda: _all_checked(spell), timeout=10000)
    assert underlined(spell)[:4] == ["Teh", "writter", "recieved", "mesage"]
    qtbot.waitUntil(lambda: red_pixels(window) > 20, timeout=5000)  # and painted on screen


def test_checking_a_typed_line_repaints_that_line_not_the_whole_editor(
    qtbot, window: MainWindow
) -> None:
    """While the writer types, the check after each pause repaints the typed line alone
    (repainting the whole editor at every check cost a full paint several times a second)."""
    lines = [f"Line {n} of good prose fills the screen." for n in range(60)]
    spell = load(qtbot, window, "\n".join(lines) + "\n")
    editor = window.editor
    viewport = editor.viewport()
    cursor = editor.cursorForPosition(viewport.rect().center())
    cursor.movePosition(cursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.setFocus()
    painted: list[tuple[QRect, bool]] = []  # each paint, and whether the typing was checked
    typed: list[str] = []

    class PaintRecorder(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
                checked = bool(typed) and typed[0] in spell._misspelt
                painted.append((event.region().boundingRect(), checked))
            return False

    recorder = PaintRecorder()
    viewport.installEventFilter(recorder)
    try:
        qtbot.keyClicks(editor, " writter and")
        typed.append(editor.textCursor().block().text())
        # the check puts the line's result in and asks for a repaint at once: the first paint
        # that finds the result in paints what the check asked for
        qtbot.waitUntil(lambda: any(checked for _rect, checked in painted), timeout=3000)
    finally:
        viewport.removeEventFilter(recorder)
    repaint = next(rect for rect, checked in painted if checked)
    line = editor.cursorRect()
    assert repaint.height() < viewport.height() / 3, repaint
    assert repaint.contains(QPoint(line.x(), line.center().y())), (repaint, line)
    assert "writter" in underlined(spell)


def test_the_lines_on_screen_follow_line_breaks_typed_and_deleted(
    qtbot, window: MainWindow
) -> None:
    """The shown lines and their places are kept between paints while typing inside a line;
    a line break typed or deleted above them moves them, and the wavy lines with them."""
    lines = [f"Line {n} of good prose." for n in range(40)]
    lines[5] = "The writter line."
    spell = load(qtbot, window, "\n".join(lines) + "\n")
    editor = window.editor

    def place_of_misspelt_line() -> float:
        for block, geometry in spell._visible_blocks():
            if block.text() == "The writter line.":
                expected = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
                assert geometry == expected
                return geometry.top()
        raise AssertionError("the misspelt line is not on screen")

    before = place_of_misspelt_line()
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.Start)
    qtbot.keyClicks(editor, "x")  # inside a line: nothing moves
    assert place_of_misspelt_line() == before
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert place_of_misspelt_line() > before
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert place_of_misspelt_line() == before
    # a line break deleted and another typed in one edit: as many lines, other blocks
    start = editor.toPlainText().index("Line 1 of") + len("Line 1")
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(" of good prose.\nLine"), cursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.insertPlainText(" one.\nAnd")
    shown = [block.text() for block, _geometry in spell._visible_blocks()]
    assert shown == editor.toPlainText().splitlines()[: len(shown)]
    assert place_of_misspelt_line() == before
    assert underlined(spell) == ["writter"]
