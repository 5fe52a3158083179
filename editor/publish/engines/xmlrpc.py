"""The XML-RPC blog engine: MetaWeblog / Movable Type, and WordPress's wp.* where offered.

For older WordPress, hosts that block the REST API, and the engines that still speak XML-RPC
(Movable Type, Dotclear, Serendipity, b2evolution). The blog's XML-RPC address is found through
RSD (`<link rel="EditURI">` on its front page), the login is the blog's user name and password
(WordPress also takes an application password there). See xmlrpc_client.py for the transport
and its guards, xmlrpc_posts.py for the calls, xmlrpc_publish.py for a publish.
"""

from __future__ import annotations

import logging
import ssl
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from editor.publish.account_client import account_trust
from editor.publish.blog_http import BlogConnection, clear_text_warning
from editor.publish.engines.base import (
    XMLRPC,
    Cancelled,
    Capabilities,
    LoginReport,
    PostPage,
    PostSummary,
    Progress,
    RemotePost,
)
from editor.publish.engines.xmlrpc_client import XML_ACCEPT, XmlRpcClient
from editor.publish.engines.xmlrpc_posts import BlogApi, ServerPost
from editor.publish.engines.xmlrpc_publish import STATUSES, publish_over_xmlrpc

if TYPE_CHECKING:
    from editor.core.post import Post
    from editor.publish.accounts import Account
    from editor.publish.publisher import PublishOptions, PublishResult

log = logging.getLogger(__name__)

PER_PAGE = 20
CAPABILITIES = Capabilities(
    images=True,  # metaWeblog.newMediaObject
    tags=True,  # mt_keywords
    categories=True,  # mt.getCategoryList / mt.setPostCategories
    excerpt=True,  # mt_excerpt
    slug=True,  # wp_slug (engines other than WordPress may ignore it)
    statuses=STATUSES,  # the publish flag and a future dateCreated (more on WordPress)
    scheduling=True,  # dateCreated / post_date
    featured_image=True,  # wp_post_thumbnail / post_thumbnail where the blog speaks wp.*
    pages=False,
    pull=True,  # metaWeblog.getPost / getRecentPosts
    conflict_detection=True,  # WordPress: modification date; elsewhere: content fingerprint
)


def remote_post(post: ServerPost) -> RemotePost:
    """Return a post the blog answered as the interface's RemotePost."""
    return RemotePost(
        id=post.id,
        title=post.title,
        html=post.content,
        url=post.link,
        status=post.status,
        modified=post.modified_gmt,
        slug=post.slug,
        excerpt=post.excerpt,
        tags=list(post.tags),
        categories=list(post.categories),
        featured_image=post.featured_image,
        date=post.date,
    )


class XmlRpcEngine:
    """One blog account over XML-RPC, logged in with its password; closed after use."""

    kind = XMLRPC

    def __init__(
        self,
        site_url: str,
        user: str,
        password: str,
        *,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
        pinned_sha256: str = "",
        use_wordpress: bool = True,  # False: MetaWeblog and Movable Type calls only
    ) -> None:
        self.site_url = site_url.rstrip("/")
        self.connection = BlogConnection(
            self.site_url,
            accept=XML_ACCEPT,
            transport=transport,
            verify=verify,
            pinned_sha256=pinned_sha256,
        )
        self.client = XmlRpcClient(self.connection)
        self.api = BlogApi(self.client, user, password, use_wordpress=use_wordpress)
        self._logged_in = False

    def capabilities(self) -> Capabilities:
        """Return what MetaWeblog can store and do."""
        return CAPABILITIES

    def _connect(self) -> None:
        """Find the XML-RPC address and log in, once per engine."""
        if not self._logged_in:
            self.api.log_in(self.site_url)
            self._logged_in = True

    def check(self) -> LoginReport:
        """Find the blog's XML-RPC and log in; raise a PublishError in plain words on failure."""
        self._logged_in = False
        blog = self.api.log_in(self.site_url)
        self._logged_in = True
        warnings = [w for w in [clear_text_warning(self.site_url)] if w]
        if not self.api.wordpress:
            warnings.append(
                "This blog's XML-RPC gives no modification dates: Draftpress tells edits made "
                "on the blog by comparing the post with what it last published."
            )
        can_upload = self.api.offers("metaWeblog.newMediaObject")
        if not can_upload:
            warnings.append("This blog's XML-RPC takes no images.")
        return LoginReport(
            user_name=self.api.user,
            blog_title=self.api.blog_title or str(blog.get("blogName", "")),
            can_upload=can_upload,
            warnings=warnings,
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
        """Create or update the post (and upload its new images); return the result."""
        previous = self.connection.cancelled
        self.connection.cancelled = cancelled  # Cancel also ends the request under way
        try:
            self._connect()
            return publish_over_xmlrpc(
                self.api,
                post,
                account_name,
                options,
                path=path,
                progress=progress,
                cancelled=cancelled,
            )
        finally:
            self.connection.cancelled = previous

    def read_post(self, remote_id: str) -> RemotePost:
        """Read one post back from the blog."""
        self._connect()
        return remote_post(self.api.get_post(remote_id))

    def list_posts(self, *, page: int = 1, search: str = "") -> PostPage:
        """List the blog's posts, newest first, one page at a time."""
        self._connect()
        page = max(1, page)
        if self.api.wordpress:
            posts = self.api.wordpress_posts(PER_PAGE, (page - 1) * PER_PAGE, search)
            total = 0
        else:  # getRecentPosts cannot page or search: ask for enough, then cut
            recent = self.api.recent_posts(page * PER_PAGE)
            wanted = search.casefold()
            matching = [p for p in recent if wanted in p.title.casefold()]
            posts = matching[(page - 1) * PER_PAGE : page * PER_PAGE]
            total = 0
        items = [
            PostSummary(p.id, p.title, p.status, p.modified_gmt, p.link) for p in posts
        ]
        return PostPage(items, page, total)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def open_engine(account: Account, secret: str) -> XmlRpcEngine:
    """Return the XML-RPC engine for an account and its password (not yet connected)."""
    return XmlRpcEngine(account.url, account.user, secret, **account_trust(account))
