"""The preview shows the post and nothing else: no post scripts, no navigation, no stray files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtGui import QDesktopServices, QImage

from editor.gui.preview_view import PreviewView
from tests.gui.helpers import run_js, wait_for_preview


@pytest.fixture
def preview(qtbot):
    """A real preview view, shown offscreen."""
    view = PreviewView()
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.close()
    view.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def write_png(path: Path) -> None:
    """Write a small real PNG image."""
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(0x3366AA)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path), "PNG")


def test_scripts_in_the_post_do_not_run(qtbot, preview: PreviewView, tmp_path: Path) -> None:
    body = (
        '<p id="marker">safe</p>'
        "<script>document.getElementById('marker').textContent = 'script ran';</script>"
        "<img src=\"missing.png\" onerror=\"document.getElementById('marker').textContent = 'x'\">"
    )
    preview.show_document(tmp_path, "Title", body, 1)
    wait_for_preview(qtbot, preview, 'id="marker"')
    # Give a script every chance to have run: wait for the image error to be settled.
    qtbot.waitUntil(lambda: run_js(qtbot, preview, "document.images[0].complete") is True)
    assert run_js(qtbot, preview, "document.getElementById('marker').textContent") == "safe"


def test_clicked_links_open_in_the_system_browser_not_the_preview(
    qtbot, preview: PreviewView, tmp_path: Path, monkeypatch
) -> None:
    opened: list[QUrl] = []
    # A fake: the real desktop handler would start a browser on this machine.
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    preview.show_document(
        tmp_path, "Title", '<p><a id="go" href="https://example.com/x">go</a></p>', 1
    )
    wait_for_preview(qtbot, preview, 'id="go"')
    page = preview.page()
    accepted = page.acceptNavigationRequest(
        QUrl("https://example.com/x"), page.NavigationType.NavigationTypeLinkClicked, True
    )
    assert accepted is False
    assert [url.toString() for url in opened] == ["https://example.com/x"]
    assert run_js(qtbot, preview, "document.getElementById('go') !== null") is True


def test_images_load_from_the_post_folder_but_not_from_outside_it(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    post_folder = tmp_path / "posts"
    write_png(post_folder / "post.assets" / "inside.png")
    write_png(tmp_path / "secret" / "outside.png")
    body = (
        '<img id="inside" src="post.assets/inside.png">'
        f'<img id="outside" src="{(tmp_path / "secret" / "outside.png").as_uri()}">'
        '<img id="escape" src="../secret/outside.png">'
    )
    preview.show_document(post_folder, "Title", body, 1)
    wait_for_preview(qtbot, preview, 'id="escape"')
    qtbot.waitUntil(
        lambda: run_js(qtbot, preview, "Array.from(document.images).every(i => i.complete)") is True
    )
    widths = run_js(
        qtbot, preview, "JSON.stringify(Array.from(document.images).map(i => i.naturalWidth))"
    )
    assert json.loads(widths) == [40, 0, 0]
