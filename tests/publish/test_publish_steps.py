"""The publishing steps every engine shares (publish_steps.py), on real files (no server).

The upload loop is given a recording `upload_one`: which files an engine is asked to send, and
in which state the journal is meanwhile, is what these rules decide; the engines' own uploads
are covered against the real servers in tests/integration/engines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.publish import errors
from editor.publish.post_images import ImageUse
from editor.publish.publish_journal import journaled_record
from editor.publish.publish_steps import (
    ImageUpload,
    PublishCancelled,
    PublishSteps,
    local_images,
    publish_errors,
)
from editor.publish.remote_record import MediaRecord, RemoteRecord, short_sha256


def _files(folder: Path) -> tuple[Path, Path]:
    """Write two different image files beside a post; return them."""
    (folder / "img").mkdir()
    one, two = folder / "img" / "one.png", folder / "img" / "two.png"
    one.write_bytes(b"\x89PNG first")
    two.write_bytes(b"\x89PNG second")
    return one, two


def test_one_upload_per_file_and_recorded_files_reused(tmp_path: Path) -> None:
    one, two = _files(tmp_path)
    record = RemoteRecord(blog="b", media={short_sha256(two.read_bytes()): MediaRecord(7, "u7")})
    images = [
        ImageUse("img/one.png", "first", "a caption"),
        ImageUse("./img/one.png", "again", ""),  # the same file under another spelling
        ImageUse("img/two.png", "second", ""),
        ImageUse("https://elsewhere.example/x.png", "remote", ""),
    ]
    found = local_images(images, tmp_path, record)
    assert [(u.path, u.srcs, u.image.alt) for u in found.uploads] == [
        (one.resolve(), ["img/one.png", "./img/one.png"], "first")
    ]
    assert found.recorded == {"img/two.png": MediaRecord(7, "u7")} and found.reused == 1


def test_a_missing_image_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    _files(tmp_path)
    images = [ImageUse("img/one.png", "", ""), ImageUse("img/gone.png", "", "")]
    with pytest.raises(errors.PublishError, match="“img/gone.png” is missing beside the post"):
        local_images(images, tmp_path, RemoteRecord(blog="b"))


def test_uploads_in_turn_are_known_to_the_journal_before_and_after(tmp_path: Path) -> None:
    one, two = _files(tmp_path)
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: T\n---\n")
    checkpoints: list[list[str]] = []
    steps = PublishSteps(checkpoint=lambda record: checkpoints.append(list(record.pending_media)))
    steps._path = post
    sent: list[tuple[str, bool]] = []
    sha_one = short_sha256(one.read_bytes())
    record = RemoteRecord(blog="b", pending_media=[sha_one])  # an upload in doubt from before

    def upload_one(upload: ImageUpload, in_doubt: bool) -> MediaRecord:
        sent.append((upload.path.name, in_doubt))
        return MediaRecord(len(sent), f"https://blog/{upload.path.name}")

    images = [ImageUse("img/one.png", "", ""), ImageUse("img/two.png", "", "")]
    media, uploaded, reused = steps._upload_in_turn(images, tmp_path, record, upload_one)
    assert sent == [("one.png", True), ("two.png", False)]
    assert (uploaded, reused) == (2, 0)
    assert media["img/two.png"] == MediaRecord(2, "https://blog/two.png")
    sha_two = short_sha256(two.read_bytes())
    assert checkpoints == [sorted([sha_one, sha_two]), [sha_two], []]
    assert set(record.media) == {sha_one, sha_two} and record.pending_media == []
    kept = journaled_record(post, "b")
    assert kept is not None and set(kept.media) == {sha_one, sha_two}


def test_cancel_stops_before_the_next_upload(tmp_path: Path) -> None:
    _files(tmp_path)
    asked = iter([False, False, True])  # the count step, the first file, then Cancel
    steps = PublishSteps(cancelled=lambda: next(asked))
    sent: list[str] = []

    def upload_one(upload: ImageUpload, _in_doubt: bool) -> MediaRecord:
        sent.append(upload.path.name)
        return MediaRecord(0, "u")

    images = [ImageUse("img/one.png", "", ""), ImageUse("img/two.png", "", "")]
    record = RemoteRecord(blog="b")
    with pytest.raises(PublishCancelled):
        steps._upload_in_turn(images, tmp_path, record, upload_one)
    assert sent == ["one.png"] and len(record.media) == 1


def test_a_network_fault_says_what_happens_next_and_keeps_its_kind() -> None:
    with pytest.raises(errors.NoNetwork) as caught, publish_errors():
        raise errors.NoNetwork("The blog did not answer.")
    assert "publish again when the blog answers" in str(caught.value)
    with pytest.raises(PublishCancelled), publish_errors(resume_hint=False):
        raise errors.Cancelled("ended")
