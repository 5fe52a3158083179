"""The safety room on its collaborators alone: no main window, only a plain parent widget, a real
editor, a real document controller and a status-bar callback (issue 14: no controller takes the
whole window)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from editor.core.recovery_journal import JournalEntry, recovery_dir
from editor.core.settings import Settings
from editor.gui.document import DocumentController
from editor.gui.editing import MarkdownEditor
from editor.gui.safety import Autosave, RecoveryController, RevisionsController

NEVER_MS = 600_000  # a timer that does not fire during a test


class Parts:
    """A parent widget with an editor and a document controller, and what was said."""

    def __init__(self, library_root: Path) -> None:
        self.parent = QWidget()
        self.editor = MarkdownEditor()
        self.document = DocumentController(self.editor, self.parent, library_root)
        self.said: list[str] = []

    def say(self, text: str, _msecs: int) -> None:
        """Stand in for the status bar."""
        self.said.append(text)


@pytest.fixture
def parts(qtbot, library_root: Path) -> Iterator[Parts]:
    """The collaborators of the safety controllers, without a main window."""
    made = Parts(library_root)
    qtbot.addWidget(made.parent)
    qtbot.addWidget(made.editor)
    yield made


def test_autosave_journals_the_editor_of_the_document_it_is_given(qtbot, parts) -> None:
    settings = Settings(autosave_idle_ms=NEVER_MS, autosave_max_wait_ms=NEVER_MS)
    autosave = Autosave(parts.editor, parts.document, settings, parts.parent, parts.say)
    qtbot.keyClicks(parts.editor, "Kept safe without a window")
    assert parts.document.is_modified

    with qtbot.waitSignal(autosave.journaled, timeout=5000):
        autosave.journal_now()

    texts = [JournalEntry.from_file(f).text for f in recovery_dir().glob("*/entry-*.json")]
    assert texts == ["Kept safe without a window"]
    autosave.shut_down()


def test_recovery_and_revisions_are_built_from_their_collaborators(qtbot, parts) -> None:
    settings = Settings(autosave_idle_ms=NEVER_MS, autosave_max_wait_ms=NEVER_MS)
    autosave = Autosave(parts.editor, parts.document, settings, parts.parent, parts.say)
    recovery = RecoveryController(
        autosave, parts.document, parts.document.library_root, parts.parent, parts.say
    )
    revisions = RevisionsController(parts.editor, parts.document, parts.parent, parts.say)
    assert revisions.document is parts.document and revisions.editor is parts.editor

    offered: list[bool] = []
    recovery.offer_at_startup(lambda: offered.append(True))  # nothing was left by a dead run
    qtbot.waitUntil(lambda: offered == [True], timeout=5000)

    recovery.release()
    autosave.shut_down()
