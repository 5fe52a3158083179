"""Issue 18, finding 9: "Open in browser" and clicked preview links hand the desktop web
addresses (http, https) only, and say so for anything else.

Every opener goes through editor.gui.browser.open_in_browser. QDesktopServices.openUrl is
replaced by a recorder in these tests: the real one would hand `file:///…/evil.desktop` or a
custom scheme to this machine's desktop, which is exactly what must never happen, and a test
cannot tell from outside whether a program was started. The publish answer with a hostile
link comes from the fake blog of the GUI tests (a real WordPress always sends its own http(s)
permalink, so it cannot produce the case).
"""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from editor.core.web_links import browser_refusal, is_web_address
from editor.gui.browser import open_in_browser
from editor.gui.main_window import MainWindow
from editor.gui.preview.preview_view import PreviewView
from tests.gui import conftest as gui_conftest
from tests.gui import test_publish_gui
from tests.gui.fake_blog import FakeBlog
from tests.gui.helpers import run_js, wait_for_preview
from tests.gui.test_preview_safety import click_element

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
window = gui_conftest.window
blog = test_publish_gui.blog
publishing = test_publish_gui.publishing
account = test_publish_gui.account
post_path = test_publish_gui.post_path
__all__ = [
    "account", "blog", "library_root", "make_window", "post_path", "publishing", "window",
]  # fmt: skip

REFUSED = [
    "file:///home/you/.local/share/applications/evil.desktop",
    "FILE:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(document.cookie)",
    "mailto:ada@example.com?attach=/home/you/.ssh/id_ed25519",
    "steam://run/123",
    "x-evil-handler:payload",
    "smb://attacker.example/share",
    "ftp://example.com/file",
    "https://",
    "https:///etc/passwd",
    "//evil.example/no-scheme",
    "https://exa mple.com/",
    "https://example.com/\x00.desktop",
    "http://[::1/",
    "",
]
OPENED = ["https://example.com/post?x=1#top", "http://127.0.0.1:8080/", "HTTPS://Example.COM/"]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records what would reach the desktop (see the module docstring for why it is replaced)."""
    urls: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: urls.append(QUrl(url).toString()) or True
    )
    return urls


@pytest.mark.parametrize("url", REFUSED)
def test_the_rule_refuses_every_address_but_a_web_one_and_says_so(url: str) -> None:
    assert not is_web_address(url)
    message = browser_refusal(url)
    assert message is not None and "only web addresses (http:// or https://)" in message
    assert "\n" not in message and "\x00" not in message


@pytest.mark.parametrize("url", OPENED)
def test_the_rule_accepts_http_and_https_addresses(url: str) -> None:
    assert is_web_address(url) and browser_refusal(url) is None


@pytest.mark.parametrize("url", REFUSED)
def test_open_in_browser_hands_nothing_but_web_addresses_to_the_desktop(
    url: str, opened: list[str]
) -> None:
    assert open_in_browser(url) == browser_refusal(url)
    assert opened == []
    # The preview hands over QUrls, which Qt has already parsed (and percent-encoded): what
    # reaches the desktop from one is still a web address, never the scheme it named.
    open_in_browser(QUrl(url))
    assert all(is_web_address(address) for address in opened)


@pytest.mark.parametrize("url", OPENED)
def test_open_in_browser_opens_web_addresses(url: str, opened: list[str]) -> None:
    assert open_in_browser(url) is None
    assert [QUrl(address) for address in opened] == [QUrl(url)]


# -- the preview: links the writer clicks ---------------------------------------------------


def click_link(qtbot, preview: PreviewView, element_id: str) -> None:
    """Scroll a link into view and click it with the real mouse."""
    run_js(qtbot, preview, f"document.getElementById('{element_id}').scrollIntoView(); 1")
    click_element(qtbot, preview, element_id)


@pytest.mark.parametrize("target", ["", ' target="_blank"'])
def test_clicked_preview_links_open_only_web_addresses_and_the_status_bar_says_why(
    qtbot, window: MainWindow, opened: list[str], target: str
) -> None:
    preview: PreviewView = window.preview
    hostile = {
        "desktop": "file:///tmp/evil.desktop",
        "custom": "x-evil-handler:payload",
        "mail": "mailto:ada@example.com?attach=/etc/passwd",
    }
    quiet = {"footnote": "#note"}  # a link within the post is no address to open
    # A data: page as the top frame Chromium refuses itself, before asking Draftpress; as a
    # new window it comes to Draftpress, which refuses it.
    (hostile if target else quiet)["data"] = "data:text/html,hello"
    links = "".join(
        f'<p><a id="{name}"{target} style="font-size:30px" href="{url}">{name}</a></p>'
        for name, url in {**hostile, **quiet, "web": "https://example.com/ok"}.items()
    )
    refused: list[str] = []
    preview.page().link_refused.connect(refused.append)
    # Raw HTML in the post, as a co-author's post pulled from the blog may hold.
    window.editor.setPlainText(f'# Links\n\n{links}\n\n<p id="note">A note.</p>\n')
    wait_for_preview(qtbot, preview, 'id="note"')
    for count, (name, url) in enumerate(hostile.items(), start=1):
        click_link(qtbot, preview, name)
        qtbot.waitUntil(lambda: len(refused) == count)  # noqa: B023
        assert f"did not open “{url}”" in refused[-1]
        assert window.statusBar().currentMessage() == refused[-1]
    for name in quiet:  # nothing reaches the desktop, nothing is said
        click_link(qtbot, preview, name)
    click_link(qtbot, preview, "web")  # bounds the wait: clicks are handled in order
    qtbot.waitUntil(lambda: opened != [])
    assert opened == ["https://example.com/ok"]
    assert len(refused) == len(hostile)


# -- the publish result: the link the blog answered with ------------------------------------


def answer_with_link(blog: FakeBlog, link: str) -> None:
    """Make the fake blog name `link` as the published post's address."""
    answer = blog.handle

    def handle(request: httpx.Request) -> httpx.Response:
        response = answer(request)
        if request.method == "POST" and "/posts" in request.url.path:
            data = json.loads(response.content)
            if isinstance(data, dict) and "link" in data:
                data["link"] = link
                headers = {k: v for k, v in response.headers.items() if k != "content-length"}
                return httpx.Response(response.status_code, headers=headers, json=data)
        return response

    blog.handle = handle  # type: ignore[method-assign]


@pytest.mark.parametrize(
    "link", ["file:///tmp/evil.desktop", "x-evil-handler:payload", "javascript:alert(1)"]
)
def test_a_published_link_that_is_no_web_address_gets_no_open_button(
    qtbot, window, publishing, blog, account, post_path, prompter, opened, link: str
) -> None:
    answer_with_link(blog, link)
    # The writer would open the link if offered; the box must offer nothing to click.
    prompter.answer("Published", "Open in browser", required=False)
    test_publish_gui.publish_and_wait(qtbot, window, "published")
    published = prompter.titled("Published")[0]
    assert published.buttons == ["Close"]
    assert "only web addresses (http:// or https://)" in published.details
    assert opened == []


def test_a_published_web_link_opens_in_the_browser(
    qtbot, window, publishing, blog, account, post_path, prompter, opened
) -> None:
    answer_with_link(blog, "https://blog.example/night-train/")
    prompter.answer("Published", "Open in browser")
    test_publish_gui.publish_and_wait(qtbot, window, "published")
    assert sorted(prompter.titled("Published")[0].buttons) == ["Close", "Open in browser"]
    assert opened == ["https://blog.example/night-train/"]
