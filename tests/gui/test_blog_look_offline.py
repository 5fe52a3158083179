"""A post in a hostile theme's learnt look, opened in a real QtWebEngine: nothing leaves.

The theme's page has scripts, event handlers, a frame, remote stylesheets, imports, fonts and
images (on a second local server standing for the internet, which records every request).
The standalone page `draftpress render --blog` writes is opened in a plain view, without the
preview's request guard, so that only the page itself keeps everything at home.
"""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView

from editor.cli import main
from editor.publish.accounts import Account, save_accounts
from tests.local_page import PROXY_VARIABLES
from tests.theme_site import Site, hostile_theme, serve_site


def test_a_hostile_theme_previews_with_no_request_leaving_the_machine(
    qtbot, tmp_path, monkeypatch, capsys
) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    post = tmp_path / "post.md"
    post.write_text(
        "---\ntitle: In the hostile look\n---\n\nSome *words*.\n\n> A quote.\n", encoding="utf-8"
    )
    page = tmp_path / "page.html"
    with serve_site(Site()) as elsewhere, serve_site(Site()) as blog:
        hostile_theme(blog, elsewhere)
        save_accounts([Account("hostile", blog.url, "writer")])
        assert main(["blogs", "look", "hostile"]) == 0
        assert f"learnt from {blog.url}/2026/a-post/ (theme hostile)" in capsys.readouterr().out
        asked_while_learning = len(blog.requests)
        assert main(["render", str(post), "--blog", "hostile", "-o", str(page)]) == 0
        view = QWebEngineView()
        qtbot.addWidget(view)
        # As a browser opening the file would: Chromium lets a file:// page load http(s)
        # images, fonts and styles; QtWebEngine's default would hide a leak from this test.
        view.settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True
        )
        with qtbot.waitSignal(view.loadFinished, timeout=30_000) as loaded:
            view.load(QUrl.fromLocalFile(str(page)))
        assert loaded.args == [True]
        facts: list[object] = []
        script = (
            "JSON.stringify([document.title, document.fonts.status,"
            " getComputedStyle(document.querySelector('.wp-block-post-content')).maxWidth,"
            " document.querySelector('.wp-block-post-title').textContent])"
        )

        def settled() -> bool:
            view.page().runJavaScript(script, 0, facts.append)
            return bool(facts) and '"loaded"' in str(facts[-1])

        qtbot.waitUntil(settled, timeout=20_000)
        # Nothing reached the internet, nor the blog itself once the look was learnt.
        assert elsewhere.requests == []
        assert len(blog.requests) == asked_while_learning
    # No script ran (the page's title is the post's), and the theme's CSS applies.
    assert facts[-1] == '["In the hostile look","loaded","620px","In the hostile look"]'


def test_render_in_a_look_not_learnt_yet_says_how(tmp_path, capsys, monkeypatch) -> None:
    post = tmp_path / "post.md"
    post.write_text("Words.\n", encoding="utf-8")
    save_accounts([Account("myblog", "https://blog.example", "writer")])
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["render", str(post), "--blog", "myblog", "-o", str(tmp_path / "p.html")]) != 0
    assert "draftpress blogs look myblog" in capsys.readouterr().err
    assert not (tmp_path / "p.html").exists()


@pytest.mark.parametrize("name", ["nosuch"])
def test_render_for_an_unknown_blog_says_so(tmp_path, capsys, name) -> None:
    post = tmp_path / "post.md"
    post.write_text("Words.\n", encoding="utf-8")
    assert main(["render", str(post), "--blog", name]) != 0
    assert name in capsys.readouterr().err
