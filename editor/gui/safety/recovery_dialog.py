"""Recover Unsaved Work: the dialog that offers text left in the journal by a run that died."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.post import Post, PostFileError
from editor.core.recovery_journal import (
    DiskComparison,
    JournalEntry,
    RecoveredWork,
    compare_with_disk,
    load_entry_file,
)
from editor.core.revisions import save_keeping_revision
from editor.core.text_diff import text_html
from editor.core.word_diff import word_diff_html
from editor.gui.document import DocumentController
from editor.gui.message_box import Icon, ask, tell
from editor.gui.safety.autosave import Autosave, Say
from editor.gui.workers import LatestOnlyRunner, run_in_background

log = logging.getLogger(__name__)

MARKDOWN_FILTER = "Markdown posts (*.md *.markdown *.mdown *.txt);;All files (*)"
DISCARD = "Discard"  # the button that drops a recovered text


def when_text(iso: str) -> str:
    """Say when an entry was journaled, e.g. "today 14:02" or "2026-11-28 09:15"."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso or "unknown time"
    local = moment.astimezone() if moment.tzinfo else moment
    if local.date() == dt.date.today():
        return f"today {local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def describe_difference(entry: JournalEntry, disk: DiskComparison) -> tuple[str, str]:
    """Return (a sentence about the entry, the diff or text as HTML) for the dialog."""
    if entry.path is None:
        note = "A new post that was never saved. This is all of its text."
        return note, text_html(entry.text, "Recovered text")
    if disk.disk_text is None:
        note = disk.problem or f"“{entry.path.name}” cannot be read."
        return f"{note} This is all of the recovered text.", text_html(entry.text, "Recovered text")
    note = f"{entry.path}\nDifferences between the file on disk and the recovered text:"
    if disk.changed_since:
        note = (
            f"{entry.path}\nThe file was changed on disk after this text was written; "
            "the differences below are against the file as it is now:"
        )
    return note, word_diff_html(
        disk.disk_text, entry.text, f"the file on disk ({entry.path.name})", "the recovered text"
    )


def base_for_restore(entry: JournalEntry) -> Post:
    """Return the post a recovered text is restored onto: its file as on disk now.

    A file that no longer exists is recreated on save, in its own encoding; a file that cannot
    be read is never overwritten: the text then comes back as a new post, saved wherever the
    writer says.
    """
    if entry.path is None:
        return Post("", None, entry.newline, entry.bom)
    try:
        return load_entry_file(entry)
    except PostFileError:
        if entry.path.exists():
            return Post("", None, entry.newline, entry.bom)
        return Post("", entry.path, entry.newline, entry.bom, encoding=entry.encoding)


def _compare(entry: JournalEntry) -> tuple[JournalEntry, str, str]:
    """Read the file behind an entry and describe the difference (runs off the GUI thread)."""
    return entry, *describe_difference(entry, compare_with_disk(entry))


class RecoveryDialog(QDialog):
    """Lists recovered documents; shows each one's differences; Restore, Save As…, Discard."""

    restore_requested = Signal(object)  # JournalEntry
    save_as_requested = Signal(object)
    discard_requested = Signal(object)

    def __init__(self, entries: list[JournalEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover Unsaved Work")
        self.resize(980, 620)
        self.entries: list[JournalEntry] = []
        intro = QLabel(
            "Draftpress did not close normally last time. This text was not saved. Restore it "
            "to keep working on it, save it to a file, or discard it. Whatever you do not "
            "choose now is kept and offered again (File > Recover Unsaved Work…)."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.diff, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([300, 680])

        self.restore_button = QPushButton("&Restore")
        self.restore_button.setToolTip("Open this text in the window as unsaved changes")
        self.save_as_button = QPushButton("&Save As…")
        self.discard_button = QPushButton("&Discard…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.restore_button, self.save_as_button, self.discard_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)

        self.comparer = LatestOnlyRunner(_compare, 0, self)
        self.comparer.finished.connect(self._show_comparison)
        self.list.currentRowChanged.connect(self._selected)
        self.restore_button.clicked.connect(lambda: self._request(self.restore_requested))
        self.save_as_button.clicked.connect(lambda: self._request(self.save_as_requested))
        self.discard_button.clicked.connect(lambda: self._request(self.discard_requested))
        self.set_entries(entries)

    def set_entries(self, entries: list[JournalEntry]) -> None:
        """Show these entries, keeping the selection where possible."""
        current = self.current_entry()
        self.entries = list(entries)
        self.list.clear()
        for entry in self.entries:
            words = entry.words
            item = QListWidgetItem(
                f"{entry.display_name}\n{when_text(entry.updated)} · "
                f"{words:,} word{'s' if words != 1 else ''}"
            )
            item.setToolTip(str(entry.path) if entry.path else "A post that was never saved")
            self.list.addItem(item)
        ids = [e.file for e in self.entries]
        row = ids.index(current.file) if current is not None and current.file in ids else 0
        if self.entries:
            self.list.setCurrentRow(row)
        else:
            self.note.setText("Nothing left to recover.")
            self.diff.clear()
        for button in (self.restore_button, self.save_as_button, self.discard_button):
            button.setEnabled(bool(self.entries))

    def current_entry(self) -> JournalEntry | None:
        """Return the selected entry."""
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _selected(self, _row: int) -> None:
        """Read the selected entry's file in the background to show the differences."""
        entry = self.current_entry()
        if entry is not None:
            self.note.setText("Comparing with the file on disk…")
            self.comparer.submit(entry, immediately=True)

    def _show_comparison(self, result: tuple[JournalEntry, str, str], _serial: int):
        """Show an entry's differences, if it is still the one selected."""
        entry, note, html = result
        current = self.current_entry()
        if current is None or current.file != entry.file:
            return
        self.note.setText(note)
        self.diff.setHtml(html)

    def _request(self, signal) -> None:
        """Emit an action's signal for the selected entry."""
        entry = self.current_entry()
        if entry is not None:
            signal.emit(entry)

    def done(self, result: int) -> None:
        """Close the dialog once no background comparison is running for it."""
        self.comparer.wait_idle()
        super().done(result)


class RecoveryController(QObject):
    """Finds work left by dead runs, shows the dialog and carries out the writer's choices."""

    file_saved = Signal(object)  # the path a recovered text was saved to (the library shows it)

    def __init__(
        self,
        autosave: Autosave,
        document: DocumentController,
        library_root: Path,
        window: QWidget,
        say: Say,
    ) -> None:
        """Offer what dead runs left; restore into `document`, journaling through `autosave`."""
        super().__init__(window)
        self.window = window  # the dialogs' parent
        self.autosave = autosave
        self.document = document
        self.library_root = library_root
        self.say = say
        self.work = RecoveredWork(own_session=autosave.session)
        self.dialog: RecoveryDialog | None = None
        self._dropped: set[Path] = set()  # entries restored, saved or discarded meanwhile

    def _scan(self) -> list[JournalEntry]:
        """Return the claimed entries not already dealt with (runs off the GUI thread)."""
        return [entry for entry in self.work.scan() if entry.file not in self._dropped]

    def offer_at_startup(self, then: Callable[[], None]) -> None:
        """Show the dialog if a dead run left unsaved work; run `then` unless text was restored."""

        def found(entries: list[JournalEntry]) -> None:
            if not entries:
                then()
                return
            self._show(entries, after=then)

        def failed(error: Exception) -> None:
            log.warning("could not look for unsaved work: %s", error)
            then()

        run_in_background(self._scan, on_success=found, on_failure=failed)

    def open_dialog(self) -> None:
        """File > Recover Unsaved Work…: show what is waiting, or say that nothing is."""

        def found(entries: list[JournalEntry]) -> None:
            if entries:
                self._show(entries, after=None)
            else:
                tell(
                    self.window,
                    "Recover Unsaved Work",
                    "No unsaved work from an earlier run is waiting to be recovered.",
                    icon=Icon.Information,
                )

        run_in_background(
            self._scan,
            on_success=found,
            on_failure=lambda error: self._tell(f"Could not look for unsaved work: {error}"),
        )

    def _show(self, entries: list[JournalEntry], after: Callable[[], None] | None) -> None:
        """Open the dialog (window-modal, not blocking); `after` runs when it closes unrestored."""
        if self.dialog is not None:
            self.dialog.set_entries(entries)
            self.dialog.raise_()
            return
        dialog = RecoveryDialog(entries, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        restored: list[JournalEntry] = []
        dialog.restore_requested.connect(lambda entry: self._restore(entry, restored))
        dialog.save_as_requested.connect(self._save_as)
        dialog.discard_requested.connect(self._discard)

        def closed(_result: int) -> None:
            self.dialog = None
            if after is not None and not restored:
                after()

        dialog.finished.connect(closed)
        dialog.open()

    def _drop_from_dialog(self, entry: JournalEntry) -> None:
        """Take an entry off the dialog's list (and off later scans: its removal may be queued)."""
        self._dropped.add(entry.file)
        if self.dialog is not None:
            self.dialog.set_entries([e for e in self.dialog.entries if e.file != entry.file])

    # -- the writer's choices --------------------------------------------------------------

    def _restore(self, entry: JournalEntry, restored: list[JournalEntry]) -> None:
        """Open the entry's file in the window with the recovered text as unsaved changes."""
        restored.append(entry)
        left = 0
        if self.dialog is not None:
            left = len(self.dialog.entries) - 1
            self.dialog.accept()
        self.document.confirm_unsaved(lambda: self._load_for_restore(entry, left))

    def _load_for_restore(self, entry: JournalEntry, left: int) -> None:
        """Read the entry's file (if any) in the background, then restore onto it."""
        run_in_background(
            base_for_restore,
            entry,
            on_success=lambda post: self._apply_restore(entry, post, left),
            on_failure=lambda error: self._tell(f"Could not restore the text: {error}"),
        )

    def _apply_restore(self, entry: JournalEntry, post: Post, left: int) -> None:
        """Show the file's text, put the recovered text over it, journal it, drop the old entry."""
        self.document.show_post_with_text(post, entry.text)
        self._dropped.add(entry.file)
        autosave = self.autosave
        autosave.journal_now()  # safe in this run's journal before the old entry goes
        autosave.run_in_order(self.work.discard, entry)
        message = f"Restored the unsaved text of “{entry.display_name}”. Save to keep it."
        if left:
            message += f" {left} more recovered document(s): File > Recover Unsaved Work…"
        self.say(message, 15000)

    def _save_as(self, entry: JournalEntry) -> None:
        """Write the recovered text to a file the writer picks; then drop the entry."""
        suggestion = entry.path or self.library_root / "recovered.md"
        name, _ = QFileDialog.getSaveFileName(
            self.dialog or self.window, "Save recovered text as", str(suggestion), MARKDOWN_FILTER
        )
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".md")
        post = Post(entry.text, None, entry.newline, entry.bom)

        def saved(_post: Post) -> None:
            self._drop_from_dialog(entry)
            run_in_background(
                self.work.discard,
                entry,
                on_success=lambda _r: None,
                on_failure=lambda e: log.warning("cannot drop a recovered entry: %s", e),
            )
            self.say(f"Saved the recovered text to {path}", 10000)
            self.file_saved.emit(path)

        run_in_background(
            lambda: save_keeping_revision(post, path, force=True),
            on_success=saved,
            on_failure=lambda error: self._tell(
                f"The recovered text could not be saved: {error}\n\nIt is still kept for recovery."
            ),
        )

    def _discard(self, entry: JournalEntry) -> None:
        """Drop a recovered text after the writer confirms."""
        answer = ask(
            self.dialog or self.window,
            "Discard recovered text?",
            f"Discard the unsaved text of “{entry.display_name}” ({entry.words:,} words, "
            f"{when_text(entry.updated)})?\nIt cannot be brought back.",
            [DISCARD],
            icon=Icon.Warning,
        )
        if answer != DISCARD:
            return
        self._drop_from_dialog(entry)
        run_in_background(
            self.work.discard,
            entry,
            on_success=lambda _r: None,
            on_failure=lambda error: self._tell(f"Could not discard the recovered text: {error}"),
        )

    def _tell(self, message: str) -> None:
        """Show a problem in a message box."""
        tell(self.dialog or self.window, "Recover Unsaved Work", message)

    def release(self) -> None:
        """Give back the claimed sessions (at shutdown): what is left is offered next time."""
        self.work.release()
