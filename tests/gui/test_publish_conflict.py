# ruff: noqa: F811  (the fixtures of test_publish_gui.py are imported, then asked for by name)
"""Changed on the blog: the window's conflict dialog protects the blog first, and merges.

The widgets are real (the dialog is driven by key presses and clicks); the blog is the fake
WordPress of test_publish_gui.py (the real one is in tests/integration).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from editor.gui.main_window import MainWindow
from editor.gui.publishing.open_from_blog import SERVER_COPY
from editor.gui.publishing.publish_conflict_dialog import BLOGS, OVERWRITE, PublishConflictDialog
from editor.publish.blog_copies import copy_path, load_copy
from editor.publish.remote_record import read_remote_record, sha256_text
from editor.publish.round_trip import pull_content
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import (  # noqa: F401  (fixtures)
    account,
    blog,
    publish_and_wait,
    publishing,
)

PARAGRAPHS = [f"Paragraph {n} of the night train story." for n in range(1, 9)]
POST_TEXT = "---\ntitle: Night Train\nstatus: publish\n---\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
UPDATE = ("POST", "/wp-json/wp/v2/posts/100")


@pytest.fixture
def post_path(qtbot, window: MainWindow, library_root: Path) -> Path:
    """An eight-paragraph post file, open in the window."""
    path = library_root / "2024-05-01-night-train.md"
    path.write_text(POST_TEXT, encoding="utf-8")
    open_and_wait(qtbot, window, path)
    return path


def edit_paragraph(raw: str, number: int, new: str) -> str:
    return raw.replace(PARAGRAPHS[number - 1], new)


def edit_locally_and_save(qtbot, window: MainWindow, number: int, new: str) -> None:
    text = window.editor.toPlainText().replace(PARAGRAPHS[number - 1], new)
    window.editor.replace_all_text(text)
    window.document.save()
    qtbot.waitUntil(lambda: not window.document.is_modified)


def open_conflict(qtbot, window: MainWindow) -> PublishConflictDialog:
    """Publish and wait for the conflict dialog."""
    window.menu_actions["publish"].trigger()
    qtbot.waitUntil(lambda: window.publishing.conflict_dialog is not None, timeout=15000)
    dialog = window.publishing.conflict_dialog
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def conflicted(qtbot, window, publishing, blog, account, post_path, prompter):
    """Published, then paragraph 2 changed on the blog and paragraph 7 here (saved)."""
    publish_and_wait(qtbot, window, "published")
    assert load_copy("my blog", 100) is not None  # the publish kept the blog's copy
    raw = blog.posts[100]["content"]["raw"]
    blog.edit_on_server(100, edit_paragraph(raw, 2, "Paragraph 2, fixed on the blog."))
    edit_locally_and_save(qtbot, window, 7, "Paragraph 7, rewritten in Draftpress.")
    return blog


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape])
def test_enter_or_escape_in_the_conflict_dialog_never_overwrites_the_blog(
    qtbot, window, conflicted, post_path, key
) -> None:
    blog = conflicted
    server_before = blog.posts[100]["content"]["raw"]
    disk_before = post_path.read_bytes()
    requests_before = len(blog.requests)
    dialog = open_conflict(qtbot, window)
    assert dialog.cancel_button.isDefault()
    assert not dialog.button(OVERWRITE).isDefault() and not dialog.button(OVERWRITE).autoDefault()
    dialog.button(OVERWRITE).setFocus()  # even with the focus on Overwrite

    with qtbot.waitSignal(window.publishing.finished, timeout=5000) as ended:
        QTest.keyClick(dialog.button(OVERWRITE), key)

    assert ended.args == ["conflict"]
    assert blog.posts[100]["content"]["raw"] == server_before
    assert UPDATE not in blog.requests[requests_before:]
    assert post_path.read_bytes() == disk_before
    assert "Paragraph 2, fixed on the blog." not in window.editor.toPlainText()


def test_merge_puts_both_sides_changes_into_the_editor_as_one_undoable_unsaved_change(
    qtbot, window, conflicted, post_path
) -> None:
    blog = conflicted
    before = window.editor.toPlainText()
    disk_before = post_path.read_bytes()
    requests_before = len(blog.requests)
    dialog = open_conflict(qtbot, window)
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Changed on the blog", "Changed by you"]
    assert "Paragraph 2, fixed on the blog." in dialog.tabs.widget(0).toPlainText()
    assert "Paragraph 7, rewritten in Draftpress." in dialog.tabs.widget(1).toPlainText()
    assert dialog.merge_button.isEnabled()

    with qtbot.waitSignal(window.publishing.finished, timeout=5000) as ended:
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    assert ended.args == ["merged"]
    merged = window.editor.toPlainText()
    assert "Paragraph 2, fixed on the blog." in merged
    assert "Paragraph 7, rewritten in Draftpress." in merged
    assert PARAGRAPHS[1] not in merged and PARAGRAPHS[6] not in merged
    assert window.document.is_modified and post_path.read_bytes() == disk_before
    assert UPDATE not in blog.requests[requests_before:]  # nothing was sent
    record = read_remote_record(merged, "my blog")
    assert record.modified_gmt == blog.posts[100]["modified_gmt"]
    assert record.content_sha256 == sha256_text(blog.posts[100]["content"]["raw"])
    qtbot.waitUntil(
        lambda: (
            (load_copy("my blog", 100) or pull_content("")[1]).content
            == blog.posts[100]["content"]["raw"]
        )
    )
    window.editor.undo()
    assert window.editor.toPlainText() == before  # one undo takes the whole merge back
    window.editor.redo()

    publish_and_wait(qtbot, window, "published")  # no conflict now: the merge is published
    sent = blog.posts[100]["content"]["raw"]
    assert "Paragraph 2, fixed on the blog." in sent
    assert "Paragraph 7, rewritten in Draftpress." in sent


def test_overlapping_edits_ask_for_each_place_and_merge_takes_the_chosen_version(
    qtbot, window, publishing, blog, account, post_path, prompter
) -> None:
    publish_and_wait(qtbot, window, "published")
    assert load_copy("my blog", 100) is not None  # the publish kept the blog's copy
    raw = blog.posts[100]["content"]["raw"]
    blog.edit_on_server(100, edit_paragraph(raw, 4, "Paragraph 4 as the blog has it."))
    edit_locally_and_save(qtbot, window, 4, "Paragraph 4 as I wrote it.")
    dialog = open_conflict(qtbot, window)
    assert dialog.tabs.tabText(0) == "Changed on both sides"
    assert not dialog.merge_button.isEnabled()  # nothing is chosen for the writer

    dialog.pick(0, BLOGS)
    assert dialog.merge_button.isEnabled()
    with qtbot.waitSignal(window.publishing.finished, timeout=5000):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    merged = window.editor.toPlainText()
    assert "Paragraph 4 as the blog has it." in merged and "as I wrote it" not in merged


def test_without_a_kept_copy_merge_is_not_offered_and_the_dialog_says_why(
    qtbot, window, publishing, blog, account, post_path, prompter
) -> None:
    publish_and_wait(qtbot, window, "published")
    copy_path("my blog", 100).unlink()  # as if published by an older Draftpress
    blog.edit_on_server(100, "<!-- wp:paragraph --><p>Fixed on the blog.</p>")
    dialog = open_conflict(qtbot, window)
    assert dialog.merge_button.isHidden()
    assert "older Draftpress" in dialog.message.text()
    assert "Fixed on the blog." in dialog.tabs.widget(0).toPlainText()
    with qtbot.waitSignal(window.publishing.finished, timeout=5000):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_overwrite_replaces_the_blogs_changes_only_when_clicked(
    qtbot, window, conflicted, post_path
) -> None:
    blog = conflicted
    dialog = open_conflict(qtbot, window)
    with qtbot.waitSignal(
        window.publishing.finished, timeout=15000, check_params_cb=lambda o: o == "published"
    ):
        qtbot.mouseClick(dialog.button(OVERWRITE), Qt.MouseButton.LeftButton)

    sent = blog.posts[100]["content"]["raw"]
    assert "Paragraph 7, rewritten in Draftpress." in sent and "fixed on the blog" not in sent
    record = read_remote_record(post_path.read_text(encoding="utf-8"), "my blog")
    assert record.modified_gmt == blog.posts[100]["modified_gmt"]


def test_the_blogs_version_opens_as_a_new_draft_beside_the_untouched_one(
    qtbot, window, conflicted, post_path
) -> None:
    disk_before = post_path.read_bytes()
    dialog = open_conflict(qtbot, window)
    with qtbot.waitSignal(window.document.opened, timeout=15000) as opened:
        qtbot.mouseClick(dialog.button(SERVER_COPY), Qt.MouseButton.LeftButton)

    copy = opened.args[0]
    assert copy.path != post_path and copy.path.parent == post_path.parent
    assert "Paragraph 2, fixed on the blog." in window.editor.toPlainText()
    assert read_remote_record(copy.text, "my blog").id == 100
    assert post_path.read_bytes() == disk_before
