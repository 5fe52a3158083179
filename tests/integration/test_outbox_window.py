"""The outbox in the real window, publishing to the real WordPress: queued while the blog's port
is closed, shown in the status bar and the Outbox dialog, still there after a restart, and sent
once a proxy to WordPress listens on that port. Message prompter are answered by a script."""

from __future__ import annotations

from pathlib import Path

from editor.cli import main
from editor.core.post import load_post
from editor.gui.publishing.outbox_controller import OutboxController
from editor.gui.publishing.outbox_dialog import OutboxDialog
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.outbox import load_outbox, outbox_path
from editor.publish.remote_record import read_remote_record
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.reverse_proxy import ReverseProxy
from tests.integration.sample_posts import unique
from tests.integration.test_outbox import posts_titled
from tests.publish.test_outbox import closed_port

# The window fixtures of tests/gui, here next to the WordPress fixture.
library_root = gui_conftest.library_root
make_window = gui_conftest.make_window


def down_blog(wordpress) -> tuple[Account, int]:
    """An account whose blog address is a closed port on 127.0.0.1."""
    port = closed_port()
    account = upsert_account(
        Account("later", f"http://127.0.0.1:{port}", wordpress.admin_user, output="blocks")
    )
    store_password(account, wordpress.admin_app_password)
    return account, port


def write_post(folder: Path, title: str) -> Path:
    """A post for the blog "later"."""
    path = folder / f"{title.split()[-1]}.md"
    path.write_text(
        f'---\ntitle: "{title}"\nstatus: draft\nblog: later\n---\n\nWords for later.\n', "utf-8"
    )
    return path


def test_an_unreachable_publish_waits_survives_a_restart_and_goes_out_once(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    monkeypatch.setattr(OutboxController, "STARTUP_DELAY_MS", 10)
    _account, port = down_blog(wordpress)
    title = unique("Queued in the window")
    path = write_post(library_root, title)
    first = make_window()
    first_outcomes: list[str] = []
    first.publishing.finished.connect(first_outcomes.append)
    assert not first.outbox.indicator.isVisible()
    open_and_wait(qtbot, first, path)
    publish_and_wait(qtbot, first, "queued")

    [waiting] = prompter.titled("Waiting for the blog")
    assert "could not be reached" in waiting.text and title in waiting.text
    assert prompter.titled("Not published") == []
    assert first.outbox.indicator.isVisible()
    assert first.outbox.indicator.text().endswith("1 post waiting to publish")
    [entry] = load_outbox()
    assert (entry.path, entry.account) == (str(path), "later")
    assert wordpress.admin_app_password not in outbox_path().read_text("utf-8")
    dialog = OutboxDialog(first.outbox, first)
    assert dialog.list.count() == 1 and f"“{title}” ({path.name})" in dialog.list.item(0).text()
    assert "could not be reached" in dialog.list.item(0).text()
    dialog.deleteLater()

    first.outbox.timer.stop()  # "quit" the first run
    first.editor.document().setModified(False)
    first.close()
    assert posts_titled(wordpress, title) == []

    with ReverseProxy(wordpress.url, port=port):
        second = make_window()
        assert second.outbox.indicator.isVisible()  # read back from disk at start-up
        with qtbot.waitSignal(
            second.publishing.finished,
            timeout=60000,
            check_params_cb=lambda outcome: outcome == "published",
        ):
            pass  # the start-up probe finds the blog answering and publishes
    assert first_outcomes == ["queued"]  # the first run, closed, did not send it too
    assert load_outbox() == []
    assert not second.outbox.indicator.isVisible()
    [post] = posts_titled(wordpress, title)
    assert read_remote_record(load_post(path).text, "later").id == post["id"]
    # Said in the status bar (and a tray notification where there is a tray), no modal box.
    assert prompter.titled("Published") == []
    shown = second.statusBar().currentMessage()
    assert shown.startswith("Sent from the outbox:") and title in shown and "later" in shown


def test_retry_now_keeps_a_still_unreachable_post_and_cancel_removes_it(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    down_blog(wordpress)
    path = write_post(library_root, unique("Cancelled later"))
    window = make_window()
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, "queued")
    window.outbox.timer.stop()
    seen: dict = {}

    def run_dialog(dialog: OutboxDialog) -> int:
        seen["listed"] = dialog.list.count()
        dialog.list.setCurrentRow(0)
        dialog.retry_button.click()  # closes the dialog and sends
        return 0

    monkeypatch.setattr(OutboxDialog, "exec", run_dialog)
    with qtbot.waitSignal(window.publishing.finished, timeout=30000) as retried:
        window.outbox.indicator.click()
    assert retried.args == ["queued"]
    assert seen["listed"] == 1
    [entry] = load_outbox()
    assert entry.attempts == 2
    assert len(prompter.titled("Waiting for the blog")) == 1  # a retry does not ask again

    def cancel(dialog: OutboxDialog) -> int:
        dialog.list.setCurrentRow(0)
        dialog.cancel_button.click()
        seen["after"] = dialog.list.count(), dialog.summary.text()
        return 0

    monkeypatch.setattr(OutboxDialog, "exec", cancel)
    window.menu_actions["outbox"].trigger()
    assert seen["after"] == (0, "Nothing is waiting: every post went out.")
    assert load_outbox() == []
    assert not window.outbox.indicator.isVisible()
    assert path.exists()


def test_the_probe_sends_it_once_the_blog_answers_without_a_restart(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, monkeypatch
) -> None:
    monkeypatch.setattr(OutboxController, "FIRST_DELAY_MS", 300)  # 30 s in the app
    _account, port = down_blog(wordpress)
    title = unique("Sent by the probe")
    path = write_post(library_root, title)
    window = make_window()
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, "queued")
    with ReverseProxy(wordpress.url, port=port) as proxy:
        with qtbot.waitSignal(
            window.publishing.finished,
            timeout=60000,
            check_params_cb=lambda outcome: outcome == "published",
        ):
            pass  # nothing but the probe's timer starts it
        assert ("HEAD", "/", False) in proxy.requests  # the probe: no password
        assert not window.outbox.indicator.isVisible()  # the count goes at once
        assert prompter.titled("Published") == []  # no box over the writer's work
        assert "Sent from the outbox" in window.statusBar().currentMessage()
    assert load_outbox() == [] and len(posts_titled(wordpress, title)) == 1
    assert read_remote_record(window.document.editor.toPlainText(), "later").id


def test_a_waiting_post_whose_file_was_deleted_gets_the_normal_message(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, tmp_path
) -> None:
    _account, port = down_blog(wordpress)
    path = write_post(library_root, unique("Deleted before sending"))
    window = make_window()
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, "queued")
    window.outbox.timer.stop()
    other = write_post(library_root, unique("The next one"))
    open_and_wait(qtbot, window, other)  # the writer moves on, then deletes the file
    path.unlink()
    with (
        ReverseProxy(wordpress.url, port=port),
        qtbot.waitSignal(window.publishing.finished, timeout=30000) as sent,
    ):
        window.outbox.send(load_outbox()[0].id)
    assert sent.args == ["refused"]
    [message] = prompter.titled("Not published")
    assert path.name in message.text
    assert load_outbox() == [] and not window.outbox.indicator.isVisible()


def test_the_window_and_the_cli_sending_the_same_entry_at_once_publish_it_once(
    qtbot, make_window, library_root, memory_keyring, wordpress, capsys
) -> None:
    _account, port = down_blog(wordpress)
    title = unique("Sent by two at once")
    path = write_post(library_root, title)
    window = make_window()
    open_and_wait(qtbot, window, path)
    publish_and_wait(qtbot, window, "queued")
    window.outbox.timer.stop()
    [entry] = load_outbox()
    with (
        ReverseProxy(wordpress.url, port=port),
        qtbot.waitSignal(
            window.publishing.finished,
            timeout=60000,
            check_params_cb=lambda outcome: outcome == "published",
        ),
    ):
        window.outbox.send(entry.id)  # the window's publish is under way…
        code = main(["outbox", "send"])  # …when the terminal sends the outbox too
    assert len(posts_titled(wordpress, title)) == 1
    assert code == 4 and "Another Draftpress is sending" in capsys.readouterr().err
    assert load_outbox() == []
    [post] = posts_titled(wordpress, title)
    assert read_remote_record(load_post(path).text, "later").id == post["id"]
