"""The library sidebar: the drafts folder's posts in the writer's chosen order, filtered as typed.

Selecting a row (mouse or keyboard) opens its post; the highlighted row is always the open post.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from editor.core.library import list_posts
from editor.core.listing_cache import ListingCache, PostSummary
from editor.core.settings import data_dir
from editor.gui.sidebar.library_model import (
    BLOG,
    DATE,
    ORDERS,
    PATH_ROLE,
    STATUS,
    SUBTITLE_ROLE,
    TITLE,
    LibraryModel,
    ordered,
)
from editor.gui.workers import run_in_background
from editor.publish.remote_record import recorded_blog_of

log = logging.getLogger(__name__)

LISTING_CACHE_NAME = "library-listing.json"  # in the data folder


class PostRowDelegate(QStyledItemDelegate):
    """Draws a row as two lines: the title (elided in the middle), then date, status and blog."""

    PADDING = 3

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Draw the row's background and selection, then its two lines of text."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        title, subtitle = item.text, index.data(SUBTITLE_ROLE) or ""
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        palette = item.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = item.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        metrics = QFontMetrics(item.font)
        line = metrics.lineSpacing()
        painter.save()
        painter.setPen(palette.color(text_role))
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line)
        elided = metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, rect.width())
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )
        if not selected:
            painter.setPen(
                palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
            )
        sub_rect = QRect(rect.left(), rect.top() + line, rect.width(), line)
        elided = metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            sub_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )
        painter.restore()

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Return room for two lines."""
        base = super().sizeHint(option, index)
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(base.width(), 2 * line + 2 * self.PADDING)


class LibraryPane(QWidget):
    """Lists the posts of the library folder (read off the GUI thread)."""

    post_activated = Signal(Path)
    new_post_requested = Signal()
    listed = Signal(int)  # how many posts the newest listing found
    rename_requested = Signal(Path)
    duplicate_requested = Signal(Path)
    trash_requested = Signal(Path)
    show_in_folder_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.heading = QLabel("Drafts")
        self.heading.setStyleSheet("font-weight: 600; padding: 4px 2px;")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter…")
        self.filter_edit.setToolTip("Show the posts whose title, tags or status hold these words")
        self.filter_edit.setClearButtonEnabled(True)
        self.order_box = QComboBox()
        self.order_box.addItems(ORDERS)
        self.order_box.setToolTip("Order of the list")
        self.model = LibraryModel(self)  # Qt's child: deleted with the pane, on its thread
        self.tree = self._make_tree()
        self.filter_edit.textChanged.connect(self._filter)
        self.order_box.currentTextChanged.connect(lambda _order: self._reorder())
        self.new_button = QPushButton("New post")
        self.new_button.clicked.connect(self.new_post_requested)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.filter_edit, 1)
        tools.addWidget(self.order_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addLayout(tools)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.new_button)
        # unchanged files are not read again, in this run or the next
        self.cache = ListingCache(data_dir() / LISTING_CACHE_NAME)
        self._summaries: list[PostSummary] = []
        self._current: Path | None = None
        self._marking = False
        self._listing_serial = 0
        self._shown_serial = 0

    def _make_tree(self) -> QTreeView:
        """Build the list: one two-line row per post, titles elided in the middle (full title in
        the tooltip); the sidebar is too narrow at 1024 px for separate columns."""
        tree = QTreeView()
        tree.setModel(self.model)
        tree.setItemDelegate(PostRowDelegate(tree))
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (DATE, BLOG, STATUS):  # shown on each row's second line instead
            tree.setColumnHidden(column, True)
        tree.selectionModel().currentRowChanged.connect(self._current_row_changed)
        tree.activated.connect(self._open_index)
        tree.viewport().installEventFilter(self)
        return tree

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Keep a right click from choosing its row: the menu acts on a post without opening it
        (and without asking about the open post's unsaved changes)."""
        if (
            event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease)
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.RightButton
        ):
            return True
        return super().eventFilter(watched, event)

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
            _folder_resolved(self.root),
            recorded_blog_of,
            self.cache,
            on_success=functools.partial(self._show, serial=serial),
            on_failure=self._failed,
        )

    def mark_current(self, path: Path | None) -> None:
        """Highlight the open post, if it is in the list."""
        self._current = _folder_resolved(path) if path else None
        self._select_current()

    def current_path(self) -> Path | None:
        """Return the open post's path as the list knows it."""
        return self._current

    def _select_current(self) -> None:
        """Make the open post's row the highlighted one (without opening anything)."""
        self._marking = True
        try:
            selection = self.tree.selectionModel()
            row = self.model.row_of(self._current) if self._current is not None else -1
            index = self.model.index(row, 0) if row >= 0 else None
            if index is None or not index.isValid():
                selection.clear()
                return
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            selection.setCurrentIndex(index, flags)
            self.tree.scrollTo(index)
        finally:
            self._marking = False

    def show_listing(self, summaries: list[PostSummary]) -> None:
        """Fill the list from a listing, keeping the scroll position and the highlighted row."""
        self._summaries = summaries
        scroll = self.tree.verticalScrollBar().value()
        self.model.set_listing(ordered(self._summaries, self.order_box.currentText()))
        self.tree.verticalScrollBar().setValue(scroll)
        self._select_current()

    def _show(self, summaries: list[PostSummary], serial: int | None = None) -> None:
        """Show a finished listing (listings older than the shown one are dropped)."""
        if serial is not None:
            if serial < self._shown_serial:
                return
            self._shown_serial = serial
        self.show_listing(summaries)
        self.listed.emit(len(summaries))

    def _reorder(self) -> None:
        """Apply the order the writer chose."""
        self.model.set_listing(ordered(self._summaries, self.order_box.currentText()))
        self._select_current()

    def _filter(self, query: str) -> None:
        """Keep the posts whose title, tags or status hold the typed words."""
        self.model.set_query(query)
        self._select_current()

    def _failed(self, error: Exception) -> None:
        """Say that the folder could not be listed."""
        log.warning("could not list the library: %s", error)
        self.heading.setText(f"Drafts — could not read {self.root}")

    def _path_at(self, index: QModelIndex) -> Path | None:
        """Return the post path of a row of the list."""
        if not index.isValid():
            return None
        return Path(self.model.data(index.siblingAtColumn(TITLE), PATH_ROLE))

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """A row chosen by mouse or keyboard opens its post."""
        if not self._marking:
            self._open_index(current)

    def _open_index(self, index: QModelIndex) -> None:
        """Ask to open the post of a row (the window opens it, or keeps the open one)."""
        path = self._path_at(index)
        if path is None or path == self._current:
            return
        self.post_activated.emit(path)
        # The window marks the post once it is open; until then (or if the writer kept the
        # open post) the highlight stays on the open post, so the two never disagree.
        self._select_current()

    def _context_menu(self, position: QPoint) -> None:
        """Offer Rename…, Duplicate, Move to Trash and Show in Folder for the row clicked."""
        path = self._path_at(self.tree.indexAt(position))
        if path is None:
            return
        menu = self.post_menu(path)
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def post_menu(self, path: Path) -> QMenu:
        """Return the context menu of one post."""
        menu = QMenu(self)
        menu.addAction("Rename…", lambda: self.rename_requested.emit(path))
        menu.addAction("Duplicate", lambda: self.duplicate_requested.emit(path))
        menu.addSeparator()
        menu.addAction("Move to Trash", lambda: self.trash_requested.emit(path))
        menu.addSeparator()
        menu.addAction("Show in Folder", lambda: self.show_in_folder_requested.emit(path))
        return menu

    def row_titles(self) -> list[str]:
        """Return the titles shown, top to bottom."""
        return [
            self.model.data(self.model.index(row, TITLE)) for row in range(self.model.rowCount())
        ]

    def neighbour_of(self, path: Path) -> Path | None:
        """Return the post listed after `path` (else the one before it), as the list shows them."""
        row = self.model.row_of(_folder_resolved(path))
        if row < 0:
            return None
        for other in (row + 1, row - 1):
            if 0 <= other < self.model.rowCount():
                return self._path_at(self.model.index(other, TITLE))
        return None

    def highlighted_path(self) -> Path | None:
        """Return the path of the highlighted row."""
        return self._path_at(self.tree.selectionModel().currentIndex())


def _folder_resolved(path: Path) -> Path:
    """Return `path` with its folder resolved (the list and the window compare paths this way)."""
    return path.parent.resolve() / path.name
