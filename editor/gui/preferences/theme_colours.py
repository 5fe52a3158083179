"""The colours of each theme for the window and the editor (the preview's are in its CSS)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from editor.render.page import DEFAULT_THEME

Role = QPalette.ColorRole


@dataclass(frozen=True)
class ThemeColours:
    """A theme's paper, ink, accent and chrome colours (the same as its preview CSS)."""

    paper: str
    ink: str
    accent: str
    chrome: str  # the window around the text: menus, panes, the status bar
    chrome_ink: str
    dark: bool


COLOURS: dict[str, ThemeColours] = {
    "light": ThemeColours("#fdfcfa", "#24292f", "#2f6f9f", "#efefef", "#1f1f1f", False),
    "dark": ThemeColours("#1b1d21", "#dcdad5", "#7fb6e0", "#2a2c31", "#e4e2dd", True),
    "sepia": ThemeColours("#f4ecd8", "#433422", "#8a4b1f", "#e9dfc6", "#3a2d1e", False),
}


def colours_of(theme: str) -> ThemeColours | None:
    """Return a chosen theme's colours, or None for the default (it follows the system)."""
    return None if theme == DEFAULT_THEME else COLOURS.get(theme)


def editor_palette(colours: ThemeColours, base: QPalette) -> QPalette:
    """Return `base` with the theme's paper and ink for the text area and its selection."""
    palette = QPalette(base)
    paper, ink, accent = QColor(colours.paper), QColor(colours.ink), QColor(colours.accent)
    selection = QColor(accent)
    selection.setAlphaF(0.35)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, Role.Base, paper)
        palette.setColor(group, Role.Text, ink)
        palette.setColor(group, Role.Highlight, selection)
        palette.setColor(group, Role.HighlightedText, ink)
    placeholder = QColor(ink)
    placeholder.setAlphaF(0.45)
    palette.setColor(Role.PlaceholderText, placeholder)
    return palette


def window_palette(colours: ThemeColours, base: QPalette) -> QPalette:
    """Return a whole-window palette in the theme's colours (for styles that draw with it)."""
    palette = QPalette(base)
    chrome, chrome_ink = QColor(colours.chrome), QColor(colours.chrome_ink)
    field, field_ink = QColor(colours.paper), QColor(colours.ink)
    button = chrome.lighter(115) if colours.dark else chrome.darker(104)
    disabled = QColor(chrome_ink)
    disabled.setAlphaF(0.45)
    for role, colour in (
        (Role.Window, chrome),
        (Role.WindowText, chrome_ink),
        (Role.Base, field),
        (Role.AlternateBase, chrome),
        (Role.Text, field_ink),
        (Role.Button, button),
        (Role.ButtonText, chrome_ink),
        (Role.ToolTipBase, field),
        (Role.ToolTipText, field_ink),
        (Role.Highlight, QColor(colours.accent)),
        (Role.HighlightedText, QColor(colours.paper if colours.dark else "#ffffff")),
        (Role.Link, QColor(colours.accent)),
        (Role.Light, button.lighter(130)),
        (Role.Midlight, button.lighter(110)),
        (Role.Mid, button.darker(130)),
        (Role.Dark, button.darker(160)),
        (Role.Shadow, QColor("#000000")),
    ):
        palette.setColor(role, colour)
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    # hints in empty fields (the slug, the categories): between ink and paper, readable on both
    palette.setColor(Role.PlaceholderText, _between(field_ink, field))
    return palette


def _between(one: QColor, other: QColor) -> QColor:
    """Return the colour halfway between two colours."""
    return QColor(
        (one.red() + other.red()) // 2,
        (one.green() + other.green()) // 2,
        (one.blue() + other.blue()) // 2,
    )
