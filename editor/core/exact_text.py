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
# The units are kept in pieces of about this many: a keystroke rebuilds one piece, not a copy
# of the whole post (three copies of a megabyte per keystroke in a 1 MB post).
PIECE_UNITS = 16_384


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units (Qt's text positions)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def editor_length(text: str) -> int:
    """Return how many editor positions `text` takes: UTF-16 units, a CR LF pair one.

    The editor (QTextDocument) counts a character outside the BMP twice and a CR LF pair, one
    block break, once; Python counts each character once, so a CR LF twice.
    """
    if text.isascii():
        return len(text) - text.count("\r\n")
    return len(to_units(text))


def editor_position(text: str, index: int) -> int:
    """Return the editor's position of `text`'s index `index`."""
    return editor_length(text[:index])


_UNIT_SHIFTS = re.compile("\r\n|[\U00010000-\U0010ffff]")


def text_index(text: str, position: int) -> int:
    """Return the index in `text` of the editor's `position` (the inverse of editor_position;
    a position inside a surrogate pair gives its character's index)."""
    shift = 0  # editor positions minus characters, before the match
    for match in _UNIT_SHIFTS.finditer(text):
        if match.start() + shift >= position:
            break
        shift += -1 if match.group() == "\r\n" else 1
    return max(0, min(len(text), position - shift))


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


def _is_plain(units: str) -> bool:
    """Tell whether units are their own text: no surrogate (astral, CR LF) and no CR."""
    return "\r" not in units and (units.isascii() or not _SURROGATES.search(units))


def _is_special(units: str) -> bool:
    """Tell whether text holds a block break other than a newline (the view cannot rebuild it)."""
    return view_of(units).translate(_FROM_VIEW) != units


class _Pieces:
    """A string kept as a list of pieces, so that replacing a span rebuilds the pieces it
    touches rather than the whole string; the whole string is joined when asked for."""

    def __init__(self, whole: str = "") -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._whole: str | None = ""
        self.set(whole)

    def __len__(self) -> int:
        """Return the whole string's length."""
        return self._length

    def set(self, whole: str) -> None:
        """Hold `whole` from now on."""
        self._pieces = _cut(whole)
        self._length = len(whole)
        self._whole = whole

    def whole(self) -> str:
        """Return the whole string (joined once after each change)."""
        if self._whole is None:
            self._whole = "".join(self._pieces)
        return self._whole

    def _locate(self, position: int) -> tuple[int, int]:
        """Return (piece, offset in it) of `position` (the first piece that reaches it)."""
        for index, piece in enumerate(self._pieces):
            if position <= len(piece):
                return index, position
            position -= len(piece)
        return len(self._pieces) - 1, len(self._pieces[-1])  # past the end: clamped

    def slice(self, start: int, end: int) -> str:
        """Return whole()[start:end] without joining the pieces (0 <= start <= end)."""
        if self._whole is not None or not self._pieces:
            return self.whole()[start:end]
        first, begin = self._locate(start)
        last, stop = self._locate(end)
        if first == last:
            return self._pieces[first][begin:stop]
        middle = "".join(self._pieces[first + 1 : last])
        return self._pieces[first][begin:] + middle + self._pieces[last][:stop]

    def replace(self, start: int, end: int, new: str) -> None:
        """Make whole()[start:end] `new` (0 <= start <= end <= len)."""
        if not self._pieces:
            self.set(new)
            return
        first, begin = self._locate(start)
        last, stop = self._locate(end)
        merged = self._pieces[first][:begin] + new + self._pieces[last][stop:]
        self._pieces[first : last + 1] = (
            _cut(merged) if len(merged) > 2 * PIECE_UNITS else ([merged] if merged else [])
        )
        self._length += len(new) - (end - start)
        self._whole = None


def _cut(whole: str) -> list[str]:
    """Return `whole` in pieces of PIECE_UNITS (none for an empty string)."""
    return [whole[start : start + PIECE_UNITS] for start in range(0, len(whole), PIECE_UNITS)]


class ExactText:
    """The exact text under an editor, kept in step with the editor's reported edits."""

    def __init__(self, text: str = "") -> None:
        self._units = _Pieces(to_units(text))
        self._stash: dict[tuple[int, str], str] = {}
        self._text_of: tuple[str | None, str] = (None, "")  # the units last read, their text
        # True while the units hold no surrogate and no CR: then they are the text itself, and
        # reading it needs no scan (2.6 ms at 1 MB). Set when all the units are replaced;
        # an edit can only clear it.
        self._plain = _is_plain(self._units.whole())

    def __len__(self) -> int:
        """Return the length in UTF-16 code units (the editor's character count)."""
        return len(self._units)

    def view(self, start: int, end: int) -> str:
        """Return units [start, end) as the document shows them: block breaks U+2029, an astral
        character still its two surrogates (compare with `to_units` of the document's view)."""
        return view_of(self._units.slice(start, end))

    def text(self) -> str:
        """Return the exact text."""
        units = self._units.whole()
        if self._text_of[0] is not units:
            self._text_of = (units, units if self._plain else from_units(units))
        return self._text_of[1]

    def reset(self, text: str) -> None:
        """Hold `text` from now on (a text just loaded into the editor)."""
        self._units.set(to_units(text))
        self._plain = _is_plain(self._units.whole())
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
        old = self._units.slice(position, position + removed)
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
        self._units.replace(position, position + removed, new)
        self._plain = self._plain and _is_plain(new)

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
        units = self._units.whole()
        if view_of(units) == view:
            return False
        log.warning("exact text out of step with the editor; kept what still agrees")
        self._units.set(keep_known(units, view))
        self._plain = _is_plain(self._units.whole())
        return True
