"""The post's exact characters beside an editor that cannot hold them all.

Qt's text document keeps a bare CR, U+2029, U+FDD0 and U+FDD1 only as plain block breaks, and
its toPlainText() writes NBSP as a space and U+2028 as a newline. `ExactText` is the text the
window saves: the editor's edits are applied to it one by one, in the document's own units
(UTF-16 code units, a block break counting one), and only the characters an edit inserts come
from the document. So whatever the writer did not edit keeps the file's own characters.

The document's view of a text (`view_of`) is what QTextCursor.selectedText() shows: every
block break is U+2029, every other character itself.
"""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)

BLOCK_BREAKS = "\n\r\u2029\ufdd0\ufdd1"  # what QTextDocument turns into a block break
VIEW_BREAK = "\u2029"  # a block break in the document's view
_FROM_VIEW = str.maketrans({VIEW_BREAK: "\n"})
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# A lone high surrogate, which no decoded text holds: the units' stand-in for a CR LF pair.
CRLF_UNIT = "\udbff"
_CRLF_UNIT = re.compile("\udbff(?![\udc00-\udfff])")
_LF_AFTER_CR = re.compile("(?<=\r)\n+")
_STASH_ENTRIES = 256  # remembered special texts an undo or redo may bring back


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units (Qt's text positions)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _split_astral(match: re.Match[str]) -> str:
    """Return one character outside the BMP as its two UTF-16 surrogates."""
    value = ord(match.group()) - 0x10000
    return chr(0xD800 + (value >> 10)) + chr(0xDC00 + (value & 0x3FF))


def to_units(text: str) -> str:
    """Return `text` with one string element per UTF-16 code unit of the editor.

    Astral characters become their two surrogates; a CR LF pair, one block break in the editor,
    becomes one CRLF_UNIT.
    """
    if text.isascii():
        return text.replace("\r\n", CRLF_UNIT) if "\r\n" in text else text
    return _ASTRAL.sub(_split_astral, text.replace("\r\n", CRLF_UNIT))


def from_units(units: str) -> str:
    """Return the text that `to_units` turned into `units`.

    Line feeds right after a bare CR (separate block breaks, e.g. Enter typed after a CR line
    ending) are written as CRs, so that the file reads back with as many line breaks.
    """
    if "\r\n" in units:
        units = _LF_AFTER_CR.sub(lambda match: "\r" * len(match.group()), units)
    if units.isascii() or not _SURROGATES.search(units):
        return units
    if CRLF_UNIT in units:
        units = _CRLF_UNIT.sub("\r\n", units)
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _breaks_to_view(text: str) -> str:
    """Return `text` with every single-character block break as a U+2029."""
    for char in BLOCK_BREAKS:  # str.replace runs in C; translate() is slow on long texts
        if char != VIEW_BREAK and char in text:
            text = text.replace(char, VIEW_BREAK)
    return text


def view_of(units: str) -> str:
    """Return `units` as the document shows them: every block break a U+2029."""
    if CRLF_UNIT in units:
        units = _CRLF_UNIT.sub(VIEW_BREAK, units)
    return _breaks_to_view(units)


def text_view(text: str) -> str:
    """Return a text (not units) as the document shows it: a CR LF pair is one block break."""
    return _breaks_to_view(text.replace("\r\n", VIEW_BREAK) if "\r\n" in text else text)


def _common_prefix_length(a: str, b: str, limit: int) -> int:
    """Return how many leading characters `a` and `b` share (at most `limit`), in blocks."""
    start = 0
    block = 4096
    while start < limit:
        step = min(block, limit - start)
        if a[start : start + step] == b[start : start + step]:
            start += step
        elif step == 1:
            break
        else:
            block = max(1, step // 2)
    return start


def changed_span(old: str, new: str) -> tuple[int, int, int]:
    """Return (start, old_end, new_end): old[start:old_end] became new[start:new_end]."""
    limit = min(len(old), len(new))
    start = _common_prefix_length(old, new, limit)
    end = _common_prefix_length(old[start:][::-1], new[start:][::-1], limit - start)
    return start, len(old) - end, len(new) - end


def keep_known(old: str, new_view: str) -> str:
    """Return `new_view` as text, keeping `old`'s characters where the views still agree.

    Only the span between the first and the last difference takes the document's characters
    (a block break there becomes a newline).
    """
    start, old_end, new_end = changed_span(view_of(old), new_view)
    return old[:start] + new_view[start:new_end].translate(_FROM_VIEW) + old[old_end:]


def _is_special(units: str) -> bool:
    """Tell whether text holds a block break other than a newline (the view cannot rebuild it)."""
    return view_of(units).translate(_FROM_VIEW) != units


class ExactText:
    """The exact text under an editor, kept in step with the editor's reported edits."""

    def __init__(self, text: str = "") -> None:
        self._units = to_units(text)
        self._stash: dict[tuple[int, str], str] = {}
        self._text_of: tuple[str | None, str] = (None, "")  # the units last read, their text

    def __len__(self) -> int:
        """Return the length in UTF-16 code units (the editor's character count)."""
        return len(self._units)

    def text(self) -> str:
        """Return the exact text."""
        units = self._units
        if self._text_of[0] is not units:
            self._text_of = (units, from_units(units))
        return self._text_of[1]

    def reset(self, text: str) -> None:
        """Hold `text` from now on (a text just loaded into the editor)."""
        self._units = to_units(text)
        self._stash.clear()

    def replace(
        self,
        position: int,
        removed: int,
        inserted_view: str,
        *,
        exact: str | None = None,
        replay: bool = False,
    ) -> None:
        """Apply one edit: `removed` units at `position` became `inserted_view` in the editor.

        `exact` is the text the app itself inserted (used when its view is what the editor
        shows). `replay` marks an undo or redo, which brings back text removed earlier: text
        with special block breaks comes back as it was.
        """
        units = self._units
        old = units[position : position + removed]
        inserted_view = to_units(inserted_view)
        new: str | None = None
        if exact is not None:
            candidate = to_units(exact)
            if view_of(candidate) == inserted_view:
                new = candidate
        if new is None and replay:
            new = self._stash.get((position, inserted_view))
        if new is None:
            new = keep_known(old, inserted_view)
        if new == old:
            return
        for piece in (old, new):
            if piece and _is_special(piece):
                self._remember(position, piece)
        self._units = units[:position] + new + units[position + removed :]

    def _remember(self, position: int, units: str) -> None:
        """Keep special text an undo or redo may put back at `position`."""
        key = (position, view_of(units))
        self._stash.pop(key, None)
        self._stash[key] = units
        while len(self._stash) > _STASH_ENTRIES:
            self._stash.pop(next(iter(self._stash)))

    def reconcile(self, view: str) -> bool:
        """Make the text agree with the editor's whole `view`; return whether it had to change.

        Characters the view still agrees with are kept; only the span that differs is taken
        from the view. Used when an edit report could not be trusted.
        """
        view = to_units(view)
        if view_of(self._units) == view:
            return False
        log.warning("exact text out of step with the editor; kept what still agrees")
        self._units = keep_known(self._units, view)
        return True
