"""Pull and merge through the engine interface, against the real Ghost, XML-RPC and Micropub.

What we publish pulls back to the same Markdown (a captioned figure, an uncaptioned image, an
attributed quote, code, a list); the pulled file's record names the blog and the post, so the
next publish updates that post and is not taken for an edit made on the blog; `draftpress pull`
and `draftpress publish --merge` work for these blogs. Every server is the real one.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from editor.core.front_matter import body_of
from editor.core.post import load_post
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.engine_merge import with_local_images
from editor.publish.engine_pull import pull_into_library_from
from editor.publish.engines.base import GHOST, XMLRPC, BlogEngine
from editor.publish.publishing_service import publish_file, request_for
from editor.publish.remote_record import read_remote_record
from tests.integration.engines import test_ghost as ghost_tests
from tests.integration.engines import test_xmlrpc as xmlrpc_tests
from tests.integration.engines.conftest import micropub_site
from tests.integration.sample_posts import unique, write_png

__all__ = ["micropub_site"]  # the Micropub server fixture, used here too

BODY = """Opening words with *emphasis*.

![A hammer and nails]({stem}.assets/first.png)

/// caption
A hammer (art by [Tall Jerome](https://example.com/jerome))
///

> I was astonished the first time.
>
> And the second.

/// caption
— DJ Mac, [Anti 12-step bias?](https://example.com/anti)
///

![Second picture]({stem}.assets/second.png)

- one
- two with `code`
    - nested

1. first
2. second

```python
print("a < b & c")
```

Closing words.
"""


def make_post(folder: Path, title: str, blog: str) -> Path:
    """A post with a captioned figure, an uncaptioned image, a quote, lists and code."""
    stem = uuid.uuid4().hex[:8]
    write_png(folder / f"{stem}.assets" / "first.png", int(stem[:6], 16))
    write_png(folder / f"{stem}.assets" / "second.png", int(stem[2:8], 16) ^ 0xFFFFFF)
    path = folder / f"{stem}.md"
    text = f'---\ntitle: "{title}"\nstatus: publish\ntags: [art]\nblog: {blog}\n---\n\n'
    path.write_text(text + BODY.format(stem=stem), encoding="utf-8")
    return path


def publish(account: Account, secret: str, path: Path, opener: Callable[..., BlogEngine]):
    """Publish a file as `draftpress publish` does (record written, merge base kept)."""
    return publish_file(
        request_for(account, path), password=secret, engine_factory=lambda _a, _s: opener()
    )


def pulled_body(path: Path, original: Path, blog: str) -> str:
    """The pulled file's body with the blog's image addresses written as the original's files."""
    record = read_remote_record(load_post(original).text, blog)
    pulled = body_of(load_post(path).text).lstrip("\n")
    return with_local_images(pulled, load_post(original).text, record, original.parent)


def round_trip(account: Account, secret: str, opener, tmp_path: Path) -> tuple[Path, Path]:
    """Publish a post, pull it into an empty library; return (original, pulled)."""
    original = make_post(tmp_path / "drafts", unique("Round trip"), account.name)
    result = publish(account, secret, original, opener)
    assert result.created
    engine = opener()
    with contextlib.closing(engine):
        pulled = pull_into_library_from(
            engine, str(result.record.id), tmp_path / "library", account.name
        )
    return original, pulled


def check_round_trip(account: Account, secret: str, opener, tmp_path: Path) -> None:
    original, pulled = round_trip(account, secret, opener, tmp_path)
    assert pulled_body(pulled, original, account.name).splitlines() == (
        body_of(original.read_text()).lstrip().splitlines()
    )
    pulled_post = load_post(pulled)
    record = read_remote_record(pulled_post.text, account.name)
    published = read_remote_record(original.read_text(), account.name)
    assert record.id == published.id and record.blog == account.name
    assert pulled_post.meta().blog == account.name and pulled_post.meta().tags == ["art"]
    engine = opener()
    with contextlib.closing(engine):
        blog_date = engine.read_post(str(published.id)).date
    # The blog's date comes home, in the front matter and the file's name.
    assert blog_date and pulled_post.meta().date == blog_date
    assert pulled.name.startswith(blog_date[:10])
    # The next publish of the pulled file updates the same post: not refused as an edit.
    pulled.write_text(pulled.read_text().replace("Closing words.", "Closing words, edited."))
    again = publish(account, secret, pulled, opener)
    assert again.updated and not again.created and again.record.id == published.id
    engine = opener()
    with contextlib.closing(engine):
        republished = engine.read_post(str(published.id))
        assert "Closing words, edited." in republished.html
        assert republished.date == blog_date  # the republish kept the blog's date
        # Pulling again finds the library's file (an id of text or a number alike).
        assert pull_into_library_from(engine, str(published.id), pulled.parent,
                                      account.name) == pulled  # fmt: skip


# -- Ghost -------------------------------------------------------------------------------------


def ghost_account(ghost) -> Account:
    return Account(name=ghost_tests.BLOG, url=ghost.url, user="", kind=GHOST)


def test_ghost_publish_then_pull_gives_the_same_markdown(ghost, tmp_path) -> None:
    check_round_trip(ghost_account(ghost), ghost.admin_key, lambda: ghost_tests.engine_for(ghost),
                     tmp_path)  # fmt: skip


def test_a_ghost_page_pulls_as_a_page_and_publishes_back_to_it(ghost, tmp_path) -> None:
    title = unique("About")
    created = ghost.request(
        "POST", "pages/", params={"source": "html"},
        json={"pages": [{"title": title, "html": "<p>About this blog.</p>"}]},
    ).json()["pages"][0]  # fmt: skip
    account = ghost_account(ghost)
    engine = ghost_tests.engine_for(ghost)
    with contextlib.closing(engine):
        path = pull_into_library_from(engine, created["id"], tmp_path, account.name)
    assert read_remote_record(path.read_text(), account.name).type == "page"
    posts = ghost.count_posts()
    path.write_text(path.read_text().replace("About this blog.", "About this blog, and me."))
    again = publish(account, ghost.admin_key, path, lambda: ghost_tests.engine_for(ghost))
    assert again.updated and not again.created and ghost.count_posts() == posts
    assert "and me." in ghost.post(created["id"], "pages")["html"]


# -- XML-RPC -----------------------------------------------------------------------------------


def xmlrpc_account(wordpress) -> Account:
    return Account(name=xmlrpc_tests.BLOG, url=wordpress.url, user="admin", kind=XMLRPC)


@pytest.mark.parametrize("mode", xmlrpc_tests.MODES)
def test_xmlrpc_publish_then_pull_gives_the_same_markdown(wordpress, tmp_path, mode) -> None:
    check_round_trip(xmlrpc_account(wordpress), wordpress.admin_app_password,
                     lambda: xmlrpc_tests.engine(wordpress, mode), tmp_path)  # fmt: skip


# -- Micropub ----------------------------------------------------------------------------------


def test_micropub_publish_then_pull_gives_the_same_markdown(micropub_site, tmp_path) -> None:
    from tests.integration.engines import test_micropub as micropub_tests

    account = Account(name=micropub_tests.BLOG, url=micropub_site.url, user="", kind="micropub")
    check_round_trip(account, micropub_site.token,
                     lambda: micropub_tests.engine_for(micropub_site), tmp_path)  # fmt: skip


# -- the command line --------------------------------------------------------------------------


def add_account(account: Account, secret: str) -> None:
    upsert_account(account)
    store_password(account, secret)


def test_cli_lists_and_pulls_a_ghost_post_by_its_id(ghost, memory_keyring, capsys, tmp_path):
    from editor.cli import main

    account = ghost_account(ghost)
    add_account(account, ghost.admin_key)
    original = make_post(tmp_path / "drafts", unique("Pulled by CLI"), account.name)
    result = publish(account, ghost.admin_key, original, lambda: ghost_tests.engine_for(ghost))
    title = load_post(original).meta().title
    capsys.readouterr()

    assert main(["pull", "--blog", account.name, "--list", "--search", title]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(f"{result.record.id}\tpublish\t") and title in listed  # our word
    pull = ["pull", str(result.record.id), "--blog", account.name, "--into", str(tmp_path / "l")]
    assert main(pull) == 0
    path = Path(capsys.readouterr().out.strip())
    assert pulled_body(path, original, account.name) == body_of(original.read_text()).lstrip()
    assert main(pull) == 0
    assert Path(capsys.readouterr().out.strip()) == path  # the library's file, not another


def test_cli_refuses_page_options_for_an_engine_without_them(ghost, memory_keyring, capsys):
    from editor.cli import main

    add_account(ghost_account(ghost), ghost.admin_key)
    assert main(["pull", "--blog", ghost_tests.BLOG, "--type", "page"]) == 1
    assert "work with WordPress blogs" in capsys.readouterr().err


def edit_on_ghost(ghost, post_id: str, old: str, new: str) -> None:
    """Change the post's text on Ghost itself, as a writer in Ghost Admin would."""
    stored = ghost.post(post_id)
    html = stored["html"].replace(old, new)
    assert html != stored["html"]
    ghost.request(
        "PUT", f"posts/{post_id}/", params={"source": "html"},
        json={"posts": [{"html": html, "updated_at": stored["updated_at"]}]},
    ).raise_for_status()  # fmt: skip


def test_cli_merge_brings_ghost_edits_into_the_file(ghost, memory_keyring, capsys, tmp_path):
    from editor.cli import main

    account = ghost_account(ghost)
    add_account(account, ghost.admin_key)
    path = make_post(tmp_path / "drafts", unique("Merged"), account.name)
    result = publish(account, ghost.admin_key, path, lambda: ghost_tests.engine_for(ghost))
    edit_on_ghost(ghost, str(result.record.id), "Opening words", "Opening lines")
    path.write_text(path.read_text().replace("Closing words.", "Closing words, mine."))
    capsys.readouterr()

    assert main(["publish", str(path), "--merge"]) == 0, capsys.readouterr().err
    text = path.read_text()
    assert "Opening lines with *emphasis*." in text and "Closing words, mine." in text
    assert "first.png)" in text  # the writer's image files stay files, not the blog's URLs
    # The merged file publishes over the blog's version without being refused.
    assert main(["publish", str(path)]) == 0, capsys.readouterr().err
    html = ghost.post(str(result.record.id))["html"]
    assert "Opening lines" in html and "Closing words, mine." in html


def test_cli_merge_without_a_base_says_what_to_do(ghost, memory_keyring, capsys, tmp_path):
    from editor.cli import main
    from editor.publish.engine_bases import base_path

    account = ghost_account(ghost)
    add_account(account, ghost.admin_key)
    path = make_post(tmp_path / "drafts", unique("No base"), account.name)
    result = publish(account, ghost.admin_key, path, lambda: ghost_tests.engine_for(ghost))
    base_path(account.name, str(result.record.id)).unlink()  # published from another computer
    edit_on_ghost(ghost, str(result.record.id), "Opening words", "Opening lines")
    capsys.readouterr()

    assert main(["publish", str(path), "--merge"]) == 1
    assert "Open the blog's version as a new file" in capsys.readouterr().err
