"""How deep a post may nest quotes and `///` blocks, whatever the stack a render runs on.

Python-Markdown (block quotes) and pymdown's blocks stop nesting 100 frames short of the
interpreter's recursion limit, counting every frame of the thread: the same text nested a
few levels deeper when rendered from a shallower stack. A block the live preview renders on
its own, in its render process, and the whole post rendered elsewhere could then differ (the
render fuzz test found 228 nested `/// caption` lines giving 149 figures in one place and 148
in another). Here both checks count frames from the render's own `Markdown.convert` call, so
the answer depends only on the text; the interpreter's own limit is still respected.
"""

from __future__ import annotations

import sys
import threading
from types import CodeType, FrameType
from typing import Any

# Frames a render may go below its convert call before nesting stops (about 6 per level of
# nesting: some 60 levels, far beyond any post a writer means, and well inside the default
# recursion limit of 1,000 from any thread this app renders on).
NESTING_FRAMES = 400

_installed = False
_install_lock = threading.Lock()
_convert_code: CodeType | None = None
_library_recursion_check: Any = None
_library_depth_check: Any = None


def frames_below_convert(frame: FrameType | None) -> int | None:
    """Count the frames from `frame` up to the nearest Markdown.convert (None if none)."""
    count = 0
    while frame is not None:
        if frame.f_code is _convert_code:
            return count
        count += 1
        frame = frame.f_back
    return None


def _tree_depth(parser: Any, parent: Any) -> int:
    """How deep `parent` sits in the tree being parsed (parsing appends: the last children)."""
    depth = 0
    node = getattr(parser, "root", None)
    while node is not None and node is not parent:
        depth += 1
        node = node[-1] if len(node) else None
    return depth


def nearing_recursion_limit() -> bool:
    """Python-Markdown's check, counted from the render's convert call."""
    below = frames_below_convert(sys._getframe(1))
    if below is not None and below >= NESTING_FRAMES:
        return True
    return bool(_library_recursion_check())


def nearing_depth_limit(parser: Any, parent: Any = None) -> bool:
    """pymdown's check (call stack and element tree), counted from the render's convert call."""
    below = frames_below_convert(sys._getframe(1))
    if below is not None and below + _tree_depth(parser, parent) >= NESTING_FRAMES:
        return True
    return bool(_library_depth_check(parser, parent))


def install() -> None:
    """Put these checks where Python-Markdown and pymdown's blocks look them up (once)."""
    with _install_lock:
        if not _installed:
            _install()


def _install() -> None:
    """Swap the library's checks for ours (under the lock: never wrap our own)."""
    global _installed, _convert_code, _library_recursion_check, _library_depth_check
    import markdown.core
    import markdown.util
    import pymdownx.util  # type: ignore[import-untyped]

    _convert_code = markdown.core.Markdown.convert.__code__
    _library_recursion_check = markdown.util.nearing_recursion_limit
    _library_depth_check = pymdownx.util.nearing_depth_limit
    # both call sites look the function up on the module at each call (`util.…`)
    markdown.util.nearing_recursion_limit = nearing_recursion_limit
    pymdownx.util.nearing_depth_limit = nearing_depth_limit
    _installed = True
