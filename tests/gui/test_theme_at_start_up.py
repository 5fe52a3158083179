"""The theme applied at start-up costs no walk over every widget when it changes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from editor.gui.main_window import MainWindow


@pytest.fixture
def application_palette() -> Iterator[None]:
    """Put the application's palette back after a test that changed the theme."""
    palette = QPalette(QApplication.palette())
    yield
    QApplication.instance().styleHints().unsetColorScheme()
    QApplication.setPalette(palette)


def test_the_system_theme_walks_no_widgets_and_a_new_theme_restyles_them(
    qtbot, window: MainWindow, application_palette, monkeypatch
) -> None:
    # Re-setting the style sheet of every style-sheeted widget (so that it takes a new palette)
    # walks all of the application's widgets: about 40 ms at start-up, where the palette is the
    # system's and nothing changes. The walk is counted through the real allWidgets.
    walks: list[int] = []
    real_all_widgets = QApplication.allWidgets

    def counted_all_widgets() -> list:
        walks.append(1)
        return real_all_widgets()

    window.settings.theme = "light"  # a palette of its own, whatever the system's (or a test's)
    window.appearance.apply_theme()
    monkeypatch.setattr(QApplication, "allWidgets", staticmethod(counted_all_widgets))
    window.appearance.apply_theme()  # the theme it has again: the palette stays as it is
    assert walks == []
    for theme in ("sepia", "dark"):  # palettes unlike each other and unlike the light one
        window.settings.theme = theme
        window.appearance.apply_theme()
    assert walks == [1, 1]
