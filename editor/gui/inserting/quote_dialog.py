"""The quote dialog: quoted text, author, source and closing link; prefill from a web page."""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from shiboken6 import isValid

from editor.core.page_metadata import PageMetadata
from editor.core.quote_snippet import DEFAULT_CLOSING, QuoteFields
from editor.gui.workers import network_pool, run_in_background
from editor.publish.page_fetch import PageFetchError, fetch_page_metadata

log = logging.getLogger(__name__)
AUTO_FETCH_DELAY_MS = 600


class QuoteDialog(QDialog):
    """Collects QuoteFields; the Markdown itself comes from editor.core.quote_snippet."""

    def __init__(
        self,
        fields: QuoteFields,
        *,
        editing: bool = False,
        fetch_now: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Edit quote" if editing else "Insert quote")
        self.setMinimumWidth(560)
        self.text_edit = QPlainTextEdit(fields.text)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText("The words you are quoting (Markdown is fine).")
        self.author_edit = QLineEdit(fields.author)
        self.author_edit.setPlaceholderText("Who wrote it, e.g. DJ Mac")
        self.title_edit = QLineEdit(fields.source_title)
        self.title_edit.setPlaceholderText("The post or page it comes from")
        self.url_edit = QLineEdit(fields.source_url)
        self.url_edit.setPlaceholderText("https://… (paste it to fill author and title)")
        self.fetch_button = QPushButton("Fill from page")
        self.fetch_button.setToolTip("Read the author and title from the web page")
        self.closing_edit = QLineEdit(fields.closing_text if editing else DEFAULT_CLOSING)
        self.closing_edit.setPlaceholderText(
            "Optional closing line, e.g. Read the whole post here."
        )
        self.closing_url_edit = QLineEdit(
            fields.closing_url if fields.closing_url != fields.source_url else ""
        )
        self.closing_url_edit.setPlaceholderText("Link of the closing line (default: the source)")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()  # shown with a message: an empty label would leave a gap

        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.fetch_button)
        form = QFormLayout(self)
        form.addRow("&Quote", self.text_edit)
        form.addRow("&Author", self.author_edit)
        form.addRow("Source &title", self.title_edit)
        url_label = QLabel("Source &URL")
        url_label.setBuddy(self.url_edit)
        form.addRow(url_label, url_row)
        form.addRow("&Closing line", self.closing_edit)
        form.addRow("Closing &link", self.closing_url_edit)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Save quote" if editing else "Insert"
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

        self._auto_fetch = QTimer(self)
        self._auto_fetch.setSingleShot(True)
        self._auto_fetch.setInterval(AUTO_FETCH_DELAY_MS)
        self._auto_fetch.timeout.connect(lambda: self.fetch_details(only_if_empty=True))
        self.url_edit.textEdited.connect(lambda _text: self._auto_fetch.start())
        self.fetch_button.clicked.connect(lambda: self.fetch_details(only_if_empty=False))
        (self.author_edit if fields.text else self.text_edit).setFocus()
        if fetch_now:
            self._auto_fetch.start()  # an address from the clipboard: read the page at once

    def fields(self) -> QuoteFields:
        """Return what the writer entered."""
        return QuoteFields(
            text=self.text_edit.toPlainText(),
            author=self.author_edit.text(),
            source_title=self.title_edit.text(),
            source_url=self.url_edit.text(),
            closing_text=self.closing_edit.text(),
            closing_url=self.closing_url_edit.text(),
        )

    def accept(self) -> None:
        """Refuse an empty quote with a message instead of inserting nothing."""
        if not self.text_edit.toPlainText().strip():
            self.show_message(
                "There is no text to quote: paste or type the quote first.", error=True
            )
            self.text_edit.setFocus()
            return
        super().accept()

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Show one line under the form."""
        self.message.setStyleSheet("color: #b3261e;" if error else "color: palette(mid);")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def fetch_details(self, *, only_if_empty: bool) -> None:
        """Read author and title from the source page in the background."""
        url = self.url_edit.text().strip()
        if not url.startswith(("http://", "https://")):
            if not only_if_empty:
                self.show_message(
                    "Enter the page's address (starting with https://) first.", error=True
                )
            return
        if only_if_empty and self.author_edit.text() and self.title_edit.text():
            return
        self.fetch_button.setEnabled(False)
        self.show_message(f"Reading {url} …")
        run_in_background(
            fetch_page_metadata,
            url,
            on_success=lambda meta: self._fetched(meta, only_if_empty),
            on_failure=self._fetch_failed,
            pool=network_pool(),
        )

    def _fetched(self, meta: PageMetadata, only_if_empty: bool) -> None:
        """Fill the empty (or, on request, all) fields from the page."""
        if not isValid(self):  # the window closed while the page was read
            return
        self.fetch_button.setEnabled(True)
        filled = []
        author = meta.author or meta.site_name
        for edit, value, name in (
            (self.author_edit, author, "author"),
            (self.title_edit, meta.title, "title"),
        ):
            if value and (not only_if_empty or not edit.text().strip()):
                edit.setText(value)
                filled.append(name)
        if filled:
            self.show_message(f"Filled the {' and '.join(filled)} from the page.")
        else:
            self.show_message("The page does not say who wrote it; please fill in the fields.")

    def _fetch_failed(self, error: Exception) -> None:
        """Say in one line why the page could not be read; the fields stay as they are."""
        if not isValid(self):
            return
        self.fetch_button.setEnabled(True)
        reason = str(error) if isinstance(error, PageFetchError) else "The page could not be read."
        self.show_message(f"{reason} Fill in the author and title yourself.", error=True)
