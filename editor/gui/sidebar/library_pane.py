"""The library sidebar: the drafts folder's posts, newest first; a click opens one."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.core.library import PostSummary, list_posts
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole


class LibraryPane(QWidget):
    """Lists the posts of the library folder (read off the GUI thread)."""

    post_activated = Signal(Path)
    new_post_requested = Signal()
    listed = Signal(int)  # how many posts the newest listing found

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.heading = QLabel("Drafts")
        self.heading.setStyleSheet("font-weight: 600; padding: 4px 2px;")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Title", "Date", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.new_button = QPushButton("New post")
        self.new_button.clicked.connect(self.new_post_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.new_button)
        self._current: Path | None = None
        self._listing_serial = 0
        self._shown_serial = 0

    def set_root(self, root: Path) -> None:
        """Show the library at `root`."""
        self.root = root
        self.heading.setText(f"Drafts — {root.name}")
        self.heading.setToolTip(str(root))
        self.refresh()

    def refresh(self) -> None:
        """List the folder again in the background."""
        if self.root is None:
            return
        self._listing_serial += 1
        serial = self._listing_serial
        run_in_background(
            list_posts,
            self.root,
            on_success=functools.partial(self._show, serial=serial),
            on_failure=self._failed,
        )

    def mark_current(self, path: Path | None) -> None:
        """Highlight the open post, if it is in the list."""
        self._current = path.resolve() if path else None
        self._select_current()

    def _select_current(self) -> None:
        """Select the row of the open post."""
        self.tree.clearSelection()
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if (
                item is not None
                and self._current is not None
                and Path(item.data(0, PATH_ROLE)).resolve() == self._current
            ):
                item.setSelected(True)
                self.tree.scrollToItem(item)

    def _show(self, summaries: list[PostSummary], serial: int | None = None) -> None:
        """Fill the list from a finished listing (older listings than the shown one are dropped)."""
        if serial is not None:
            if serial < self._shown_serial:
                return
            self._shown_serial = serial
        self.tree.clear()
        for summary in summaries:
            item = QTreeWidgetItem([summary.title, summary.date[:10], summary.status])
            item.setData(0, PATH_ROLE, str(summary.path))
            item.setToolTip(0, summary.problem or str(summary.path))
            self.tree.addTopLevelItem(item)
        self._select_current()
        self.listed.emit(len(summaries))

    def _failed(self, error: Exception) -> None:
        """Say that the folder could not be listed."""
        log.warning("could not list the library: %s", error)
        self.heading.setText(f"Drafts — could not read {self.root}")

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """Open the clicked post."""
        path = Path(item.data(0, PATH_ROLE))
        if self._current is None or path.resolve() != self._current:
            self.post_activated.emit(path)

    def row_titles(self) -> list[str]:
        """Return the titles shown, top to bottom."""
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]
