"""Issue 18, finding 5: "billion laughs" in front matter is refused at once, never expanded.

About 600 bytes of nested YAML aliases stand for 9^8 values: reading them out grew the window
to 11 GB (level 8), rendered 165 MB of HTML (level 7) and froze the window for 5.9 s (level 6).
Every front matter is read through editor.core.front_matter, which refuses more than a few
aliases and aliases that stand for a huge value, with a FrontMatterError in plain words: the
core, `draftpress render` and the window are tested here.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from editor.core.front_matter import (
    MAX_ALIASES,
    FrontMatterError,
    read_front_matter,
    with_front_matter_field,
)
from editor.core.post import meta_from_text
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
__all__ = ["library_root", "make_window", "window"]

QUICK_S = 0.5  # "well under a second"
REPO = Path(__file__).resolve().parents[2]


def laughs(levels: int, width: int = 9, key: str = "title") -> str:
    """A post whose `key` is `levels` of nested aliases, each repeating the last `width` times."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    lines.append(f"{key}: *a{levels}")
    return "---\n" + "\n".join(lines) + "\n---\n\nThe body is fine.\n"


@pytest.mark.parametrize("levels", [6, 7, 8])
@pytest.mark.parametrize("key", ["title", "tags"])
def test_nested_aliases_are_refused_quickly_in_core(levels: int, key: str) -> None:
    text = laughs(levels, key=key)
    assert len(text.encode()) < 700
    for read in (read_front_matter, meta_from_text):
        started = time.perf_counter()
        with pytest.raises(FrontMatterError, match="YAML aliases"):
            read(text)
        assert time.perf_counter() - started < QUICK_S


def test_few_aliases_that_stand_for_a_huge_value_are_refused() -> None:
    text = laughs(24, width=2)  # 48 aliases, within the count, but 2^24 values
    started = time.perf_counter()
    with pytest.raises(FrontMatterError, match="more than 100,000 characters"):
        meta_from_text(text)
    assert time.perf_counter() - started < QUICK_S


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    with pytest.raises(FrontMatterError, match="inside the value it names"):
        read_front_matter("---\ntitle: Loop\ntags: &t [a, *t]\n---\n")


def test_writing_a_field_into_such_front_matter_is_refused_too() -> None:
    with pytest.raises(FrontMatterError):
        with_front_matter_field(laughs(8), "remote", {"id": 1})


def test_a_few_ordinary_aliases_still_read() -> None:
    text = (
        "---\ntitle: Shared tags\ncommon: &common [travel, trains]\ntags: *common\n"
        "categories: *common\n---\nBody\n"
    )
    assert meta_from_text(text).tags == ["travel", "trains"]
    many = "---\nx: &x a\n" + "".join(f"k{i}: *x\n" for i in range(MAX_ALIASES)) + "---\n"
    assert read_front_matter(many)[f"k{MAX_ALIASES - 1}"] == "a"


def test_ampersands_and_asterisks_in_values_are_no_aliases() -> None:
    text = '---\ntitle: "Tom & Jerry *live*"\nexcerpt: a * b & c\n---\n'
    meta = meta_from_text(text)
    assert meta.title == "Tom & Jerry *live*" and meta.excerpt == "a * b & c"


# -- draftpress render -----------------------------------------------------------------------


def _limited_memory() -> None:
    """A regression must fail this test, not exhaust the machine: 2 GB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def render(source: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the real `draftpress render` in its own process; return it and its wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "editor", "render", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        preexec_fn=_limited_memory,
        check=False,
    )
    return done, time.perf_counter() - started


@pytest.mark.parametrize("levels", [6, 7, 8])
def test_render_refuses_the_front_matter_quickly_and_renders_the_body(
    tmp_path: Path, levels: int
) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text("---\ntitle: Plain\n---\n\nThe body is fine.\n", encoding="utf-8")
    hostile = tmp_path / "laughs.md"
    hostile.write_text(laughs(levels), encoding="utf-8")
    _, baseline = render(plain, tmp_path / "plain.html")

    done, took = render(hostile, tmp_path / "laughs.html")

    assert done.returncode == 0, done.stderr
    assert "YAML aliases" in done.stderr and "Traceback" not in done.stderr
    page = (tmp_path / "laughs.html").read_text(encoding="utf-8")
    assert "The body is fine." in page and "lol" not in page
    assert len(page) < 200_000
    assert took < baseline + QUICK_S


# -- the window ------------------------------------------------------------------------------


def test_window_opens_such_a_post_without_freezing_and_keeps_it_editable(
    qtbot, window, library_root: Path
) -> None:
    text = laughs(6)
    path = library_root / "laughs.md"
    path.write_text(text, encoding="utf-8")
    panel = window.metadata
    longest = {"gap": 0}
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)

    def tick() -> None:
        longest["gap"] = max(longest["gap"], clock.restart())

    ticker.timeout.connect(tick)
    clock.start()
    ticker.start()
    open_and_wait(qtbot, window, path)
    qtbot.waitUntil(lambda: panel.problem_label.isVisible())
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, "More")
    qtbot.waitUntil(lambda: window.editor.toPlainText().endswith("More"))
    ticker.stop()

    assert "YAML aliases" in panel.problem_label.text()
    assert "YAML aliases" in window.statusBar().currentMessage()
    assert not panel.title_edit.isEnabled()
    assert window.editor.toPlainText() == text + "More"
    assert longest["gap"] < 500, f"the window stalled {longest['gap']} ms"
    window.editor.document().setModified(False)
