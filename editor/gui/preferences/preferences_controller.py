"""Opens the Preferences window and applies what the writer chose, live; Cancel puts it back."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from editor.core.settings import Settings
from editor.gui.preferences.appearance import Appearance
from editor.gui.preferences.dictionaries import installed_dictionaries
from editor.gui.preferences.preferences_dialog import PREFERENCE_FIELDS, PreferencesDialog
from editor.gui.workers import run_in_background
from editor.publish.accounts import load_accounts

log = logging.getLogger(__name__)


class PreferencesController(QObject):
    """Edit > Preferences… and the settings it changes, applied to the window's parts.

    `apply_settings` is given the settings after a change (the preview's follow-the-cursor,
    the autosave pause, the default blog: the window hands each to its part); the look is
    applied here, through `appearance`. Each change is written to settings.json by `save`.
    """

    applied = Signal()  # the preferences changed and were applied

    def __init__(
        self,
        appearance: Appearance,
        settings: Settings,
        apply_settings: Callable[[Settings], None],
        save: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.appearance = appearance
        self.settings = settings
        self._apply_settings = apply_settings
        self._save = save
        self._parent = parent
        self.dialog: PreferencesDialog | None = None
        self._before: dict[str, object] = {}

    def open_dialog(self) -> None:
        """Show the Preferences window (a second call brings the open one to the front)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self._before = {name: getattr(self.settings, name) for name in PREFERENCE_FIELDS}
        dialog = PreferencesDialog(self.settings, self._parent)
        dialog.apply_requested.connect(self.apply)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        run_in_background(
            installed_dictionaries, on_success=dialog.show_dictionaries, on_failure=self._no_list
        )
        run_in_background(
            lambda: [account.name for account in load_accounts()],
            on_success=dialog.show_blogs,
            on_failure=self._no_list,
        )
        dialog.open()

    def _no_list(self, error: Exception) -> None:
        """A list for the window could not be read: the window works without it."""
        log.warning("Preferences: %s", error)

    def apply(self, chosen: Settings) -> None:
        """Take the preferences from `chosen`, apply them everywhere and save them."""
        for name in PREFERENCE_FIELDS:
            setattr(self.settings, name, getattr(chosen, name))
        self.appearance.apply()
        self._apply_settings(self.settings)
        self._save()
        self.applied.emit()

    def _closed(self, result: int) -> None:
        """Cancel after Apply: put back the preferences as they were when the window opened."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if result == PreferencesDialog.DialogCode.Accepted:
            return
        if any(getattr(self.settings, name) != value for name, value in self._before.items()):
            for name, value in self._before.items():
                setattr(self.settings, name, value)
            self.appearance.apply()
            self._apply_settings(self.settings)
            self._save()
            self.applied.emit()
