"""Edit > Preferences…: the writing font, measure, theme, spelling, preview, autosave and blog."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.core.settings import Settings
from editor.gui.preferences.dictionaries import NO_SPELLING_LIBRARY, system_language
from editor.render.page import DEFAULT_THEME, THEMES

# The settings this window changes (Cancel puts exactly these back).
PREFERENCE_FIELDS = (
    "editor_font_family",
    "editor_font_size",
    "editor_monospace",
    "editor_line_width",
    "theme",
    "spelling_language",
    "preview_follows_cursor",
    "autosave_idle_ms",
    "default_blog",
)


def _select_data(combo: QComboBox, value: str) -> None:
    """Select the item whose data is `value`, adding it (as itself) when it is not listed."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(value, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


class PreferencesDialog(QDialog):
    """The Preferences window; `apply_requested` carries the settings as the writer set them."""

    apply_requested = Signal(object)  # Settings

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setObjectName("preferences_dialog")
        self._settings = settings

        self.font_family = QComboBox()
        self.font_family.addItem("Default writing font", "")
        for family in QFontDatabase.families():
            self.font_family.addItem(family, family)
        _select_data(self.font_family, settings.editor_font_family)
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 72)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(settings.editor_font_size)
        self.monospace = QCheckBox("Fi&xed-width (monospace) default font")
        self.monospace.setToolTip("The default writing font is proportional; tick for a code font")
        self.monospace.setChecked(settings.editor_monospace)
        self.line_width = QSpinBox()
        self.line_width.setRange(0, 200)
        self.line_width.setSingleStep(4)
        self.line_width.setSpecialValueText("Whole pane")
        self.line_width.setSuffix(" characters")
        self.line_width.setValue(settings.editor_line_width)
        self.line_width.setToolTip("How wide a line of text may be; the column stays centred")
        writing = QGroupBox("Writing")
        form = QFormLayout(writing)
        form.addRow("&Font:", self.font_family)
        form.addRow("Si&ze:", self.font_size)
        form.addRow("", self.monospace)
        form.addRow("&Line width:", self.line_width)

        self.theme = QComboBox()
        for name, label in THEMES.items():
            self.theme.addItem(label, name)
        _select_data(self.theme, settings.theme if settings.theme in THEMES else DEFAULT_THEME)
        self.theme.setToolTip("Colours of the editor, the preview and the window")
        looks = QGroupBox("Appearance")
        form = QFormLayout(looks)
        form.addRow("&Theme:", self.theme)

        self.spelling = QComboBox()
        system = system_language()
        self.spelling.addItem(f"System language ({system})" if system else "System language", "")
        _select_data(self.spelling, settings.spelling_language)
        self.spelling.setEnabled(False)
        self.spelling_note = QLabel("Looking for dictionaries…")
        self.spelling_note.setWordWrap(True)
        spelling = QGroupBox("Spelling")
        form = QFormLayout(spelling)
        form.addRow("Spelling lan&guage:", self.spelling)
        form.addRow("", self.spelling_note)

        self.follow_cursor = QCheckBox("Preview follo&ws the cursor")
        self.follow_cursor.setChecked(settings.preview_follows_cursor)
        self.autosave_seconds = QSpinBox()
        self.autosave_seconds.setRange(1, 120)
        self.autosave_seconds.setSuffix(" s")
        self._autosave_shown = max(1, round(settings.autosave_idle_ms / 1000))
        self.autosave_seconds.setValue(self._autosave_shown)
        self.autosave_seconds.setToolTip(
            "Unsaved text goes to the recovery journal this long after you stop typing"
        )
        self.default_blog = QComboBox()
        self.default_blog.addItem("Ask each time", "")
        _select_data(self.default_blog, settings.default_blog)
        self.default_blog.setToolTip("Where Publish sends a post that names no blog")
        other = QGroupBox("Preview, saving and publishing")
        form = QFormLayout(other)
        form.addRow("", self.follow_cursor)
        form.addRow("&Keep unsaved work safe after:", self.autosave_seconds)
        form.addRow("Default &blog:", self.default_blog)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        for box in (writing, looks, spelling, other):
            layout.addWidget(box)
        layout.addWidget(self.buttons)
        self.font_family.setFocus()

    def show_dictionaries(self, tags: list[str] | None) -> None:
        """List the installed dictionaries (None: no spelling library, the combo stays off)."""
        if tags is None:
            self.spelling_note.setText(NO_SPELLING_LIBRARY)
            return
        chosen = self.spelling.currentData()
        for tag in tags:
            if self.spelling.findData(tag) < 0:
                self.spelling.addItem(tag.replace("_", "-"), tag)
        _select_data(self.spelling, chosen)
        self.spelling.setEnabled(True)
        if tags:
            self.spelling_note.setText("A post's lang: field (e.g. lang: de) overrides this.")
        else:
            self.spelling_note.setText(
                "No dictionary is installed (on Debian or Ubuntu: sudo apt install hunspell-en-us)."
            )

    def show_blogs(self, names: list[str]) -> None:
        """List the blog accounts for the default blog."""
        chosen = self.default_blog.currentData()
        for name in names:
            if self.default_blog.findData(name) < 0:
                self.default_blog.addItem(name, name)
        _select_data(self.default_blog, chosen)

    def chosen(self) -> Settings:
        """Return the settings with the values as set in this window."""
        return replace(
            self._settings,
            editor_font_family=str(self.font_family.currentData() or ""),
            editor_font_size=self.font_size.value(),
            editor_monospace=self.monospace.isChecked(),
            editor_line_width=self.line_width.value(),
            theme=str(self.theme.currentData() or DEFAULT_THEME),
            spelling_language=str(self.spelling.currentData() or ""),
            preview_follows_cursor=self.follow_cursor.isChecked(),
            autosave_idle_ms=self._autosave_ms(),
            default_blog=str(self.default_blog.currentData() or ""),
        )

    def _autosave_ms(self) -> int:
        """Return the autosave pause in ms (the setting's own value while the field is as shown)."""
        seconds = self.autosave_seconds.value()
        if seconds == self._autosave_shown:
            return self._settings.autosave_idle_ms
        return seconds * 1000

    def accept(self) -> None:
        """OK: apply, then close."""
        self.apply_requested.emit(self.chosen())
        super().accept()

    def _clicked(self, button: QAbstractButton) -> None:
        """Apply: apply and stay open."""
        if self.buttons.buttonRole(button) == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply_requested.emit(self.chosen())
