"""Issue 18, finding 1: publishing uploads only files inside the post's own folder.

A post naming `/etc/...`, `file:///home/you/taxes.txt` or `../../.bashrc` as an image (typed,
or pulled from a co-author's post on the blog) must not send that file to the blog. The rule is
one pure function (editor.core.local_files), shared by the preview and the publisher; the
publisher checks it before its first request. Against the real WordPress: no request reaches the
server and no media item is created.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import httpx
import pytest

from editor.cli import main
from editor.core.local_files import files_outside, inside_folder
from editor.core.post import Post, load_post
from editor.publish import errors
from editor.publish.publisher import Publisher, PublishOptions
from editor.publish.wordpress_client import WordPressClient
from tests.integration.sample_posts import unique, write_png
from tests.integration.test_publish_wordpress import BLOG, CountingTransport, publish


@pytest.fixture
def post_folder(tmp_path: Path) -> Path:
    """A post folder with a real image in its .assets, and a secret file beside the folder."""
    folder = tmp_path / "posts"
    write_png(folder / "trip.assets" / "photo.png", 0x336699)
    (tmp_path / "secret.txt").write_text("my tax number is 12345\n", encoding="utf-8")
    return folder


# -- the rule (pure) -------------------------------------------------------------------------


def test_files_in_the_post_folder_and_its_assets_are_the_posts(post_folder: Path) -> None:
    post = post_folder / "trip.md"
    (post_folder / "beside.png").write_bytes(b"x")
    sources = ["trip.assets/photo.png", "./beside.png", "trip.assets/../beside.png"]
    assert files_outside(sources, post) == []


def test_web_addresses_are_not_local_files(post_folder: Path) -> None:
    sources = [
        "https://example.com/a.png",
        "http://x/y.png",
        "data:image/png;base64,AA==",
        "//cdn/x",
    ]
    assert files_outside(sources, post_folder / "trip.md") == []


@pytest.mark.parametrize(
    "src",
    [
        "/etc/hostname",  # absolute
        "{secret}",  # absolute, the real file
        "file://{secret}",  # file:// URL
        "file:///etc/passwd",
        "../secret.txt",  # ../ escape
        "trip.assets/../../secret.txt",
        "%2e%2e/secret.txt",  # percent-encoded ../
        "..%2Fsecret.txt",
        "ftp://host/../secret.txt",  # an odd scheme reads as a path: still outside
    ],
)
def test_paths_leaving_the_post_folder_are_outside(post_folder: Path, src: str) -> None:
    src = src.format(secret=post_folder.parent / "secret.txt")
    assert files_outside([src], post_folder / "trip.md") == [src]


def test_a_symlink_pointing_out_of_the_folder_is_outside(post_folder: Path) -> None:
    (post_folder / "trip.assets" / "innocent.png").symlink_to(post_folder.parent / "secret.txt")
    (post_folder / "linked.assets").symlink_to(post_folder.parent, target_is_directory=True)
    sources = ["trip.assets/innocent.png", "linked.assets/secret.txt"]
    assert files_outside(sources, post_folder / "trip.md") == sources


def test_a_symlink_staying_inside_the_folder_is_the_posts(post_folder: Path) -> None:
    (post_folder / "alias.png").symlink_to(post_folder / "trip.assets" / "photo.png")
    assert files_outside(["alias.png"], post_folder / "trip.md") == []


def test_a_symlinked_post_folder_is_judged_after_its_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_png(real / "a.png", 0x111111)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert inside_folder(tmp_path / "link" / "a.png", tmp_path / "link")
    assert files_outside(["a.png"], tmp_path / "link" / "post.md") == []


def test_a_symlink_loop_is_outside_not_a_crash(post_folder: Path) -> None:
    loop = post_folder / "loop.png"
    loop.symlink_to(loop)
    assert files_outside(["loop.png"], post_folder / "trip.md") == ["loop.png"]


def test_an_unsaved_post_has_no_folder_so_every_local_file_is_outside() -> None:
    sources = ["photo.png", "https://example.com/a.png"]
    assert files_outside(sources, None) == ["photo.png"]


# -- the publisher, before any request ------------------------------------------------------


class NoNetwork(httpx.BaseTransport):
    """Fails the test on any request: the refusal must come before the first one."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url}")
        raise AssertionError(f"a request was sent: {request.method} {request.url}")


def hostile_post(folder: Path) -> Path:
    """A post naming three files outside its folder, in the three ways the review used."""
    secret = folder.parent / "secret.txt"
    depth = "../" * len(folder.parts)
    path = folder / "trip.md"
    path.write_text(
        f'---\ntitle: "{unique("Hostile")}"\nstatus: draft\nfeatured_image: /etc/hostname\n---\n\n'
        f"![fine](trip.assets/photo.png)\n\n![taxes](file://{secret})\n\n"
        f'<img src="{depth}{str(secret).lstrip("/")}" alt="">\n',
        encoding="utf-8",
    )
    return path


def test_publisher_refuses_every_outside_image_by_name_before_any_request(
    post_folder: Path,
) -> None:
    path = hostile_post(post_folder)
    transport = NoNetwork()
    client = WordPressClient("http://127.0.0.1:9", "ada", "pw", transport=transport)
    with client, pytest.raises(errors.ImageOutsideFolder) as refused:
        Publisher(client).publish(load_post(path), BLOG, PublishOptions())
    message = str(refused.value)
    assert "/etc/hostname" in message and "file://" in message and "secret.txt" in message
    assert "trip.assets/photo.png" not in message and "nothing was sent" in message
    assert transport.requests == []


def test_an_unsaved_post_with_a_local_image_is_refused_saying_to_save_it_first() -> None:
    transport = NoNetwork()
    post = Post("---\ntitle: New\n---\n\n![x](photo.png)\n")
    client = WordPressClient("http://127.0.0.1:9", "ada", "pw", transport=transport)
    with client, pytest.raises(errors.ImageOutsideFolder, match="Save the post first"):
        Publisher(client).publish(post, BLOG, PublishOptions())
    assert transport.requests == []


# -- against the real WordPress --------------------------------------------------------------


def test_real_blog_gets_no_request_and_no_media_from_a_hostile_post(
    wordpress, post_folder: Path
) -> None:
    path = hostile_post(post_folder)
    before = path.read_bytes()
    media, posts = wordpress.count_media(), wordpress.count_posts()
    transport = CountingTransport()
    with pytest.raises(errors.ImageOutsideFolder):
        publish(wordpress, path, transport=transport)
    assert transport.requests == []
    assert wordpress.count_media() == media and wordpress.count_posts() == posts
    assert path.read_bytes() == before  # no record written either


def test_real_cli_refuses_a_hostile_post_and_creates_no_media(
    wordpress, post_folder: Path, memory_keyring, monkeypatch, capsys
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(wordpress.admin_app_password + "\n"))
    assert (
        main(
            [
                "blogs",
                "add",
                "local",
                "--url",
                wordpress.url,
                "--user",
                wordpress.admin_user,
                "--password-stdin",
            ]
        )
        == 0
    )
    path = hostile_post(post_folder)
    media, posts = wordpress.count_media(), wordpress.count_posts()
    assert main(["publish", str(path), "--blog", "local"]) == 1
    error = capsys.readouterr().err
    assert "/etc/hostname" in error and "secret.txt" in error and "Traceback" not in error
    assert wordpress.count_media() == media and wordpress.count_posts() == posts


def test_real_blog_still_gets_images_inside_the_folder_and_through_inner_symlinks(
    wordpress, post_folder: Path
) -> None:
    os.symlink("trip.assets/photo.png", post_folder / "alias.png")
    path = post_folder / "trip.md"
    path.write_text(
        f'---\ntitle: "{unique("Inside")}"\nstatus: draft\nfeatured_image: alias.png\n---\n\n'
        "![fine](trip.assets/photo.png)\n",
        encoding="utf-8",
    )
    media = wordpress.count_media()
    result, _ = publish(wordpress, path)
    assert result.uploaded == 1 and wordpress.count_media() == media + 1
