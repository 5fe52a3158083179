"""A fault in the middle of a publish from the real window, to the real WordPress through the
fault proxy: the writer reads what happened and what to do, the text in the window and on disk
is untouched, and publishing again finishes the job once. Message prompter are answered by a
script (tests/gui/test_publish_gui.py)."""

from __future__ import annotations

from editor.core.post import Post, load_post
from editor.publish.publish_journal import journaled_record
from editor.publish.remote_record import read_remote_record
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration import fault_proxy as faults
from tests.integration.test_publish_faults import (
    BLOG,
    CREATE,
    assert_file_intact,
    assert_finished_once,
    image_shas,
    make_post,
    proxied_blog,
    proxy,
    server_media,
    server_posts,
    unique_title,
)

# The window fixtures of tests/gui and the proxy of the fault tests, next to WordPress.
library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window", "proxy"]


def test_a_500_during_a_publish_from_the_window_then_publishing_again(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, proxy
) -> None:
    proxied_blog(wordpress, proxy)
    title = unique_title("From the window")
    path = make_post(library_root, title, extra=f"blog: {BLOG}\n")
    before = path.read_text(encoding="utf-8")
    window = make_window()
    open_and_wait(qtbot, window, path)
    proxy.on("POST", CREATE, faults.ERROR_PAGE, status=500)

    publish_and_wait(qtbot, window, "failed", timeout=60000)
    [failed] = prompter.titled("Not published")
    words = f"{failed.text} {failed.details}"
    assert "HTTP 500" in words and "publish again" in words and "unchanged" in words
    assert Post(window.editor.toPlainText()).body == Post(before).body
    assert_file_intact(path, before)
    assert read_remote_record(load_post(path).text, BLOG).id is None
    record = journaled_record(path, BLOG)  # the in-flight state is kept outside the post
    assert record is not None and record.id is None
    assert record.pending_create.get("title") == title
    assert server_posts(wordpress, title) == []
    for sha in image_shas(path):  # the images went up before the post and are recorded
        assert [m["id"] for m in server_media(wordpress, sha)] == [record.media[sha].id]

    proxy.clear()
    publish_and_wait(qtbot, window, "published", timeout=60000)
    assert_file_intact(path, before)
    assert_finished_once(wordpress, path, title)
    window.editor.document().setModified(False)
