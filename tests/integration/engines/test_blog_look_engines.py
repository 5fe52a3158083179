"""A blog's look learnt from the real Ghost and the real Micropub site, and a post rendered in it.

Ghost: the newest published post is found through the Admin API (the account's key), so no
address is needed. Micropub: the endpoint lists no post addresses, so the writer names one
(`--page`; in the window, the dialog of tests/gui/test_preview_style.py); an address on
another site is refused. In both, `draftpress render --blog` puts the post's body inside the
wrappers recorded from the post page, with the blog's CSS.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from editor.cli import main
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.blog_look import SkeletonNode, load_look
from editor.publish.engines.base import GHOST, MICROPUB
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.remote_record import read_remote_record
from tests.gui import conftest as gui_conftest
from tests.integration.engines.conftest import micropub_site

library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window", "micropub_site"]  # fixtures used here too

DRAFT = """---
title: Seen in the blog's look
---

Words *before* the quote.

> A quote worth keeping.

```python
print("hello")
```

- one
- two
"""


def published_post(account: Account, secret: str, folder: Path) -> str:
    """Publish a short post to the blog; return its record's id (Ghost's id, Micropub's URL)."""
    path = folder / f"look-{uuid.uuid4().hex[:8]}.md"
    title = f"Look source {uuid.uuid4().hex[:8]}"
    path.write_text(f"---\ntitle: {title}\nstatus: publish\n---\n\nThe text.\n", encoding="utf-8")
    result = publish_file(request_for(account, path), password=secret)
    assert result.record is not None, result
    return str(read_remote_record(path.read_text(encoding="utf-8"), account.name).id)


def content_path(node: SkeletonNode) -> list[tuple[int, SkeletonNode]] | None:
    """Return the (child index, node) steps from the skeleton's root down to the content."""
    if node.role == "content":
        return []
    for index, child in enumerate(node.children):
        below = content_path(child)
        if below is not None:
            return [(index, child), *below]
    return None


def check_rendered_inside_the_wrappers(account: Account, tmp_path: Path) -> None:
    """Render the draft in the account's look; its body sits in the recorded content element."""
    look = load_look(account.name)
    path = content_path(look.skeleton)
    assert path, look.skeleton
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    page = tmp_path / "page.html"
    assert main(["render", str(draft), "--blog", account.name, "-o", str(page)]) == 0
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    node = soup.body
    assert isinstance(node, Tag) and node.get("class") == look.skeleton.attrs["class"].split()
    for index, wrapper in path:  # each recorded wrapper, in order, down to the content
        node = [child for child in node.children if isinstance(child, Tag)][index]
        assert node.name == wrapper.tag
        assert node.get("class") == (
            wrapper.attrs["class"].split() if "class" in wrapper.attrs else None
        )
    text = node.get_text()
    assert "A quote worth keeping." in text and 'print("hello")' in text
    assert node.find("blockquote") is not None and node.find("li") is not None
    assert len(look.css) > 1000  # the blog's own CSS is kept with the look
    assert "<script" not in page.read_text(encoding="utf-8")


def test_a_ghost_blog_learns_its_look_from_its_newest_post_with_no_address(
    ghost, memory_keyring, tmp_path, capsys
) -> None:
    account = upsert_account(Account("ghost-look", ghost.url, "", kind=GHOST))
    store_password(account, ghost.admin_key)
    post_id = published_post(account, ghost.admin_key, tmp_path)
    newest = str(ghost.post(post_id)["url"])
    capsys.readouterr()
    assert main(["blogs", "look", account.name]) == 0
    assert f"learnt from {newest}" in capsys.readouterr().out
    assert load_look(account.name).page_url == newest
    check_rendered_inside_the_wrappers(account, tmp_path)


def test_a_micropub_blog_asks_for_a_posts_address_then_learns_from_it(
    micropub_site, memory_keyring, tmp_path, capsys
) -> None:
    account = upsert_account(Account("micropub-look", micropub_site.url, "", kind=MICROPUB))
    store_password(account, micropub_site.token)
    post_url = published_post(account, micropub_site.token, tmp_path)
    capsys.readouterr()
    assert main(["blogs", "look", account.name]) != 0  # its listing names no post
    said = capsys.readouterr().err
    assert "Give the address of one of its published posts" in said and "--page" in said
    assert main(["blogs", "look", account.name, "--page", "https://example.com/a-post/"]) != 0
    assert "is not on micropub-look" in capsys.readouterr().err
    assert main(["blogs", "look", account.name, "--page", post_url]) == 0
    assert f"learnt from {post_url}" in capsys.readouterr().out
    check_rendered_inside_the_wrappers(account, tmp_path)


def test_in_the_window_a_micropub_blog_asks_for_a_posts_address_and_previews_in_its_look(
    micropub_site, memory_keyring, tmp_path, qtbot, make_window
) -> None:
    """Blog > Learn the Blog's Look… on the real Micropub site: the dialog, then the look."""
    account = upsert_account(Account("micropub-window", micropub_site.url, "", kind=MICROPUB))
    store_password(account, micropub_site.token)
    post_url = published_post(account, micropub_site.token, tmp_path)
    window = make_window()
    style = window.preview_style
    window.menu_actions["learn_look"].trigger()
    qtbot.waitUntil(lambda: style.address_dialog is not None, timeout=60_000)
    dialog = style.address_dialog
    assert dialog is not None and "Give the address of one of its published posts" in (
        dialog.why.text()
    )
    dialog.address.setText(post_url)
    dialog.learn_button.click()
    qtbot.waitUntil(lambda: window.preview.in_blog_look, timeout=60_000)
    assert load_look(account.name).page_url == post_url
