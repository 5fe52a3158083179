"""The WordPress REST API as a blog engine: the existing client, publisher and pull behind one face.

Nothing WordPress does changes here: `WordPressEngine` hands each call of `base.BlogEngine` to
`WordPressClient` (requests), `Publisher` (publishing and its journal), `connection_check`
(logging in) and `pull` (reading posts back).
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.publish import errors
from editor.publish.account_client import client_for_account
from editor.publish.connection_check import check_connection
from editor.publish.engines.base import (
    WORDPRESS,
    Cancelled,
    Capabilities,
    LoginReport,
    PostPage,
    PostSummary,
    Progress,
    RemotePost,
)
from editor.publish.wordpress_client import WordPressClient

if TYPE_CHECKING:
    from editor.core.post import Post
    from editor.publish.accounts import Account
    from editor.publish.engines.base import BlogEngine
    from editor.publish.publisher import PublishOptions, PublishResult

CAPABILITIES = Capabilities(
    images=True,
    tags=True,
    categories=True,
    excerpt=True,
    slug=True,
    statuses=("draft", "pending", "private", "publish", "future"),
    scheduling=True,
    featured_image=True,
    pages=True,
    pull=True,
    conflict_detection=True,
)


def _text(value: Any) -> str:
    """Return a REST field's raw text (context=edit), else its rendered text."""
    if isinstance(value, Mapping):
        raw = value.get("raw")
        return str(raw if raw is not None else value.get("rendered") or "")
    return str(value or "")


def _remote_id(remote_id: str) -> tuple[int, str]:
    """Return WordPress's number and post type for an engine id ("12" or "page:12")."""
    post_type, _, number = remote_id.rpartition(":")
    try:
        return int(number), post_type or "post"
    except ValueError:
        raise errors.NotFound(f"“{remote_id}” is not a WordPress post number.") from None


class WordPressEngine:
    """One WordPress account over the REST API (application passwords)."""

    kind = WORDPRESS

    def __init__(self, client: WordPressClient, account_name: str = "") -> None:
        self.client = client
        self.account_name = account_name

    def capabilities(self) -> Capabilities:
        """Return what WordPress can store and do (everything the interface names)."""
        return CAPABILITIES

    def check(self) -> LoginReport:
        """Find the REST API and log in; say what the account may do."""
        report = check_connection(self.client)
        lines = report.summary().splitlines()
        return LoginReport(
            user_name=f"{report.user_name} ({', '.join(report.roles) or 'no role'})",
            can_publish=report.can_publish,
            can_upload=report.can_upload,
            details=lines[1:2],  # "Publish posts: yes. Upload images: yes. …"
            warnings=list(report.warnings),
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
        """Publish through the WordPress publisher (its journal keyed by the post's file)."""
        from editor.publish.publisher import Publisher

        self.client.cancelled = cancelled  # Cancel ends the request under way too
        if path != post.path:
            post = replace(post, path=path)
        publisher = Publisher(self.client, progress=progress, cancelled=cancelled)
        return publisher.publish(post, account_name, options)

    def read_post(self, remote_id: str) -> RemotePost:
        """Read one post (or "page:ID") back: raw content, term names, featured image."""
        from editor.publish.pull import fetch_featured_image, fetch_term_names

        number, post_type = _remote_id(remote_id)
        server = self.client.get_post(number, post_type)
        names = fetch_term_names(self.client, server)
        return replace(
            remote_post_of(server),
            tags=_term_names(server, "tags", names),
            categories=_term_names(server, "categories", names),
            featured_image=fetch_featured_image(self.client, server),
        )

    def list_posts(self, *, page: int = 1, search: str = "") -> PostPage:
        """List the blog's posts of every status, newest first."""
        listing = self.client.list_posts("post", page=page, search=search)
        items = [
            PostSummary(
                id=str(item.get("id")),
                title=html_lib.unescape(_text(item.get("title"))).strip(),
                status=str(item.get("status") or ""),
                modified=str(item.get("modified_gmt") or ""),
                url=str(item.get("link") or ""),
            )
            for item in listing.items
        ]
        return PostPage(items, listing.page, listing.total_pages)

    def close(self) -> None:
        """Close the connection."""
        self.client.close()

    def __enter__(self) -> WordPressEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _term_names(
    server: Mapping[str, Any], taxonomy: str, names: Mapping[str, Mapping[int, str]]
) -> list[str]:
    """Return the names of a post's terms of one taxonomy, in order (unnamed ids left out)."""
    known = names.get(taxonomy, {})
    return [known[int(i)] for i in server.get(taxonomy) or [] if known.get(int(i))]


def remote_post_of(server: Mapping[str, Any]) -> RemotePost:
    """Return a WordPress REST post (context=edit) as the interface's RemotePost."""
    number = str(server.get("id") or "")
    return RemotePost(
        id=f"page:{number}" if server.get("type") == "page" else number,
        title=html_lib.unescape(_text(server.get("title"))).strip(),
        html=_text(server.get("content")),
        url=str(server.get("link") or ""),
        status=str(server.get("status") or ""),
        modified=str(server.get("modified_gmt") or ""),
        slug=str(server.get("slug") or ""),
        excerpt=_text(server.get("excerpt")).strip(),
    )


def engine_factory_over(
    client_factory: Callable[[Account, str], WordPressClient],
) -> Callable[[Account, str], BlogEngine]:
    """Return an engine factory whose WordPress engines use `client_factory`'s clients.

    Accounts of other kinds get their own engine from the registry. The window keeps a client
    factory so that its tests can put a fake WordPress behind it.
    """
    from editor.publish.engines.registry import open_engine as open_any

    def open_for(account: Account, secret: str) -> BlogEngine:
        if account.kind not in ("", WORDPRESS):
            return open_any(account, secret)
        return WordPressEngine(client_factory(account, secret), account.name)

    return open_for


def open_engine(account: Account, secret: str) -> WordPressEngine:
    """Return the engine for a WordPress account (pinned certificate, http:// rule)."""
    return WordPressEngine(client_for_account(account, secret), account.name)
