"""Publishing through a fault-injecting proxy in front of the real WordPress.

Each scenario: the fault, a clear message for the writer, the post file intact (all but its
`remote:` record), the record true to what the blog really holds (asked directly, not through
the proxy), then a retry once the fault is over that finishes with exactly one post and one
media item per image. The proxy (tests/integration/fault_proxy.py) is real TCP; only the
faults are made up, since a real WordPress cannot be made to fail on demand.
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image

from editor.core.front_matter import read_front_matter
from editor.core.post import Post, load_post, save_post
from editor.publish import errors
from editor.publish.accounts import Account, store_password, upsert_account
from editor.publish.publisher import Publisher, PublishOptions
from editor.publish.remote_record import read_remote_record, short_sha256, with_remote_record
from editor.publish.retry_policy import RetryPolicy
from editor.publish.wordpress_client import WordPressClient
from tests.integration import fault_proxy as faults
from tests.integration.wordpress_server import WordPressServer

BLOG = "faulty-blog"
TIMEOUT = httpx.Timeout(5.0, connect=3.0)  # short, so a slow answer is seen soon; not flaky
UPLOAD_TIMEOUT = httpx.Timeout(15.0, connect=2.0)
QUICK_RETRY = RetryPolicy(tries=3, base_delay=0.2, max_delay=1.0, total_cap=2.0)
MEDIA = "/wp/v2/media$"
CREATE = "/wp/v2/posts$"


@pytest.fixture
def proxy(wordpress: WordPressServer):
    """A fault proxy in front of the session's WordPress (it follows a restarted server)."""
    with faults.fault_proxy(lambda: wordpress.port) as started:
        yield started


def proxied_blog(wordpress, proxy) -> Account:
    """An account whose address is the fault proxy in front of the real WordPress."""
    account = upsert_account(Account(BLOG, proxy.url, wordpress.admin_user, output="blocks"))
    store_password(account, wordpress.admin_app_password)
    return account


def unique_title(prefix: str) -> str:
    """A title no other test on the shared site uses."""
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def write_noise_png(path: Path) -> None:
    """Write a PNG of random pixels: unique on the shared site and too big for one packet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", (200, 150), os.urandom(200 * 150 * 3)).save(path)


def make_post(folder: Path, title: str, extra: str = "") -> Path:
    """Write a post with two unique local images (`extra`: more front matter lines)."""
    stem = f"post-{uuid.uuid4().hex[:8]}"
    for name in ("first", "second"):
        write_noise_png(folder / f"{stem}.assets" / f"{name}.png")
    path = folder / f"{stem}.md"
    path.write_text(
        f'---\ntitle: "{title}"\nstatus: publish\ntags: [faults]\ncategories: [News]\n{extra}'
        "---\n\n"
        f"Words before.\n\n![The first]({stem}.assets/first.png)\n\nWords between.\n\n"
        f"![The second]({stem}.assets/second.png)\n",
        encoding="utf-8",
    )
    return path


def image_shas(path: Path) -> list[str]:
    """The content hashes of the post's two images (the keys of the record's media)."""
    folder = path.parent / f"{path.stem}.assets"
    return [short_sha256((folder / name).read_bytes()) for name in ("first.png", "second.png")]


def publish(
    url: str, path: Path, user: str, password: str, *, upload_timeout=UPLOAD_TIMEOUT, **options
):
    """Publish a post file the way the CLI does, through `url`; return the result."""
    options.setdefault("output", "blocks")
    saved = {"post": load_post(path)}

    def checkpoint(record) -> None:
        saved["post"] = save_post(
            saved["post"].with_text(with_remote_record(saved["post"].text, record))
        )

    with WordPressClient(
        url, user, password, timeout=TIMEOUT, upload_timeout=upload_timeout, retry=QUICK_RETRY
    ) as client:
        result = Publisher(client, checkpoint=checkpoint).publish(
            saved["post"], BLOG, PublishOptions(**options)
        )
    checkpoint(result.record)
    return result


def publish_admin(wordpress: WordPressServer, url: str, path: Path, **options):
    return publish(url, path, wordpress.admin_user, wordpress.admin_app_password, **options)


def server_posts(wordpress: WordPressServer, title: str) -> list[dict]:
    """The posts on the blog with exactly this title (asked directly, not via the proxy)."""
    answer = wordpress.request(
        "GET",
        "wp/v2/posts",
        params={"search": title, "status": "any", "context": "edit", "per_page": 100},
    )
    answer.raise_for_status()
    return [p for p in answer.json() if p["title"]["raw"] == title]


def server_media(wordpress: WordPressServer, sha: str) -> list[dict]:
    """The media items whose file name carries this image's content tag."""
    answer = wordpress.request(
        "GET", "wp/v2/media", params={"search": sha[:12], "context": "edit", "per_page": 100}
    )
    answer.raise_for_status()
    return [m for m in answer.json() if sha[:12] in m["source_url"]]


def assert_file_intact(path: Path, before: str) -> None:
    """Everything the writer wrote is still there, byte for byte; only `remote:` was added."""
    after = load_post(path).text
    assert Post(after).body == Post(before).body
    front, front_before = dict(read_front_matter(after)), dict(read_front_matter(before))
    front.pop("remote", None)
    front_before.pop("remote", None)
    assert front == front_before


def assert_record_true(wordpress: WordPressServer, path: Path, title: str) -> None:
    """The `remote:` record claims nothing the blog lacks, and flags as in doubt what the blog
    may have that the record does not know (a create or upload whose answer never came)."""
    record = read_remote_record(load_post(path).text, BLOG)
    posts = server_posts(wordpress, title)
    assert len(posts) <= 1, "a duplicate post"
    if record.id is not None:
        assert [p["id"] for p in posts] == [record.id]
    elif posts:
        assert record.pending_create.get("title") == title
    for sha in image_shas(path):
        media = server_media(wordpress, sha)
        assert len(media) <= 1, "a duplicate media item"
        if sha in record.media:
            assert [m["id"] for m in media] == [record.media[sha].id]
        elif media:
            assert sha in record.pending_media


def assert_finished_once(wordpress: WordPressServer, path: Path, title: str) -> None:
    """Exactly one post and one media item per image, all in the record, nothing in doubt."""
    record = read_remote_record(load_post(path).text, BLOG)
    posts = server_posts(wordpress, title)
    assert [p["id"] for p in posts] == [record.id]
    for sha in image_shas(path):
        assert [m["id"] for m in server_media(wordpress, sha)] == [record.media[sha].id]
    assert not record.pending_create and not record.pending_media and not record.pending_update
    raw = posts[0]["content"]["raw"]
    assert all(m.url in raw for m in record.media.values())


def fail_then_retry(wordpress, proxy, tmp_path, expected, words, on_server=None):
    """Publish through the scripted proxy expecting `expected` with `words` in its message,
    check the file and the record (and `on_server(path)`: what the blog has now), clear the
    fault, publish again and check the result."""
    title = f"Fault {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(expected) as caught:
        publish_admin(wordpress, proxy.url, path)
    message = str(caught.value)
    for word in words:
        assert word in message, message
    assert wordpress.admin_app_password not in message
    assert_file_intact(path, before)
    assert_record_true(wordpress, path, title)
    if on_server is not None:
        on_server(path, title)
    proxy.clear()
    publish_admin(wordpress, proxy.url, path)
    assert_file_intact(path, before)
    assert_finished_once(wordpress, path, title)
    return path, title


def test_a_connection_dropped_mid_upload(wordpress, proxy, tmp_path) -> None:
    def nothing_arrived(path: Path, title: str) -> None:
        assert server_posts(wordpress, title) == []
        assert all(server_media(wordpress, sha) == [] for sha in image_shas(path))
        assert read_remote_record(load_post(path).text, BLOG).media == {}

    proxy.on("POST", MEDIA, faults.DROP_MID_UPLOAD)
    fail_then_retry(
        wordpress,
        proxy,
        tmp_path,
        errors.NoNetwork,
        ["broke off", "uploading", "publish again"],
        on_server=nothing_arrived,
    )
    assert len(proxy.seen(faults.DROP_MID_UPLOAD)) == 1


def test_a_500_error_page_on_an_upload(wordpress, proxy, tmp_path) -> None:
    proxy.on("POST", MEDIA, faults.ERROR_PAGE, nth=2, status=500)
    path, _ = fail_then_retry(
        wordpress, proxy, tmp_path, errors.ServerError, ["HTTP 500", "uploading", "error page"]
    )
    # The blog's own failure is not retried blindly: one attempt at the second image.
    assert len(proxy.seen(faults.ERROR_PAGE)) == 1


def test_a_502_error_page_on_a_read_is_retried_and_on_the_create_is_not(
    wordpress, proxy, tmp_path
) -> None:
    proxy.on("GET", "/wp/v2/tags", faults.ERROR_PAGE, status=502)
    proxy.on("POST", CREATE, faults.ERROR_PAGE, status=502)
    seen_before = len(proxy.seen())
    fail_then_retry(
        wordpress, proxy, tmp_path, errors.ServerError, ["HTTP 502", "creating the post"]
    )
    first_try = proxy.seen()[seen_before:]
    tag_reads = [s for s in first_try if s.method == "GET" and "/wp/v2/tags" in s.target]
    creates = [s for s in first_try if s.method == "POST" and s.target.endswith("/wp/v2/posts")]
    assert [s.action for s in tag_reads[:2]] == [faults.ERROR_PAGE, faults.PASS]
    assert len(creates) == 2  # the failed one, then the retry's (never sent twice in one go)


def test_an_answer_slower_than_the_timeout(wordpress, proxy, tmp_path) -> None:
    proxy.on("POST", CREATE, faults.SLOW, delay=TIMEOUT.read * 3)
    fail_then_retry(
        wordpress, proxy, tmp_path, errors.Timeout, ["did not answer in time", "creating"]
    )


def make_app_password(wordpress: WordPressServer, name: str) -> tuple[str, str]:
    """A new application password for the administrator: (password, its uuid)."""
    out = wordpress.php_eval(
        f"$dp_made = WP_Application_Passwords::create_new_application_password("
        f"{wordpress.admin_id}, ['name' => '{name}']);\n"
        "echo $dp_made[0] . ' ' . $dp_made[1]['uuid'];\n"
    )
    password, key = out.strip().split()[-2:]
    return password, key


def test_the_password_revoked_in_the_middle_of_a_publish(wordpress, proxy, tmp_path) -> None:
    password, key = make_app_password(wordpress, f"revoked-{uuid.uuid4().hex[:6]}")

    def revoke() -> None:  # really revoked on the blog, between the two uploads
        wordpress.php_eval(
            f"WP_Application_Passwords::delete_application_password({wordpress.admin_id}, '{key}');"
        )

    proxy.on("POST", MEDIA, faults.PASS, nth=2, before=revoke)
    title = f"Revoked {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(errors.WrongCredentials) as caught:
        publish(proxy.url, path, wordpress.admin_user, password)
    assert "refused the user name or application password" in str(caught.value)
    assert password not in str(caught.value)
    assert_file_intact(path, before)
    assert_record_true(wordpress, path, title)
    record = read_remote_record(load_post(path).text, BLOG)
    assert len(record.media) == 1 and record.id is None
    new_password, _ = make_app_password(wordpress, f"new-{uuid.uuid4().hex[:6]}")
    publish(proxy.url, path, wordpress.admin_user, new_password)
    assert_finished_once(wordpress, path, title)


def test_the_server_restarted_during_a_publish(wordpress, proxy, tmp_path) -> None:
    restarted = threading.Event()

    def restart() -> None:  # the blog goes down as the create arrives, and comes back
        wordpress.stop_php()

        def start_again() -> None:
            try:
                wordpress.start_php()
            finally:
                restarted.set()

        threading.Thread(target=start_again, daemon=True).start()

    proxy.on("POST", CREATE, faults.PASS, before=restart)
    title = f"Restart {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(errors.NoNetwork) as caught:
        publish_admin(wordpress, proxy.url, path)
    assert "publish again" in str(caught.value)
    assert restarted.wait(60) and wordpress._php is not None
    assert_file_intact(path, before)
    assert_record_true(wordpress, path, title)
    proxy.clear()
    publish_admin(wordpress, proxy.url, path)
    assert_finished_once(wordpress, path, title)


def test_the_lost_answer_of_an_upload(wordpress, proxy, tmp_path) -> None:
    def uploaded_but_unknown(path: Path, title: str) -> None:
        first, _second = image_shas(path)
        assert len(server_media(wordpress, first)) == 1  # the blog has it ...
        record = read_remote_record(load_post(path).text, BLOG)
        assert first not in record.media and first in record.pending_media  # ... in doubt

    proxy.on("POST", MEDIA, faults.LOSE_ANSWER)
    path, _ = fail_then_retry(
        wordpress, proxy, tmp_path, errors.NoNetwork, ["broke off"], on_server=uploaded_but_unknown
    )
    # The retry found the upload the blog had made, and did not send the image again.
    uploads = [s for s in proxy.seen() if s.method == "POST" and "/wp/v2/media?" in s.target]
    assert len(uploads) == 2  # the first (answer lost), then only the second image


def test_the_lost_answer_of_an_update(wordpress, proxy, tmp_path) -> None:
    title = f"Lost Update {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    first = publish_admin(wordpress, proxy.url, path)
    post = load_post(path)
    save_post(post.with_text(post.text + "\nAn edit whose answers are lost.\n"))
    before = path.read_text(encoding="utf-8")
    update = f"/wp/v2/posts/{first.record.id}$"
    proxy.on("POST", update, faults.LOSE_ANSWER, times=None)
    with pytest.raises(errors.NoNetwork) as caught:
        publish_admin(wordpress, proxy.url, path)
    assert "broke off" in str(caught.value) and "updating the post" in str(caught.value)
    # An update is idempotent: it was sent again by itself, as often as the policy allows.
    assert len(proxy.seen(faults.LOSE_ANSWER)) == QUICK_RETRY.tries
    assert "answers are lost" in server_posts(wordpress, title)[0]["content"]["raw"]
    assert read_remote_record(load_post(path).text, BLOG).pending_update
    assert_file_intact(path, before)
    assert_record_true(wordpress, path, title)
    proxy.clear()
    again = publish_admin(wordpress, proxy.url, path)  # no false "changed on the blog"
    assert again.record.id == first.record.id
    assert_finished_once(wordpress, path, title)


def test_one_lost_answer_of_an_update_is_retried_without_troubling_the_writer(
    wordpress, proxy, tmp_path
) -> None:
    title = f"Lost Once {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    first = publish_admin(wordpress, proxy.url, path)
    post = load_post(path)
    save_post(post.with_text(post.text + "\nAn edit whose first answer is lost.\n"))
    proxy.on("POST", f"/wp/v2/posts/{first.record.id}$", faults.LOSE_ANSWER)
    again = publish_admin(wordpress, proxy.url, path)
    assert again.updated and again.record.id == first.record.id
    updates = [s for s in proxy.seen() if s.target.endswith(f"/posts/{first.record.id}")]
    assert [s.action for s in updates if s.method == "POST"] == [faults.LOSE_ANSWER, faults.PASS]
    assert_finished_once(wordpress, path, title)


def test_a_lost_create_then_a_new_title_still_makes_one_post(wordpress, proxy, tmp_path) -> None:
    title = f"Lost Create {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    proxy.on("POST", CREATE, faults.LOSE_ANSWER)
    with pytest.raises(errors.NoNetwork):
        publish_admin(wordpress, proxy.url, path)
    assert_record_true(wordpress, path, title)
    renamed = f"Renamed {uuid.uuid4().hex[:10]}"  # the writer retitles before trying again
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'title: "{title}"', f'title: "{renamed}"'), encoding="utf-8")
    publish_admin(wordpress, proxy.url, path)
    assert server_posts(wordpress, title) == []
    assert_finished_once(wordpress, path, renamed)


def test_a_lost_create_of_a_back_dated_post_makes_one_post(wordpress, proxy, tmp_path) -> None:
    title = f"Back Dated {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title, extra="date: 2020-05-01T10:00:00\n")
    proxy.on("POST", CREATE, faults.LOSE_ANSWER)
    with pytest.raises(errors.NoNetwork):
        publish_admin(wordpress, proxy.url, path)
    publish_admin(wordpress, proxy.url, path)
    assert_finished_once(wordpress, path, title)
    assert server_posts(wordpress, title)[0]["date"].startswith("2020-05-01")


def test_a_slow_upload_and_a_lost_new_tag_make_no_duplicates(wordpress, proxy, tmp_path) -> None:
    tag = f"fresh-{uuid.uuid4().hex[:8]}"
    title = f"Slow Upload {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    text = path.read_text(encoding="utf-8").replace("tags: [faults]", f"tags: [{tag}]")
    path.write_text(text, encoding="utf-8")
    proxy.on("POST", MEDIA, faults.SLOW, nth=2, delay=UPLOAD_TIMEOUT.read * 3)
    proxy.on("POST", "/wp/v2/tags$", faults.LOSE_ANSWER)
    quick_uploads = {"upload_timeout": TIMEOUT}
    with pytest.raises(errors.Timeout) as caught:
        publish_admin(wordpress, proxy.url, path, **quick_uploads)
    assert "did not answer in time" in str(caught.value)
    assert_record_true(wordpress, path, title)
    with pytest.raises(errors.NoNetwork):  # now the new tag's answer is lost
        publish_admin(wordpress, proxy.url, path, **quick_uploads)
    proxy.clear()
    publish_admin(wordpress, proxy.url, path)
    assert_finished_once(wordpress, path, title)
    tags = wordpress.request("GET", "wp/v2/tags", params={"search": tag}).json()
    assert [t["name"] for t in tags] == [tag]


def test_a_blog_refusing_connections_for_a_moment_is_waited_for(wordpress, proxy, tmp_path):
    proxy.on("GET", "/$", faults.REFUSE, times=QUICK_RETRY.tries - 1)  # the site's front page
    title = f"Refused {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    result = publish_admin(wordpress, proxy.url, path)
    assert result.created and len(proxy.seen(faults.REFUSE)) == QUICK_RETRY.tries - 1
    assert_finished_once(wordpress, path, title)


def test_maintenance_mode_is_explained_and_waited_out(wordpress, proxy, tmp_path) -> None:
    """A real WordPress fault, no proxy trick: the `.maintenance` file of an update in progress
    makes every request a 503 page with `Retry-After: 600`."""
    maintenance = wordpress.site_dir / ".maintenance"
    title = f"Maintenance {uuid.uuid4().hex[:10]}"
    path = make_post(tmp_path, title)
    before = path.read_text(encoding="utf-8")
    maintenance.write_text("<?php $upgrading = time(); ?>")
    try:
        with pytest.raises(errors.ServerError) as caught:
            publish_admin(wordpress, proxy.url, path)
    finally:
        maintenance.unlink()
    message = str(caught.value)
    assert "briefly unavailable" in message and "about 10 minute" in message, message
    # A wait of ten minutes is longer than a writer should watch: no retries in between.
    assert len(proxy.seen()) == 1
    assert_file_intact(path, before)
    assert_record_true(wordpress, path, title)
    publish_admin(wordpress, proxy.url, path)
    assert_finished_once(wordpress, path, title)
