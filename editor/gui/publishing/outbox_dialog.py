"""Blog > Outbox…: the posts waiting for their blog, with Retry now and Cancel publish."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.publish.outbox import OutboxEntry, waiting_text


class Outbox(Protocol):
    """What the dialog asks of the window's outbox (the outbox controller; no import back)."""

    changed: SignalInstance  # emitted with the number of waiting publishes
    entries: list[OutboxEntry]

    def send(self, entry_id: str) -> None:
        """Send one waiting publish now."""

    def cancel(self, entry_id: str) -> None:
        """Take one waiting publish out of the outbox."""


def _local_time(stamp: str) -> str:
    """Return a stored UTC time as the writer's local date and time."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def describe_entry(entry: OutboxEntry) -> str:
    """Return the lines the dialog shows for one waiting publish."""
    status = f" as {entry.status}" if entry.status else ""
    lines = [
        f"{entry.label} → {entry.account}{status}",
        f"    waiting since {_local_time(entry.queued_at)}; {entry.attempts} attempt(s)",
    ]
    if entry.last_error:
        lines.append(f"    last try {_local_time(entry.last_attempt)}: {entry.last_error}")
    return "\n".join(lines)


class OutboxDialog(QDialog):
    """Lists the outbox; each entry can be sent now or cancelled."""

    def __init__(self, outbox: Outbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.setWindowTitle("Outbox")
        self.setMinimumSize(620, 300)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.retry_button = QPushButton("&Retry now")
        self.cancel_button = QPushButton("&Cancel publish")
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        side = QVBoxLayout()
        side.addWidget(self.retry_button)
        side.addWidget(self.cancel_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        outbox.changed.connect(self.refresh)  # a method: disconnected when the dialog goes
        self.refresh()

    def refresh(self, _count: int = 0) -> None:
        """List the waiting publishes, keeping the selection."""
        selected = self.selected()
        self.list.clear()
        for entry in self.outbox.entries:
            item = QListWidgetItem(describe_entry(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list.addItem(item)
            if selected and entry.id == selected:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        count = len(self.outbox.entries)
        self.summary.setText(
            f"{waiting_text(count)}. Draftpress sends them as soon as their blog answers."
            if count
            else "Nothing is waiting: every post went out."
        )
        self._update_buttons()

    def selected(self) -> str | None:
        """Return the selected entry's id."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update_buttons(self) -> None:
        """Enable the buttons only with a selection."""
        chosen = self.selected() is not None
        self.retry_button.setEnabled(chosen)
        self.cancel_button.setEnabled(chosen)

    def retry_selected(self) -> None:
        """Send the selected post now (closing the dialog so its progress can show)."""
        entry_id = self.selected()
        if entry_id is not None:
            self.accept()
            self.outbox.send(entry_id)

    def cancel_selected(self) -> None:
        """Take the selected post out of the outbox (the file itself is not touched)."""
        entry_id = self.selected()
        if entry_id is not None:
            self.outbox.cancel(entry_id)
