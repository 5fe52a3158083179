"""File > Revisions…: the versions each save replaced, their differences, and restoring one.

The list opens at once with each version's time; word counts fill in from a private
one-thread pool (a big post's fifty versions take seconds to count), and a version's text is
read only when it is shown or restored. Nothing here reads a file on the GUI thread.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
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

from editor.core.revisions import (
    RevisionInfo,
    describe_revisions,
    revision_word_count,
)
from editor.core.word_diff import word_diff_html
from editor.gui.document import DocumentController
from editor.gui.editing import MarkdownEditor
from editor.gui.message_box import Icon, tell
from editor.gui.safety.autosave import Say
from editor.gui.workers import LatestOnlyRunner, run_in_background

log = logging.getLogger(__name__)

_word_count_pool: QThreadPool | None = None


def word_count_pool() -> QThreadPool:
    """Return the one-thread pool that counts revisions' words (kept off the shared pool)."""
    global _word_count_pool
    if _word_count_pool is None:
        _word_count_pool = QThreadPool()
        _word_count_pool.setMaxThreadCount(1)
    return _word_count_pool


def revision_label(info: RevisionInfo, words: int | None) -> str:
    """Return a list line for a revision: when it was written and its word count."""
    count = "counting words…" if words is None else f"{words:,} word{'s' if words != 1 else ''}"
    return f"{info.written_at:%Y-%m-%d %H:%M:%S}\n{count}"


def _diff(job: tuple[RevisionInfo, str]) -> tuple[RevisionInfo, str, str]:
    """Read a revision and diff it against the editor's text (runs off the GUI thread)."""
    info, current = job
    text = info.revision.read_text()
    label = f"the version of {info.written_at:%Y-%m-%d %H:%M:%S}"
    return info, text, word_diff_html(text, current, label, "the text in the window")


class RevisionsDialog(QDialog):
    """Lists a post's earlier versions with a diff against the window's text; restores one."""

    def __init__(
        self, infos: list[RevisionInfo], current_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Revisions")
        self.resize(980, 620)
        self.infos = infos
        self.current_text = current_text
        self.words: dict[Path, int] = {}
        self.chosen: RevisionInfo | None = None
        self.chosen_text: str | None = None
        self._shown: tuple[RevisionInfo, str] | None = None  # the revision diffed, its text
        self._open = True
        intro = QLabel(
            "Each save keeps the version it replaced. Pick one to see what differs from the text "
            "in the window; Restore puts it in the window as one change that Undo takes back."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        for info in infos:
            item = QListWidgetItem(revision_label(info, None))
            item.setToolTip(str(info.revision.file))
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
        self.differ.failed.connect(lambda error, _s: self.diff.setPlainText(f"Unreadable: {error}"))
        self.list.currentRowChanged.connect(self._selected)
        if infos:
            self.list.setCurrentRow(0)
        self._to_count = list(infos)
        self._count_next()

    def current_info(self) -> RevisionInfo | None:
        """Return the selected revision."""
        row = self.list.currentRow()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    def _count_next(self) -> None:
        """Count the next revision's words in the background, one at a time, newest first."""
        if not self._open or not self._to_count:
            return
        info = self._to_count.pop(0)
        run_in_background(
            revision_word_count,
            info.revision,
            on_success=lambda words: self._counted(info, words),
            on_failure=lambda error: self._counted(info, None, error),
            pool=word_count_pool(),
        )

    def _counted(self, info: RevisionInfo, words: int | None, error: Exception | None = None):
        """Show a revision's word count once counted, then count the next."""
        if not self._open:
            return
        if words is None:
            log.warning("cannot count the words of %s: %s", info.revision.file, error)
            self.list.item(self.infos.index(info)).setText(
                f"{info.written_at:%Y-%m-%d %H:%M:%S}\nunreadable"
            )
        else:
            self.words[info.revision.file] = words
            self.list.item(self.infos.index(info)).setText(revision_label(info, words))
        self._count_next()

    def _selected(self, _row: int) -> None:
        """Read and diff the selected revision in the background."""
        info = self.current_info()
        if info is not None:
            self.diff.setPlainText("Comparing…")
            self.differ.submit((info, self.current_text), immediately=True)

    def _show_diff(self, result: tuple[RevisionInfo, str, str], _serial: int) -> None:
        """Show a finished diff if its revision is still selected."""
        info, text, html = result
        if info is self.current_info():
            self._shown = (info, text)
            self.diff.setHtml(html)
            if self.chosen is info:  # Restore was pressed before the text was read
                self._finish_restore(text)

    def _restore(self) -> None:
        """Accept with the selected revision chosen (once its text is read)."""
        info = self.current_info()
        if info is None:
            return
        self.chosen = info
        if self._shown is not None and self._shown[0] is info:
            self._finish_restore(self._shown[1])
        else:
            self.restore_button.setEnabled(False)  # the diff's read brings the text

    def _finish_restore(self, text: str) -> None:
        """Close with the chosen version's text."""
        self.chosen_text = text
        self.accept()

    def done(self, result: int) -> None:
        """Close the dialog once no background comparison is running for it."""
        self._open = False  # no further counts start
        self.differ.wait_idle()
        super().done(result)


class RevisionsController(QObject):
    """Opens the Revisions dialog for the window's post and restores the chosen version."""

    def __init__(
        self, editor: MarkdownEditor, document: DocumentController, window: QWidget, say: Say
    ) -> None:
        """List `document`'s revisions; restore one into `editor` as one undoable edit."""
        super().__init__(window)
        self.window = window  # the dialogs' parent
        self.editor = editor
        self.document = document
        self.say = say
        self.dialog: RevisionsDialog | None = None

    def open_dialog(self) -> None:
        """List the post's revisions in the background, then show them."""
        path = self.document.post.path
        if path is None:
            tell(
                self.window,
                "Revisions",
                "This post has not been saved yet, so it has no earlier versions.",
                icon=Icon.Information,
            )
            return
        run_in_background(
            describe_revisions,
            path,
            on_success=lambda infos: self._show(path, infos),
            on_failure=lambda error: tell(
                self.window, "Revisions", f"The earlier versions could not be read: {error}"
            ),
        )

    def _show(self, path: Path, infos: list[RevisionInfo]) -> None:
        """Show the list, unless another post was opened meanwhile."""
        if path != self.document.post.path:
            return
        if not infos:
            tell(
                self.window,
                "Revisions",
                f"“{path.name}” has no earlier versions yet. Each save from now on keeps the "
                "version it replaces.",
                icon=Icon.Information,
            )
            return
        dialog = RevisionsDialog(infos, self.editor.exact_text(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._closed(dialog, result))
        dialog.open()

    def _closed(self, dialog: RevisionsDialog, result: int) -> None:
        """Restore the chosen version as one undoable edit."""
        self.dialog = None
        chosen, text = dialog.chosen, dialog.chosen_text
        if result != QDialog.DialogCode.Accepted or chosen is None or text is None:
            return
        self.editor.replace_all_text(text)
        self.say(
            f"Restored the version of {chosen.written_at:%Y-%m-%d %H:%M}. "
            "Edit > Undo brings back what was there.",
            15000,
        )
