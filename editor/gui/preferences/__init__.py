"""Preferences room: the Preferences window and the look it sets. `Appearance` applies font,
zoom, measure and theme to the editor, the preview and the window; `PreferencesController` opens
Edit > Preferences… and applies and saves what the writer chose. Other modules are internal."""

from editor.gui.preferences.appearance import Appearance
from editor.gui.preferences.preferences_controller import PreferencesController

__all__ = ["Appearance", "PreferencesController"]
