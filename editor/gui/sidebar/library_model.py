"""The library list's model: the posts that match the typed filter, in the order the writer chose.

Filtering rebuilds the row list in plain Python (one substring test per post) rather than asking
a proxy model row by row: 10,000 posts filter within a keystroke.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from editor.core.listing_cache import PostSummary
from editor.publish.post_statuses import status_word

TITLE, DATE, BLOG, STATUS = range(4)
HEADERS = ("Title", "Date", "Blog", "Status")
PATH_ROLE = Qt.ItemDataRole.UserRole
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's second line: date, status and blog
ORDERS = ("Newest first", "Oldest first", "Title A–Z")

AnyIndex = QModelIndex | QPersistentModelIndex


def ordered(summaries: list[PostSummary], order: str) -> list[PostSummary]:
    """Return the posts in the writer's chosen order (never by the time of the last save)."""
    if order == "Title A–Z":
        return sorted(summaries, key=lambda s: (s.title.casefold(), s.path.name))
    newest = sorted(summaries, key=lambda s: (s.date[:10], s.path.name), reverse=True)
    return newest[::-1] if order == "Oldest first" else newest


def search_text(summary: PostSummary) -> str:
    """Return what the filter box matches: title, tags, status (code and words) and blog."""
    parts = [summary.title, *summary.tags, summary.status, status_word(summary.status)]
    return "\n".join([*parts, summary.blog]).casefold()


class LibraryModel(QAbstractTableModel):
    """The posts of the library as rows of title, date, blog and status."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.summaries: list[PostSummary] = []  # the rows shown
        self._all: list[tuple[PostSummary, str]] = []  # every post, in order, with its search text
        self._words: list[str] = []

    def set_listing(self, summaries: list[PostSummary]) -> None:
        """Take a new listing (already in the writer's order) and show what matches the filter."""
        self._all = [(summary, search_text(summary)) for summary in summaries]
        self._show_matches()

    def set_query(self, query: str) -> None:
        """Filter by the words typed (case-insensitive; every word must match)."""
        words = query.casefold().split()
        if words != self._words:
            self._words = words
            self._show_matches()

    def _show_matches(self) -> None:
        """Show the matching posts (rows that stay the same are only redrawn, not rebuilt)."""
        words = self._words
        shown = [s for s, text in self._all if all(word in text for word in words)]
        if [s.path for s in shown] == [s.path for s in self.summaries]:
            self.summaries = shown
            if shown:
                self.dataChanged.emit(self.index(0, 0), self.index(len(shown) - 1, STATUS))
            return
        self.beginResetModel()
        self.summaries = shown
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Return the number of posts."""
        return 0 if parent.isValid() else len(self.summaries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Return the number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return one cell's text, tooltip, path or search text."""
        if not index.isValid():
            return None
        summary = self.summaries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(summary, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary)
        if role == PATH_ROLE:
            return str(summary.path)
        if role == SUBTITLE_ROLE:
            return self._subtitle(summary)
        return None

    @staticmethod
    def _subtitle(summary: PostSummary) -> str:
        """Return the line under the title: "2026-11-05 · on CI Blog", "2026-11-04 · Draft"."""
        status = status_word(summary.status) if summary.status else ""
        parts = [summary.date[:10]]
        if summary.blog and status == "Published":
            parts.append(f"on {summary.blog}")
        else:
            parts += [status, f"on {summary.blog}" if summary.blog else ""]
        if summary.changed:
            parts.append("changed since published")
        if summary.problem:
            parts.append("front matter needs fixing")
        return " · ".join(part for part in parts if part)

    @staticmethod
    def _cell(summary: PostSummary, column: int) -> str:
        """Return the text of one column."""
        if column == TITLE:
            return summary.title
        if column == DATE:
            return summary.date[:10]
        if column == BLOG:
            return summary.blog or "—"
        return status_word(summary.status) if summary.status else ""

    @staticmethod
    def _tooltip(summary: PostSummary) -> str:
        """Return the full title, where the post is published and its file."""
        if summary.problem:
            return f"{summary.path.name}\n{summary.problem}"
        lines = [summary.title]
        lines.append(f"On {summary.blog}" if summary.blog else "Not published yet")
        if summary.changed:
            lines.append("Changed since it was last published: publish to update the blog")
        if summary.tags:
            lines.append("Tags: " + ", ".join(summary.tags))
        lines.append(str(summary.path))
        return "\n".join(lines)

    def row_of(self, path: Path) -> int:
        """Return the row of the post at `path`, or -1."""
        for row, summary in enumerate(self.summaries):
            if summary.path == path:
                return row
        return -1
