"""The word count in the status bar, with the post's goal and the words written this session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QInputDialog, QToolButton, QWidget

from editor.core.text_stats import reading_minutes

GOAL_FIELD = "goal"  # the front matter field: `goal: 1200`
MAX_GOAL = 1_000_000


def goal_text(words: int, goal: int, session: int, minutes: int) -> str:
    """Return the status bar's words line: count (of the goal), this session's words, reading."""
    count = f"{words:,} of {goal:,} words ({min(999, words * 100 // goal)} %)" if goal else (
        f"{words:,} words"
    )
    parts = [count]
    if session:
        parts.append(f"{session:+,} this session")
    parts.append(f"{minutes} min read")
    return " · ".join(parts)


class WordGoal(QToolButton):
    """The words of the open post in the status bar; a click sets the post's word goal.

    The goal lives in the post's front matter (`goal: 1200`): it travels with the file, and
    the file changes only when the writer sets one. "This session" counts from the post's
    first count after it was opened in this window (words added minus words removed).
    """

    goal_chosen = Signal(object)  # int, or None to remove the goal

    def __init__(self, words_per_minute: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoRaise(True)
        self.setObjectName("word_goal")
        self.setToolTip("Set a word goal for this post")
        self.words_per_minute = words_per_minute
        self.words = 0
        self.goal = 0
        self._post: Path | None | bool = False  # the post the session count started for
        self._session_start: int | None = None
        self._first_count = 0  # the number of the opened post's own first count
        self.clicked.connect(self.choose_goal)

    def post_opened(self, path: Path | None, first_count: int) -> None:
        """A post was opened: this session's count starts from its own first count.

        Counts are numbered as they are asked for; the opened text's own count is number
        `first_count`, made in the background (a 1 MB post takes a third of a second to
        count). A count with a lower number is of the text shown before, arriving late.
        """
        self._post = path
        self._session_start = None
        self._first_count = first_count

    @property
    def session_words(self) -> int:
        """Return the words written this session (removed words count against them)."""
        return 0 if self._session_start is None else self.words - self._session_start

    def show_count(self, words: int, goal: int, number: int = 0) -> None:
        """Show a fresh count of the post's words and its goal (0: none); `number` tells
        which count it is (see `post_opened`)."""
        if self._session_start is None and number >= self._first_count:
            self._session_start = words
        self.words = words
        self.goal = max(0, goal)
        minutes = reading_minutes(words, self.words_per_minute)
        self.setText(goal_text(words, self.goal, self.session_words, minutes))
        reached = bool(self.goal) and words >= self.goal
        self.setStyleSheet("color: #2e7d32; font-weight: 600;" if reached else "")

    def choose_goal(self) -> None:
        """Ask for the post's word goal (0 removes it) and announce the answer."""
        value, ok = QInputDialog.getInt(
            self,
            "Word goal",
            "Words to write for this post (0: no goal):",
            self.goal or max(500, (self.words // 500 + 1) * 500),
            0,
            MAX_GOAL,
            100,
        )
        if ok and value != self.goal:
            self.goal_chosen.emit(value or None)
