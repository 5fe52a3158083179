"""Syntax highlighting for the Markdown source pane.

`MarkdownHighlighter` colours a `QTextDocument` line by line. Constructs that span several
lines -- YAML front matter, fenced code blocks, pymdown-extensions caption blocks and raw
islands (WordPress block markup kept verbatim, see `editor.render.raw_islands`) -- are
tracked through the block state (`STATE_*` kinds, with the fence length or the island's block
nesting depth packed in the high bits). Everything else is decided per line. Raw islands, and
lines holding only `<!--more-->` or `<!--nextpage-->`, are shown quietly: one muted colour, no
Markdown highlighting inside.

A long text (loaded in slices, `begin_bulk_load`) is coloured only where the writer looks: every
block gets its state (by a background pass that sets it directly), but only the blocks on or
near the screen (`show_window`) go through Qt's highlighting, which gives each block it touches a
layout and its formats (about 450 bytes a line: 17 MiB for a 1 MB post). Such painted blocks
carry PAINTED in their state.
"""

from __future__ import annotations

import logging
import re
import time

from PySide6.QtCore import SIGNAL, SLOT, QObject, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from editor.core.block_grammar import LINE_DELIMITER, depth_after
from editor.gui.editing.inline_spans import inline_spans
from editor.gui.editing.markdown_punctuation import punctuation_spans

log = logging.getLogger(__name__)

STATE_NORMAL = 0
STATE_FRONT_MATTER = 1
STATE_CODE_BACKTICK = 2
STATE_CODE_TILDE = 3
STATE_CAPTION = 4
STATE_ISLAND = 5
_KIND_MASK = 0xFF
_LENGTH_SHIFT = 8
_LENGTH_MASK = 0xFFFF
PAINTED = 1 << 24  # a block of a long text whose formats are applied (see `show_window`)
# After a bulk load, blocks this far above and below the screen are painted when Qt highlights
# them (an edit, or the screen reaching them); further ones only get their state.
WINDOW_MARGIN_BLOCKS = 100
# Qt's own reaction to every change of the text (QSyntaxHighlighter's private slot): cut off
# while a long text loads slice by slice, so the slices give no block a layout.
_CONTENTS_CHANGE = SIGNAL("contentsChange(int,int,int)")
_REFORMAT_BLOCKS = SLOT("_q_reformatBlocks(int,int,int)")

# Block-level patterns.
_FRONT_MATTER_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_FRONT_MATTER_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)?([\w.-]+|\"[^\"]*\"|'[^']*')[ \t]*:(?=[ \t]|$)")
_FENCE_OPEN = re.compile(r"^[ \t]*(?:(?P<fence>`{3,})[^`]*|(?P<tilde>~{3,}).*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")
_CAPTION_OPEN = re.compile(
    r"^[ ]{0,3}(?P<fence>/{3,})[ \t]*(?:figure-|table-)?caption\b[ \t]*(?:\|.*)?$"
)
_CAPTION_CLOSE = re.compile(r"^[ ]{0,3}(/{3,})[ \t]*$")
# The heading's text runs to the end; trailing blanks and closing hashes are cut in Python (a
# lazy body before `[ \t]*$` would rescan every run of blanks: quadratic on a long line).
_HEADING = re.compile(r"^(?P<marks>[ ]{0,3}#{1,6})(?:[ \t]+(?P<text>.*))?$")
_HRULE = re.compile(r"^[ ]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^[ ]{0,3}(?:>[ \t]?)+")
_LIST = re.compile(r"^[ \t]*(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_PAGE_COMMENT = re.compile(r"^[ \t]*<!--(?:more|nextpage)\b.*-->[ \t]*$")
_REF_DEF = re.compile(r"^[ ]{0,3}(?P<label>\[(?!\^)[^\]]+\]):[ \t]*(?P<url>\S+.*)$")

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")

# Accent colours per theme: (light background, dark background).
_ACCENTS: dict[str, tuple[str, str]] = {
    "heading": ("#1f4e8c", "#79b8ff"),
    "link_text": ("#0b62c4", "#58a6ff"),
    "ref_label": ("#7a4fb0", "#c39bff"),
    "image": ("#8a5a00", "#e3b341"),
    "code_span": ("#b3245b", "#ff8fab"),
    "code_block": ("#2d4a5a", "#b6c8d6"),
    "quote": ("#4f6b2a", "#a5c26b"),
    "caption": ("#1c7a72", "#5fd4c9"),
    "caption_fence": ("#c0500a", "#ff9e5e"),
    "list_marker": ("#a8323e", "#ff7b72"),
}

_Span = tuple[int, int, str]
BACKGROUND_STEP_BLOCKS = 40  # the background pass highlights this many blocks at a time...
BACKGROUND_SLICE_SECONDS = 0.006  # ...until this much of an event-loop turn is used


def state_kind(state: int) -> int:
    """Return the `STATE_*` kind encoded in a block state (-1, unset, counts as normal)."""
    return STATE_NORMAL if state < 0 else state & _KIND_MASK


def _pack(kind: int, length: int) -> int:
    return kind | (min(length, _LENGTH_MASK) << _LENGTH_SHIFT)


def _is_painted(state: int) -> bool:
    """Tell whether a block state carries the PAINTED mark."""
    return state != -1 and bool(state & PAINTED)


def _unpainted(state: int) -> int:
    """Return a block state without the PAINTED mark (-1, unset, stays -1)."""
    return state & ~PAINTED if state > 0 else state


def mix_colours(a: QColor, b: QColor, t: float) -> QColor:
    """Blend colour `a` towards `b` by fraction `t`."""
    pairs = zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(x + (y - x) * t for x, y in pairs))


def _utf16_offsets(text: str, points: list[int]) -> list[int]:
    """Map sorted character positions to UTF-16 positions (Qt's), in one pass over `text`."""
    offsets, previous, units = [], 0, 0
    for point in points:
        units += len(text[previous:point].encode("utf-16-le")) // 2
        offsets.append(units)
        previous = point
    return offsets


class MarkdownHighlighter(QSyntaxHighlighter):
    """Highlight Markdown (with front matter, fences and caption blocks) in a text document."""

    def __init__(self, document: QTextDocument, palette: QPalette | None = None) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self._merged_cache: dict[tuple[str, ...], QTextCharFormat] = {}
        self.dark = False  # whether the current table is the dark-background one
        # After a bulk load, blocks past this number are left plain until the background pass
        # reaches them (None: highlight every block as Qt asks).
        self.lazy_limit: int | None = None
        self._forced = range(0)  # blocks past the limit highlighted now (the visible ones)
        # After a bulk load: the block numbers Qt's highlighting paints (None: every block).
        self.window: range | None = None
        self._previous_changed = False  # the background pass changed the last block's state
        self._reacting = True  # Qt's highlighting follows the document's changes
        self.dim_punctuation = False  # the editor dims `**`, `*`, backticks and brackets
        self._pass = QTimer(self)
        self._pass.setInterval(0)
        self._pass.timeout.connect(self._highlight_next_slice)
        if palette is None:
            palette = QGuiApplication.palette() if QGuiApplication.instance() else QPalette()
        self._build_formats(palette)

    def format_for(self, kind: str) -> QTextCharFormat:
        """Return a copy of the format used for `kind` (KeyError if unknown)."""
        return QTextCharFormat(self._formats[kind])

    def kinds(self) -> list[str]:
        """Return the names of every format in the table."""
        return sorted(self._formats)

    def set_palette(self, palette: QPalette) -> None:
        """Rebuild the format table for a new palette and re-highlight the document."""
        self._build_formats(palette)
        document = self.document()
        if self.window is None or document is None:
            self.rehighlight()
            return
        block = document.begin()
        while block.isValid():  # a long text: only the painted blocks
            if _is_painted(block.userState()):
                self.rehighlightBlock(block)
            block = block.next()

    def _build_formats(self, palette: QPalette) -> None:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.dark = base.lightness() < 128
        if abs(text.lightness() - base.lightness()) < 96:  # unreadable pair: pick our own
            text = QColor("#d8d8d8") if self.dark else QColor("#1a1a1a")
        dim, key = mix_colours(base, text, 0.5), mix_colours(base, text, 0.72)
        tint = mix_colours(base, text, 0.12 if self.dark else 0.06)
        accent = {name: QColor(pair[int(self.dark)]) for name, pair in _ACCENTS.items()}

        bold, heavy, semi = QFont.Weight.Bold, QFont.Weight.ExtraBold, QFont.Weight.DemiBold

        def make(
            fg: QColor | None = None,
            weight: QFont.Weight | None = None,
            *,
            italic: bool = False,
            bg: QColor | None = None,
        ) -> QTextCharFormat:
            fmt = QTextCharFormat()
            if fg is not None:
                fmt.setForeground(fg)
            if bg is not None:
                fmt.setBackground(bg)
            if weight is not None:
                fmt.setFontWeight(weight)
            if italic:
                fmt.setFontItalic(True)
            return fmt

        self._formats = {
            "front_matter": make(dim),
            "front_matter_key": make(key, semi),
            "heading": make(accent["heading"], heavy),
            "heading_marker": make(dim, bold),
            "emphasis": make(italic=True),
            "strong": make(weight=bold),
            "link_text": make(accent["link_text"]),
            "link_url": make(dim),
            "ref_label": make(accent["ref_label"]),
            "image": make(accent["image"]),
            "code_span": make(accent["code_span"], bg=tint),
            "code_block": make(accent["code_block"], bg=tint),
            "code_fence": make(dim, bg=tint),
            "quote": make(accent["quote"], italic=True),
            "quote_marker": make(dim, bold),
            "caption": make(accent["caption"]),
            "caption_fence": make(accent["caption_fence"], bold),
            "list_marker": make(accent["list_marker"], bold),
            "hr": make(dim, bold),
            "island": make(mix_colours(base, text, 0.42)),
            "punctuation": make(dim),  # the `**`, `*`, backticks and brackets of inline spans
        }
        self._merged_cache.clear()
        log.debug("Markdown formats built for a %s palette", "dark" if self.dark else "light")

    def _merged(self, kinds: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._merged_cache.get(kinds)
        if fmt is None:
            fmt = QTextCharFormat()
            for kind in kinds:
                fmt.merge(self._formats[kind])
            self._merged_cache[kinds] = fmt
        return fmt

    def begin_bulk_load(self) -> None:
        """Leave blocks plain while a large text is loaded (see `highlight_in_background`);
        from then on only the blocks near the screen are painted (see `show_window`)."""
        self._pass.stop()
        self.lazy_limit = -1
        self.window = range(0)
        self._previous_changed = False
        self._react(False)

    def paint_every_block(self) -> None:
        """Paint every block again as Qt highlights it (before a text that loads at once)."""
        self._pass.stop()
        self.lazy_limit = None
        self.window = None
        self._react(True)

    def highlight_in_background(self) -> None:
        """Highlight the plain blocks from the top, a slice per event-loop turn."""
        self._react(True)
        if self.lazy_limit is not None:
            self._pass.start()

    def _react(self, on: bool) -> None:
        """Connect or cut Qt's highlighting of each change of the document."""
        document = self.document()
        if on == self._reacting or document is None:
            return
        if on:
            QObject.connect(document, _CONTENTS_CHANGE, self, _REFORMAT_BLOCKS)
        else:
            QObject.disconnect(document, _CONTENTS_CHANGE, self, _REFORMAT_BLOCKS)
        self._reacting = on

    def show_window(self, first: int, last: int) -> None:
        """Blocks `first`..`last` are on screen: paint those not painted yet, and from now on
        paint the blocks within WINDOW_MARGIN_BLOCKS of them that Qt highlights (a long text)."""
        document = self.document()
        if self.window is None or document is None:
            return
        self.window = range(max(0, first - WINDOW_MARGIN_BLOCKS), last + WINDOW_MARGIN_BLOCKS + 1)
        block = document.findBlockByNumber(first)
        while block.isValid() and block.blockNumber() <= last:
            state = block.userState()
            if state != -1 and not _is_painted(state):
                # its state stays, but for the mark: Qt goes on through the unpainted blocks
                # after it in the window, and stops at the first one past it
                self.rehighlightBlock(block)
            block = block.next()

    def highlight_now(self, first: int, last: int) -> None:
        """Highlight blocks `first`..`last` (on screen) before the background pass gets there.

        Their multi-line state is taken from the block above as it stands; the background pass
        corrects it when it arrives.
        """
        document = self.document()
        if self.lazy_limit is None or document is None or last <= self.lazy_limit:
            return
        first = max(first, self.lazy_limit + 1)
        block = document.findBlockByNumber(first)
        while block.isValid() and block.blockNumber() <= last and _is_painted(block.userState()):
            block = block.next()  # already highlighted
        if not block.isValid() or block.blockNumber() > last:
            return
        self._forced = range(block.blockNumber(), last + 1)
        try:
            self.rehighlightBlock(block)  # Qt goes on while states change, up to `last`
        finally:
            self._forced = range(0)

    def _highlight_next_slice(self) -> None:
        """Highlight the next slice of blocks; Qt carries the state from block to block."""
        document = self.document()
        deadline = time.perf_counter() + BACKGROUND_SLICE_SECONDS
        while time.perf_counter() < deadline:
            start = (self.lazy_limit if self.lazy_limit is not None else -1) + 1
            if document is None or start >= document.blockCount():
                self.lazy_limit = None
                self._pass.stop()
                return
            if self.window is not None:
                self._settle_states(start)
                continue
            self.lazy_limit = start + BACKGROUND_STEP_BLOCKS - 1
            # The block's state changes from unset, so Qt goes on to the next block, and so on
            # up to the first block past the limit, which is skipped and keeps its state.
            self.rehighlightBlock(document.findBlockByNumber(start))

    def _settle_states(self, start: int) -> None:
        """Give the next BACKGROUND_STEP_BLOCKS blocks from `start` their states, without Qt's
        highlighting (no layout, no formats); a block painted ahead of the pass (it was on
        screen) with another state is highlighted again."""
        document = self.document()
        block = document.findBlockByNumber(start)
        before = block.previous()
        previous = before.userState() if before.isValid() else -1
        for _ in range(BACKGROUND_STEP_BLOCKS):
            if not block.isValid():
                break
            state, _spans = self._classify(block.text(), previous, block)
            old = block.userState()
            if not _is_painted(old):
                block.setUserState(state)
                changed = old != state
            else:  # painted ahead of the pass: again if it or the line before it changed
                changed = _unpainted(old) != state
                if changed or self._previous_changed:
                    self.lazy_limit = block.blockNumber()  # Qt stops at the block after it
                    self.rehighlightBlock(block)
            self._previous_changed = changed
            previous = block.userState()
            self.lazy_limit = block.blockNumber()
            block = block.next()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        """Colour one block and record the multi-line state it leaves behind."""
        block = self.currentBlock()
        number = block.blockNumber()
        if self.lazy_limit is not None and number > self.lazy_limit and number not in self._forced:
            # not reached by the background pass yet; Qt drops the block's formats all the
            # same, so a block painted ahead of the pass loses its mark too (painted again
            # when on screen)
            if _is_painted(block.userState()):
                self.setCurrentBlockState(_unpainted(block.userState()))
            return
        state, spans = self._classify(text, self.previousBlockState(), block)
        if self.window is None:
            self.setCurrentBlockState(state)
        elif number in self.window or number in self._forced:
            self.setCurrentBlockState(state | PAINTED)
        else:
            self.setCurrentBlockState(state)  # far from the screen: no formats
            return
        self._paint(text, spans)

    def _classify(self, text: str, previous: int, block: QTextBlock) -> tuple[int, list[_Span]]:
        """Return the state a line leaves behind, after a line that left `previous`, and the
        spans to colour in it."""
        previous = _unpainted(previous)
        kind, length = state_kind(previous), (max(previous, 0) >> _LENGTH_SHIFT) & _LENGTH_MASK
        spans: list[_Span] = []
        if kind == STATE_FRONT_MATTER:
            state = self._front_matter_line(text, spans)
        elif kind in (STATE_CODE_BACKTICK, STATE_CODE_TILDE):
            fence = _FENCE_CLOSE.match(text)
            char = "`" if kind == STATE_CODE_BACKTICK else "~"
            closes = fence is not None and fence[1][0] == char and len(fence[1]) >= length
            spans.append((0, len(text), "code_fence" if closes else "code_block"))
            state = STATE_NORMAL if closes else previous
        elif kind == STATE_ISLAND:
            spans.append((0, len(text), "island"))
            depth = depth_after(text, length)
            state = _pack(STATE_ISLAND, depth) if depth else STATE_NORMAL
        elif kind == STATE_CAPTION:
            fence = _CAPTION_CLOSE.match(text)
            if fence is not None and len(fence[1]) == length:
                spans.append((0, len(text), "caption_fence"))
                state = STATE_NORMAL
            else:
                spans.append((0, len(text), "caption"))
                self._line_body(text, spans)
                state = previous
        elif not block.previous().isValid() and _FRONT_MATTER_OPEN.match(text):
            spans.append((0, len(text), "front_matter"))
            state = STATE_FRONT_MATTER
        elif text.startswith("<!--") and self._opens_island(text, block):
            spans.append((0, len(text), "island"))
            depth = depth_after(text, 0)
            state = _pack(STATE_ISLAND, depth) if depth else STATE_NORMAL
        elif "<!--" in text and _PAGE_COMMENT.match(text):
            spans.append((0, len(text), "island"))
            state = STATE_NORMAL
        else:
            state = self._normal_line(text, spans)
        return state, spans

    def _opens_island(self, text: str, block: QTextBlock) -> bool:
        """Tell whether this line opens a raw island: a block opener after a blank line."""
        opener = LINE_DELIMITER.match(text)
        if opener is None or opener.group("closer"):
            return False
        previous = block.previous()
        if not previous.isValid() or not previous.text().strip():
            return True
        # the first line after the front matter starts the body
        before = previous.previous()
        return (
            _FRONT_MATTER_CLOSE.match(previous.text()) is not None
            and before.isValid()
            and state_kind(before.userState()) == STATE_FRONT_MATTER
        )

    def _front_matter_line(self, text: str, spans: list[_Span]) -> int:
        spans.append((0, len(text), "front_matter"))
        if _FRONT_MATTER_CLOSE.match(text):
            return STATE_NORMAL
        key = _FRONT_MATTER_KEY.match(text)
        if key is not None:
            spans.append((key.start(1), key.end(1), "front_matter_key"))
        return STATE_FRONT_MATTER

    def _normal_line(self, text: str, spans: list[_Span]) -> int:
        if m := _FENCE_OPEN.match(text):
            spans.append((0, len(text), "code_fence"))
            if m["fence"]:
                return _pack(STATE_CODE_BACKTICK, len(m["fence"]))
            return _pack(STATE_CODE_TILDE, len(m["tilde"]))
        if m := _CAPTION_OPEN.match(text):
            spans.append((0, len(text), "caption_fence"))
            return _pack(STATE_CAPTION, len(m["fence"]))
        if _HRULE.match(text):
            spans.append((0, len(text), "hr"))
        elif m := _HEADING.match(text):
            spans.append((0, m.end("marks"), "heading_marker"))
            start = m.start("text")
            body = (m["text"] or "").rstrip(" \t")
            if body:
                end = start + len(body)
                hashes = len(body) - len(body.rstrip("#"))
                before = body[: len(body) - hashes]
                if hashes and before[-1:] in (" ", "\t"):  # optional closing hashes
                    spans.append((end - hashes, end, "heading_marker"))
                    end = start + len(before.rstrip(" \t"))
                spans.append((start, end, "heading"))
                self._inline(text, start, end, spans)
        elif m := _REF_DEF.match(text):
            spans.append((m.start("label"), m.end("label"), "ref_label"))
            spans.append((m.start("url"), m.end("url"), "link_url"))
        elif m := _QUOTE.match(text):
            spans.append((0, len(text), "quote"))
            spans.append((0, m.end(), "quote_marker"))
            self._line_body(text, spans, m.end())
        else:
            self._line_body(text, spans)
        return STATE_NORMAL

    def _line_body(self, text: str, spans: list[_Span], start: int = 0) -> None:
        """Highlight an optional list marker at `start`, then the inline markup after it."""
        rest = text[start:]
        if _HRULE.match(rest):
            spans.append((start, len(text), "hr"))
            return
        if m := _LIST.match(rest):
            spans.append((start + m.start("marker"), start + m.end("marker"), "list_marker"))
            start += m.end()
        self._inline(text, start, len(text), spans)

    def _inline(self, text: str, start: int, end: int, spans: list[_Span]) -> None:
        """Add spans for code, images, links, strong and emphasis inside text[start:end]."""
        found = inline_spans(text, start, end)
        spans.extend(found)
        if self.dim_punctuation:
            spans.extend(punctuation_spans(text, found))

    def _paint(self, text: str, spans: list[_Span]) -> None:
        """Apply spans, merging overlaps so that the innermost (shortest) span wins."""
        spans = sorted((span for span in spans if span[1] > span[0]), key=lambda s: s[0] - s[1])
        if not spans:
            return
        opening: dict[int, list[int]] = {}
        closing: dict[int, list[int]] = {}
        for rank, (start, end, _) in enumerate(spans):
            opening.setdefault(start, []).append(rank)
            closing.setdefault(end, []).append(rank)
        points = sorted(opening.keys() | closing.keys())
        offsets = _utf16_offsets(text, points) if _NON_BMP.search(text) else points
        if len(spans) == 1:
            self.setFormat(offsets[0], offsets[1] - offsets[0], self._merged((spans[0][2],)))
            return
        active: set[int] = set()
        for index, point in enumerate(points[:-1]):  # one sweep over the span boundaries
            active.difference_update(closing.get(point, ()))
            active.update(opening.get(point, ()))
            if active:  # the active spans are few: at most one per rule
                kinds = tuple(spans[rank][2] for rank in sorted(active))
                qa, qb = offsets[index], offsets[index + 1]
                self.setFormat(qa, qb - qa, self._merged(kinds))
