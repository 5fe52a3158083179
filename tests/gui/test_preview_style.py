"""View > Preview Style: the live preview in a blog's learnt look, and back to Draftpress's.

The blog is a hostile theme served on 127.0.0.1 (tests/theme_site.py); its 'elsewhere' server
records any request that would leave the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.gui.main_window import MainWindow
from editor.publish.accounts import Account, save_accounts
from editor.publish.blog_look import has_look
from tests.gui.helpers import run_js, wait_for_preview
from tests.local_page import PROXY_VARIABLES
from tests.theme_site import Site, hostile_theme, serve_site

# What the preview shows, read from our script world: the look's marks, the post's place.
_READ = (
    "JSON.stringify((function () { if (!document.documentElement) { return {}; }"
    " var c = document.querySelector('[data-dp-content]');"
    " var t = document.querySelector('[data-dp-title]');"
    " return {look: document.documentElement.hasAttribute('data-dp-blog-look'),"
    " content: c ? c.innerHTML : null, title: t ? t.textContent : null,"
    " width: c ? getComputedStyle(c).maxWidth : null,"
    " draftpress: !!document.getElementById('dp-theme-css')}; })())"
)


@pytest.fixture
def sites(monkeypatch):
    """A hostile theme's blog and the 'elsewhere' its page reaches for, both served."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve_site(Site()) as elsewhere, serve_site(Site()) as blog:
        hostile_theme(blog, elsewhere)
        yield blog, elsewhere


def _shown(qtbot, window: MainWindow) -> dict:
    """Return what the preview page holds now."""
    return json.loads(str(run_js(qtbot, window.preview, _READ)))


def _style_menu_action(window: MainWindow, text: str):
    """Return the View > Preview Style entry with that text (the menu filled as it opens)."""
    (menu,) = [
        action.menu()
        for action in window.menuBar().actions()
        if action.text() == "&View"
        for action in action.menu().actions()
        if action.menu() is not None and action.text() == "Preview &Style"
    ]
    menu.aboutToShow.emit()
    return next(action for action in menu.actions() if action.text() == text)


def test_choosing_a_blog_learns_its_look_and_the_preview_follows_typing_in_it(
    qtbot, window: MainWindow, sites
) -> None:
    blog, elsewhere = sites
    save_accounts([Account("hostile", blog.url, "writer")])
    window.editor.setPlainText("---\ntitle: My Post\n---\n\nFirst words here.\n")
    wait_for_preview(qtbot, window.preview, "First words here.")

    _style_menu_action(window, "hostile").trigger()  # not learnt yet: learnt first
    qtbot.waitUntil(lambda: window.preview.in_blog_look, timeout=30_000)
    assert has_look("hostile")

    def in_look(needle: str) -> bool:
        shown = _shown(qtbot, window)
        return bool(shown.get("look") and needle in (shown.get("content") or ""))

    qtbot.waitUntil(lambda: in_look("First words here."), timeout=20_000)
    shown = _shown(qtbot, window)
    assert shown["title"] == "My Post" and shown["width"] == "620px"
    assert not shown["draftpress"]
    assert window.preview.zoomFactor() == 1.0

    # Typing: the new piece arrives in the blog's markup (a quote as WordPress serves it).
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("\n> Quoted words.\n")
    qtbot.waitUntil(lambda: in_look('<blockquote class="wp-block-quote">'), timeout=20_000)
    assert "Quoted words." in _shown(qtbot, window)["content"]
    assert _style_menu_action(window, "hostile").isChecked()

    # Back to Draftpress's own style.
    _style_menu_action(window, "&Draftpress").trigger()
    qtbot.waitUntil(lambda: _shown(qtbot, window).get("draftpress"), timeout=20_000)
    wait_for_preview(qtbot, window.preview, "Quoted words.")
    assert elsewhere.requests == []


def test_learning_with_the_blog_unreachable_says_so_in_a_message(
    qtbot, window: MainWindow, prompter, monkeypatch
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with serve_site(Site()) as gone:
        address = gone.url  # nothing answers there once the block ends
    save_accounts([Account("gone", address, "writer")])
    window.menu_actions["learn_look"].trigger()
    qtbot.waitUntil(lambda: bool(prompter.messages), timeout=30_000)
    assert "could not be reached" in prompter.messages[-1]
    assert not window.preview.in_blog_look and not has_look("gone")


def test_a_look_whose_theme_changed_is_learnt_again_when_chosen(
    qtbot, window: MainWindow, sites
) -> None:
    from editor.publish.blog_look import load_look
    from editor.publish.blog_look_learning import learn_look

    blog, elsewhere = sites
    save_accounts([Account("hostile", blog.url, "writer")])
    learn_look("hostile", blog.url)
    kind, page = blog.files["/2026/a-post/"]
    blog.files["/2026/a-post/"] = (kind, page.replace(b"/themes/hostile/", b"/themes/fresh/"))
    _style_menu_action(window, "hostile").trigger()
    qtbot.waitUntil(lambda: load_look("hostile").theme == "fresh", timeout=30_000)
    qtbot.waitUntil(lambda: window.preview.in_blog_look, timeout=20_000)
    assert elsewhere.requests == []


def test_in_the_blogs_look_the_dark_theme_and_zoom_stay_out(
    qtbot, window: MainWindow, sites
) -> None:
    from PySide6.QtGui import QColor

    from editor.publish.blog_look_learning import learn_look

    blog, _elsewhere = sites
    save_accounts([Account("hostile", blog.url, "writer")])
    learn_look("hostile", blog.url)
    window.settings.theme = "dark"
    window.appearance.apply()
    window.zoom(2)
    assert window.preview.zoomFactor() > 1.0
    # The page's load ends after the window styled it (connected first) for the look.
    with qtbot.waitSignal(window.preview.preview_page.loadFinished, timeout=30_000):
        _style_menu_action(window, "hostile").trigger()
    assert window.preview.in_blog_look
    qtbot.waitUntil(lambda: _shown(qtbot, window).get("look"), timeout=20_000)
    assert window.preview.zoomFactor() == 1.0
    assert window.preview.page().backgroundColor() == QColor("white")
    _style_menu_action(window, "&Draftpress").trigger()
    qtbot.waitUntil(lambda: _shown(qtbot, window).get("draftpress"), timeout=20_000)
    assert window.preview.zoomFactor() > 1.0
    # Styled again once the page has loaded: the dark theme's paper.
    qtbot.waitUntil(
        lambda: window.preview.page().backgroundColor() != QColor("white"), timeout=20_000
    )


def test_a_blog_whose_newest_post_cannot_be_found_asks_for_a_posts_address(
    qtbot, window: MainWindow, sites
) -> None:
    from editor.publish.blog_look import load_look

    blog, elsewhere = sites
    del blog.files["/wp-json/wp/v2/posts?per_page=1&_fields=link"]  # no REST API to ask
    save_accounts([Account("hostile", blog.url, "writer")])
    style = window.preview_style
    window.menu_actions["learn_look"].trigger()
    qtbot.waitUntil(lambda: style.address_dialog is not None, timeout=30_000)
    dialog = style.address_dialog
    assert dialog is not None and dialog.isVisible()
    assert "could not find a published post" in dialog.why.text()
    assert dialog.address.text() == ""  # nothing used before
    # An address on another site is refused in the dialog, which stays open.
    dialog.address.setText(f"{elsewhere.url}/2026/a-post/")
    dialog.learn_button.click()
    assert dialog.isVisible() and not dialog.problem.isHidden()
    assert "not on hostile" in dialog.problem.text()
    dialog.address.setText(f"{blog.url}/2026/a-post/")
    dialog.learn_button.click()
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: window.preview.in_blog_look, timeout=30_000)
    assert load_look("hostile").page_url == f"{blog.url}/2026/a-post/"
    assert elsewhere.requests == []
    # Learning again asks again, with the address used last filled in; Cancel changes nothing.
    window.menu_actions["learn_look"].trigger()
    qtbot.waitUntil(lambda: style.address_dialog is not None, timeout=30_000)
    again = style.address_dialog
    assert again is not None and again.address.text() == f"{blog.url}/2026/a-post/"
    again.reject()
    qtbot.waitUntil(lambda: style.address_dialog is None, timeout=5_000)
    assert window.preview.in_blog_look and not style.learning


REAL_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fonts-dejavu-core


def test_the_preview_links_the_looks_fonts_from_the_data_folder(
    qtbot, window: MainWindow, sites
) -> None:
    from editor.publish.blog_look import look_folder

    blog, elsewhere = sites
    assert REAL_FONT.is_file(), "scripts/system-packages.sh installs fonts-dejavu-core"
    style = blog.files["/wp-content/themes/hostile/style.css"][1].decode()
    blog.files["/wp-content/themes/hostile/style.css"] = ("text/css", style.replace(
        "url(fonts/hostile.woff2) format(\"woff2\")", "url(fonts/real.ttf) format(\"truetype\")"
    ).encode())  # fmt: skip
    blog.files["/wp-content/themes/hostile/fonts/real.ttf"] = ("font/ttf", REAL_FONT.read_bytes())
    save_accounts([Account("hostile", blog.url, "writer")])
    window.editor.setPlainText("---\ntitle: Fonts\n---\n\nIn the blogs own font.\n")
    wait_for_preview(qtbot, window.preview, "In the blogs own font.")
    _style_menu_action(window, "hostile").trigger()
    qtbot.waitUntil(lambda: window.preview.in_blog_look, timeout=30_000)
    fonts = (
        "JSON.stringify(Array.from(document.fonts).filter(function (f) {"
        " return f.family.indexOf('Hostile Sans') >= 0; }).map(function (f) { return f.status; }))"
    )
    qtbot.waitUntil(
        lambda: str(run_js(qtbot, window.preview, fonts)) == '["loaded"]', timeout=20_000
    )
    # The page links the stored font file; it does not carry it.
    (font,) = (look_folder("hostile") / "assets").glob("*.ttf")
    page = (window.preview._page_folder.path / "blog-look.html").read_text(encoding="utf-8")
    assert font.resolve().as_uri() in page and "base64" not in page
    assert len(page) < REAL_FONT.stat().st_size / 10
    assert elsewhere.requests == []


# What the look's content holds, in short: how many paragraphs, and the last one's text.
_LAST = (
    "JSON.stringify((function () { var c = document.querySelector('[data-dp-content]');"
    " if (!c) { return null; } var p = c.querySelectorAll('p');"
    " return [p.length, p.length ? p[p.length - 1].textContent : '']; })())"
)


def test_a_very_long_post_in_the_blogs_look_loads_from_a_file_then_patches_by_script(
    qtbot, window: MainWindow, sites, monkeypatch
) -> None:
    from editor.publish.blog_look_learning import learn_look

    blog, _elsewhere = sites
    save_accounts([Account("hostile", blog.url, "writer")])
    learn_look("hostile", blog.url)
    # The route is the size's (1.5 MB of HTML); a smaller limit keeps the test quick.
    monkeypatch.setattr("editor.gui.preview.preview_view.LARGE_PATCH_CHARS", 40_000)
    count = 600  # about 65,000 characters of HTML
    words = "with words enough to fill a line of the post, and then a few more words to be long"
    body = "\n\n".join(f"Paragraph {i} {words}." for i in range(count))
    window.editor.setPlainText(f"---\ntitle: Long\n---\n\n{body}\n")
    wait_for_preview(qtbot, window.preview, f"Paragraph {count - 1} ", timeout=60_000)
    loads = window.preview.file_loads
    _style_menu_action(window, "hostile").trigger()
    qtbot.waitUntil(lambda: window.preview.file_loads > loads, timeout=60_000)
    last = [count, f"Paragraph {count - 1} {words}."]

    def shows(wanted: list) -> bool:
        shown = json.loads(str(run_js(qtbot, window.preview, _LAST)))  # null while loading
        pairs = zip(wanted, shown or [], strict=False)
        return shown is not None and all(w is None or w == s for w, s in pairs)

    qtbot.waitUntil(lambda: shows(last), timeout=60_000)
    assert _shown_look(qtbot, window)
    # Typing goes by script again: a one-piece patch, no new page.
    loads = window.preview.file_loads
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    window.editor.insertPlainText("\nTyped at the end.\n")
    qtbot.waitUntil(lambda: shows([None, "Typed at the end."]), timeout=60_000)
    assert window.preview.file_loads == loads


def _shown_look(qtbot, window: MainWindow) -> bool:
    """Tell whether the preview's page is the blog's look (not Draftpress's)."""
    shown = json.loads(
        str(run_js(qtbot, window.preview, "JSON.stringify({look: document.documentElement"
                   ".hasAttribute('data-dp-blog-look')})"))
    )  # fmt: skip
    return bool(shown["look"])
