"""Spell checking while typing: the time to check a screen, and the longest GUI stall.

Run (from the repository root; needs Enchant and the en_US Hunspell dictionary):

    PYTHONPATH=. .venv/bin/python benchmarks/spelling_speed.py [--sizes 8,100,1000] [--repeats 7]

For posts of 8 KB, 100 KB and 1 MB (benchmarks/render_speed.py's generated post, with some
misspelt words mixed in), in a real `MarkdownEditor` of 800x700 shown offscreen:
- "screen": the milliseconds of one check of the screen in the middle of the post, with nothing
  known yet (line results and the speller's word cache emptied), median of --repeats;
- "stall": the longest gap of a 1 ms heartbeat while typing 120 keys (a word and a space, one
  key every 50 ms, a fast typist) in the middle of the post, with spell checking on and off,
  median of --repeats/2 runs (wall-clock: on a shared machine, other processes' turns count);
- "spelling call": the longest CPU time of one spelling call on the GUI thread (a check slice
  or painting the underlines) during those runs, which is what spelling adds to any stall.
Issue 12's targets: a screen within 30 ms; a stall under 16 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from render_speed import document  # noqa: E402

from editor.core import spelling  # noqa: E402
from editor.gui.editing import MarkdownEditor  # noqa: E402

TARGET_SCREEN_MS = 30.0
TARGET_STALL_MS = 16.0
TYPED = "teh writter "


def post(size: int) -> str:
    """A generated post of about `size` bytes with a misspelt word in every paragraph."""
    return document(size).replace("closes the thought", "closes teh thougth")


def settle(app: QApplication, condition, timeout_s: float = 120.0) -> None:
    """Run the event loop until `condition()` holds."""
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the editor did not settle")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def open_editor(app: QApplication, text: str, spelling_on: bool) -> MarkdownEditor:
    """A shown editor holding `text`, loaded, scrolled to the middle, with the cursor there."""
    editor = MarkdownEditor()
    editor.resize(800, 700)
    editor.show()
    editor.spelling.configure(spelling_on, "en_US")
    loaded: list[str] = []
    editor.loading_finished.connect(loaded.append)
    editor.load_text(text)
    settle(app, lambda: bool(loaded) and editor.highlighter.lazy_limit is None)
    cursor = editor.textCursor()
    cursor.setPosition(len(text) // 2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    editor.centerCursor()
    settle(app, lambda: not editor.spelling._timer.isActive())
    return editor


def screen_check_ms(app: QApplication, editor: MarkdownEditor) -> float:
    """Check the screen with nothing known; return the milliseconds it took."""
    spell = editor.spelling
    speller = spell.speller
    assert speller is not None, "no en_US dictionary"
    speller._known.clear()
    spell._misspelt.clear()
    started = time.perf_counter()
    spell.check_visible()
    elapsed = (time.perf_counter() - started) * 1000
    settle(app, lambda: not spell._timer.isActive())
    return elapsed


def time_spelling_work(editor: MarkdownEditor) -> list[float]:
    """Record the CPU milliseconds of each spelling call on the GUI thread (checks, painting).

    CPU time of the thread (time.thread_time), so other processes on the machine do not count.
    """
    spell = editor.spelling
    work: list[float] = []

    def timed(method):
        def run(*args):
            started = time.thread_time()
            method(*args)
            work.append((time.thread_time() - started) * 1000)

        return run

    check = timed(spell.check_visible)
    spell._timer.timeout.disconnect()
    spell._timer.timeout.connect(check)
    spell.check_visible = check  # the follow-up slices look it up by name
    spell.paint = timed(spell.paint)
    return work


def longest_stall_ms(app: QApplication, editor: MarkdownEditor, keys: int = 120) -> float:
    """Type `keys` keys from a timer; return the largest gap of a 1 ms heartbeat."""
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    typed: list[int] = []
    typist = QTimer()
    typist.setInterval(50)

    def type_one() -> None:
        QTest.keyClicks(editor, TYPED[len(typed) % len(TYPED)])
        typed.append(1)
        if len(typed) >= keys:
            typist.stop()

    typist.timeout.connect(type_one)
    heartbeat.start()
    typist.start()
    settle(app, lambda: len(typed) >= keys)
    # and the check that follows the last key
    settle(app, lambda: not editor.spelling._timer.isActive())
    heartbeat.stop()
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
    return max(gaps) if gaps else 0.0


def verdict(value: float, target: float) -> str:
    """'ok' or 'OVER' against a target."""
    return "ok" if value <= target else "OVER"


def main() -> int:
    """Print the medians for each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,100,1000", help="post sizes in KB")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    if spelling.dictionary_for("en_US", spelling.available_languages()) is None:
        print("no en_US dictionary: install hunspell-en-us and libenchant-2-2")
        return 1
    for size_kb in (int(s) for s in args.sizes.split(",")):
        text = post(size_kb * 1000)
        editor = open_editor(app, text, True)
        screens = [screen_check_ms(app, editor) for _ in range(args.repeats)]
        words = sum(len(r) for r in editor.spelling._misspelt.values())
        work = time_spelling_work(editor)
        stalls_on = [longest_stall_ms(app, editor) for _ in range(max(1, args.repeats // 2))]
        longest_work = max(work) if work else 0.0
        editor.document().setModified(False)
        editor.close()
        editor.deleteLater()
        plain = open_editor(app, text, False)
        stalls_off = [longest_stall_ms(app, plain) for _ in range(max(1, args.repeats // 2))]
        plain.close()
        plain.deleteLater()
        screen = statistics.median(screens)
        on, off = statistics.median(stalls_on), statistics.median(stalls_off)
        print(
            f"{size_kb:>5} KB  check a screen (nothing cached): median {screen:6.1f} ms "
            f"{verdict(screen, TARGET_SCREEN_MS)} (<= {TARGET_SCREEN_MS:.0f} ms; "
            f"{words} misspelt words on screen)"
        )
        print(
            f"{size_kb:>5} KB  longest GUI stall while typing: spelling on {on:6.1f} ms "
            f"{verdict(on, TARGET_STALL_MS)}, off {off:6.1f} ms (< {TARGET_STALL_MS:.0f} ms)"
        )
        print(
            f"{size_kb:>5} KB  longest spelling call while typing (CPU): {longest_work:6.1f} ms "
            f"{verdict(longest_work, TARGET_STALL_MS)} ({len(work)} calls)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
