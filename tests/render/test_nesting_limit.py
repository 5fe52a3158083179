"""Deep nesting renders the same from any stack (the render fuzz test's flaky divergence).

Python-Markdown and pymdown's blocks stop nesting a fixed number of frames short of the
recursion limit, counted over the whole thread: the same post nested deeper when rendered from
a shallower stack, so the live preview's block renders and a full render of the same text could
differ (228 nested `/// caption` lines: 149 figures in one place, 148 in the other).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer

DEEP_POSTS = [
    "/// caption\n" * 228,
    "> " * 300 + "x\n",
    "/// caption\n> " * 120 + "x\n",
]


def from_depth(frames: int, render: Callable[[], str]) -> str:
    """Call `render` from `frames` frames further down the stack."""
    return from_depth(frames - 1, render) if frames else render()


@pytest.mark.parametrize("text", DEEP_POSTS, ids=["captions", "quotes", "both"])
def test_deep_nesting_renders_the_same_whatever_the_stack(text: str) -> None:
    renders = {
        (frames, kind): from_depth(frames, render)
        for frames in (0, 150, 400)
        for kind, render in (
            ("full", lambda: MarkdownRenderer().render_document(text)),
            ("incremental", lambda: IncrementalRenderer().render(text)),
        )
    }
    assert len(set(renders.values())) == 1, {key: len(html) for key, html in renders.items()}
    nested = renders[(0, "full")]
    assert nested.count("<figure>") + nested.count("<blockquote>") > 50  # it does nest deeply
