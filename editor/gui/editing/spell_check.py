"""Spell checking as you type: red wavy lines under misspelt prose, never on the keystroke path.

Only what is on screen is checked, by a coalesced timer pass with a time budget per event-loop
turn that repaints only the lines it checked, and nothing while a long post is still loading
slice by slice (`hold`, then `release`); results are kept per line text (a line is checked
again only when its text changes, or the language or word lists change) and per word
(`Speller`). Painting only looks results up.
Which lines are prose comes from the highlighter's block states (front matter, fenced code,
raw islands are skipped) and `prose_in_line` within a line. A post's `lang:` front matter
chooses its dictionary; otherwise the writer's choice in Edit > Spelling, else the system's.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, QPointF, QRect, QRectF, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QPainter, QPainterPath, QPen, QTextBlock
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from editor.core import spelling
from editor.core.spelling import Speller
from editor.gui.editing.markdown_highlighter import (
    STATE_CODE_BACKTICK,
    STATE_CODE_TILDE,
    STATE_FRONT_MATTER,
    STATE_ISLAND,
    state_kind,
)
from editor.gui.editing.prose_ranges import Range, prose_in_line, words_in

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 120  # after the last change or scroll, the screen is checked
SLICE_SECONDS = 0.008  # at most this much of one event-loop turn goes to checking
LONGEST_LINE = 20_000  # longer lines (pasted data, minified markup) are not checked
_LINE_CACHE_LIMIT = 50_000
_SKIPPED_KINDS = {STATE_FRONT_MATTER, STATE_CODE_BACKTICK, STATE_CODE_TILDE, STATE_ISLAND}
_FRONT_OPEN = re.compile(r"^---[ \t]*$")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_FRONT_MATTER_LINES = 400
_UNDERLINE = QColor("#e0302b")
_WAVE_REACH = 4  # pixels a wavy line may reach below its line's box (amplitude, pen, rounding)
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
_told_unavailable = False  # the missing-dictionary message is said once per run


def _utf16(text: str, index: int) -> int:
    """Return Qt's (UTF-16) position of character `index` of `text`."""
    if not _NON_BMP.search(text, 0, index):
        return index
    return index + len(_NON_BMP.findall(text, 0, index))


class SpellCheck(QObject):
    """Checks and underlines the spelling of one editor's prose; offers corrections."""

    message = Signal(str)  # for the status bar
    settings_changed = Signal(bool, str)  # checking on, chosen language ("": the system's)

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.enabled = False  # until the window applies the writer's settings
        self.chosen_language = ""
        self.system_language = QLocale.system().name()
        self.post_language: str | None = None
        self.speller: Speller | None = None
        self._spellers: dict[str, Speller | None] = {}
        self._misspelt: dict[str, list[Range]] = {}  # per line text
        self._front_end = 0  # where the front matter ends (language re-read on edits above)
        self._language_stale = True
        self._held = False  # a long text is loading: check and paint nothing until it is in
        self._shown_key: tuple[object, ...] | None = None  # the view `_shown` was measured in
        self._shown: list[tuple[QTextBlock, QRectF]] = []
        # edits that add or remove a line break (the lines on screen may be other blocks now);
        # an edit inside a line leaves them, and their geometry unless the line count changes
        self._line_edits = 0
        self._block_count = editor.document().blockCount()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_visible)
        editor.document().contentsChange.connect(self._text_changed)
        editor.verticalScrollBar().valueChanged.connect(lambda _value: self._schedule())

    # -- settings --------------------------------------------------------------------------

    def configure(self, enabled: bool, language: str) -> None:
        """Apply the writer's settings: checking on or off, the language ("" follows the system)."""
        self.enabled = enabled
        self.chosen_language = language
        self._language_stale = True
        self._choose_speller()
        self.editor.viewport().update()
        self._schedule()

    def set_enabled(self, enabled: bool) -> None:
        """Turn checking on or off (Edit > Spelling), remembered in the settings."""
        self.configure(enabled, self.chosen_language)
        self.settings_changed.emit(enabled, self.chosen_language)

    def set_language(self, language: str) -> None:
        """Check with `language` ("" follows the system), remembered in the settings."""
        self.configure(self.enabled, language)
        self.settings_changed.emit(self.enabled, language)

    @property
    def active(self) -> bool:
        """Tell whether words are being checked (on, with a dictionary)."""
        return self.enabled and self.speller is not None

    def _choose_speller(self) -> None:
        """Open the dictionary for the post's language, the chosen one or the system's."""
        global _told_unavailable  # noqa: PLW0603 (said once per run, whichever window)
        if not self.enabled:
            return
        problem = spelling.spelling_unavailable()
        if problem is not None:
            self.speller = None
            if not _told_unavailable:
                _told_unavailable = True
                log.warning("%s", problem)
                QTimer.singleShot(0, self, lambda: self.message.emit(problem))
            return
        tag = spelling.choose_dictionary(
            self.post_language, self.chosen_language, self.system_language
        )
        if tag is None:
            self.speller = None
            return
        if tag not in self._spellers:
            self._spellers[tag] = spelling.open_speller(tag)
        speller = self._spellers[tag]
        if speller is not self.speller:
            self.speller = speller
            self._misspelt.clear()

    def forget_results(self) -> None:
        """Check everything again (the word lists changed)."""
        self._misspelt.clear()
        self.editor.viewport().update()
        self._schedule()

    # -- following the text ----------------------------------------------------------------

    def _text_changed(self, position: int, _removed: int, added: int) -> None:
        """Note edits across lines; an edit in the front matter may change the language."""
        document = self.editor.document()
        count = document.blockCount()
        if count != self._block_count or document.findBlock(position) != document.findBlock(
            position + added
        ):
            self._line_edits += 1
        self._block_count = count
        if position <= self._front_end:
            self._language_stale = True
            self._schedule()

    def hold(self) -> None:
        """Check and underline nothing until `release` (a long text is being loaded)."""
        self._held = True
        self._timer.stop()

    def release(self, _text: str = "") -> None:
        """The text is in: check the screen again (after the usual short pause)."""
        self._held = False
        self._schedule()

    def _schedule(self) -> None:
        if self._held:
            return
        if self.active or (self.enabled and self._language_stale):
            self._timer.start()

    def _read_post_language(self) -> None:
        """Read the post's `lang:` from the front matter lines at the top of the document."""
        self._language_stale = False
        block = self.editor.document().firstBlock()
        if not _FRONT_OPEN.match(block.text()):
            self._front_end, language = block.length(), None
        else:
            lines = [block.text()]
            block = block.next()
            while block.isValid() and len(lines) < _FRONT_MATTER_LINES:
                lines.append(block.text())
                if _FRONT_CLOSE.match(block.text()):
                    break
                block = block.next()
            self._front_end = block.position() + block.length() if block.isValid() else 0
            language = spelling.post_language("\n".join(lines) + "\n")
        if language != self.post_language:
            self.post_language = language
            self._choose_speller()
            self.editor.viewport().update()

    def _prose_line(self, block: QTextBlock) -> bool | None:
        """Tell whether a line is in the body (prose may be in it); None: not highlighted yet."""
        own = block.userState()
        previous = block.previous()
        before = previous.userState() if previous.isValid() else 0
        if own == -1 or before == -1:
            return None
        if state_kind(before) in _SKIPPED_KINDS:
            return False
        return state_kind(own) not in _SKIPPED_KINDS  # the opening line of a skipped region

    def shown_blocks(self) -> list[QTextBlock]:
        """Return the lines on screen, in order (folded ones left out)."""
        return [block for block, _geometry in self._visible_blocks()]

    def _visible_blocks(self) -> list[tuple[QTextBlock, QRectF]]:
        """Return the shown lines on screen with their geometry in viewport coordinates.

        Walks down from the first visible line as Qt paints, adding up block heights (asking
        Qt for each block's geometry walks from the top block again: quadratic), never more
        blocks than a screenful of the shortest lines could hold. The answer is kept until
        the view, the lines or their layout change (typing inside a line that keeps its line
        count changes neither the blocks shown nor their geometry): the editor repaints far
        more often.
        """
        editor = self.editor
        document = editor.document()
        layout = document.documentLayout()
        block = editor.firstVisibleBlock()
        offset = editor.contentOffset()
        viewport = editor.viewport()
        key = (
            block.blockNumber(),
            (offset.x(), offset.y(), viewport.width(), viewport.height()),
            (self._line_edits, document.lineCount(), editor.fontMetrics().lineSpacing()),
            layout.blockBoundingRect(block).height() if block.isValid() else 0.0,
        )
        if key == self._shown_key:
            return self._shown
        shown = []
        bottom = viewport.height()
        room = bottom // max(1, editor.fontMetrics().lineSpacing()) + 2
        while block.isValid() and room > 0:
            if block.isVisible():  # a hidden (folded) line takes no room
                geometry = layout.blockBoundingRect(block).translated(offset)
                if geometry.top() > bottom:
                    break
                shown.append((block, geometry))
                offset.setY(offset.y() + geometry.height())
                room -= 1
            block = block.next()
        self._shown_key, self._shown = key, shown
        return shown

    def misspelt_in_line(self, text: str) -> list[Range]:
        """Return the misspelt words of one body line (cached by its text)."""
        found = self._misspelt.get(text)
        if found is None:
            speller = self.speller
            found = []
            if speller is not None and len(text) <= LONGEST_LINE:
                found = [
                    (start, end)
                    for start, end, word in words_in(text, prose_in_line(text))
                    if not speller.is_correct(word)
                ]
            if len(self._misspelt) > _LINE_CACHE_LIMIT:
                self._misspelt.clear()
            self._misspelt[text] = found
        return found

    def check_visible(self) -> None:
        """Check the lines on screen not checked yet, within a slice of the event loop."""
        if not self.enabled or self._held:
            return
        if self._language_stale:
            self._read_post_language()
        if self.speller is None:
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        checked = QRectF()
        for block, geometry in self._visible_blocks():
            text = block.text()
            if text in self._misspelt or not self._prose_line(block):
                continue
            self.misspelt_in_line(text)
            checked = checked.united(geometry)
            if time.perf_counter() > deadline:
                QTimer.singleShot(0, self, self.check_visible)  # the rest on the next turn
                break
        if not checked.isNull():  # only the lines checked: while typing, the one being typed
            viewport = self.editor.viewport()
            top, bottom = int(checked.top()) - _WAVE_REACH, int(checked.bottom()) + _WAVE_REACH
            viewport.update(0, top, viewport.width(), bottom - top + 1)

    # -- painting --------------------------------------------------------------------------

    def paint(self, painter: QPainter, area: QRect | None = None) -> None:
        """Draw a wavy line under each misspelt word on screen (results already known); with
        `area` (the part of the viewport being repainted), only under the lines it reaches."""
        if not self.active or self._held:
            return
        reach = None if area is None else QRectF(area).adjusted(0, -_WAVE_REACH, 0, _WAVE_REACH)
        missing = False
        pen = QPen(_UNDERLINE)
        pen.setWidthF(1.0)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(pen)
        painter.setBrush(QColor(0, 0, 0, 0))
        cursor = self.editor.textCursor()
        typing_at = cursor.block().blockNumber(), cursor.positionInBlock()
        for block, geometry in self._visible_blocks():
            if reach is not None and not reach.intersects(geometry):
                continue  # clipped away: a keystroke repaints one line, not the screen
            if not self._prose_line(block):
                continue
            text = block.text()
            found = self._misspelt.get(text)
            if found is None:
                missing = True
                continue
            for start, end in found:
                first, last = _utf16(text, start), _utf16(text, end)
                if (block.blockNumber(), last) == typing_at and not cursor.hasSelection():
                    continue  # the word being typed: judged once the writer moves on
                self._underline(painter, block, geometry, first, last)
        painter.restore()
        if missing and not self._timer.isActive():
            self._timer.start()

    def _underline(
        self, painter: QPainter, block: QTextBlock, geometry: QRectF, start: int, end: int
    ) -> None:
        """Draw the wavy line under characters [start, end) of a block, line by line."""
        layout = block.layout()
        for number in range(layout.lineCount()):
            line = layout.lineAt(number)
            first, last = line.textStart(), line.textStart() + line.textLength()
            if end <= first or start >= last:
                continue
            x1 = _x_of(line.cursorToX(max(start, first)))
            x2 = _x_of(line.cursorToX(min(end, last)))
            # on the pixel grid: spaced lines sit at fractional heights, which would blur it
            y = float(round(geometry.top() + line.y() + line.ascent() + 2.0))
            left = geometry.left() + layout.position().x()
            painter.drawPath(_wave(left + x1, left + x2, y))

    # -- the context menu ------------------------------------------------------------------

    def word_at(self, position: int) -> tuple[int, int, str] | None:
        """Return (start, end, word) of the misspelt word at a document position, if any."""
        if not self.active:
            return None
        block = self.editor.document().findBlock(position)
        if not block.isValid() or not self._prose_line(block):
            return None
        text = block.text()
        for start, end in self.misspelt_in_line(text):
            first, last = _utf16(text, start), _utf16(text, end)
            if first <= position - block.position() <= last:
                return block.position() + first, block.position() + last, text[start:end]
        return None

    def add_to_context_menu(
        self, menu: QMenu, position: int, replace: Callable[[int, int, str], None]
    ) -> None:
        """Put suggestions, Add to Dictionary and Ignore first in the menu, for a misspelt word."""
        found = self.word_at(position)
        speller = self.speller
        if found is None or speller is None:
            return
        start, end, word = found
        first = menu.actions()[0] if menu.actions() else None
        entries: list[QAction] = []
        suggestions = speller.suggestions(word)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(lambda _c=False, s=suggestion: replace(start, end, s))
            entries.append(action)
        if not suggestions:
            none = QAction("No Suggestions", menu)
            none.setEnabled(False)
            entries.append(none)
        add = QAction(f"Add “{word}” to Dictionary", menu)
        add.triggered.connect(lambda _c=False: self._add_word(speller, word))
        ignore = QAction(f"Ignore “{word}”", menu)
        ignore.triggered.connect(lambda _c=False: self._ignore_word(speller, word))
        entries += [add, ignore]
        menu.insertActions(first, entries)  # type: ignore[arg-type]
        menu.insertSeparator(first)  # type: ignore[arg-type]

    def _add_word(self, speller: Speller, word: str) -> None:
        try:
            speller.add_to_personal(word)
        except OSError as error:
            self.message.emit(f"Could not add “{word}” to your dictionary: {error}")
            return
        for other in self._spellers.values():  # the list is every language's
            if other is not None and other is not speller:
                other.learn(word)
        self.message.emit(f"Added “{word}” to your dictionary.")
        self.forget_results()

    def _ignore_word(self, speller: Speller, word: str) -> None:
        speller.ignore(word)
        for other in self._spellers.values():
            if other is not None:
                other.forget(word)
        self.forget_results()

    # -- Edit > Spelling -------------------------------------------------------------------

    def fill_menu(self, menu: QMenu) -> None:
        """Build Edit > Spelling: checking on/off and the language, rebuilt each time it opens."""
        menu.aboutToShow.connect(lambda: self._rebuild_menu(menu))
        self._rebuild_menu(menu)

    def _rebuild_menu(self, menu: QMenu) -> None:
        menu.clear()
        toggle = menu.addAction("Check Spelling as You &Type")
        toggle.setCheckable(True)
        toggle.setChecked(self.enabled)
        toggle.toggled.connect(self.set_enabled)
        problem = spelling.spelling_unavailable()
        menu.addSeparator()
        if problem is not None:
            note = menu.addAction(problem)
            note.setEnabled(False)
            return
        group = QActionGroup(menu)
        system = spelling.choose_dictionary(None, "", self.system_language)
        follow_text = "Follow the &System"
        if system:
            follow_text += f" ({spelling.language_name(system)})"
        choices = [("", follow_text)] + [
            (tag, spelling.language_name(tag)) for tag in spelling.available_languages()
        ]
        for tag, text in choices:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(tag == self.chosen_language)
            action.setEnabled(self.enabled)
            group.addAction(action)
            action.triggered.connect(lambda _c=False, t=tag: self.set_language(t))
        if self.post_language and self.speller is not None:
            menu.addSeparator()
            note = menu.addAction(
                f"This post: {spelling.language_name(self.speller.language)} "
                f"(its lang: {self.post_language})"
            )
            note.setEnabled(False)


def _x_of(result: object) -> float:
    """QTextLine.cursorToX answers a number or (number, position) depending on the binding."""
    if isinstance(result, tuple):
        return float(result[0])
    return float(result)  # type: ignore[arg-type]


def _wave(
    x1: float, x2: float, y: float, amplitude: float = 1.5, period: float = 4.0
) -> QPainterPath:
    """Return a wavy line from x1 to x2 around height y."""
    path = QPainterPath(QPointF(x1, y))
    x, up = x1, True
    while x < x2:
        step = min(period / 2, x2 - x)
        path.quadTo(
            QPointF(x + step / 2, y - amplitude if up else y + amplitude), QPointF(x + step, y)
        )
        x += step
        up = not up
    return path
