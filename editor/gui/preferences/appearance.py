"""How the writing looks: font, zoom, measure and theme, applied to the editor and the preview."""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from editor.core.settings import Settings
from editor.gui.editing import MarkdownEditor
from editor.gui.preferences.theme_colours import colours_of, editor_palette, window_palette
from editor.gui.preview import PreviewView
from editor.render.page import DEFAULT_THEME, THEMES, pygments_css, theme_css

log = logging.getLogger(__name__)

ZOOM_STEPS = (50, 67, 75, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
_THEME_SCRIPT = (
    "(function (theme, code) {"
    " var a = document.getElementById('dp-theme-css'), b = document.getElementById('dp-code-css');"
    " if (a) { a.textContent = theme; } if (b) { b.textContent = code; } return !!a; })"
)


def next_zoom(percent: int, steps: int) -> int:
    """Return the zoom `steps` steps away from `percent` (negative: smaller), within bounds."""
    if steps > 0:
        larger = [z for z in ZOOM_STEPS if z > percent]
        return larger[min(steps, len(larger)) - 1] if larger else ZOOM_STEPS[-1]
    smaller = [z for z in reversed(ZOOM_STEPS) if z < percent]
    return smaller[min(-steps, len(smaller)) - 1] if smaller else ZOOM_STEPS[0]


class Appearance(QObject):
    """Applies the settings' look to the editor, the preview and the window.

    The preview gets the theme's CSS into its page (again after each page load) and the
    zoom as its zoom factor; the editor gets the font times the zoom, the measure and the
    theme's palette; the window (menus, panes) the theme's palette where the style uses one.
    """

    def __init__(self, editor: MarkdownEditor, preview: PreviewView, settings: Settings) -> None:
        super().__init__(editor)
        self.editor = editor
        self.preview = preview
        self.settings = settings
        self._system_palette: QPalette | None = None
        # bound methods, not lambdas: Qt drops the connections when this object is deleted
        preview.page_loaded.connect(self._page_loaded)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    @property
    def theme(self) -> str:
        """Return the theme in use (an unknown name is the default)."""
        return self.settings.theme if self.settings.theme in THEMES else DEFAULT_THEME

    def apply(self) -> None:
        """Apply every appearance setting as it stands."""
        self.apply_font()
        self.apply_theme()

    def apply_font(self) -> None:
        """Give the editor its font at the current zoom, the preview its zoom, the measure."""
        self.editor.use_writing_settings(self.settings)  # font, measure, spacing at 100 %
        font = self.editor.font()
        font.setPointSizeF(font.pointSizeF() * self.zoom / 100)
        self.editor.setFont(font)
        self.editor.setTabStopDistance(self.editor.fontMetrics().horizontalAdvance(" ") * 4)
        self.preview.setZoomFactor(self.zoom / 100)

    @property
    def zoom(self) -> int:
        """Return the zoom in percent, within the steps offered."""
        return min(ZOOM_STEPS[-1], max(ZOOM_STEPS[0], self.settings.zoom_percent))

    def zoom_by(self, steps: int) -> int:
        """Zoom the editor and the preview in (steps > 0) or out; 0 steps: back to 100 %."""
        self.settings.zoom_percent = next_zoom(self.zoom, steps) if steps else 100
        self.apply_font()
        return self.settings.zoom_percent

    def apply_theme(self) -> None:
        """Colour the window, the editor and the preview in the theme."""
        colours = colours_of(self.theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if self._system_palette is None:
                self._system_palette = QPalette(app.palette())
            hints = app.styleHints()
            if colours is None:
                hints.unsetColorScheme()
                palette = self._system_palette
            else:
                scheme = Qt.ColorScheme.Dark if colours.dark else Qt.ColorScheme.Light
                hints.setColorScheme(scheme)
                palette = window_palette(colours, self._system_palette)
            # Unchanged (the system's look at start-up): no walk over every widget (~40 ms)
            if palette != app.palette():
                app.setPalette(palette)
                for widget in app.allWidgets():  # style-sheeted widgets keep their old palette
                    if widget.styleSheet():
                        widget.setStyleSheet(widget.styleSheet())
        if colours is None:
            self.editor.setPalette(QPalette())  # inherit the application's again
            palette = QApplication.palette(self.editor)
        else:
            palette = editor_palette(colours, QApplication.palette(self.editor))
        # the margins around the text column are paper too
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.editor.setAutoFillBackground(True)
        self.editor.setPalette(palette)
        self.editor.highlighter.set_palette(palette)
        self.editor.viewport().update()
        self._style_preview()

    def _page_loaded(self, _ok: bool) -> None:
        """A page load starts from the default theme: style it again."""
        self._style_preview()

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        """The system switched light and dark: follow it when the theme says so."""
        if self.theme == DEFAULT_THEME:
            self._system_palette = None
            self.apply_theme()

    def _style_preview(self) -> None:
        """Put the theme's CSS and zoom into the preview page (again after each load)."""
        self.style_view(self.preview)

    def style_view(self, view: PreviewView) -> None:
        """Put the theme's CSS and zoom into a page in the preview's style (the preview's,
        the Markdown guide's)."""
        if view.in_blog_look:  # a blog's look: its CSS wins, on a browser's white
            view.set_paper(QColor("white"))
            return
        theme = self.theme
        colours = colours_of(theme)
        base = self.editor.palette().color(QPalette.ColorRole.Base)
        paper = QColor(colours.paper) if colours is not None else base
        view.set_paper(paper)  # what shows before the page paints
        view.setZoomFactor(self.zoom / 100)
        if view.has_page:  # else its page is styled once it has loaded (page_loaded)
            args = f"{json.dumps(theme_css(theme))}, {json.dumps(pygments_css(theme))}"
            view.run_script(f"{_THEME_SCRIPT}({args})", lambda _done: None)
