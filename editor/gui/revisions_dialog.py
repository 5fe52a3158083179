"""File > Revisions…: the versions each save replaced, their differences, and restoring one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor.core.revisions import RevisionSummary, summarize_revisions
from editor.core.text_diff import diff_html
from editor.gui.workers import LatestOnlyRunner, run_in_background

if TYPE_CHECKING:
    from editor.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def revision_label(summary: RevisionSummary) -> str:
    """Return a list line for a revision: when it was written and its word count."""
    words = summary.words
    return f"{summary.written_at:%Y-%m-%d %H:%M:%S}\n{words:,} word{'s' if words != 1 else ''}"


def _diff(job: tuple[RevisionSummary, str]) -> tuple[RevisionSummary, str]:
    """Diff a revision against the editor's text (runs off the GUI thread)."""
    summary, current = job
    label = f"version of {summary.written_at:%Y-%m-%d %H:%M:%S}"
    return summary, diff_html(summary.text, current, label, "the text in the window")


class RevisionsDialog(QDialog):
    """Lists a post's earlier versions with a diff against the window's text; restores one."""

    def __init__(
        self, summaries: list[RevisionSummary], current_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revisions")
        self.resize(980, 620)
        self.summaries = summaries
        self.current_text = current_text
        self.chosen: RevisionSummary | None = None
        intro = QLabel(
            "Each save keeps the version it replaced. Pick one to see what differs from the text "
            "in the window; Restore puts it in the window as one change that Undo takes back."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for summary in summaries:
            item = QListWidgetItem(revision_label(summary))
            item.setToolTip(str(summary.revision.file))
            self.list.addItem(item)
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.diff)
        splitter.setSizes([260, 720])
        self.restore_button = QPushButton("&Restore This Version")
        self.restore_button.clicked.connect(self._restore)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)

        self.differ = LatestOnlyRunner(_diff, 0, self)
        self.differ.finished.connect(self._show_diff)
        self.list.currentRowChanged.connect(self._selected)
        if summaries:
            self.list.setCurrentRow(0)

    def current_summary(self) -> RevisionSummary | None:
        """Return the selected revision."""
        row = self.list.currentRow()
        return self.summaries[row] if 0 <= row < len(self.summaries) else None

    def _selected(self, _row: int) -> None:
        """Compute the selected revision's diff in the background."""
        summary = self.current_summary()
        if summary is not None:
            self.diff.setPlainText("Comparing…")
            self.differ.submit((summary, self.current_text), immediately=True)

    def _show_diff(self, result: tuple[RevisionSummary, str], _serial: int) -> None:
        """Show a finished diff if its revision is still selected."""
        summary, html = result
        if summary is self.current_summary():
            self.diff.setHtml(html)

    def _restore(self) -> None:
        """Accept with the selected revision chosen."""
        self.chosen = self.current_summary()
        if self.chosen is not None:
            self.accept()

    def done(self, result: int) -> None:  # noqa: D102 (Qt API)
        self.differ.wait_idle()
        super().done(result)


class RevisionsController(QObject):
    """Opens the Revisions dialog for the window's post and restores the chosen version."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: RevisionsDialog | None = None

    def open_dialog(self) -> None:
        """Read the post's revisions in the background, then show them."""
        path = self.window.document.post.path
        if path is None:
            QMessageBox.information(
                self.window,
                "Revisions",
                "This post has not been saved yet, so it has no earlier versions.",
            )
            return
        run_in_background(
            summarize_revisions,
            path,
            on_success=lambda summaries: self._show(path, summaries),
            on_failure=lambda error: QMessageBox.warning(
                self.window, "Revisions", f"The earlier versions could not be read: {error}"
            ),
        )

    def _show(self, path, summaries: list[RevisionSummary]) -> None:
        """Show the list, unless another post was opened meanwhile."""
        if path != self.window.document.post.path:
            return
        if not summaries:
            QMessageBox.information(
                self.window,
                "Revisions",
                f"“{path.name}” has no earlier versions yet. Each save from now on keeps the "
                "version it replaces.",
            )
            return
        dialog = RevisionsDialog(summaries, self.window.editor.toPlainText(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        dialog.open()

    def _closed(self, dialog: RevisionsDialog, result: int) -> None:
        """Restore the chosen version as one undoable edit."""
        self.dialog = None
        chosen = dialog.chosen
        if result != QDialog.DialogCode.Accepted or chosen is None:
            return
        self.window.editor.replace_all_text(chosen.text)
        self.window.statusBar().showMessage(
            f"Restored the version of {chosen.written_at:%Y-%m-%d %H:%M}. "
            "Edit > Undo brings back what was there.",
            15000,
        )
