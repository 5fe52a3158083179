"""The metadata panel: the post's front matter fields as a form bound to the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from editor.core.post import STATUSES, PostMeta, effective_slug
from editor.core.post_date import shown_date
from editor.publish.engines.base import Capabilities
from editor.publish.post_statuses import normalise_status, status_word
from editor.publish.schedule_words import schedule_sentence

COMMIT_DELAY_MS = 600
NO_DATE = QDateTime(QDate(1970, 1, 1), QTime(0, 0))  # the field's "Not set"


def _split_list(text: str) -> list[str]:
    """Turn "a, b ,c" into ["a", "b", "c"]."""
    return [part.strip() for part in text.split(",") if part.strip()]


class MetadataPanel(QWidget):
    """Edits title, slug, status, tags, categories and excerpt; emits each change to apply."""

    field_edited = Signal(str, object)  # front matter key, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_edit = QLineEdit()
        self.slug_edit = QLineEdit()
        self.status_combo = QComboBox()
        self._fill_statuses(list(STATUSES))
        self.date_edit = QDateTimeEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy, HH:mm")
        self.date_edit.setMinimumDateTime(NO_DATE)
        self.date_edit.setSpecialValueText("Not set")
        self.date_edit.setDateTime(NO_DATE)
        self.date_edit.setToolTip(
            "The post's date (front matter `date:`); a future date schedules it"
        )
        self.schedule_label = QLabel()
        self.schedule_label.setWordWrap(True)
        self.schedule_label.hide()
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("comma, separated")
        self.categories_edit = QLineEdit()
        self.categories_edit.setPlaceholderText("comma, separated")
        self.excerpt_edit = QPlainTextEdit()
        self.excerpt_edit.setTabChangesFocus(True)
        self.excerpt_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.problem_label.hide()

        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.problem_label)
        form.addRow("&Title", self.title_edit)
        form.addRow("S&lug", self.slug_edit)
        form.addRow("Stat&us", self.status_combo)
        form.addRow("&Date", self.date_edit)
        form.addRow("", self.schedule_label)
        form.addRow("Ta&gs", self.tags_edit)
        form.addRow("Cate&gories", self.categories_edit)
        form.addRow("E&xcerpt", self.excerpt_edit)

        self.form = form
        self.capabilities: Capabilities | None = None  # None: no blog known, every field shown
        self._updating = False
        self._dirty_keys: set[str] = set()
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_DELAY_MS)
        self._commit_timer.timeout.connect(self.commit)
        for key, edit in self._line_edits().items():
            edit.textEdited.connect(lambda _text, key=key: self._mark(key))
            edit.editingFinished.connect(self.commit)
        self.excerpt_edit.textChanged.connect(lambda: self._mark("excerpt"))
        self.status_combo.activated.connect(lambda _index: self._mark("status", now=True))
        self.date_edit.dateTimeChanged.connect(self._date_changed)
        self.date_edit.editingFinished.connect(self.commit)

    def _line_edits(self) -> dict[str, QLineEdit]:
        """Return the one-line fields by front matter key."""
        return {
            "title": self.title_edit,
            "slug": self.slug_edit,
            "tags": self.tags_edit,
            "categories": self.categories_edit,
        }

    def _mark(self, key: str, *, now: bool = False) -> None:
        """Remember that the writer changed a field; apply it shortly (or now)."""
        if self._updating:
            return
        self._dirty_keys.add(key)
        if now:
            self.commit()
        else:
            self._commit_timer.start()

    def value_of(self, key: str) -> Any:
        """Return a field's current value as it goes into the front matter."""
        if key in ("tags", "categories"):
            return _split_list(self._line_edits()[key].text())
        if key == "status":
            return str(self.status_combo.currentData() or "")
        if key == "excerpt":
            return self.excerpt_edit.toPlainText().strip()
        if key == "date":
            chosen = self.date_edit.dateTime()
            if chosen == NO_DATE:
                return ""
            day, clock = chosen.date(), chosen.time()
            return dt.datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        return self._line_edits()[key].text().strip()

    def _date_changed(self, chosen: QDateTime) -> None:
        """The writer changed the date: leaving "Not set" starts from the next full hour."""
        if self._updating:
            return
        if chosen != NO_DATE and chosen.date().year() < 2000:
            start = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
            self._updating = True
            try:
                self.date_edit.setDateTime(QDateTime(start + dt.timedelta(hours=1)))
            finally:
                self._updating = False
        self._mark("date")

    def commit(self) -> None:
        """Emit every changed field."""
        self._commit_timer.stop()
        keys, self._dirty_keys = self._dirty_keys, set()
        for key in sorted(keys):
            self.field_edited.emit(key, self.value_of(key))

    def show_meta(self, meta: PostMeta | None, problem: str | None = None) -> None:
        """Fill the fields from the document's front matter, leaving fields being edited alone."""
        self._updating = True
        try:
            self.problem_label.setVisible(bool(problem))
            self.problem_label.setText(
                f"{problem}\nFix it in the text to edit these fields." if problem else ""
            )
            editable = (*self._line_edits().values(), self.status_combo, self.excerpt_edit)
            for widget in (*editable, self.date_edit):
                widget.setEnabled(problem is None)
            if meta is None:
                return
            self._show_date(meta)
            values = {
                "title": meta.title,
                "slug": meta.slug,
                "tags": ", ".join(meta.tags),
                "categories": ", ".join(meta.categories),
            }
            for key, edit in self._line_edits().items():
                if key in self._dirty_keys or (edit.hasFocus() and edit.isModified()):
                    continue
                if edit.text() != values[key]:
                    edit.setText(values[key])
            self.slug_edit.setPlaceholderText(effective_slug(meta) if not meta.slug else "")
            # A status of the blog's own (pulled from it) is listed too, so it shows and stays.
            # The writer's words show; the front matter's word is each item's data. A status in
            # another engine's words ("published") shows as ours until the writer picks one.
            statuses = self._statuses_for(meta.status)
            if self._shown_statuses() != statuses:
                self._fill_statuses(statuses)
            chosen = self.status_combo.findData(normalise_status(meta.status))
            if chosen < 0:
                chosen = self.status_combo.findData(meta.status)
            self.status_combo.setCurrentIndex(max(chosen, 0))  # none: a draft, as publish takes it
            if (
                "excerpt" not in self._dirty_keys
                and self.excerpt_edit.toPlainText() != meta.excerpt
            ):
                self.excerpt_edit.setPlainText(meta.excerpt)
        finally:
            self._updating = False

    def _show_date(self, meta: PostMeta) -> None:
        """Show the post's date (unless being edited) and what it will do on the blog."""
        if "date" not in self._dirty_keys and not self.date_edit.hasFocus():
            when = shown_date(meta.date)
            shown = NO_DATE if when is None else QDateTime(when)
            if self.date_edit.dateTime() != shown:
                self.date_edit.setDateTime(shown)
        sentence = schedule_sentence(meta.date, meta.status, meta.blog)
        self.schedule_label.setText(sentence)
        self.schedule_label.setVisible(bool(sentence))

    def show_capabilities(self, capabilities: Capabilities | None) -> None:
        """Show only the fields the post's blog can store (None: no blog known, show all)."""
        if capabilities == self.capabilities:
            return
        self.capabilities = capabilities
        can = capabilities or Capabilities(slug=True, tags=True, categories=True, excerpt=True)
        for widget, shown in (
            (self.slug_edit, can.slug),
            (self.tags_edit, can.tags),
            (self.categories_edit, can.categories),
            (self.excerpt_edit, can.excerpt),
        ):
            self.form.setRowVisible(widget, shown)

    def _shown_statuses(self) -> list[str]:
        """Return the front matter's words of the statuses listed."""
        combo = self.status_combo
        return [str(combo.itemData(i)) for i in range(combo.count())]

    def _fill_statuses(self, statuses: list[str]) -> None:
        """List the statuses in the writer's words, each keeping its front matter word."""
        self.status_combo.clear()
        for status in statuses:
            self.status_combo.addItem(status_word(status), status)

    def _statuses_for(self, status: str) -> list[str]:
        """Return the statuses to offer: the blog's (in the usual order), and the post's own."""
        offered = [
            s for s in STATUSES if self.capabilities is None or s in self.capabilities.statuses
        ]
        own = [] if normalise_status(status) in offered or not status else [status]
        return [*offered, *own]

    def focus_title(self) -> None:
        """Put the cursor in the title field."""
        self.title_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.title_edit.selectAll()
