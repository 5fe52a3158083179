"""Issue 18, Low findings of the preview: what a hostile post can make the preview do.

- Remote images and `<link>` hints (prefetch, preload, preconnect, dns-prefetch) reach no
  server until the writer chooses "Load them for this post"; then only the images load. The
  choice is kept per post in the data folder, never in the post.
- A `target=_blank` form submits nothing: neither to the server nor to the system browser.
- The post's CSS cannot cover the preview's message (a Qt bar outside the web view) or its
  title.
- The pages the preview writes to the temporary folder do not outlive a killed process.

The servers are real, on 127.0.0.1, and record every connection (preconnect opens one without
sending a request) and every request path.
"""

from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QEvent, QRect, Qt
from PySide6.QtGui import QDesktopServices, QTextCursor

from editor.core.remote_images import choices_folder, remote_images_allowed
from editor.gui.main_window import MainWindow
from editor.gui.preview.preview_files import PREFIX, PageFolder, remove_orphaned_page_folders
from editor.gui.preview.preview_patch import inert_html
from editor.gui.preview.preview_view import PreviewView
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait, run_js, wait_for_preview
from tests.gui.test_preview_safety import click_element
from tests.local_page import PROXY_VARIABLES

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
no_hanging_file_questions = gui_conftest.no_hanging_file_questions
preview = gui_conftest.preview
__all__ = ["library_root", "make_window", "no_hanging_file_questions", "window"]

REPO = Path(__file__).resolve().parents[2]
ALL_IMAGES_SETTLED = "Array.from(document.images).every(i => i.complete)"


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    """A small real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (51, 102, 170)).save(buffer, "PNG")
    return buffer.getvalue()


class RecordingServer:
    """An HTTP server on 127.0.0.1 that records every connection and every request path."""

    def __init__(self) -> None:
        self.connections = 0
        self.paths: list[str] = []
        image = png_bytes()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib)
                """Keep the test output quiet."""

            def do_GET(self) -> None:  # noqa: N802 (stdlib API)
                owner.paths.append(self.path.partition("?")[0])
                body = image if self.path.endswith(".png") else b"x"
                kind = "image/png" if self.path.endswith(".png") else "text/plain"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815 (stdlib API)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request, client_address) -> bool:  # noqa: ANN001
                owner.connections += 1
                return True

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    """The server holding the post's remote images and the targets of its hints."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    recording = RecordingServer()
    yield recording
    recording.close()


@pytest.fixture
def hints_server(server: RecordingServer) -> Iterator[RecordingServer]:
    """A second server, named only by preconnect and dns-prefetch links: nothing may reach it."""
    recording = RecordingServer()
    yield recording
    recording.close()


def write_post(folder: Path, name: str, title: str, body: str) -> Path:
    """Write a post with a local image (the positive marker that the page has loaded)."""
    (folder / "local.png").write_bytes(png_bytes())
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n\n{body}\n\n![local](local.png)\n")
    return path


def hostile_body(server: RecordingServer, hints: RecordingServer, tag: str) -> str:
    """Remote images in three forms, and every kind of fetch hint a `<link>` can carry."""
    return (
        f'<link rel="prefetch" href="{server.url}/prefetch-{tag}.css">\n'
        f'<LINK REL="preload" as="image" href="{server.url}/preload-{tag}.png">\n'
        f'<link\nrel="modulepreload" href="{server.url}/module-{tag}.js"/>\n'
        f'<link rel="prerender" href="{server.url}/prerender-{tag}.html">\n'
        f'<link rel="preconnect" href="{hints.url}">\n'
        f'<link rel="dns-prefetch" href="{hints.url}">\n\n'
        f"![remote]({server.url}/remote-{tag}.png)\n\n"
        f'<img id="srcset" alt="" srcset="{server.url}/srcset-{tag}.png 1x">\n\n'
        f'<p style="background-image: url({server.url}/background-{tag}.png)">text</p>'
    )


def image_widths(qtbot, preview: PreviewView) -> list[int]:
    """The natural width of every image of the preview (0: not loaded)."""
    script = "JSON.stringify(Array.from(document.images).map(i => i.naturalWidth))"
    return json.loads(run_js(qtbot, preview, script))


def open_post_and_settle(qtbot, win: MainWindow, path: Path) -> None:
    """Open a post and wait until the preview shows it and every image has settled."""
    open_and_wait(qtbot, win, path)
    wait_for_preview(qtbot, win.preview, "local.png")
    qtbot.waitUntil(lambda: run_js(qtbot, win.preview, ALL_IMAGES_SETTLED) is True)


def test_remote_images_and_link_hints_reach_no_server_until_load_them_is_chosen(
    qtbot, window: MainWindow, library_root: Path, server, hints_server
) -> None:
    path = write_post(library_root, "remote.md", "Remote", hostile_body(server, hints_server, "a"))
    original = path.read_bytes()
    files_before = sorted(p.name for p in library_root.rglob("*"))
    bar = window.preview_pane.remote_images_bar
    open_post_and_settle(qtbot, window, path)
    qtbot.waitUntil(bar.isVisible)
    assert image_widths(qtbot, window.preview) == [0, 0, 40]  # the local image did load
    assert (server.connections, server.paths, hints_server.connections) == (0, [], 0)
    assert bar.label.text() == "Remote images are not loaded."

    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: image_widths(qtbot, window.preview) == [40, 40, 40], timeout=15000)
    assert not bar.isVisible()
    # One more remote image at the end of the post: once it arrives, a live hint had its turn.
    cursor = window.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(f"\n\n![last]({server.url}/last.png)\n")
    qtbot.waitUntil(lambda: "/last.png" in server.paths, timeout=15000)
    assert set(server.paths) == {"/remote-a.png", "/srcset-a.png", "/background-a.png", "/last.png"}
    assert hints_server.connections == 0
    # The choice is kept in the data folder, for this post only; the post is untouched.
    assert remote_images_allowed(path)
    assert len(list(choices_folder().iterdir())) == 1
    assert path.read_bytes() == original
    assert sorted(p.name for p in library_root.rglob("*")) == files_before
    window.editor.document().setModified(False)


def test_the_choice_is_remembered_per_post(
    qtbot, window: MainWindow, library_root: Path, server, hints_server
) -> None:
    allowed = write_post(
        library_root, "allowed.md", "Allowed", hostile_body(server, hints_server, "a")
    )
    other = write_post(library_root, "other.md", "Other", hostile_body(server, hints_server, "b"))
    bar = window.preview_pane.remote_images_bar
    open_post_and_settle(qtbot, window, allowed)
    qtbot.waitUntil(bar.isVisible)
    qtbot.mouseClick(bar.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: image_widths(qtbot, window.preview) == [40, 40, 40], timeout=15000)

    open_post_and_settle(qtbot, window, other)  # another post: blocked again, and asked again
    qtbot.waitUntil(bar.isVisible)
    assert image_widths(qtbot, window.preview) == [0, 0, 40]
    assert not any(path.endswith("-b.png") for path in server.paths)

    # Back to the first post, now with an image the page has never seen (one seen before may
    # come from the page's memory, with no request): it loads without asking.
    with allowed.open("a") as file:
        file.write(f"\n![again]({server.url}/again-a.png)\n")
    open_post_and_settle(qtbot, window, allowed)
    qtbot.waitUntil(lambda: "/again-a.png" in server.paths, timeout=15000)
    qtbot.waitUntil(lambda: image_widths(qtbot, window.preview) == [40, 40, 40, 40])
    assert not bar.isVisible()
    assert not any(path.endswith("-b.png") for path in server.paths)
    assert hints_server.connections == 0


def test_every_link_and_form_tag_is_inert_in_the_preview_html() -> None:
    links = [
        '<link rel="preconnect" href="http://x">',
        "<LINK\trel=prefetch href=//x>",
        '<p>a <link\nrel="preload" as="image" href="http://x/i.png"/> b</p>',
        "<link/rel=dns-prefetch href=http://x>",
    ]
    for piece in links:
        assert "<link" not in inert_html(piece).lower()
        assert "<wbr data-dp-inert-link" in inert_html(piece)
    form = '<FORM action="http://x" target=_blank><button>go</button></Form >'
    assert inert_html(form) == (
        '<dp-inert-form action="http://x" target=_blank><button>go</button></dp-inert-form >'
    )
    kept = ["<p>&lt;link rel=preconnect&gt;</p>", "<linked-data>", "<p>links</p>", "<formula>"]
    assert [inert_html(piece) for piece in kept] == kept


# -- forms ------------------------------------------------------------------------------------


def test_a_target_blank_form_submits_nothing_anywhere(
    qtbot, preview: PreviewView, tmp_path: Path, server, monkeypatch
) -> None:
    # A patch, not Qt's setUrlHandler: it records every call whatever the URL's scheme or the
    # code path that opens it, and a real call would start this machine's browser.
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    big = 'style="font-size:30px"'
    body = (
        f'<form action="{server.url}/get" method="get" target="_blank">'
        '<input name="secret" value="words">'
        f'<button id="get" type="submit" {big}>get</button></form>'
        f'<form action="{server.url}/post" method="post" target="_blank">'
        f'<input name="secret" value="words"><button id="post" type="submit" {big}>post</button>'
        f'</form><form action="{server.url}/form">'
        f'<button id="override" formaction="{server.url}/override" formtarget="_blank" {big}>'
        "override</button></form>"
        f'<p><a id="after" target="_blank" {big} href="https://example.com/after">after</a></p>'
    )
    preview.show_document(tmp_path, "Forms", body, 1)
    wait_for_preview(qtbot, preview, 'id="after"')
    for button in ("get", "post", "override"):
        click_element(qtbot, preview, button)
    # The link clicked last proves the clicks went through: its window request comes after
    # theirs would have.
    click_element(qtbot, preview, "after")
    qtbot.waitUntil(lambda: opened != [])
    assert opened == ["https://example.com/after"]
    assert run_js(qtbot, preview, "document.forms.length") == 0
    assert (server.connections, server.paths) == (0, [])


# -- the preview's own text -------------------------------------------------------------------


def test_the_posts_css_cannot_cover_the_preview_message_or_title(
    qtbot, window: MainWindow, library_root: Path, server
) -> None:
    cover = (
        '<div id="cover" style="position:fixed; inset:0; z-index:2147483647; '
        'background:rgb(255,0,0); color:white">Remote images are loaded.</div>'
        '<style>body::before { content: "Remote images are loaded."; position: fixed; top: 0; '
        "z-index: 2147483647; }</style>"
        '<div style="position:absolute; top:-2000px; left:0; right:0; height:4000px; '
        'z-index:2147483647; background:rgb(255,0,0)">more</div>'
    )
    body = f"{cover}\n\n![remote]({server.url}/remote.png)"
    path = write_post(library_root, "cover.md", "The real title", body)
    open_post_and_settle(qtbot, window, path)
    bar = window.preview_pane.remote_images_bar
    qtbot.waitUntil(bar.isVisible)
    # The message is a widget of its own, beside the web view, not a part of the page.
    preview = window.preview
    bar_rect = QRect(bar.mapTo(window, bar.rect().topLeft()), bar.size())
    view_rect = QRect(preview.mapTo(window, preview.rect().topLeft()), preview.size())
    assert not bar_rect.intersects(view_rect)
    assert bar.label.text() == "Remote images are not loaded."
    # In the page, what is painted at the title's centre is the title, not the post's cover.
    hit = run_js(
        qtbot,
        preview,
        "(function () { var r = document.getElementById('dp-title').getBoundingClientRect();"
        " var e = document.elementFromPoint(r.left + 10, r.top + r.height / 2);"
        " return e ? (e.closest('header') ? 'title' : e.id || e.tagName) : null; })()",
    )
    assert hit == "title"
    assert run_js(qtbot, preview, "document.getElementById('dp-title').textContent") == (
        "The real title"
    )


# -- temporary pages --------------------------------------------------------------------------

CHILD = """
import sys, time
import PySide6.QtWebEngineWidgets
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from editor.gui.preview.preview_view import PreviewView
from editor.render.incremental import RenderedBlock
view = PreviewView()
view.resize(400, 300)
view.show()
blocks = [RenderedBlock(n, "<p>" + "word " * 40 + "</p>") for n in range(12000)]
view.show_blocks(None, blocks, 1)
def report():
    pages = list(view._page_folder.path.glob("preview-*.html"))
    if view.shown_serial == 1 and pages:
        print(pages[0], flush=True)
    else:
        QTimer.singleShot(50, report)
report()
app.exec()
"""


def test_preview_pages_of_a_killed_process_are_removed_at_the_next_start(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    environment = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)  # never hang on a stuck child
        assert ready, "the child did not write its preview page within 60 s"
        page = Path(child.stdout.readline().strip())  # the child wrote a page over 2 MB
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    assert page.parent.parent == temp and page.parent.name.startswith(PREFIX)
    assert page.stat().st_size > 2_000_000  # a kill leaves it behind
    stranger = temp / f"{PREFIX}not-ours"  # not named after a process: left alone
    stranger.mkdir()

    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    view = PreviewView()  # the next start
    try:
        qtbot.waitUntil(lambda: not page.parent.exists(), timeout=10000)
        assert view._page_folder.path.exists() and view._page_folder.path.parent == temp
        assert stranger.exists()
    finally:
        view.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_page_folders_of_running_processes_are_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    mine = PageFolder()
    parent = tmp_path / f"{PREFIX}{os.getppid()}-abcd"  # a running process (pytest's parent)
    parent.mkdir()
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f"{PREFIX}{gone.stdout.strip()}-abcd"
    dead.mkdir()
    (dead / "preview-1.html").write_text("<p>words</p>")
    assert remove_orphaned_page_folders() == [dead]
    assert mine.path.exists() and parent.exists() and not dead.exists()
    mine.remove()
    assert not mine.path.exists()
