"""What every engine's publish does alike: progress and cancel, the publish journal, the post's
front matter and rendering, and finding which of its local images are already on the blog.

The WordPress publisher (publisher.py) and each engine (engines/ghost*, xmlrpc*, micropub*) use
these, so each rule is written once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from editor.core.front_matter import FrontMatterError, read_front_matter
from editor.publish import errors
from editor.publish.post_images import ImageUse, images_in, is_local, local_path
from editor.publish.publish_journal import keep_in_journal, text_for_publish
from editor.publish.publish_rules import refuse_files_outside
from editor.publish.remote_record import MediaRecord, RemoteRecord, recorded_blogs, short_sha256
from editor.render.checked_render import RenderTooSlow, render_checked

if TYPE_CHECKING:
    from editor.core.post import Post, PostMeta
    from editor.publish.blog_http import BlogConnection

log = logging.getLogger(__name__)

# Answers that prove the blog refused a create (so no post exists); network failures, 5xx and
# HTML answers prove nothing, so a pending create survives them and the next publish looks for it.
REFUSED = (
    errors.WrongCredentials,
    errors.NotAllowed,
    errors.NotFound,
    errors.ApiUnavailable,
    errors.UploadTooLarge,
)
# How long before a lost create started a post found on the blog may have been made by it.
PENDING_MATCH_WINDOW = dt.timedelta(minutes=10)
RESUME_HINT = (
    "Your post is safe, and nothing will be published twice: publish again when the blog "
    "answers, and Draftpress picks up where it stopped."
)
CANCELLED = "Publishing was cancelled. Nothing was lost; publish again."


class PublishCancelled(errors.Cancelled):
    """The writer cancelled the publish; what was uploaded is recorded."""


class PublishSteps:
    """Progress, cancel and the publish journal for one publish (a base for each publisher)."""

    log_label = "publish"  # how the log names this engine's steps

    def __init__(
        self,
        progress: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        checkpoint: Callable[[RemoteRecord], None] | None = None,
    ) -> None:
        """`checkpoint` also receives each in-flight state (the publish journal always does)."""
        self._progress: Callable[[str], None] = progress or (lambda _message: None)
        self._cancelled: Callable[[], bool] = cancelled or (lambda: False)
        self._also_checkpoint = checkpoint or (lambda _record: None)
        self._path: Path | None = None  # the post file being published (the journal's key)

    def _step(self, message: str) -> None:
        """Report progress and stop if the writer cancelled."""
        if self._cancelled():
            raise PublishCancelled(CANCELLED)
        log.info("%s: %s", self.log_label, message)
        self._progress(message)

    def _checkpoint(self, record: RemoteRecord) -> None:
        """Keep the in-flight state in the publish journal before the next request goes out."""
        if self._path is not None:
            try:
                keep_in_journal(self._path, record)
            except OSError as error:
                raise errors.PublishError(
                    f"Draftpress could not keep the post's publishing state ({error}), so it "
                    "stopped before sending the post."
                ) from None
        self._also_checkpoint(record)

    def _upload_in_turn(
        self,
        images: list[ImageUse],
        folder: Path,
        record: RemoteRecord,
        upload_one: Callable[[ImageUpload, bool], MediaRecord],
    ) -> tuple[dict[str, MediaRecord], int, int]:
        """Upload each local image not yet on the blog, one after another; return the media
        by src (recorded and new) and how many were uploaded and reused.

        `upload_one(upload, in_doubt)` sends one file; `in_doubt`: an earlier publish sent it
        but never heard back (an engine that can look for it first does). The journal knows
        each upload before and after it goes out.
        """
        found = local_images(images, folder, record)
        media = dict(found.recorded)
        if not found.uploads:
            return media, 0, found.reused
        self._step(f"Uploading {len(found.uploads)} image(s)…")
        in_doubt = set(record.pending_media)
        self._uploads_starting(record, [each.sha for each in found.uploads])
        for upload in found.uploads:
            self._step(f"Uploading {upload.path.name}…")
            sent = upload_one(upload, upload.sha in in_doubt)
            self._uploaded(record, upload.sha, sent)  # stays known even if the rest fails
            self._progress(f"Uploaded {upload.path.name}")
            for src in upload.srcs:
                media[src] = sent
        return media, len(found.uploads), found.reused

    def _uploads_starting(self, record: RemoteRecord, shas: list[str]) -> None:
        """Note the files about to be uploaded (a retry looks for them first) in the journal."""
        record.pending_media = sorted(shas)
        self._checkpoint(record)

    def _uploaded(self, record: RemoteRecord, sha: str, media: MediaRecord) -> None:
        """Record one finished upload, so it stays known even if the rest fails."""
        record.media[sha] = media
        record.pending_media = [p for p in record.pending_media if p != sha]
        self._checkpoint(record)


def urls_of(media: dict[str, MediaRecord]) -> dict[str, str]:
    """Return the URL of each image's upload by its src."""
    return {src: each.url for src, each in media.items()}


def keep_final_record(path: Path | None, record: RemoteRecord) -> None:
    """Keep a publish's final record in the journal (a failure there only warns)."""
    if path is None:
        return
    try:
        keep_in_journal(path, record)
    except OSError as error:
        log.warning("could not keep the publish record in the journal: %s", error)


@contextmanager
def publish_errors(*, resume_hint: bool = True) -> Iterator[None]:
    """Turn an ended request into PublishCancelled and (with `resume_hint`) say, after a fault
    of the network or the blog, what happens next (keeping the error's kind)."""
    try:
        yield
    except PublishCancelled:
        raise
    except errors.Cancelled:  # a request under way was ended
        raise PublishCancelled(CANCELLED) from None
    except errors.PublishError as error:
        if not resume_hint or not error.retry_safe or RESUME_HINT in str(error):
            raise
        resumable = type(error)(f"{error} {RESUME_HINT}")
        resumable.code, resumable.data = error.code, error.data
        raise resumable from None


@contextmanager
def cancel_requests(connection: BlogConnection, cancelled: Callable[[], bool]) -> Iterator[None]:
    """Let Cancel also end the connection's request under way, for the time of a publish."""
    previous = connection.cancelled
    connection.cancelled = cancelled
    try:
        yield
    finally:
        connection.cancelled = previous


def post_meta(post: Post) -> PostMeta:
    """Return the post's front matter; a PublishError in plain words when it cannot be read."""
    try:
        return post.meta()
    except FrontMatterError as problem:
        raise errors.PublishError(f"{problem} Fix it before publishing.") from None


def new_post_type(post: Post, record: RemoteRecord) -> None:
    """Let a post not yet on the blog be created as a page when its front matter says
    `type: page` (a published one keeps the type its record names)."""
    if record.id is not None or record.type:
        return
    try:
        wanted = str(read_front_matter(post.text).get("type") or "").strip().lower()
    except FrontMatterError:
        return  # post_meta has said so already
    if wanted == "page":
        record.type = "page"


def post_for_blog(
    post: Post,
    path: Path | None,
    account_name: str,
    progress: Callable[[str], None],
    *,
    from_journal: bool = True,
) -> tuple[Post, bool]:
    """Return the post with its journal's state (`from_journal`), and whether it names this blog.

    A post may live on several blogs, each with its own record: publishing to a blog it does
    not name yet adds a record for it (see remote_record.py). A record that names no blog is
    not proof that it was made on this one (the caller refuses to update through it).
    """
    if path is not None and from_journal:
        text, why = text_for_publish(post.text, path, account_name)
        if why:
            progress(why)
            post = post.with_text(text)
    return post, account_name in recorded_blogs(post.text)


def render_post(text: str) -> str:
    """Render the post's Markdown to HTML as every engine publishes it."""
    try:
        return render_checked(text)
    except RenderTooSlow as error:
        raise errors.PublishError(f"The post cannot be rendered: {error}") from None


def images_to_publish(
    html: str, post_path: Path | None, featured: str | None = None, featured_alt: str = ""
) -> list[ImageUse]:
    """Return the images of the rendered post (and its featured image, when not in the body).

    Refuses an image file outside the post's folder.
    """
    images = images_in(html)
    if featured and all(i.src != featured for i in images):
        images.append(ImageUse(featured, featured_alt, ""))
    refuse_files_outside(images, post_path)
    return images


@dataclass
class ImageUpload:
    """One image file to upload, and every spelling (src) of it in the post."""

    sha: str  # short_sha256 of the file (its key in `record.media`)
    path: Path
    image: ImageUse  # its first use: the alt text and caption an upload carries
    srcs: list[str] = field(default_factory=list)


@dataclass
class LocalImages:
    """The post's local images: those already on the blog, and the files still to upload."""

    recorded: dict[str, MediaRecord]  # src -> the upload recorded for its file
    uploads: list[ImageUpload]  # in the post's order, one per file
    reused: int  # how many image uses the recorded uploads serve


def local_images(images: list[ImageUse], folder: Path, record: RemoteRecord) -> LocalImages:
    """Sort the post's local images into recorded uploads and files to upload, once each.

    A file is known by the SHA-256 of its bytes, so the same file under two spellings is
    uploaded once; a missing file is refused before anything is sent.
    """
    recorded: dict[str, MediaRecord] = {}
    uploads: dict[str, ImageUpload] = {}
    reused = 0
    for image in images:
        if not is_local(image.src):
            continue
        path = local_path(image.src, folder)
        try:
            sha = short_sha256(path.read_bytes())
        except OSError:
            raise errors.PublishError(
                f"The image “{image.src}” is missing beside the post; put it back or "
                "remove it from the post."
            ) from None
        if sha in record.media:
            recorded[image.src] = record.media[sha]
            reused += 1
        else:
            uploads.setdefault(sha, ImageUpload(sha, path, image)).srcs.append(image.src)
    return LocalImages(recorded, list(uploads.values()), reused)
