"""Publishing one post over XML-RPC, with the guarantees of the WordPress publisher.

The post is rendered by the publisher's renderer and written as its classic HTML; each image is
uploaded once (by the sha256 of its file); a create is kept in the publish journal before it
goes out, so a lost answer is found on the blog instead of posting twice; and a post changed on
the blog is never overwritten silently: on WordPress by its modification date (and wp.editPost
refuses an update of a post changed since), elsewhere by comparing the blog's content with the
fingerprint of what was last published (`record.content_sha256`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from editor.core.front_matter import body_of
from editor.core.post import Post, effective_slug
from editor.publish import errors
from editor.publish import publish_steps as steps
from editor.publish.block_converters import MediaRef
from editor.publish.code_languages import with_code_languages
from editor.publish.engines.base import Cancelled, Progress
from editor.publish.engines.xmlrpc_posts import BlogApi, PostFields, ServerPost
from editor.publish.post_images import ImageUse, mime_type
from editor.publish.post_statuses import status_for_engine
from editor.publish.publish_rules import gmt_now, post_date, upload_file_name
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import (
    MediaRecord,
    RemoteRecord,
    read_remote_record,
    sha256_text,
    term_record,
    text_sha256,
)
from editor.publish.wordpress_blocks import html_to_classic

log = logging.getLogger(__name__)

# The front matter's statuses (editor.publish.post_statuses) each kind of XML-RPC can keep:
# MetaWeblog's publish flag, and a future date (dateCreated) that schedules; WordPress's
# post_status also keeps a post private or pending review.
STATUSES = ("draft", "publish", "future")
WORDPRESS_STATUSES = ("draft", "publish", "future", "pending", "private")
LOST_CREATE_LOOKUP = 20  # recent posts searched for one whose create answer was lost


def record_id(post_id: str) -> int:
    """Return a blog's post id as the record keeps it.

    Every XML-RPC blog engine we know numbers its posts; until `RemoteRecord.id` takes text
    (the engine interface's widening), an id that is not a number cannot be recorded.
    """
    if not post_id.isdigit():
        raise errors.UnexpectedAnswer(
            f"The blog names its posts in a way Draftpress cannot record yet (“{post_id[:40]}”)."
        )
    return int(post_id)


class XmlRpcPublisher(steps.PublishSteps):
    """Publishes one post to one XML-RPC blog; safe to run again after any failure."""

    def __init__(self, api: BlogApi, progress: Progress, cancelled: Cancelled) -> None:
        super().__init__(progress, cancelled)
        self.api = api

    def publish(
        self, post: Post, account_name: str, options: PublishOptions, path: Path | None
    ) -> PublishResult:
        """Publish `post`; a fault of the network or the blog says what happens next."""
        with steps.publish_errors():
            return self._publish(post, account_name, options, path)

    # -- checks ---------------------------------------------------------------------------

    def _unverified(self, server: ServerPost, account_name: str) -> errors.UnverifiedRecord:
        """Return the refusal to update a post the file cannot prove it published."""
        title = server.title.strip() or "(no title)"
        post_id = int(server.id) if server.id.isdigit() else None
        return errors.UnverifiedRecord(
            f"This file says it is “{title}” (post {server.id}) on {account_name}, but "
            "Draftpress cannot tell it published that post from this file.",
            title,
            post_id,
        )

    def _check_server_copy(
        self, record: RemoteRecord, force: bool, bound: bool, account_name: str
    ) -> ServerPost | None:
        """Return the blog's copy of the post; refuse if it was changed there since."""
        if record.id is None:
            return None
        try:
            server = self.api.get_post(str(record.id))
        except errors.NotFound:
            self._progress("The post is no longer on the blog; publishing it as a new post.")
            record.id = None
            return None
        if bound and record.pending_update and text_sha256(server.content) == record.pending_update:
            return server  # our own update, whose answer was lost
        if (not bound or not record.content_sha256) and not force:
            raise self._unverified(server, account_name)
        changed = sha256_text(server.content) != record.content_sha256
        if self.api.wordpress and server.modified_gmt != record.modified_gmt:
            changed = True  # a title, tag or status changed on the blog changes the date only
        if changed and not force:
            raise errors.EditedOnServer(
                "This post was changed on the blog since you last published it. Publishing now "
                "would overwrite those changes.",
                server.modified_gmt,
                server.content,
            )
        return server

    def _category_ids(self, record: RemoteRecord, names: list[str]) -> list[str]:
        """Return the ids of the post's categories; one the blog lacks is created or refused.

        Checked before anything is sent: MetaWeblog drops an unknown category silently.
        """
        if not names:
            record.terms.pop("categories", None)
            return []
        known: dict[str, str] = {}
        for name, category_id in self.api.categories():
            known.setdefault(name.casefold(), category_id)
        chosen: list[tuple[str, str]] = []
        for name in names:
            found = known.get(name.casefold())
            if found is None:
                if not self.api.wordpress:
                    raise errors.NotAllowed(
                        f"The blog has no category “{name}”, and its XML-RPC cannot create "
                        "one: create it on the blog, or remove it from the post. Nothing was "
                        "sent."
                    )
                found = self.api.new_category(name)
                known[name.casefold()] = found
            chosen.append((name, found))
        numbered = [(name, int(i)) for name, i in chosen if i.isdigit()]
        record.terms["categories"] = term_record(numbered)
        return [category_id for _name, category_id in chosen]

    # -- images ---------------------------------------------------------------------------

    def _upload_images(
        self, images: list[ImageUse], folder: Path, record: RemoteRecord
    ) -> tuple[dict[str, MediaRef], int, int]:
        """Upload every local image not yet on the blog; return refs by src and the counts."""
        media, uploaded, reused = self._upload_in_turn(images, folder, record, self._upload_one)
        refs = {src: MediaRef(each.id, each.url) for src, each in media.items()}
        return refs, uploaded, reused

    def _upload_one(self, upload: steps.ImageUpload, in_doubt: bool) -> MediaRecord:
        """Upload one image file (or adopt the earlier upload whose answer was lost)."""
        path, sha = upload.path, upload.sha
        found = self.api.find_upload(sha[:12]) if in_doubt else None
        name = upload_file_name(path, sha)
        media_id, url = found or self.api.upload(name, mime_type(path), path.read_bytes())
        return MediaRecord(media_id, url)

    def _thumbnail_id(self, featured: str, refs: dict[str, MediaRef]) -> int:
        """Return the featured image's media id (0 when there is none to set)."""
        if not featured:
            return 0
        ref = refs.get(featured)
        if ref is not None and ref.id:
            return ref.id
        self._progress(
            "The featured image is not a file uploaded to this blog, so it was not set: use an "
            "image file beside the post."
        )
        return 0

    # -- the post -------------------------------------------------------------------------

    def _find_lost_create(
        self, record: RemoteRecord, bound: bool, force: bool
    ) -> ServerPost | None:
        """Find the post an earlier create made when its answer was lost (or None)."""
        pending = record.pending_create
        if not pending:
            return None
        started = dt.datetime.fromisoformat(pending.get("started_gmt", "1970-01-01T00:00:00"))
        for candidate in self.api.recent_posts(LOST_CREATE_LOOKUP):
            if candidate.title.strip() != pending.get("title", "").strip():
                continue
            created = candidate.created_gmt
            earliest = started - steps.PENDING_MATCH_WINDOW
            if created and dt.datetime.fromisoformat(created) < earliest:
                continue
            same = pending.get("text_sha256") == text_sha256(candidate.content)
            if force or (bound and same):
                return self.api.get_post(candidate.id) if candidate.id else candidate
        return None

    def _publish(
        self, post: Post, account_name: str, options: PublishOptions, path: Path | None
    ) -> PublishResult:
        meta = steps.post_meta(post)
        offered = WORDPRESS_STATUSES if self.api.wordpress else STATUSES
        status = status_for_engine(options.status or meta.status, offered, "This blog's XML-RPC")
        date = post_date(meta.date, status) or ""
        self._path = path
        post, bound = steps.post_for_blog(post, path, account_name, self._progress)
        record = read_remote_record(post.text, account_name)
        folder = path.parent if path else Path.cwd()

        self._step("Rendering the post…")
        html = steps.render_post(post.text)
        featured = meta.featured_image if self.api.wordpress else ""  # wp_post_thumbnail
        images = steps.images_to_publish(html, path, featured or None, meta.title)
        if meta.featured_image and not featured:
            self._progress("This blog's XML-RPC takes no featured image; it was left out.")

        self._step("Checking the blog…")
        server = self._check_server_copy(record, options.overwrite_server_edits, bound,
                                         account_name)
        self._step("Matching categories…")
        category_ids = self._category_ids(record, meta.categories)
        refs, uploaded, reused = self._upload_images(images, folder, record)
        fields = PostFields(
            title=meta.title,
            content=with_code_languages(html_to_classic(html, refs), body_of(post.text)),
            status=status,
            slug=effective_slug(meta),
            excerpt=meta.excerpt,
            tags=meta.tags,
            categories=meta.categories,
            category_ids=category_ids,
            date=date,
            thumbnail_id=self._thumbnail_id(featured, refs),
            # The server copy passed the edit check, so a thumbnail it has and the file no
            # longer names is one the writer removed from the front matter.
            clear_thumbnail=(
                self.api.wordpress
                and not meta.featured_image
                and server is not None
                and bool(server.featured_image)
            ),
        )
        payload_sha = sha256_text(json.dumps(fields.as_key(), sort_keys=True))

        if record.id is None and record.pending_create:
            lost = self._find_lost_create(record, bound, options.overwrite_server_edits)
            if lost is not None:
                self._progress("Found the post an interrupted publish created; updating it.")
                record.id, server = record_id(lost.id), lost
        created = updated = False
        unchanged = not options.overwrite_server_edits and payload_sha == record.payload_sha256
        if record.id is not None and server is not None and unchanged:
            stored = server
        else:
            post_id = self._send(record, fields, server, options.overwrite_server_edits)
            created, updated = server is None, server is not None
            self._step("Reading the post back…")
            stored = self.api.get_post(post_id)
        record = replace(
            record,
            id=record_id(stored.id or str(record.id)),
            url=stored.link or record.url,
            modified_gmt=stored.modified_gmt,
            content_sha256=sha256_text(stored.content),
            payload_sha256=payload_sha,
            pending_update="",
            pending_create={},
        )
        steps.keep_final_record(path, record)
        self._progress("Published." if created or updated else "Already up to date.")
        return PublishResult(
            record, record.url, created, updated, uploaded, reused, stored.status or status
        )

    def _send(
        self, record: RemoteRecord, fields: PostFields, server: ServerPost | None, force: bool
    ) -> str:
        """Create or update the post (journal first); return its id."""
        if server is not None and record.id is not None:
            post_id = str(record.id)
            record.pending_update = text_sha256(fields.content)
            self._checkpoint(record)  # a lost answer must not look like an edit on the blog
            self._step("Updating the post…")
            since = "" if force else server.modified_gmt
            self.api.edit_post(post_id, fields, since)
        else:
            record.pending_create = {
                "title": fields.title,
                "slug": fields.slug,
                "started_gmt": gmt_now(),
                "content_sha256": sha256_text(fields.content),
                "text_sha256": text_sha256(fields.content),
            }
            self._checkpoint(record)
            self._step("Creating the post…")
            try:
                post_id = self.api.new_post(fields)
            except steps.REFUSED as error:  # the blog answered "no": nothing was created
                record.pending_create = {}
                self._checkpoint(record)
                raise error from None
            record.id, record.pending_create = record_id(post_id), {}
            self._checkpoint(record)  # the post exists: whatever fails next, it is known
        # wp.editPost sets categories itself; elsewhere they are set by id (MetaWeblog sent
        # their names, which drop unknown ones and cannot tell two of one name apart).
        by_edit = self.api.wordpress and server is not None
        if fields.category_ids and self.api.offers("mt.setPostCategories") and not by_edit:
            self.api.set_categories(post_id, fields.category_ids)
        return post_id


def publish_over_xmlrpc(
    api: BlogApi,
    post: Post,
    account_name: str,
    options: PublishOptions,
    *,
    path: Path | None,
    progress: Progress,
    cancelled: Callable[[], bool],
) -> PublishResult:
    """Publish `post` through a logged-in XML-RPC blog (see XmlRpcPublisher)."""
    return XmlRpcPublisher(api, progress, cancelled).publish(post, account_name, options, path)
