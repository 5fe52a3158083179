"""Publishing and saving in the window: one revision per publish, Publish and close during a
slow save. The blog is the fake one of tests/gui (fake_blog.py); the files are real."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtGui import QTextCursor

from editor.core.revisions import list_revisions
from editor.gui.document import document_controller
from editor.publish.remote_record import read_remote_record
from tests.gui import test_publish_gui
from tests.gui.test_publish_gui import publish_and_wait

# The publish fixtures of test_publish_gui.py (the fake blog, its account, a post open).
account = test_publish_gui.account
blog = test_publish_gui.blog
post_path = test_publish_gui.post_path
publishing = test_publish_gui.publishing


@pytest.fixture
def slow_save(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Saves wait until the returned event is set.

    A fake: a real disk cannot be made slow on demand. The save itself still runs for real.
    """
    release = threading.Event()
    real = document_controller.save_keeping_revision

    def waiting(*args, **kwargs):
        assert release.wait(30), "the test never let the save finish"
        return real(*args, **kwargs)

    monkeypatch.setattr(document_controller, "save_keeping_revision", waiting)
    return release


def test_one_publish_of_an_unchanged_post_leaves_at_most_one_revision(
    qtbot, window, publishing, blog, account, post_path
) -> None:
    assert not window.document.is_modified
    before = len(list_revisions(post_path))

    publish_and_wait(qtbot, window, "published")

    assert len(blog.created()) == 1
    assert len(list_revisions(post_path)) - before <= 1
    record = read_remote_record(post_path.read_text("utf-8"), "my blog")
    assert record.id is not None and not record.pending_create
    window.editor.undo()  # the record came in as one step: one undo takes all of it out
    assert "remote:" not in window.editor.toPlainText()


def test_publish_pressed_during_a_slow_save_publishes_after_the_save(
    qtbot, window, publishing, blog, account, post_path, slow_save
) -> None:
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "x")  # an unsaved change
    with qtbot.waitSignal(window.document.busy_changed, timeout=5000):
        window.menu_actions["save"].trigger()
    assert window.document.is_saving
    with qtbot.waitSignal(
        publishing.finished, timeout=15000, check_params_cb=lambda o: o == "published"
    ):
        window.menu_actions["publish"].trigger()  # asked while the save is being written
        slow_save.set()
    assert len(blog.created()) == 1
    assert read_remote_record(post_path.read_text("utf-8"), "my blog").id is not None


def test_close_during_a_slow_save_still_asks_and_closes(
    qtbot, window, post_path, slow_save, prompter
) -> None:
    prompter.answer("Unsaved changes", "Save")
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.editor, "x")
    with qtbot.waitSignal(window.document.busy_changed, timeout=5000):
        window.menu_actions["save"].trigger()
    assert window.document.is_saving
    window.close()  # asks Save/Discard/Cancel; Save waits for the save under way
    assert [prompt.title for prompt in prompter.asked()] == ["Unsaved changes"]
    assert window.isVisible()
    slow_save.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert post_path.read_text("utf-8").endswith("x")  # what was typed is saved
