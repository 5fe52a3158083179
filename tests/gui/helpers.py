"""Helpers for driving the real window in tests: open posts, read the preview's DOM, wait."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool
from pytestqt.qtbot import QtBot

from editor.gui.editing.editor_pane import MarkdownEditor
from editor.gui.main_window import MainWindow
from editor.gui.preview.preview_view import PreviewView
from editor.gui.workers import network_pool


def run_js(qtbot: QtBot, preview: PreviewView, script: str, timeout: int = 10000) -> object:
    """Run a script of ours in the preview and return its result."""
    with qtbot.waitCallback(timeout=timeout) as callback:
        preview.run_script(script, callback)
    return callback.args[0]


def preview_html(qtbot: QtBot, preview: PreviewView) -> str:
    """Return the preview article's current inner HTML."""
    result = run_js(qtbot, preview, UNWRAPPED_CONTENT_HTML)
    return str(result or "")


# The article's HTML as the post's pieces make it: a long post's pieces are grouped in <dp-chunk>
# blocks by the page's script (preview_patch.py), which are left out here.
UNWRAPPED_CONTENT_HTML = """(function () {
  var content = document.getElementById('content');
  if (!content) { return ''; }
  // copied into a template's inert document: a copy in the page would fetch its images
  var copy = document.createElement('template').content.ownerDocument.importNode(content, true);
  copy.querySelectorAll(':scope > dp-chunk').forEach(function (chunk) {
    chunk.replaceWith.apply(chunk, Array.prototype.slice.call(chunk.childNodes));
  });
  return copy.innerHTML;
})()"""


def wait_for_preview(qtbot: QtBot, preview: PreviewView, needle: str, timeout: int = 15000) -> str:
    """Wait until the preview article's HTML contains `needle`; return that HTML."""
    seen: list[str] = [""]

    def shows_needle() -> bool:
        seen[0] = preview_html(qtbot, preview)
        return needle in seen[0]

    qtbot.waitUntil(shows_needle, timeout=timeout)
    return seen[0]


def open_and_wait(qtbot: QtBot, win: MainWindow, path: Path) -> None:
    """Open a post through the window and wait until the editor shows it."""
    with qtbot.waitSignal(win.document.opened, timeout=10000):
        win.document.open_path(path)


def deliver_background_results(timeout_ms: int = 10000) -> None:
    """Wait until the thread pools are idle, then deliver the results their tasks posted.

    For tests where a correct window may legitimately emit nothing (e.g. a stale result that
    it drops), so that there is no signal to wait for. The wait is on the pool, not the clock.
    """
    assert QThreadPool.globalInstance().waitForDone(timeout_ms), "background tasks hung"
    assert network_pool().waitForDone(timeout_ms), "network tasks hung"
    QCoreApplication.sendPostedEvents()


def shown_editor(qtbot: QtBot, width: int = 600, height: int = 700) -> MarkdownEditor:
    """Return a bare editor pane (no window, no preview), shown offscreen, closed with the test."""
    pane = MarkdownEditor()
    pane.resize(width, height)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitExposed(pane)
    return pane
