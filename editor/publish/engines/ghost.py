"""The Ghost engine: Ghost's Admin API behind the BlogEngine interface (engines/base.py).

The account's secret is a custom integration's Admin API key (`id:secret`, kept in the keyring
like every secret); ghost_client.py makes a short-lived token from it for each request.
Publishing is in ghost_publish.py, the HTML Ghost is sent in ghost_html.py.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from editor.publish import errors
from editor.publish.account_client import account_trust
from editor.publish.answers import JsonObject
from editor.publish.answers import scalar_text as _text
from editor.publish.engines.base import (
    GHOST,
    Cancelled,
    Capabilities,
    LoginReport,
    PostPage,
    PostSummary,
    Progress,
    RemotePost,
)
from editor.publish.engines.ghost_client import (
    GhostClient,
    nql_text,
    parse_admin_key,
)
from editor.publish.engines.ghost_publish import GhostPublisher, local_time
from editor.publish.post_statuses import normalise_status
from editor.publish.publish_steps import cancel_requests, publish_errors

if TYPE_CHECKING:
    from editor.core.post import Post
    from editor.publish.accounts import Account
    from editor.publish.publisher import PublishOptions, PublishResult

log = logging.getLogger(__name__)

CAPABILITIES = Capabilities(
    images=True,
    tags=True,
    categories=False,
    excerpt=True,
    slug=True,
    statuses=("draft", "publish", "future"),  # the front matter's words (post_statuses)
    scheduling=True,
    featured_image=True,
    pages=True,
    pull=True,
    conflict_detection=True,
)
LIST_PAGE_SIZE = 20


def remote_post(item: JsonObject) -> RemotePost:
    """Return a Ghost post (read with `formats=html&include=tags`) as a RemotePost."""
    tags = item.get("tags")
    listed = tags if isinstance(tags, list) else []
    names = [_text(tag.get("name")) for tag in listed if isinstance(tag, dict)]
    return RemotePost(
        id=_text(item.get("id")),
        title=_text(item.get("title")),
        html=_text(item.get("html")),
        url=_text(item.get("url")),
        status=normalise_status(_text(item.get("status"))),
        modified=_text(item.get("updated_at")),
        slug=_text(item.get("slug")),
        excerpt=_text(item.get("custom_excerpt")),
        tags=[name for name in names if name],
        featured_image=_text(item.get("feature_image")),
        date=local_time(_text(item.get("published_at"))),
    )



class GhostEngine:
    """One Ghost account through its Admin API key."""

    kind = GHOST

    def __init__(self, client: GhostClient, key_id: str) -> None:
        self.client = client
        self.key_id = key_id

    def capabilities(self) -> Capabilities:
        """Return what Ghost can store and do."""
        return CAPABILITIES

    def check(self) -> LoginReport:
        """Find the Ghost site, then prove the key with a signed request; report the site."""
        site = self.client.site()
        self.client.browse_posts(limit=1)  # a wrong or deleted key: WrongCredentials
        version = _text(site.get("version"))
        return LoginReport(
            user_name=f"the integration whose Admin API key starts {self.key_id[:8]}",
            blog_title=_text(site.get("title")),
            warnings=[f"Ghost {version}."] if version else [],
        )

    def publish(
        self,
        post: Post,
        account_name: str,
        options: PublishOptions,
        *,
        path: Path | None,
        progress: Progress,
        cancelled: Cancelled,
    ) -> PublishResult:
        """Create or update the post on Ghost (see ghost_publish.py)."""
        if path is not None and post.path != path:  # the journal's key, the images' folder
            post = replace(post, path=path)
        with cancel_requests(self.client, cancelled), publish_errors(resume_hint=False):
            return GhostPublisher(self.client, progress, cancelled).publish(
                post, account_name, options
            )

    def read_post(self, remote_id: str) -> RemotePost:
        """Read one post back (its HTML as Ghost renders it); a page when no post has the id."""
        try:
            return remote_post(self.client.get_post(remote_id, "post"))
        except errors.NotFound:
            return replace(remote_post(self.client.get_post(remote_id, "page")), type="page")

    def list_posts(self, *, page: int = 1, search: str = "") -> PostPage:
        """List the blog's posts of every status, most recently changed first."""
        nql = f"title:~{nql_text(search)}" if search.strip() else ""
        items, pages = self.client.browse_posts(page=page, limit=LIST_PAGE_SIZE, nql=nql)
        summaries = [
            PostSummary(
                id=_text(item.get("id")),
                title=_text(item.get("title")),
                status=normalise_status(_text(item.get("status"))),
                modified=_text(item.get("updated_at")),
                url=_text(item.get("url")),
            )
            for item in items
        ]
        return PostPage(summaries, page, pages)

    def close(self) -> None:
        """Close the connection."""
        self.client.close()


def open_engine(account: Account, secret: str) -> GhostEngine:
    """Return the Ghost engine for an account and its Admin API key (not yet connected).

    A malformed key is refused here, before any request; an empty one is the registry opening
    the engine only to ask its capabilities (no request can be signed with it).
    """
    trust = account_trust(account)
    key_id = parse_admin_key(secret)[0] if secret else ""
    client = GhostClient(account.url, secret, **trust)
    return GhostEngine(client, key_id)
