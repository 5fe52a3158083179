"""The live preview's edits and their renders, kept apart from Qt (they run in a child process).

`EditApplier` owns one `IncrementalRenderer`: it applies the editor's edits (UTF-16 positions, as
QTextDocument reports them) or a whole new text, and returns a `LiveResult` with the change to
the preview's pieces. `editor.render.live_render_process` runs it in the render process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from editor.render.piece_delta import RenderDelta, RenderedBlock
from editor.render.preview_render import preview_delta, preview_pieces

if TYPE_CHECKING:  # the renderer is imported in the render process only (see new_renderer)
    from editor.render.incremental import IncrementalRenderer

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_SCAN_CHARS = 256 * 1024  # regex scans go in slices (the window's copy counts too)

# A new text longer than this is shown in two steps: its first screens at once (rendered
# alone, so a reference defined further down may show unresolved for a moment), then all of it.
# The first render of a 1 MB post takes seconds; its first 30 KB take about a tenth of one.
HEAD_FIRST_CHARS = 150_000
HEAD_CHARS = 30_000


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc only; a no-op elsewhere).

    Rendering a long post from scratch allocates and frees a lot; glibc keeps those pages,
    which the process would otherwise carry for as long as the post is open.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """Return glibc's malloc_trim, looked up once (find_library runs ldconfig), or None."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def new_renderer() -> IncrementalRenderer:
    """Return a new incremental renderer, importing the Markdown stack on first use.

    Only the render process renders: the window's process imports this module for its edits
    and results, and so never loads Python-Markdown's extensions, Pygments' lexers and the
    renderer (about 5 MiB; issue 16, tests/render/test_window_imports.py).
    """
    from editor.render.incremental import IncrementalRenderer

    return IncrementalRenderer()


def head_of(text: str) -> str:
    """Return the first screens of a long text, cut at a blank line."""
    cut = text.rfind("\n\n", 0, HEAD_CHARS)
    return text[: cut if cut > 0 else HEAD_CHARS]


def count_astral(text: str) -> int:
    """Count the characters outside the BMP (two UTF-16 code units each) in `text`."""
    if text.isascii():
        return 0
    return sum(
        len(_ASTRAL.findall(text, start, start + _SCAN_CHARS))
        for start in range(0, len(text), _SCAN_CHARS)
    )


@dataclass(frozen=True)
class Edit:
    """One change as QTextDocument reports it: UTF-16 position and removed count, new text."""

    position: int
    removed: int
    added: str


@dataclass(frozen=True)
class Resync:
    """The whole text: render it from scratch."""

    text: str


@dataclass(frozen=True)
class LiveResult:
    """A finished render: the body HTML piece by piece or its change, and the text it is of.

    A render of a whole text carries every piece (`blocks`); a batch of edits carries only
    `delta`, the change from the previous result (`blocks` is then empty). The render process
    never sends the text back (a megabyte per keystroke in a long post): the window fills in
    `text` from its own copy (`EditedText`), which the same edits keep equal to the child's.
    """

    serial: int
    blocks: tuple[RenderedBlock, ...]
    too_slow: tuple[tuple[int, int, str], ...] = ()  # parts shown as a notice (lines, why)
    delta: RenderDelta | None = None
    text: str = ""


# A result as the render process sends it: the pieces as two flat tuples (their lines, their
# HTML), which unpickle in one short step; see `packed`.
PackedResult = tuple[
    int,
    tuple[int, ...],
    tuple[str, ...],
    tuple[tuple[int, int, str], ...],
    RenderDelta | None,
    str,
]


def packed(result: LiveResult | None) -> PackedResult | None:
    """Return a result in the form the render process sends.

    Unpickling a tuple of ten thousand piece objects is one C call that holds the receiving
    process's interpreter lock throughout (13-20 ms for a 1 MB post's whole render); two tuples
    of strings and numbers unpickle in a fraction of that, and `unpacked` makes the objects in
    Python, where the window's thread gets the lock every few milliseconds.
    """
    if result is None:
        return None
    lines = tuple(block.line for block in result.blocks)
    htmls = tuple(block.html for block in result.blocks)
    return (result.serial, lines, htmls, result.too_slow, result.delta, result.text)


def unpacked(wire: PackedResult | None) -> LiveResult | None:
    """Return the result that `packed` gave."""
    if wire is None:
        return None
    serial, lines, htmls, too_slow, delta, text = wire
    blocks = tuple(map(RenderedBlock, lines, htmls))
    return LiveResult(serial, blocks, too_slow, delta, text)


def python_range(text: str, astral: int, position: int, removed: int) -> tuple[int, int]:
    """Convert a UTF-16 (position, removed) into Python indexes of `text`, which holds
    `astral` characters outside the BMP."""
    if not astral:
        return position, position + removed
    units = text.encode("utf-16-le")
    start = len(units[: 2 * position].decode("utf-16-le", "surrogatepass"))
    end = len(units[: 2 * (position + removed)].decode("utf-16-le", "surrogatepass"))
    return start, end


def edit_span(text: str, astral: int, edit: Edit) -> tuple[int, int, int] | None:
    """Return where `edit` falls in `text` (Python start, end) and the astral count after it,
    or None when it changes nothing (a format-only change, or a replace by the same text).

    The one rule both copies of the text follow: the window's `EditedText` and the render
    process's `EditApplier`.
    """
    start, end = python_range(text, astral, edit.position, edit.removed)
    old = text[start:end]
    if old == edit.added:
        return None
    return start, end, astral + count_astral(edit.added) - count_astral(old)


class EditedText:
    """A text kept up to date by the editor's edits: the window's copy of what is rendered."""

    def __init__(self) -> None:
        self.text = ""
        self.astral = 0  # characters outside the BMP in `text` (each is 2 UTF-16 units)

    def apply(self, operation: Edit | Resync) -> None:
        """Apply one operation as the render process's `EditApplier` does."""
        if isinstance(operation, Resync):
            self.text, self.astral = operation.text, count_astral(operation.text)
            return
        span = edit_span(self.text, self.astral, operation)
        if span is not None:
            start, end, self.astral = span
            self.text = self.text[:start] + operation.added + self.text[end:]


class EditApplier:
    """Applies edits to the text and the renderer (in the render process)."""

    def __init__(self) -> None:
        # Made by the first batch, in the render process: building Python-Markdown and importing
        # its extensions is not the window's start-up work.
        self._renderer: IncrementalRenderer | None = None
        self.rendered = False  # the renderer holds a render
        self.astral = 0  # characters outside the BMP in `text` (each is 2 UTF-16 units)
        self.on_head: Callable[[LiveResult], None] | None = None  # first screens of a long text

    @property
    def renderer(self) -> IncrementalRenderer:
        """The renderer (made on first use)."""
        if self._renderer is None:
            self._renderer = new_renderer()
        return self._renderer

    @property
    def text(self) -> str:
        """The text rendered (the renderer's: one copy)."""
        return self._renderer.text if self._renderer is not None else ""

    def apply(self, operations: list[Edit | Resync], serial: int) -> LiveResult | None:
        """Apply operations in order; return the new render, or None if nothing changed."""
        changed = whole = False
        for operation in operations:
            if isinstance(operation, Resync):
                if operation.text != self.text or not self.rendered:
                    self._show_head_first(operation.text, serial)
                    self.astral = count_astral(operation.text)
                    self.renderer.update(operation.text)
                    self.rendered = True
                    changed = whole = True
                continue
            span = edit_span(self.text, self.astral, operation)
            if span is None:
                continue  # a format-only change (the highlighter), or a no-op replace
            start, end, self.astral = span
            self.renderer.edit(start, end - start, operation.added)
            changed = True
        if not changed:
            return None
        delta = self.renderer.take_delta()  # the change since the last result, edits folded
        too_slow = tuple(self.renderer.too_slow)
        if whole:  # the view may show another text's pieces (the head of a long post)
            return LiveResult(serial, preview_pieces(self.renderer.blocks), too_slow)
        return LiveResult(serial, (), too_slow, preview_delta(delta))

    def _show_head_first(self, text: str, serial: int) -> None:
        """Report the first screens of a long new text before the whole of it is rendered."""
        if self.on_head is None or len(text) <= HEAD_FIRST_CHARS:
            return
        if self.rendered and text[:2000] == self.text[:2000]:
            return  # the same post, changed: the incremental render is quick
        head = head_of(text)
        renderer = new_renderer()
        renderer.render(head)
        self.on_head(LiveResult(serial, preview_pieces(renderer.blocks), text=head))
