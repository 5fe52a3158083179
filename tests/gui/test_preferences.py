"""Edit > Preferences… in the real window: applied live, saved, Cancel restores; themes; zoom."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLabel

from editor.core.settings import Settings, load_settings
from editor.gui.main_window import MainWindow
from tests.gui.helpers import run_js, wait_for_preview

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def application_palette() -> Iterator[None]:
    """Put the application's palette back after a test that changed the theme."""
    palette = QPalette(QApplication.palette())
    yield
    QApplication.instance().styleHints().unsetColorScheme()
    QApplication.setPalette(palette)


def open_preferences(qtbot, window: MainWindow):
    """Open Edit > Preferences… and return the dialog."""
    action = window.menu_actions["preferences"]
    assert action.shortcut().toString() == "Ctrl+,"
    action.trigger()
    dialog = window.preferences.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    return dialog


def press(dialog, which: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(which).click()


def preview_background(qtbot, window: MainWindow) -> str:
    return str(run_js(qtbot, window.preview, "getComputedStyle(document.body).backgroundColor"))


def test_preferences_apply_live_and_persist(qtbot, make_window) -> None:
    window = make_window(Settings(preview_debounce_ms=20))
    dialog = open_preferences(qtbot, window)
    dialog.font_size.setValue(17)
    dialog.line_width.setValue(40)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.follow_cursor.setChecked(False)
    dialog.autosave_seconds.setValue(9)
    press(dialog, QDialogButtonBox.StandardButton.Apply)
    assert dialog.isVisible()  # Apply keeps the window open

    assert window.editor.font().pointSizeF() == 17
    assert window.editor.palette().color(QPalette.ColorRole.Base).name() == "#1b1d21"
    assert window.editor.measure.text_width() > 0
    assert window.editor.viewportMargins().left() > 0  # the measure centres the text
    assert not window.live.scroll_sync.follow_cursor
    assert not window.menu_actions["preview_follows_cursor"].isChecked()
    assert window.autosave.idle_timer.interval() == 9000
    qtbot.waitUntil(lambda: preview_background(qtbot, window) == "rgb(27, 29, 33)")

    press(dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: window.preferences.dialog is None)
    saved = load_settings()
    assert (saved.editor_font_size, saved.editor_line_width, saved.theme) == (17, 40, "dark")
    assert saved.autosave_idle_ms == 9000 and saved.preview_follows_cursor is False


def test_cancel_puts_back_what_apply_changed(qtbot, window: MainWindow) -> None:
    before = window.editor.font().pointSizeF()
    dialog = open_preferences(qtbot, window)
    dialog.font_size.setValue(22)
    dialog.theme.setCurrentIndex(dialog.theme.findData("sepia"))
    press(dialog, QDialogButtonBox.StandardButton.Apply)
    assert window.editor.font().pointSizeF() == 22
    assert window.editor.palette().color(QPalette.ColorRole.Base).name() == "#f4ecd8"
    qtbot.waitUntil(lambda: preview_background(qtbot, window) == "rgb(244, 236, 216)")

    press(dialog, QDialogButtonBox.StandardButton.Cancel)
    qtbot.waitUntil(lambda: window.preferences.dialog is None)
    assert window.editor.font().pointSizeF() == before
    assert window.settings.theme == "default"
    assert load_settings().editor_font_size == Settings().editor_font_size
    qtbot.waitUntil(lambda: preview_background(qtbot, window) != "rgb(244, 236, 216)")


def test_the_theme_is_applied_to_a_new_window_and_after_page_loads(qtbot, make_window) -> None:
    window = make_window(Settings(preview_debounce_ms=20, theme="dark"))
    assert window.editor.palette().color(QPalette.ColorRole.Base).name() == "#1b1d21"
    qtbot.waitUntil(lambda: preview_background(qtbot, window) == "rgb(27, 29, 33)")
    window.editor.setPlainText("```python\nx = 1\n```\n")
    wait_for_preview(qtbot, window.preview, "codehilite")
    css = run_js(qtbot, window.preview, "document.getElementById('dp-code-css').textContent")
    assert "prefers-color-scheme" not in str(css)  # the dark theme's code colours only


def test_spelling_languages_are_listed_or_the_combo_says_why_not(qtbot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    qtbot.waitUntil(lambda: dialog.spelling_note.text() != "Looking for dictionaries…")
    if dialog.spelling.isEnabled():
        assert dialog.spelling.itemData(0) == ""  # the system's language comes first
    else:
        assert "Enchant" in dialog.spelling_note.text()
    press(dialog, QDialogButtonBox.StandardButton.Cancel)


def test_the_spelling_language_chosen_here_is_the_one_the_editor_checks_with(
    qtbot, window: MainWindow
) -> None:
    dialog = open_preferences(qtbot, window)
    qtbot.waitUntil(lambda: dialog.spelling_note.text() != "Looking for dictionaries…")
    if not dialog.spelling.isEnabled() or dialog.spelling.findData("de_DE") < 0:
        pytest.skip("no German dictionary here (hunspell-de-de is in the test packages)")
    dialog.spelling.setCurrentIndex(dialog.spelling.findData("de_DE"))
    press(dialog, QDialogButtonBox.StandardButton.Apply)
    assert window.editor.spelling.chosen_language == "de_DE"  # Edit > Spelling shows it too
    press(dialog, QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(lambda: window.preferences.dialog is None)
    assert load_settings().spelling_language == "de_DE"


def test_the_preferences_have_mnemonics_for_every_field(qtbot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert dialog.theme.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    assert dialog.line_width.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert dialog.autosave_seconds.hasFocus()
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
    letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
    assert len(letters) == len(set(letters)) >= 9, letters  # no two fields share a letter
    press(dialog, QDialogButtonBox.StandardButton.Cancel)


def test_zoom_keys_zoom_editor_and_preview_together_and_persist(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.editor.setFocus()
    base = window.editor.font().pointSizeF()
    qtbot.keyClick(window.editor, Qt.Key.Key_Plus, CTRL)
    qtbot.keyClick(window.editor, Qt.Key.Key_Equal, CTRL)
    assert window.settings.zoom_percent == 125
    assert window.editor.font().pointSizeF() == pytest.approx(base * 1.25)
    assert window.preview.zoomFactor() == pytest.approx(1.25)
    assert load_settings().zoom_percent == 125
    qtbot.keyClick(window.editor, Qt.Key.Key_Minus, CTRL)
    assert window.settings.zoom_percent == 110
    qtbot.keyClick(window.editor, Qt.Key.Key_0, CTRL)
    assert window.settings.zoom_percent == 100
    assert window.editor.font().pointSizeF() == pytest.approx(base)
    assert window.preview.zoomFactor() == pytest.approx(1.0)
    assert load_settings().zoom_percent == 100


def test_a_saved_zoom_comes_back_with_the_next_window(qtbot, make_window) -> None:
    window = make_window(Settings(preview_debounce_ms=20, zoom_percent=150, editor_font_size=12))
    assert window.editor.font().pointSizeF() == pytest.approx(18)
    assert window.preview.zoomFactor() == pytest.approx(1.5)


def test_without_a_spelling_library_the_language_is_off_and_says_how_to_get_one(
    qtbot, window: MainWindow, monkeypatch
) -> None:
    # pyenchant is installed here: a None entry in sys.modules makes its import fail as it does
    # on a machine without it (the only way to produce that case on this machine).
    monkeypatch.setitem(sys.modules, "enchant", None)
    dialog = open_preferences(qtbot, window)
    qtbot.waitUntil(lambda: dialog.spelling_note.text() != "Looking for dictionaries…")
    assert not dialog.spelling.isEnabled()
    assert "apt install" in dialog.spelling_note.text()
    press(dialog, QDialogButtonBox.StandardButton.Ok)  # the rest of the window still works
    assert window.settings.spelling_language == ""


def test_hints_in_empty_fields_stay_readable_in_the_dark_theme(qtbot, make_window) -> None:
    window = make_window(Settings(preview_debounce_ms=20, theme="dark"))
    assert window.metadata.tags_edit.placeholderText()  # an empty Tags field shows a hint
    palette = QApplication.palette()  # what the theme gives every field
    hint = palette.color(QPalette.ColorRole.PlaceholderText)
    field = palette.color(QPalette.ColorRole.Base)
    seen = hint.alphaF() * hint.lightness() + (1 - hint.alphaF()) * field.lightness()
    assert abs(seen - field.lightness()) > 60  # as painted over the field; was nearly unseen
