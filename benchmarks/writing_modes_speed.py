"""What focus mode and typewriter scrolling cost a keystroke in long posts.

Run: PYTHONPATH=. .venv/bin/python benchmarks/writing_modes_speed.py [--sizes 8000,100000,1000000]
(offscreen; it sets QT_QPA_PLATFORM=offscreen itself).

For generated posts of each size, with the cursor in the middle, types characters into the
editor one at a time (each insert, then a repaint of the editor and the events it queued) and
prints the median and the longest time per keystroke: with every mode off, then focus mode by
paragraph, by sentence, and sentence with typewriter scrolling.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from editor.gui.editing import MarkdownEditor  # noqa: E402
from editor.gui.writing.focus_mode import FocusMode  # noqa: E402
from editor.gui.writing.typewriter import TypewriterScrolling  # noqa: E402

KEYSTROKES = 60


def post_of(size: int) -> str:
    """Return a post of about `size` characters of prose paragraphs."""
    paragraph = "A sentence with some words in it. " * 12
    count = max(1, size // (len(paragraph) + 2))
    return "\n\n".join(f"Paragraph {n}. {paragraph}" for n in range(count))


def keystroke_times(app: QApplication, editor: MarkdownEditor) -> tuple[float, float]:
    """Type KEYSTROKES characters; return the median and longest ms per keystroke."""
    times = []
    for _ in range(KEYSTROKES):
        start = time.perf_counter()
        editor.textCursor().insertText("x")
        editor.repaint()
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    """Print the keystroke times for each size and mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8000,100000,1000000")
    args = parser.parse_args()
    app = QApplication([])
    for size in (int(part) for part in args.sizes.split(",")):
        editor = MarkdownEditor()
        editor.resize(700, 800)
        editor.show()
        text = post_of(size)
        editor.load_text(text)
        while editor.loading or editor.highlighter.lazy_limit is not None:
            app.processEvents()
        focus, typewriter = FocusMode(editor), TypewriterScrolling(editor)
        cursor = editor.textCursor()
        cursor.setPosition(len(text) // 2)
        editor.setTextCursor(cursor)
        for label, mode, centred in (
            ("all off", "off", False),
            ("focus: paragraph", "paragraph", False),
            ("focus: sentence", "sentence", False),
            ("sentence + typewriter", "sentence", True),
        ):
            focus.set_mode(mode)
            typewriter.set_on(centred)
            median, longest = keystroke_times(app, editor)
            print(f"{len(text) / 1000:>7.0f} KB  {label:<22} median {median:5.1f} ms  "
                  f"longest {longest:5.1f} ms")
        editor.close()
        editor.deleteLater()


if __name__ == "__main__":
    main()
