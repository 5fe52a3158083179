"""A connection that breaks in the middle of a request, in the real window, publishing to the
real WordPress through the fault proxy (tests/integration/fault_proxy.py: real TCP, only the
cut is made up, since a real WordPress cannot be made to drop a connection on demand).

The publish waits in the outbox like one to a blog that is down, and the outbox's retry ends
with exactly one post and one media item per image: the publish journal finds a create whose
answer was lost instead of making a second post.
"""

from __future__ import annotations

from editor.core.post import load_post
from editor.publish import errors
from editor.publish.outbox import is_unreachable, load_outbox
from editor.publish.publishing_service import PublishOutcome, outcome_of
from editor.publish.remote_record import read_remote_record
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration import fault_proxy as faults
from tests.integration.test_publish_faults import (
    BLOG,
    CREATE,
    MEDIA,
    assert_finished_once,
    image_shas,
    make_post,
    proxied_blog,
    proxy,
    server_media,
    server_posts,
    unique_title,
)

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["proxy"]  # the fault proxy fixture, used by name


def queue_then_send_from_outbox(qtbot, window, path, prompter, proxy) -> None:
    """Publish (the fault cuts the connection: it waits), clear the fault, send from the outbox."""
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, "queued", timeout=60000)
    window.outbox.timer.stop()  # the test sends it, not the probe's timer
    [waiting] = prompter.titled("Waiting for the blog")
    assert "broke off" in waiting.text and "waits in the outbox" in waiting.text
    assert "publish again" not in waiting.text  # the outbox does that
    assert prompter.titled("Not published") == []
    assert window.outbox.indicator.isVisible()
    [entry] = load_outbox()
    proxy.clear()
    with qtbot.waitSignal(
        window.publishing.finished,
        timeout=60000,
        check_params_cb=lambda outcome: outcome == "published",
    ):
        window.outbox.send(entry.id)
    assert load_outbox() == [] and not window.outbox.indicator.isVisible()


def test_a_connection_cut_mid_upload_waits_in_the_outbox_and_goes_out_once(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, proxy
) -> None:
    proxied_blog(wordpress, proxy)
    title = unique_title("Cut upload")
    path = make_post(library_root, title, extra=f"blog: {BLOG}\n")
    proxy.on("POST", MEDIA, faults.DROP_MID_UPLOAD)
    window = make_window()

    queue_then_send_from_outbox(qtbot, window, path, prompter, proxy)

    assert len(proxy.seen(faults.DROP_MID_UPLOAD)) == 1
    assert_finished_once(wordpress, path, title)


def test_a_create_whose_answer_is_cut_is_found_by_the_outbox_retry(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, proxy
) -> None:
    proxied_blog(wordpress, proxy)
    title = unique_title("Cut create")
    path = make_post(library_root, title, extra=f"blog: {BLOG}\n")
    proxy.on("POST", CREATE, faults.LOSE_ANSWER)
    window = make_window()
    created: dict = {}

    def on_blog_before_the_retry() -> None:  # checked while the post waits
        [post] = server_posts(wordpress, title)  # the blog made it; the answer was lost
        created["id"] = post["id"]
        assert all(len(server_media(wordpress, sha)) == 1 for sha in image_shas(path))

    proxy_clear = proxy.clear

    def clear_after_looking() -> None:
        on_blog_before_the_retry()
        proxy_clear()

    proxy.clear = clear_after_looking
    queue_then_send_from_outbox(qtbot, window, path, prompter, proxy)

    assert len(proxy.seen(faults.LOSE_ANSWER)) == 1
    assert_finished_once(wordpress, path, title)  # one post: the one the lost create made
    assert read_remote_record(load_post(path).text, BLOG).id == created["id"]


def test_only_connection_failures_count_as_waiting_for_the_blog() -> None:
    broken = errors.ConnectionBroken("The connection to the blog broke off while uploading.")
    assert is_unreachable(broken) and outcome_of(broken) == PublishOutcome.QUEUED
    assert outcome_of(errors.Unreachable("down")) == PublishOutcome.QUEUED
    for not_a_connection in (
        errors.Timeout("slow"),
        errors.ServerError("500"),
        errors.NoNetwork("tls"),
    ):
        assert outcome_of(not_a_connection) == PublishOutcome.FAILED
