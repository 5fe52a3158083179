"""Start the real app on a post, then type into it as key presses (for typing_memory.py).

Run: PYTHONPATH=CHECKOUT python benchmarks/typing_driver.py POST --keys N
It goes through the app's own start-up (editor.app.run_app) and only drives the shown window,
so it runs against any checkout given on PYTHONPATH (the old code for a baseline, too). It
prints one JSON line per stage on stdout and waits for a line on stdin before going on, so the
measuring process reads the memory of a quiet app:
  {"stage": "opened"}   the post is in the preview;
  {"stage": "typed"}    N real key events were typed (each after the previous one's patch),
                        and the preview shows the last one;
then the measuring process ends it.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

WORDS = "the quick brown fox jumps over a lazy dog while the writer keeps on typing "


def drive(window: MainWindow, keys: int) -> None:
    """Wait for the post's preview, then type `keys` keys, reporting each stage."""
    from PySide6.QtCore import QObject, Qt, QTimer, Signal
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    class Prompt(QObject):
        """Lines read from stdin, delivered on the GUI thread."""

        line = Signal()

    prompt = Prompt(window)
    state = {"stage": "opening", "typed": 0}

    def read_lines() -> None:
        for _line in sys.stdin:
            prompt.line.emit()

    def say(stage: str) -> None:
        state["stage"] = stage
        print(json.dumps({"stage": stage}), flush=True)

    def current() -> bool:
        result = window.live.last_result
        return (
            result is not None
            and bool(result.text)
            and result.text == window.editor.toPlainText()
            and window.preview.shown_serial >= result.serial
        )

    def type_next() -> None:
        if state["typed"] >= keys:
            return
        n = state["typed"]
        state["typed"] = n + 1
        character = WORDS[n % len(WORDS)]
        if n % 10 == 9:
            QTest.keyClick(window.editor, Qt.Key.Key_Backspace)
        elif character == " ":
            QTest.keyClick(window.editor, Qt.Key.Key_Space)
        else:
            QTest.keyClicks(window.editor, character)

    def applied(_serial: int) -> None:
        if state["stage"] == "opening" and current():
            block = window.editor.document().findBlockByNumber(window.editor.blockCount() // 2)
            while block.isValid() and not block.text().startswith("A paragraph of prose"):
                block = block.next()
            cursor = window.editor.textCursor()
            cursor.setPosition(block.position() + len("A paragraph of prose"))
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            window.editor.setTextCursor(cursor)
            window.editor.setFocus()
            say("opened")
        elif state["stage"] == "typing" and current():
            if state["typed"] >= keys:
                say("typed")
            else:
                QTimer.singleShot(0, type_next)

    def next_stage() -> None:
        if state["stage"] == "opened":
            state["stage"] = "typing"
            type_next()

    window.preview.body_applied.connect(applied)
    prompt.line.connect(next_stage)
    threading.Thread(target=read_lines, daemon=True).start()


def main() -> int:
    """Start the app on the post and drive it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("post", type=Path)
    parser.add_argument("--keys", type=int, default=1000)
    args = parser.parse_args()
    from editor.app import run_app

    return run_app(args.post, after_start=lambda window: drive(window, args.keys))


if __name__ == "__main__":
    sys.exit(main())
