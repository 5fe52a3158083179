"""The preview shows the post and nothing else: no post scripts, no navigation, no stray files,
and HTML fetched from a web page (the quote tool's prefill) stays text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWebEngineCore import QWebEngineScript

from editor.core.quote_snippet import QuoteFields, build_quote_markdown, parse_quote_markdown
from editor.gui.inserting.quote_dialog import QuoteDialog
from editor.gui.preview.preview_view import PreviewView
from editor.render.markdown_renderer import render_markdown
from tests.gui.helpers import run_js, wait_for_preview
from tests.local_page import serve_page


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


# -- issue 5: what a post (or a fetched page) could try, in a real QWebEngineView -------------


class UrlCatcher(QObject):
    """Receives the URLs QDesktopServices.openUrl hands to the system browser."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def system_browser():
    """Stands in for the system browser through Qt's own hook (setUrlHandler), not a patch."""
    catcher = UrlCatcher()
    for scheme in ("http", "https", "javascript", "file"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    yield catcher
    for scheme in ("http", "https", "javascript", "file"):
        QDesktopServices.unsetUrlHandler(scheme)


def page_state(qtbot, preview: PreviewView) -> dict:
    """What a script of the post would change: the marker's text, the title, the page URL."""
    return json.loads(
        run_js(
            qtbot,
            preview,
            "JSON.stringify({marker: document.getElementById('marker').textContent, "
            "title: document.title, url: location.href, "
            "color: getComputedStyle(document.getElementById('marker')).color})",
        )
    )


def click_element(qtbot, preview: PreviewView, element_id: str) -> None:
    """Click an element of the preview with the real mouse (at its centre on screen)."""
    rect = json.loads(
        run_js(
            qtbot,
            preview,
            f"(function () {{ var r = document.getElementById('{element_id}')"
            ".getBoundingClientRect(); return JSON.stringify([r.left + r.width / 2, "
            "r.top + r.height / 2]); })()",
        )
    )
    target = preview.focusProxy() or preview
    point = QPoint(int(rect[0]), int(rect[1]))
    qtbot.mouseMove(target, point)
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=point)


def show_and_settle(qtbot, preview: PreviewView, folder: Path, body: str, needle: str) -> dict:
    """Show a body, wait until it is in and every image settled; return the page state."""
    preview.show_document(folder, "Safe title", body, 1)
    wait_for_preview(qtbot, preview, needle)
    qtbot.waitUntil(
        lambda: run_js(qtbot, preview, "Array.from(document.images).every(i => i.complete)") is True
    )
    return page_state(qtbot, preview)


def test_no_script_of_the_post_runs_in_any_form(qtbot, preview: PreviewView, tmp_path) -> None:
    change = "document.getElementById('marker').textContent='ran';document.title='ran'"
    body = (
        '<p id="marker">safe</p>'
        f"<script>{change}</script>"
        f'<img src="x" onerror="{change}">'
        f'<svg onload="{change}"><circle r="4"></circle></svg>'
        f'<div style="width:10px;height:10px" onmouseover="{change}">hover</div>'
        f'<iframe srcdoc="<script>parent.{change}</script>"></iframe>'
        f'<object data="javascript:{change}"></object>'
    )
    state = show_and_settle(qtbot, preview, tmp_path, body, "<svg")
    qtbot.mouseMove(preview.focusProxy() or preview, QPoint(5, 5))
    state = page_state(qtbot, preview)
    assert (state["marker"], state["title"]) == ("safe", "Safe title")


def test_a_javascript_link_clicked_does_nothing(
    qtbot, preview: PreviewView, tmp_path, system_browser
) -> None:
    body = (
        '<p id="marker">safe</p><p><a id="evil" style="font-size:40px" '
        "href=\"javascript:document.getElementById('marker').textContent='ran'\">click</a></p>"
    )
    before = show_and_settle(qtbot, preview, tmp_path, body, 'id="evil"')
    click_element(qtbot, preview, "evil")
    # A real link clicked next to it proves the click went through (and bounds the wait).
    preview.show_document(
        tmp_path,
        "Safe title",
        body + '<p><a id="real" style="font-size:40px" href="https://example.com/ok">ok</a></p>',
        2,
    )
    wait_for_preview(qtbot, preview, 'id="real"')
    click_element(qtbot, preview, "real")
    qtbot.waitUntil(lambda: system_browser.urls != [])
    assert system_browser.urls == ["https://example.com/ok"]
    assert page_state(qtbot, preview) == before


def test_a_link_opens_in_the_system_browser_only_once_clicked(
    qtbot, preview: PreviewView, tmp_path, system_browser
) -> None:
    body = '<p id="marker">safe</p><p><a id="go" style="font-size:40px" href="https://example.com/x">go</a></p>'
    before = show_and_settle(qtbot, preview, tmp_path, body, 'id="go"')
    assert system_browser.urls == []
    click_element(qtbot, preview, "go")
    qtbot.waitUntil(lambda: system_browser.urls != [])
    assert system_browser.urls == ["https://example.com/x"]
    assert page_state(qtbot, preview)["url"] == before["url"]


def test_a_link_to_a_new_window_opens_in_the_system_browser_once_clicked(
    qtbot, preview: PreviewView, tmp_path, system_browser
) -> None:
    body = (
        '<p id="marker">safe</p><p><a id="blank" target="_blank" style="font-size:40px" '
        'href="https://example.com/new">new</a></p>'
    )
    before = show_and_settle(qtbot, preview, tmp_path, body, 'id="blank"')
    assert system_browser.urls == []
    click_element(qtbot, preview, "blank")
    qtbot.waitUntil(lambda: system_browser.urls != [])
    assert system_browser.urls == ["https://example.com/new"]
    assert page_state(qtbot, preview) == before


def test_meta_refresh_form_and_location_cannot_navigate_away(
    qtbot, preview: PreviewView, tmp_path, system_browser
) -> None:
    (tmp_path / "elsewhere.html").write_text("<title>elsewhere</title><p id=marker>gone</p>")
    body = (
        '<p id="marker">safe</p>'
        '<meta http-equiv="refresh" content="0; url=elsewhere.html">'
        "<script>window.location = 'elsewhere.html';</script>"
        '<form id="form" action="elsewhere.html" method="get"><input name="q" value="1">'
        '<button id="send" type="submit" style="font-size:40px">send</button></form>'
    )
    before = show_and_settle(qtbot, preview, tmp_path, body, 'id="send"')
    click_element(qtbot, preview, "send")
    preview.show_document(tmp_path, "Safe title", body + '<p id="later">later</p>', 2)
    wait_for_preview(qtbot, preview, 'id="later"')
    assert page_state(qtbot, preview) == before
    assert system_browser.urls == []


def frame_text(qtbot, frame) -> str:
    """The text a frame of the preview shows ("" when nothing was loaded into it)."""
    with qtbot.waitCallback() as callback:
        frame.runJavaScript(
            "document.documentElement ? document.documentElement.innerText : ''",
            QWebEngineScript.ScriptWorldId.ApplicationWorld,
            callback,
        )
    return str(callback.args[0] or "")


def test_files_outside_the_post_folder_cannot_be_read(
    qtbot, preview: PreviewView, tmp_path
) -> None:
    post_folder = tmp_path / "posts"
    write_png(post_folder / "inside.png")  # the control: this one does load
    write_png(tmp_path / "outside.png")
    (tmp_path / "outside.css").write_text("#marker { color: rgb(255, 0, 0); }")
    (tmp_path / "outside.html").write_text("<p>private words</p>")
    outside = tmp_path.as_uri()
    body = (
        '<p id="marker">safe</p><img src="inside.png"><img src="../outside.png">'
        f'<img src="{outside}/outside.png"><img src="file:///etc/passwd">'
        f'<link rel="stylesheet" href="../outside.css">'
        f'<link rel="stylesheet" href="{outside}/outside.css">'
        f'<iframe src="../outside.html"></iframe><iframe src="{outside}/outside.html"></iframe>'
        '<iframe src="file:///etc/passwd"></iframe>'
    )
    state = show_and_settle(qtbot, preview, post_folder, body, "passwd")
    widths = run_js(
        qtbot, preview, "JSON.stringify(Array.from(document.images).map(i => i.naturalWidth))"
    )
    assert json.loads(widths) == [40, 0, 0, 0]
    assert state["color"] != "rgb(255, 0, 0)"
    frames = preview.page().mainFrame().children()
    assert len(frames) == 3
    texts = [frame_text(qtbot, frame) for frame in frames]
    assert not any("private" in text or "root:" in text for text in texts), texts


HOSTILE_PAGE = (
    "<!doctype html><html><head>"
    "<title>&lt;img src=x onerror=&quot;document.title='ran'&quot;&gt; Rails &amp; Dawn</title>"
    '<meta name="author" content="&lt;script&gt;document.title=\'ran\'&lt;/script&gt; Ann">'
    "</head><body>Text</body></html>"
)


@pytest.fixture
def hostile_page_url(monkeypatch: pytest.MonkeyPatch):
    """A real page on 127.0.0.1 whose title and author are HTML that would run."""
    with serve_page(monkeypatch, HOSTILE_PAGE, "/hostile") as url:
        yield url


def test_a_fetched_page_title_is_text_in_the_markdown_and_inert_in_the_preview(
    qtbot, preview: PreviewView, tmp_path, hostile_page_url: str
) -> None:
    dialog = QuoteDialog(QuoteFields(text="Quoted words.", source_url=hostile_page_url))
    qtbot.addWidget(dialog)
    dialog.fetch_details(only_if_empty=True)
    qtbot.waitUntil(lambda: bool(dialog.author_edit.text() and dialog.title_edit.text()))
    title = "<img src=x onerror=\"document.title='ran'\"> Rails & Dawn"
    author = "<script>document.title='ran'</script> Ann"
    assert (dialog.title_edit.text(), dialog.author_edit.text()) == (title, author)
    markdown = build_quote_markdown(dialog.fields())
    assert "<img" not in markdown and "<script" not in markdown  # written as &lt;…
    assert parse_quote_markdown(markdown).source_title == title  # and read back as typed
    body = '<p id="marker">safe</p>' + render_markdown(markdown)
    state = show_and_settle(qtbot, preview, tmp_path, body, "<figcaption")
    assert (state["marker"], state["title"]) == ("safe", "Safe title")
    caption = json.loads(
        run_js(
            qtbot,
            preview,
            "JSON.stringify({text: document.querySelector('figcaption').textContent, "
            "elements: document.querySelectorAll('figcaption img, figcaption script').length})",
        )
    )
    assert caption["elements"] == 0
    # Shown as the words they are (typography may curl the quotes).
    for words in ("<script>document.title=", "</script> Ann", "<img src=x onerror=", "> Rails"):
        assert words in caption["text"]
