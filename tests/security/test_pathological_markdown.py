"""Markdown that makes Python-Markdown quadratic is given up on by part, within a deadline.

Each input below took seconds to minutes in a plain full render on the 2-core CI machine
(50 KB of `[`: 423 s; 8 KB: 8 s; setext headings 60 KB: 34 s; a 1 MB wide table: over 60 s).
The deadlines are shortened here (same mechanism) so that each case costs about a second;
`test_cli_render_of_a_pathological_post_fails_within_the_deadline` runs the real defaults.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from editor.render import guarded_blocks, render_guard
from editor.render.checked_render import RenderTooSlow, render_checked
from editor.render.incremental import IncrementalRenderer

ROOT = Path(__file__).resolve().parents[2]
HEAD = "# Title\n\nIntro paragraph.\n\n"  # lines 1-4; the pathological part starts on line 5
TAIL = "\n\nOutro paragraph.\n"

PATHOLOGICAL = {
    "a line of brackets": "[" * 20_000,
    "nested links": "[a" * 7_000 + "](b)" * 7_000,
    "setext headings": "a\n=\n" * 15_000,
    "star rules": "* * *\n" * 10_000,
    "abbreviations": "".join(f"*[A{i}]: x\n" for i in range(6_000))
    + " ".join(f"A{i}" for i in range(6_000)),
    "div runs": "<div " * 10_000,
    "a wide table": ("|" + "a|" * 8_000 + "\n|" + "-|" * 8_000 + "\n")
    + ("|" + "b|" * 8_000 + "\n") * 8,
}


@pytest.fixture
def quick_deadlines(monkeypatch: pytest.MonkeyPatch) -> float:
    """Shorten the deadlines; return the most a render of one such part may take."""
    monkeypatch.setattr(render_guard, "SOFT_SECONDS", 0.1)
    monkeypatch.setattr(render_guard, "HARD_BASE_SECONDS", 0.5)
    monkeypatch.setattr(render_guard, "HARD_SECONDS_PER_CHAR", 2e-6)
    return 0.1 + render_guard.hard_deadline(200_000) + 1.0  # + starting a new worker


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_part_is_given_up_on_by_its_lines_and_the_rest_renders(
    name: str, quick_deadlines: float
) -> None:
    part = PATHOLOGICAL[name]
    renderer = IncrementalRenderer()
    started = time.monotonic()
    html = renderer.render(HEAD + part + TAIL)
    took = time.monotonic() - started
    assert took < quick_deadlines, f"{name}: {took:.1f} s"
    assert len(renderer.too_slow) == 1
    first, last, _why = renderer.too_slow[0]
    assert first in (3, 5)  # abbreviation definitions belong to the paragraph before them
    assert last >= 5 + part.rstrip("\n").count("\n") - 1
    assert '<h1 id="title">Title</h1>' in html
    assert "This part is too slow to preview (line" in html
    if name != "div runs":  # an open <div swallows the rest of the post, as in a full render
        assert "<p>Outro paragraph.</p>" in html
    # the rest stays live: an edit elsewhere does not wait on the slow part again
    started = time.monotonic()
    renderer.edit(len("# Title"), 0, " edited")
    html = renderer.html
    assert time.monotonic() - started < 0.5
    assert "Title edited</h1>" in html
    assert len(renderer.too_slow) == 1


def test_500_levels_of_nesting_and_2500_captions_are_named_not_a_traceback(
    quick_deadlines: float,
) -> None:
    nested = '<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500
    captions = "x\n\n" + "/// caption\nc\n///\n" * 2_500
    renderer = IncrementalRenderer()
    html = renderer.render(HEAD + nested + "\n" + "Between.\n\n" + captions)
    reasons = [why for _first, _last, why in renderer.too_slow]
    assert reasons == ["deep", "slow"]
    assert "<p>Between.</p>" in html
    assert "This part is nested too deeply to preview (lines 5-1005)." in html


def test_the_full_render_for_publishing_names_the_lines(quick_deadlines: float) -> None:
    with pytest.raises(RenderTooSlow) as raised:
        render_checked("---\ntitle: T\n---\nIntro.\n\n" + "[" * 20_000 + "\n")
    assert str(raised.value).startswith("Line 6 takes too long to render.")


def test_normal_posts_render_exactly_as_before(quick_deadlines: float) -> None:
    from editor.render.markdown_renderer import MarkdownRenderer

    welcome = ROOT / "resources" / "welcome" / "welcome-to-draftpress.md"
    text = welcome.read_text(encoding="utf-8")
    assert render_checked(text) == MarkdownRenderer().render_document(text)


def test_cli_render_of_deep_nesting_says_which_lines_without_a_traceback(tmp_path: Path) -> None:
    # The real command in its own process: in-process, a finalizer of an earlier test's deep
    # structures could print pytest's own "Exception ignored" report into the captured stderr.
    post = tmp_path / "deep.md"
    nested = '<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500
    post.write_text("---\ntitle: Deep\n---\n" + nested)
    done = subprocess.run(
        [sys.executable, "-m", "editor", "render", str(post), "-o", str(tmp_path / "out.html")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    error = done.stderr
    assert "Lines 4-1004 are nested too deeply to render." in error
    assert "Traceback" not in error
    assert not (tmp_path / "out.html").exists()


def test_cli_render_of_a_pathological_post_fails_within_the_deadline(tmp_path: Path) -> None:
    post = tmp_path / "brackets.md"
    post.write_text("---\ntitle: Brackets\n---\nIntro.\n\n" + "[" * 50_000 + "\n\nOutro.\n")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "editor", "render", str(post), "-o", str(tmp_path / "out.html")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    took = time.monotonic() - started
    assert done.returncode == 1
    assert "Line 6 takes too long to render." in done.stderr
    assert "Traceback" not in done.stderr
    # default deadlines: the soft one, the worker's for 50 KB, Python's and the worker's start-up
    assert took < render_guard.SOFT_SECONDS + render_guard.hard_deadline(50_001) + 4
    assert not (tmp_path / "out.html").exists()


def test_a_slow_part_that_defines_something_is_tried_once_and_later_parts_render(
    quick_deadlines: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A post of 40+ blocks has a first pass over the blocks that look like definitions; a
    # slow one must not be tried again in the main pass, or the render's budget runs out
    # and healthy paragraphs after it are given up too.
    filler = "".join(f"Filler paragraph {n}.\n\n" for n in range(45))
    slow = "[r]: /u\n" + "[" * 20_000
    gave_up: list[int] = []  # the size of each call that ran out of time

    def counting(chars: int, here: Any, in_worker: Any) -> Any:
        try:
            return real_soft_then_worker(chars, here, in_worker)
        except render_guard.TooSlowToRender:
            gave_up.append(chars)
            raise

    real_soft_then_worker = guarded_blocks.soft_then_worker
    monkeypatch.setattr(guarded_blocks, "soft_then_worker", counting)
    # The whole render's budget is not what this test is about: on a loaded machine, killing
    # and restarting the worker after the slow part could use up the shortened budget and give
    # up the healthy paragraphs after it (seen at load 5). Give the budget room.
    monkeypatch.setattr(guarded_blocks, "START_ALLOWANCE", 30.0)
    renderer = IncrementalRenderer()
    started = time.monotonic()
    html = renderer.render(HEAD + filler + slow + TAIL)
    # Tried once: counted, not timed (a loaded machine makes one try take longer than the
    # bound); the time bound only catches a render that waits on it many times over.
    assert len(gave_up) == 1, gave_up
    assert time.monotonic() - started < 30.0
    assert len(renderer.too_slow) == 1
    assert "<p>Outro paragraph.</p>" in html
    assert "<p>Filler paragraph 43.</p>" in html  # 44 holds the definition that follows it


def test_a_footnote_given_up_on_is_named_by_its_lines_not_published(
    quick_deadlines: float,
) -> None:
    # A footnote's text is rendered only when the footnotes div is built: given up on, it shows
    # a notice in the list, and the renderer must say so (a session check took the notice for
    # a divergence; publishing would have sent it to the blog).
    text = HEAD + "A claim.[^a]\n\n[^a]: " + "[" * 20_000 + TAIL
    renderer = IncrementalRenderer()
    html = renderer.render(text)
    assert "This footnote is too slow to preview." in html
    assert renderer.too_slow == [(7, 7, "slow")]
    assert "<p>Outro paragraph.</p>" in html
    renderer.edit(len("# Title"), 0, " edited")  # still named after an edit elsewhere
    assert renderer.too_slow == [(7, 7, "slow")]
    renderer.edit(text.index("[^a]:") + 6 + len(" edited"), 20_000, "fine.")  # mended
    assert renderer.too_slow == []
    assert "<p>fine.&#160;" in renderer.html
    with pytest.raises(RenderTooSlow) as raised:
        render_checked(text)
    assert str(raised.value).startswith("Line 7 takes too long to render.")
