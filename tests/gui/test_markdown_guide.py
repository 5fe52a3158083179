"""Help > Markdown Guide in the real window: the bundled guide rendered like a post, with a
shortcut table read from the real menus (so it lists every shortcut there is)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from editor.gui.guide_window import GuideWindow
from editor.gui.main_window import MainWindow
from tests.gui.helpers import run_js

NativeText = QKeySequence.SequenceFormat.NativeText


def test_the_guide_shows_the_dialect_and_every_shortcut_of_the_menus(
    qtbot, window: MainWindow
) -> None:
    action = window.menu_actions["markdown_guide"]
    assert action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    action.trigger()
    guide = window.findChild(GuideWindow, "markdown_guide")
    assert guide is not None and guide.isVisible()
    qtbot.waitUntil(lambda: guide.view.shown_serial >= 1, timeout=15000)
    text = str(run_js(qtbot, guide.view, "document.body.innerText"))
    for heading in ("Pictures and captions", "Quotes with attribution", "Tables", "Footnotes",
                    "Raw blocks from your blog", "Shortcuts"):  # fmt: skip
        assert heading in text
    html = str(run_js(qtbot, guide.view, "document.body.innerHTML"))
    assert "<figcaption>" in html and "<table>" in html and 'class="footnote' in html
    with_keys = [a for a in window.menu_actions.by_name.values() if not a.shortcut().isEmpty()]
    assert len(with_keys) > 20
    rows = str(
        run_js(
            qtbot,
            guide.view,
            "Array.from(document.querySelectorAll('#shortcuts ~ table tr'))"
            ".map(r => r.innerText).join('\\n')",
        )
    )
    for action in with_keys:
        name = action.text().replace("&", "").rstrip(".…")
        keys = action.shortcut().toString(NativeText)
        assert any(keys in row and name in row for row in rows.split("\n")), (name, keys)


def test_opening_the_guide_again_raises_the_same_window(qtbot, window: MainWindow) -> None:
    window.menu_actions["markdown_guide"].trigger()
    first = window.findChild(GuideWindow, "markdown_guide")
    window.menu_actions["markdown_guide"].trigger()
    assert window.findChildren(GuideWindow) == [first]


def test_f1_in_the_editor_opens_the_guide_and_escape_closes_it(qtbot, window: MainWindow) -> None:
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_F1)
    guide = window.findChild(GuideWindow, "markdown_guide")
    assert guide is not None and guide.isVisible()
    qtbot.waitUntil(guide.isActiveWindow)
    qtbot.keyClick(guide.view.focusProxy() or guide.view, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_the_guide_follows_the_writers_theme(qtbot, make_window) -> None:
    from editor.core.settings import Settings

    window = make_window(Settings(preview_debounce_ms=20, theme="dark"))
    window.menu_actions["markdown_guide"].trigger()
    guide = window.findChild(GuideWindow, "markdown_guide")
    qtbot.waitUntil(lambda: guide.view.shown_serial >= 1, timeout=15000)
    background = "getComputedStyle(document.body).backgroundColor"
    qtbot.waitUntil(lambda: run_js(qtbot, guide.view, background) == "rgb(27, 29, 33)")
    guide.close()
