"""Start the real app on a post and type text into its editor as key presses (a test driver).

Run: python -m tests.gui.typing_app TEXT [POST]. It goes through the app's own start-up
(editor.app.run_app, with the crash-recovery offer and the usual first post) and types once the
post is open (at once when there is none), through the real editor widget, like a writer would.
test_crash_recovery.py kills it afterwards. The app itself ships no typing hook.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def type_into(window: MainWindow, text: str, post_given: bool) -> None:
    """Type `text` at the end of the editor once the post is open (or at once without one)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    typed: list[bool] = []

    def type_text(*_args: object) -> None:
        if typed:
            return
        typed.append(True)
        window.editor.setFocus()
        window.editor.moveCursor(QTextCursor.MoveOperation.End)
        QTest.keyClicks(window.editor, text)
        log.info("typed %d characters for the test", len(text))

    if post_given:
        window.document.opened.connect(type_text)
    else:
        QTimer.singleShot(0, type_text)


def main(argv: list[str]) -> int:
    """Start the app on argv's post, typing argv's text."""
    from editor.app import run_app

    text, post = argv[0], (Path(argv[1]) if len(argv) > 1 else None)
    return run_app(post, after_start=lambda window: type_into(window, text, post is not None))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
