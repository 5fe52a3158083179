"""The Open from Blog dialog: every post and page of a blog, a page at a time, searchable."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from editor.gui.workers import network_pool, run_in_background
from editor.publish.account_client import ClientFactory
from editor.publish.accounts import Account
from editor.publish.answers import JsonObject, PostListing
from editor.publish.error_messages import describe_error
from editor.publish.publishing_service import EngineFactory
from editor.publish.wordpress_client import ApiRoot

log = logging.getLogger(__name__)

PAGE_SIZE = 20
SEARCH_DELAY_MS = 300
STATUS_WORDS = {
    "publish": "Published",
    "draft": "Draft",
    "future": "Scheduled",
    "pending": "Pending review",
    "private": "Private",
    "published": "Published",  # Ghost's words
    "scheduled": "Scheduled",
}
TYPE_FILTERS = (("Posts", "post"), ("Pages", "page"))
STATUS_FILTERS = (
    ("All", "any"),
    ("Published", "publish"),
    ("Drafts", "draft"),
    ("Scheduled", "future"),
    ("Pending", "pending"),
    ("Private", "private"),
)
_STATUS_ADJECTIVES = {"any": "", "publish": "published", "draft": "draft", "future": "scheduled",
                      "pending": "pending", "private": "private"}  # fmt: skip


@dataclass(frozen=True)
class ListQuery:
    """What the dialog asks the blog for: one page of posts or pages, filtered."""

    post_type: str = "post"
    status: str = "any"
    search: str = ""
    page: int = 1
    per_page: int = PAGE_SIZE


class BlogLister:
    """Lists one account's posts or pages (on a worker thread), finding the blog's API once."""

    def __init__(self, factory: ClientFactory, account: Account, password: str) -> None:
        self._factory = factory
        self._account = account
        self._password = password
        self._root: ApiRoot | None = None

    def __call__(self, query: ListQuery) -> PostListing:
        """Return the page of the listing `query` asks for."""
        with self._factory(self._account, self._password) as client:
            if self._root is not None:
                client.root = self._root
            listing = client.list_posts(
                query.post_type,
                page=query.page,
                per_page=query.per_page,
                search=query.search,
                status=query.status,
            )
            self._root = client.root
            return listing


class EngineLister:
    """Lists the posts of a blog of another engine than WordPress, through its engine."""

    filters = False  # the engine interface lists posts, newest first, with a title search

    def __init__(self, factory: EngineFactory, account: Account, password: str) -> None:
        self._factory = factory
        self._account = account
        self._password = password

    def __call__(self, query: ListQuery) -> PostListing:
        """Return the page of the listing `query` asks for (its type and status are not used)."""
        engine = self._factory(self._account, self._password)
        try:
            page = engine.list_posts(page=query.page, search=query.search)
        finally:
            engine.close()
        items: list[JsonObject] = [
            {"id": s.id, "title": s.title, "status": s.status, "date": s.modified, "type": "post"}
            for s in page.items
        ]
        pages = page.total_pages
        if not pages:  # the blog does not say: another page when this one is full
            pages = page.page + 1 if len(items) >= query.per_page else page.page
        first = (page.page - 1) * query.per_page
        known_total = first + len(items) if pages == page.page else 0
        return PostListing(items, known_total, pages, page.page, query.per_page)


def nothing_found(query: ListQuery) -> str:
    """Return the empty state's words for a query that found nothing."""
    noun = "pages" if query.post_type == "page" else "posts"
    adjective = _STATUS_ADJECTIVES.get(query.status, query.status)
    what = f"{adjective} {noun}" if adjective else noun
    if query.search.strip():
        return f"No {what} with “{query.search.strip()}” in the title."
    if adjective:
        return f"This blog has no {what}."
    return f"This blog has no {noun} yet."


def _title(post: dict[str, Any]) -> str:
    """Return a listed post's title as the writer typed it."""
    title = post.get("title") or {}
    text = title.get("raw") if isinstance(title, dict) else title
    return str(text or "").strip() or "(no title)"


class OpenFromBlogDialog(QDialog):
    """Lists a blog's posts or pages in the background; Open returns the chosen one."""

    listed = Signal()  # a listing (or its failure) is shown and no newer one is on its way

    def __init__(
        self,
        account: Account,
        password: str,
        client_factory: ClientFactory,
        parent: QWidget | None = None,
        lister: EngineLister | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Open from {account.name}")
        self.setMinimumSize(720, 480)
        self.loaded = False  # True once the newest query's answer is shown
        self.posts: list[dict] = []
        self.listing: PostListing | None = None
        self._password = password
        self._lister: BlogLister | EngineLister = lister or BlogLister(
            client_factory, account, password
        )
        self.filters = lister is None  # WordPress lists pages and filters by status
        self._query = ListQuery()
        self._serial = 0  # of the newest query; older answers are dropped
        self._in_flight = False

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search titles")
        self.search.setClearButtonEnabled(True)
        self.type_combo = QComboBox()
        for label, value in TYPE_FILTERS:
            self.type_combo.addItem(label, value)
        self.status_combo = QComboBox()
        for label, value in STATUS_FILTERS:
            self.status_combo.addItem(label, value)
        filters = QHBoxLayout()
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        type_label = QLabel("&Type:")
        type_label.setBuddy(self.type_combo)
        status_label = QLabel("Stat&us:")
        status_label.setBuddy(self.status_combo)
        for widget in (search_label, self.search, type_label, self.type_combo):
            filters.addWidget(widget, 1 if widget is self.search else 0)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)
        for widget in (type_label, self.type_combo, status_label, self.status_combo):
            widget.setVisible(self.filters)

        self.status = QLabel(f"Reading the posts on {account.name}…")
        self.status.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Title", "Status", "Date", "Type"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.setColumnHidden(3, not self.filters)  # only WordPress lists pages too

        self.previous_button = QPushButton("&Previous")
        self.next_button = QPushButton("&Next")
        for button in (self.previous_button, self.next_button):
            button.setAutoDefault(False)  # Enter opens the chosen post, never turns the page
        self.range_label = QLabel("")
        self.range_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        paging = QHBoxLayout()
        paging.addWidget(self.previous_button)
        paging.addWidget(self.range_label, 1)
        paging.addWidget(self.next_button)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addLayout(paging)
        layout.addWidget(self.buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.installEventFilter(self)
        self.type_combo.currentIndexChanged.connect(lambda _index: self._filter_changed())
        self.status_combo.currentIndexChanged.connect(lambda _index: self._filter_changed())
        self.previous_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._turn(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._turn(-1))
        # itemActivated comes with a double-click (or Enter): one accept, not two
        self.tree.itemActivated.connect(lambda _item, _column: self.accept())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update_buttons()
        self.tree.setFocus()
        self._ask(self._query)

    # -- queries -----------------------------------------------------------------------------

    def _filter_changed(self) -> None:
        """Show the first page of what the type and status filters now ask for."""
        self._search_timer.stop()
        self._ask(self._current_filters())

    def _search_now(self) -> None:
        """Show the first page of the titles matching the search text."""
        self._ask(self._current_filters())

    def _current_filters(self) -> ListQuery:
        """Return the query the filters and the search field describe (its first page)."""
        return ListQuery(
            post_type=str(self.type_combo.currentData()),
            status=str(self.status_combo.currentData()),
            search=self.search.text().strip(),
        )

    def _turn(self, step: int) -> None:
        """Show the next (1) or previous (-1) page of the listing."""
        listing = self.listing
        if listing is None or not self.loaded:
            return
        page = listing.page + step
        if 1 <= page <= max(listing.total_pages, 1):
            self._ask(replace(self._query, page=page))

    def _ask(self, query: ListQuery) -> None:
        """Ask the blog for `query` in the background; the newest query's answer wins."""
        self._query = query
        self._serial += 1
        self.loaded = False
        noun = "pages" if query.post_type == "page" else "posts"
        self.status.setText(f"Reading the {noun}…")
        self._update_buttons()
        if not self._in_flight:  # else it starts when the answer in flight comes back
            self._start()

    def _start(self) -> None:
        """Send the newest query to a worker thread."""
        self._in_flight = True
        serial, query = self._serial, self._query
        run_in_background(
            self._lister,
            query,
            on_success=lambda listing: self._answered(serial, query, listing, None),
            on_failure=lambda error: self._answered(serial, query, None, error),
            pool=network_pool(),
        )

    def _answered(
        self,
        serial: int,
        query: ListQuery,
        listing: PostListing | None,
        error: Exception | None,
    ) -> None:
        """Show an answer if it is for the newest query, else send the newest one."""
        if not isValid(self):
            return
        self._in_flight = False
        if serial != self._serial:
            self._start()
            return
        if listing is not None:
            self._show(query, listing)
        else:
            self.status.setText(describe_error(error or Exception(), self._password))
            self.range_label.setText("")
        self.loaded = True
        self._update_buttons()
        self.listed.emit()

    # -- the list ----------------------------------------------------------------------------

    def _show(self, query: ListQuery, listing: PostListing) -> None:
        """Fill the list with one page of posts or pages."""
        self.listing = listing
        self.posts = list(listing.items)
        self.tree.clear()
        for index, post in enumerate(self.posts):
            status = str(post.get("status", ""))
            date = str(post.get("date") or "")[:16].replace("T", " ")
            kind = "Page" if post.get("type", query.post_type) == "page" else "Post"
            item = QTreeWidgetItem([_title(post), STATUS_WORDS.get(status, status), date, kind])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.tree.addTopLevelItem(item)
        noun = "Pages" if query.post_type == "page" else "Posts"
        self.range_label.setText(self._range_text(listing, noun) if self.posts else "")
        if self.posts:
            self.status.setText(
                f"Choose the {noun[:-1].lower()} to open. A copy already in your library opens "
                "as it is; otherwise a new file is made for it."
            )
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        else:
            self.status.setText(nothing_found(query))
        if listing.skipped:
            self.status.setText(
                f"{self.status.text()} {listing.skipped} entries the blog sent are not "
                f"{noun.lower()} Draftpress can read; they are left out."
            )

    def _range_text(self, listing: PostListing, noun: str) -> str:
        """Return where the page stands: "Posts 1–20 of 134", or "Posts 21–40" when the
        blog does not say how many there are."""
        if listing.total or self.filters:
            return listing.summary(noun)
        return f"{noun} {listing.first}–{listing.last}"

    def _update_buttons(self) -> None:
        """Allow Open with a post chosen, and paging where there is more to see."""
        button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        button.setEnabled(self.tree.currentItem() is not None)
        listing = self.listing if self.loaded else None
        self.previous_button.setEnabled(listing is not None and listing.page > 1)
        self.next_button.setEnabled(listing is not None and listing.page < listing.total_pages)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search field, Down moves into the list; Enter searches before it opens."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and self.posts:
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                self._search_timer.isActive() or not self.loaded
            ):
                if self._search_timer.isActive():
                    self._search_timer.stop()
                    self._search_now()
                return True  # the list does not show what was typed yet: nothing to open
        return super().eventFilter(watched, event)

    def chosen(self) -> dict | None:
        """Return the chosen post's JSON (context=edit), or None."""
        item = self.tree.currentItem()
        if item is None:
            return None
        return self.posts[int(item.data(0, Qt.ItemDataRole.UserRole))]

    def accept(self) -> None:
        """Close with a post chosen (never with none)."""
        if self.chosen() is not None:
            super().accept()
