"""The preview page's garbage is collected when typing pauses (its memory stays flat).

What this guards, measured by benchmarks/typing_memory.py: without the collection the page's
renderer process grew by about 0.3 MiB per keystroke and kept it. The tests check the mechanism
in the real window and page: the flag reaches Chromium, and the page collects after a pause and
during long runs of typing without one.
"""

from __future__ import annotations

import os

import pytest

from editor.app import PAGE_COLLECTION_FLAG, prepare_qt_environment
from editor.gui.main_window import MainWindow
from editor.gui.preview import page_memory
from tests.gui.helpers import run_js, wait_for_preview


def type_words(qtbot, window: MainWindow, words: str) -> None:
    """Type `words` at the end of the post as key presses."""
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, words)


def test_our_script_can_ask_the_page_to_collect(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("A post.\n")
    wait_for_preview(qtbot, window.preview, "A post.")
    assert run_js(qtbot, window.preview, "typeof gc") == "function"


def test_the_page_collects_once_typing_pauses(qtbot, window: MainWindow) -> None:
    window.editor.setPlainText("A post.\n")
    wait_for_preview(qtbot, window.preview, "A post.")
    memory = window.live.page_memory
    qtbot.waitUntil(lambda: memory.collections >= 1 and not memory._pause.isActive(), timeout=10000)
    collected = memory.collections  # after the first renders
    type_words(qtbot, window, " More")
    wait_for_preview(qtbot, window.preview, "More")
    qtbot.waitUntil(lambda: memory.collections == collected + 1, timeout=10000)
    assert memory.available


def test_long_typing_without_a_pause_collects_too(qtbot, window: MainWindow, monkeypatch) -> None:
    monkeypatch.setattr(page_memory, "PATCHES_BEFORE_COLLECTING", 4)
    monkeypatch.setattr(page_memory, "PAUSE_MS", 60_000)
    window.live.page_memory._pause.setInterval(60_000)
    window.editor.setPlainText("A post.\n")
    wait_for_preview(qtbot, window.preview, "A post.")
    memory = window.live.page_memory
    for letter in "abcdefghij":  # one patch each
        serial = window.preview.shown_serial
        type_words(qtbot, window, letter)
        qtbot.waitUntil(lambda serial=serial: window.preview.shown_serial > serial)
    qtbot.waitUntil(lambda: memory.collections >= 2, timeout=10000)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("--disable-gpu", f"--disable-gpu {PAGE_COLLECTION_FLAG}"),
        ("", PAGE_COLLECTION_FLAG),
        ("--js-flags=--max-old-space-size=64", "--js-flags=--max-old-space-size=64"),
    ],
)
def test_the_flag_is_added_unless_v8_flags_were_chosen(monkeypatch, before, after) -> None:
    monkeypatch.setenv("QTWEBENGINE_CHROMIUM_FLAGS", before)
    prepare_qt_environment()
    assert os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] == after


def test_a_long_code_line_scrolls_its_box_not_a_second_scroller_inside(
    qtbot, window: MainWindow
) -> None:
    # One scroller per code block: the <pre> inside the highlighted box scrolling too cost the
    # preview's process about 15 MiB on a 1 MB post (benchmarks/open_memory.py). The line
    # still scrolls within the column instead of spilling over the page.
    long_line = "x = [" + ", ".join(str(n) for n in range(200)) + "]"
    window.editor.setPlainText(f"Code:\n\n```python\n{long_line}\n```\n")
    wait_for_preview(qtbot, window.preview, "codehilite")
    shape = run_js(
        qtbot,
        window.preview,
        "(function () { var box = document.querySelector('#content .codehilite');"
        " var pre = box.querySelector('pre'); var content = document.getElementById('content');"
        " return JSON.stringify([getComputedStyle(box).overflowX, getComputedStyle(pre).overflowX,"
        " box.scrollWidth > box.clientWidth,"
        " box.getBoundingClientRect().right <= content.getBoundingClientRect().right + 1]); })()",
    )
    assert shape == '["auto","visible",true,true]'
