"""Publishing one post to Ghost: images once each, create or update, edits on the blog noticed.

The same guarantees as the WordPress publisher (editor/publish/publisher.py), in Ghost's terms:
the in-flight state goes to the publish journal before each request that changes the blog (a
lost create answer is found again by the next publish, never made twice); each image is
uploaded once, by the SHA-256 of its file (`record.media`); an update carries the `updated_at`
the post was last published at, and a post changed on the blog since is refused
(`errors.EditedOnServer`) unless the writer chose to overwrite.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import replace
from pathlib import Path

from editor.core.front_matter import body_of
from editor.core.post import Post, PostMeta, effective_slug
from editor.publish import errors
from editor.publish import publish_steps as steps
from editor.publish.answers import JsonObject
from editor.publish.engines.base import Cancelled, Progress
from editor.publish.engines.ghost_client import GhostClient
from editor.publish.engines.ghost_html import ghost_html
from editor.publish.html_fragments import parse_fragment, text_content
from editor.publish.post_images import mime_type
from editor.publish.post_statuses import status_for_engine
from editor.publish.publish_rules import gmt_now, post_date, upload_file_name
from editor.publish.publisher import PublishOptions, PublishResult
from editor.publish.remote_record import (
    MediaRecord,
    RemoteRecord,
    read_remote_record,
    sha256_text,
)

log = logging.getLogger(__name__)

# The front matter's statuses (editor.publish.post_statuses) as Ghost names them.
GHOST_STATUSES = {"draft": "draft", "publish": "published", "future": "scheduled"}
LOST_CREATE_LOOKUP = 50  # the newest posts searched for a create whose answer was lost


def ghost_status(status: str) -> str:
    """Return Ghost's name for a post status (the front matter's words, or Ghost's own); a
    PublishError in the writer's words for one Ghost does not have."""
    return GHOST_STATUSES[status_for_engine(status, GHOST_STATUSES, "A Ghost blog")]


def ghost_date(date: str) -> str:
    """Return a front matter date-time (local time unless it names its zone) in UTC, ISO 8601."""
    moment = dt.datetime.fromisoformat(date)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def local_time(moment: str) -> str:
    """Return an ISO 8601 time with a zone as this computer's local time (ghost_date reads a
    front matter time without a zone so); "" for none or anything else."""
    try:
        parsed = dt.datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if parsed.tzinfo is None:
        return ""
    return parsed.astimezone().strftime("%Y-%m-%dT%H:%M:%S")


def with_ghost_id(record: RemoteRecord, ghost_id: str | None) -> RemoteRecord:
    """Return the record naming a Ghost post id (a hex string)."""
    return replace(record, id=ghost_id)


def words_sha256(html: str) -> str:
    """Return the short SHA-256 of the text of HTML with every space left out.

    Ghost rebuilds the HTML it is sent (its cards, no whitespace between blocks) but keeps the
    words: this tells "the content this app sent, as Ghost stores it" from other content.
    """
    return sha256_text("".join(text_content(parse_fragment(html)).split()))


def _server_text(server: JsonObject) -> str:
    """Return the HTML Ghost holds for a post ("" when it sent none)."""
    return str(server.get("html") or "")


class GhostPublisher(steps.PublishSteps):
    """Publishes one Post to one Ghost account; safe to run again after any failure."""

    log_label = "ghost publish"

    def __init__(self, client: GhostClient, progress: Progress, cancelled: Cancelled) -> None:
        super().__init__(progress, cancelled)
        self.client = client

    # -- the blog's copy -------------------------------------------------------------------

    def _server_copy(self, record: RemoteRecord, force: bool) -> JsonObject | None:
        """Return the blog's copy of the recorded post; refuse if it was edited there since."""
        if record.id is None:
            return None
        try:
            server = self.client.get_post(str(record.id), record.post_type)
        except errors.NotFound:
            kind = record.post_type
            self._progress(f"The {kind} is no longer on the blog; publishing it as a new {kind}.")
            record.id = None
            return None
        html = _server_text(server)
        if record.pending_update and words_sha256(html) == record.pending_update:
            return server  # our own update, whose answer was lost
        same = (
            str(server.get("updated_at") or "") == record.modified_gmt
            and sha256_text(html) == record.content_sha256
        )
        if not same and not force:
            raise errors.EditedOnServer(
                "This post was changed on the blog since you last published it. Publishing now "
                "would overwrite those changes.",
                str(server.get("updated_at") or ""),
                html,
            )
        return server

    def _find_lost_create(self, record: RemoteRecord) -> JsonObject | None:
        """Find the post an earlier create made when its answer was lost (or None).

        It must have the title that create sent, be created since, and hold the same words.
        """
        pending = record.pending_create
        if not pending:
            return None
        started = dt.datetime.fromisoformat(pending.get("started_gmt", "1970-01-01T00:00:00"))
        since = (started - steps.PENDING_MATCH_WINDOW).strftime("%Y-%m-%d %H:%M:%S")
        candidates, _pages = self.client.browse_posts(
            post_type=record.post_type,
            limit=LOST_CREATE_LOOKUP,
            nql=f"created_at:>='{since}'",
            order="created_at desc",
            formats="html",
        )
        for candidate in candidates:
            if (
                isinstance(candidate.get("id"), str)
                and str(candidate.get("title") or "") == pending.get("title", "")
                and words_sha256(_server_text(candidate)) == pending.get("words_sha256")
            ):
                return candidate
        return None

    # -- images ----------------------------------------------------------------------------

    def _upload_one(self, upload: steps.ImageUpload, _in_doubt: bool) -> MediaRecord:
        """Upload one image file; Ghost's images have no id (the URL is it).

        Ghost cannot list uploaded images: an upload whose answer was lost is made again
        (an unused file on the blog, never a second image in the post).
        """
        path, sha = upload.path, upload.sha
        name = upload_file_name(path, sha)
        url = self.client.upload_image(path.read_bytes(), name, mime_type(path), sha)
        return MediaRecord(0, url)

    # -- the post --------------------------------------------------------------------------

    def _fields(
        self, meta: PostMeta, status: str, html: str, feature_image: str | None
    ) -> JsonObject:
        """Return the post's fields as Ghost's Admin API takes them."""
        fields: JsonObject = {
            "title": meta.title,
            "html": html,
            "status": status,
            "slug": effective_slug(meta),
            "custom_excerpt": meta.excerpt or None,
            "tags": [{"name": name} for name in meta.tags],
            "feature_image": feature_image,
        }
        date = post_date(meta.date, "future" if status == "scheduled" else "publish")
        if date:
            fields["published_at"] = ghost_date(date)
        return fields

    def _update(
        self, record: RemoteRecord, fields: JsonObject, server: JsonObject, force: bool
    ) -> JsonObject:
        """Send an update at the version read; with `force`, again at the newest version.

        A PUT is sent again after a lost answer (blog_http retries it): Ghost then refuses the
        repeat as a collision with the update that did land, which is found by its words.
        """
        post_id = str(record.id)
        try:
            return self.client.update_post(
                post_id, {**fields, "updated_at": server.get("updated_at")}, record.post_type
            )
        except errors.EditedOnServer as collision:
            newest = self.client.get_post(post_id, record.post_type)
            if words_sha256(_server_text(newest)) == record.pending_update:
                return newest  # our own update, whose answer was lost
            if not force:
                collision.server_modified_gmt = str(newest.get("updated_at") or "")
                collision.server_content = _server_text(newest)
                raise
        return self.client.update_post(
            post_id, {**fields, "updated_at": newest.get("updated_at")}, record.post_type
        )

    def publish(self, post: Post, account_name: str, options: PublishOptions) -> PublishResult:
        """Publish `post` (see the module); return the result with the new record."""
        meta = steps.post_meta(post)
        status = ghost_status(options.status or meta.status or "draft")
        self._path = post.path
        post, bound = steps.post_for_blog(post, post.path, account_name, self._progress)
        record = read_remote_record(post.text, account_name)
        if record.id is not None and not bound and not options.overwrite_server_edits:
            raise errors.UnverifiedRecord(
                f"This file names post {record.id} but not the blog it is on, so Draftpress "
                f"cannot tell it published that post on {account_name}.",
                meta.title,
            )
        steps.new_post_type(post, record)  # `type: page`: created under /pages/
        if meta.categories:
            self._progress("Ghost has no categories: they stay in the file; use tags.")
        folder = post.path.parent if post.path else Path.cwd()

        self._step("Rendering the post…")
        html = steps.render_post(post.text)
        images = steps.images_to_publish(html, post.path, meta.featured_image, meta.title)

        self._step("Checking the blog…")
        force = options.overwrite_server_edits
        server = self._server_copy(record, force)
        media, uploaded, reused = self._upload_in_turn(images, folder, record, self._upload_one)
        urls = steps.urls_of(media)
        content = ghost_html(html, body_of(post.text), urls)
        featured = meta.featured_image
        feature_image = urls.get(featured, featured) if featured else None
        fields = self._fields(meta, status, content, feature_image)
        payload_sha = sha256_text(json.dumps(fields, sort_keys=True))

        if record.id is None:
            lost = self._find_lost_create(record)
            if lost is not None:
                self._progress("Found the post an interrupted publish created; updating it.")
                record = with_ghost_id(record, str(lost["id"]))
                server = lost
        created = updated = False
        unchanged = not force and payload_sha == record.payload_sha256
        if record.id is not None and server is not None and unchanged:
            answer = server  # nothing changed since the last publish
        elif record.id is not None and server is not None:
            record.pending_update = words_sha256(content)
            self._checkpoint(record)  # a lost answer must not look like an edit on the blog
            self._step("Updating the post…")
            answer = self._update(record, fields, server, force)
            updated = True
        else:
            record.pending_create = {
                "title": meta.title,
                "slug": str(fields["slug"]),
                "started_gmt": gmt_now(),
                "words_sha256": words_sha256(content),
            }
            self._checkpoint(record)
            self._step("Creating the post…")
            try:
                answer = self.client.create_post(fields, record.post_type)
            except steps.REFUSED:
                record.pending_create = {}
                self._checkpoint(record)
                raise
            created = True
        record = replace(
            with_ghost_id(record, str(answer["id"])),  # checked by the client
            url=str(answer.get("url") or ""),
            modified_gmt=str(answer.get("updated_at") or ""),
            content_sha256=sha256_text(_server_text(answer)),
            payload_sha256=payload_sha,
            pending_create={},
            pending_update="",
            pending_media=[],
        )
        steps.keep_final_record(post.path, record)
        self._progress("Published." if created or updated else "Already up to date.")
        return PublishResult(
            record, record.url, created, updated, uploaded, reused, str(answer.get("status", ""))
        )
