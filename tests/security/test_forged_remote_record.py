"""Issue 18, finding 3: a forged `remote:` record does not silently overwrite another post.

A file whose record names a blog post (its id and the `modified_gmt` anyone can read from the
public REST API) but not its blog, or not the content this app last sent, is not trusted: the
CLI refuses and says to pass --overwrite, the window asks, naming the post by title. A post
this app published or pulled ("Open from Blog") still publishes without a question. Against the
real WordPress.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from editor.cli import main
from editor.core.post import load_post
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.pull import pull_into_library
from editor.publish.remote_record import read_remote_record, sha256_text
from editor.publish.wordpress_client import WordPressClient
from tests.gui import conftest as gui_conftest
from tests.gui.helpers import open_and_wait
from tests.gui.test_publish_gui import publish_and_wait
from tests.integration.sample_posts import unique
from tests.integration.test_publish_wordpress import publish

# The window fixtures of tests/gui, next to WordPress (as tests/integration/test_faults_window).
library_root = gui_conftest.library_root
make_window = gui_conftest.make_window
__all__ = ["library_root", "make_window"]

ACCOUNT = "myblog"
VICTIM_WORDS = "<!-- wp:paragraph -->\n<p>The victim's own words.</p>\n<!-- /wp:paragraph -->"


def victim_post(wordpress, status: str = "publish") -> dict:
    """A post written on the blog by someone else; returns it as the public API shows it."""
    title = unique("Victim")
    created = wordpress.request(
        "POST", "wp/v2/posts", json={"title": title, "content": VICTIM_WORDS, "status": status}
    ).json()
    public = wordpress.request("GET", f"wp/v2/posts/{created['id']}", as_user=None)
    return public.json() if public.status_code == 200 else created


def server_state(wordpress, post_id: int) -> tuple[str, str]:
    """The post's stored content and modification time."""
    raw = wordpress.get_post_raw(post_id)
    return raw["content"]["raw"], raw["modified_gmt"]


def forged_file(folder: Path, remote: str, title: str = "Forged") -> Path:
    """A post file carrying a hand-written `remote:` record."""
    path = folder / "forged.md"
    path.write_text(
        f'---\ntitle: "{title}"\nblog: {ACCOUNT}\nstatus: publish\nremote: {remote}\n---\n\n'
        "Overwritten by a stranger.\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def cli_account(wordpress, memory_keyring, monkeypatch) -> None:
    """The account `myblog` on the real WordPress, added through the real CLI."""
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.admin_app_password + "\n"))
    args = ["blogs", "add", ACCOUNT, "--url", wordpress.url, "--user", wordpress.admin_user]
    assert main([*args, "--output", "blocks", "--password-stdin"]) == 0


def public_title(post: dict) -> str:
    """The post's title as WordPress stores it."""
    return post["title"].get("raw") or post["title"]["rendered"]


@pytest.mark.parametrize(
    "remote",
    [
        "{{id: {id}, modified_gmt: '{modified}'}}",  # no blog: (as in the review)
        "{{blog: other, id: {id}, modified_gmt: '{modified}'}}",  # another blog's record
        "{{blog: myblog, id: {id}, modified_gmt: '{modified}'}}",  # no content fingerprint
        # the blog's current version, with a content fingerprint that is not its content
        "{{blog: myblog, id: {id}, modified_gmt: '{modified}', content_sha256: 0123456789abcdef}}",
        # an update "in flight" of content the blog does not hold
        "{{id: {id}, modified_gmt: '{modified}', pending_update: 0123456789abcdef}}",
    ],
)
def test_cli_refuses_a_forged_record_and_the_post_stays_unchanged(
    wordpress, cli_account, tmp_path, capsys, remote
) -> None:
    victim = victim_post(wordpress)
    before = server_state(wordpress, victim["id"])
    path = forged_file(tmp_path, remote.format(id=victim["id"], modified=victim["modified_gmt"]))
    posts = wordpress.count_posts()

    code = main(["publish", str(path)])

    error = capsys.readouterr().err
    assert server_state(wordpress, victim["id"]) == before
    if "blog: other" not in remote:
        assert wordpress.count_posts() == posts
    else:  # another blog's record: this blog gets a new post of its own
        assert code == 0 and wordpress.count_posts() == posts + 1
        text = path.read_text(encoding="utf-8")
        assert read_remote_record(text, "other").id == victim["id"]  # kept as it was
        assert read_remote_record(text, ACCOUNT).id not in (None, victim["id"])
        return
    assert code == 3
    title = public_title(victim)
    assert f"This file says it is “{title}” (post {victim['id']}) on {ACCOUNT}" in error
    assert "--overwrite" in error and "Traceback" not in error


def test_cli_overwrite_updates_the_named_post_and_binds_the_record(
    wordpress, cli_account, tmp_path, capsys
) -> None:
    victim = victim_post(wordpress)
    path = forged_file(
        tmp_path, f"{{id: {victim['id']}, modified_gmt: '{victim['modified_gmt']}'}}"
    )

    assert main(["publish", str(path), "--overwrite"]) == 0
    assert "Overwritten by a stranger." in server_state(wordpress, victim["id"])[0]
    record = read_remote_record(load_post(path).text, ACCOUNT)
    assert record.blog == ACCOUNT and record.content_sha256
    assert "blog: myblog" in load_post(path).text.split("remote:")[1]

    path.write_text(path.read_text(encoding="utf-8") + "\nA later line.\n", encoding="utf-8")
    assert main(["publish", str(path)]) == 0  # now bound: no question
    assert "A later line." in server_state(wordpress, victim["id"])[0]


def test_a_forged_lost_create_does_not_adopt_a_post_with_the_same_title(
    wordpress, cli_account, tmp_path, capsys
) -> None:
    victim = victim_post(wordpress)
    title = public_title(victim)
    before = server_state(wordpress, victim["id"])
    pending = f"{{title: '{title}', started_gmt: '2000-01-01T00:00:00'}}"
    path = forged_file(tmp_path, f"{{blog: myblog, pending_create: {pending}}}", title=title)

    assert main(["publish", str(path)]) == 3

    assert f"This file says it is “{title}” (post {victim['id']})" in capsys.readouterr().err
    assert server_state(wordpress, victim["id"]) == before


def test_a_post_opened_from_the_blog_publishes_without_a_question(
    wordpress, cli_account, tmp_path, capsys
) -> None:
    victim = victim_post(wordpress)
    with WordPressClient(
        wordpress.url, wordpress.admin_user, wordpress.admin_app_password
    ) as client:
        server_post = client.get_post(victim["id"])
        path = pull_into_library(client, server_post, tmp_path, ACCOUNT)
    record = read_remote_record(load_post(path).text, ACCOUNT)
    assert record.content_sha256 == sha256_text(server_post["content"]["raw"])
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited offline.\n", encoding="utf-8")

    assert main(["publish", str(path)]) == 0, capsys.readouterr().err
    assert "Edited offline." in server_state(wordpress, victim["id"])[0]


def test_a_post_published_by_draftpress_updates_without_a_question(wordpress, tmp_path) -> None:
    path = tmp_path / "mine.md"
    path.write_text(f'---\ntitle: "{unique("Mine")}"\n---\n\nFirst words.\n', encoding="utf-8")
    first, _ = publish(wordpress, path)
    path.write_text(path.read_text(encoding="utf-8") + "\nSecond words.\n", encoding="utf-8")
    again, _ = publish(wordpress, path)
    assert again.updated and again.record.id == first.record.id


# -- the window ------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["Cancel", "Update"])
def test_window_asks_before_updating_the_post_a_forged_record_names(
    qtbot, make_window, library_root, memory_keyring, prompter, wordpress, answer
) -> None:
    account = upsert_account(Account(ACCOUNT, wordpress.url, wordpress.admin_user, output="blocks"))
    store_password(account, wordpress.admin_app_password)
    victim = victim_post(wordpress)
    title = public_title(victim)
    before = server_state(wordpress, victim["id"])
    path = forged_file(
        library_root, f"{{id: {victim['id']}, modified_gmt: '{victim['modified_gmt']}'}}"
    )
    window = make_window()
    open_and_wait(qtbot, window, path)
    question = "Update this post on the blog?"
    prompter.answer(question, f"Update “{title}”" if answer == "Update" else None)

    publish_and_wait(qtbot, window, "conflict" if answer == "Cancel" else "published", 60000)

    [asked] = prompter.titled(question)
    assert asked.text == (
        f"This file says it is “{title}” (post {victim['id']}) on {ACCOUNT}, but Draftpress "
        f"cannot tell it published that post from this file. Update “{title}” on the blog?"
    )
    assert sorted(asked.buttons) == sorted([f"Update “{title}”", "Cancel"])
    content = server_state(wordpress, victim["id"])[0]
    if answer == "Cancel":
        assert server_state(wordpress, victim["id"]) == before
    else:
        assert "Overwritten by a stranger." in content
    window.editor.document().setModified(False)
