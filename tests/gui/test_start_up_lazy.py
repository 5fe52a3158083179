"""Start-up shows the window first: the publishing room is built once the first screen is up when
publishes wait in the outbox or the post goes to a blog, else on first use (its blog clients
stay out of the window's memory, issue 16), and nothing it did at start-up is lost (the
outbox's count, the fields of the post's blog, the Blog menu and its shortcuts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolButton

from editor.core.settings import Settings
from editor.gui.main_window import MainWindow
from editor.publish.accounts import Account, upsert_account
from editor.publish.outbox import queue_publish
from tests.gui.helpers import deliver_background_results, open_and_wait


def _outbox_buttons(window: MainWindow) -> list[QToolButton]:
    """Return the status bar's buttons that say how many posts wait (found without the room)."""
    return [
        button
        for button in window.statusBar().findChildren(QToolButton)
        if "waiting to publish" in button.text()
    ]


def test_a_window_not_yet_shown_has_not_built_the_publishing_room(
    qtbot, library_root: Path
) -> None:
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    try:
        assert not win.publishing_room.is_built
        # every Blog action and its shortcut exist from the start
        assert win.menu_actions["publish"].shortcut() == QKeySequence("Ctrl+Shift+P")
        for name in ("publish_to", "publish_to_all", "open_from_blog", "outbox", "accounts"):
            assert win.menu_actions[name].isEnabled()
        assert not win.publishing_room.is_built
    finally:
        deliver_background_results()
        win.close()
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_outbox_count_shows_once_the_first_screen_is_up(
    qtbot, make_window: Callable[..., MainWindow], library_root: Path
) -> None:
    post = library_root / "ferry.md"
    post.write_text("---\ntitle: Ferry\n---\n\nThe ferry left at dawn.\n", encoding="utf-8")
    queue_publish(post, "my blog", None, "The blog could not be reached.", "Ferry")
    window = make_window()

    # not asked for by anyone: the window builds the room by itself after it is shown
    qtbot.waitUntil(lambda: window.publishing_room.is_built, timeout=15000)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in _outbox_buttons(window)), timeout=5000)
    (button,) = _outbox_buttons(window)
    assert button is window.outbox.indicator
    assert button.text() == "1 post waiting to publish"
    # left of the word count and the file's encoding, where it always was
    bar = window.statusBar()
    words, encoding = window.words_label, window.encoding_indicator.button
    qtbot.waitUntil(lambda: button.mapTo(bar, button.rect().topLeft()).x() > 0, timeout=5000)
    place = {w: w.mapTo(bar, w.rect().topLeft()).x() for w in (button, words, encoding)}
    assert place[button] < place[words] < place[encoding]


def test_nothing_to_publish_leaves_the_room_unbuilt_until_it_is_used(
    qtbot, make_window: Callable[..., MainWindow], library_root: Path
) -> None:
    # no publish waits and the post goes to no blog: nothing for the room to show or send
    post = library_root / "diary.md"
    post.write_text("---\ntitle: Diary\n---\n\nA quiet day.\n", encoding="utf-8")
    window = make_window()
    open_and_wait(qtbot, window, post)
    qtbot.waitUntil(lambda: not window.after_first_screen.pending, timeout=15000)
    deliver_background_results()  # the outbox was read on a worker: nothing waits
    assert not window.publishing_room.is_built
    assert _outbox_buttons(window) == []
    # the first use builds it, as the Blog menu does
    assert window.outbox.indicator is not None
    assert window.publishing_room.is_built


def test_opening_the_blog_menu_builds_the_room_at_once(qtbot, library_root: Path) -> None:
    win = MainWindow(Settings(preview_debounce_ms=20), library_root)
    try:
        assert not win.publishing_room.is_built
        blog_menu = win.menu_actions["publish"].associatedObjects()[0]
        blog_menu.aboutToShow.emit()  # what opening the menu does: Open from Blog is weighed
        assert win.publishing_room.is_built
        assert win.menu_actions["open_from_blog"].isEnabled()  # no account yet: offered
    finally:
        deliver_background_results()
        win.close()
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_fields_the_posts_blog_cannot_store_are_hidden_once_the_room_is_built(
    qtbot, make_window: Callable[..., MainWindow], library_root: Path
) -> None:
    # Micropub keeps no categories and (before the site is asked) no excerpt
    upsert_account(Account("notes", "https://notes.example", "", kind="micropub"))
    post = library_root / "notes.md"
    post.write_text("---\ntitle: A note\nblog: notes\n---\n\nShort.\n", encoding="utf-8")
    window = make_window()
    open_and_wait(qtbot, window, post)

    form, panel = window.metadata.form, window.metadata
    qtbot.waitUntil(lambda: not form.isRowVisible(panel.categories_edit), timeout=15000)
    assert window.publishing_room.is_built
    assert not form.isRowVisible(panel.excerpt_edit)
    assert form.isRowVisible(panel.tags_edit)
