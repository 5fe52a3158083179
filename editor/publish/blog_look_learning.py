"""Learn a blog's look from one of its published post pages (no Qt; see blog_look).

Every request goes through BlogConnection: the account's own origin only (redirects included),
a deadline per request, answers read within a cap. Stylesheets and `@import`s on that origin
are kept in page order with the page's `<style>` blocks; fonts and images their `url()`s name
on that origin are stored beside them; anything on another origin is left out. Scripts, event
handlers, frames and every attribute but class, id and style are dropped.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from editor.publish import errors
from editor.publish.blog_http import BlogConnection, origin_of
from editor.publish.blog_look import (
    KEPT_ATTRIBUTES,
    BlogLook,
    LookError,
    PostAddressNeeded,
    SkeletonNode,
    has_look,
    save_look,
)
from editor.publish.certificates import verify_for

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

MAX_IMPORT_DEPTH = 4
MAX_STYLESHEETS = 60
MAX_ASSET_BYTES = 4 * 1024 * 1024
MAX_ALL_ASSETS_BYTES = 24 * 1024 * 1024
LOOK_DEADLINE_S = 30.0  # each request's
ASSET_SUFFIXES = frozenset(
    {".woff2", ".woff", ".ttf", ".otf", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
)
# The element holding a post's content, by the classes themes give it, most telling first.
CONTENT_CLASSES = (
    "wp-block-post-content",
    "entry-content",
    "post-content",
    "gh-content",
    "e-content",
    "post-body",
    "article-content",
)
TITLE_CLASSES = ("wp-block-post-title", "entry-title", "post-title", "gh-article-title", "p-name")
_IMPORT = re.compile(
    r"""@import\s+(?:url\(\s*(["']?)(?P<u>[^"')]*)\1\s*\)|(["'])(?P<s>[^"']*)\3)\s*(?P<media>[^;]*);""",
    re.IGNORECASE,
)
_URL = re.compile(r"""url\(\s*(["']?)(?P<url>[^"')]*?)\1\s*\)""", re.IGNORECASE)
_THEME_PATH = re.compile(r"/wp-content/themes/([A-Za-z0-9_.-]+)/")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
EMPTY_URL = "url(data:,)"


class _Learner:
    """One learning run: the connection, the assets gathered and the writer's progress."""

    def __init__(self, connection: BlogConnection, progress: Progress | None) -> None:
        self.connection = connection
        self.origin = origin_of(connection.site_url)
        self.progress = progress or (lambda _message: None)
        self.assets: dict[str, bytes] = {}
        self.asset_names: dict[str, str] = {}  # URL -> stored name
        self.stylesheets = 0

    def same_origin(self, url: str) -> bool:
        """Tell whether a URL is on the blog's own origin (the only one ever asked)."""
        try:
            return urlsplit(url).scheme in ("http", "https") and origin_of(url) == self.origin
        except Exception:  # noqa: BLE001 (a malformed address in a hostile page)
            return False

    def get(self, url: str, what: str) -> str:
        """Fetch a text resource of the blog; raises PublishError in the writer's words."""
        response = self.connection.send("GET", url, f"reading {what}", idempotent=True)
        if response.status_code >= 400:
            raise errors.UnexpectedAnswer(
                f"The blog answered {response.status_code} for {what} ({url})."
            )
        return response.text

    def asset(self, url: str) -> str | None:
        """Store a font or image of the blog; return its stored name (None: left out)."""
        if url in self.asset_names:
            return self.asset_names[url]
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        if suffix not in ASSET_SUFFIXES or not self.same_origin(url):
            return None
        if sum(len(data) for data in self.assets.values()) > MAX_ALL_ASSETS_BYTES:
            return None
        try:
            response = self.connection.send("GET", url, "reading a font", idempotent=True)
        except errors.PublishError as error:
            log.info("left out %s: %s", url[:200], error)
            return None
        if response.status_code >= 400 or len(response.content) > MAX_ASSET_BYTES:
            return None
        name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:20] + suffix
        self.assets[name] = response.content
        self.asset_names[url] = name
        return name

    def css(self, text: str, base: str, depth: int = 0) -> str:
        """Return CSS with its same-origin @imports inlined and each url() kept or emptied."""
        text = _COMMENT.sub("", text)

        def inline_import(match: re.Match[str]) -> str:
            target = urljoin(base, (match.group("u") or match.group("s") or "").strip())
            if depth >= MAX_IMPORT_DEPTH or not self.same_origin(target):
                return ""
            imported = self.stylesheet(target, depth + 1)
            media = match.group("media").strip()
            return f"@media {media} {{\n{imported}\n}}" if media else imported

        text = _IMPORT.sub(inline_import, text)

        def keep_url(match: re.Match[str]) -> str:
            url = match.group("url").strip()
            if url.startswith("#") or url.lower().startswith("data:"):
                return match.group(0)
            name = self.asset(urljoin(base, url)) if url else None
            return f'url("assets/{name}")' if name else EMPTY_URL

        return _URL.sub(keep_url, text)

    def stylesheet(self, url: str, depth: int = 0) -> str:
        """Fetch one same-origin stylesheet and return its kept CSS ("" when left out)."""
        self.stylesheets += 1
        if self.stylesheets > MAX_STYLESHEETS:
            return ""
        self.progress(f"Reading the stylesheet {PurePosixPath(urlsplit(url).path).name}…")
        try:
            text = self.get(url, "a stylesheet")
        except errors.UnexpectedAnswer as error:  # a missing sheet: the page lacks it too
            log.info("left out %s: %s", url[:200], error)
            return ""
        return self.css(text, url, depth)


def _page_css(learner: _Learner, soup: BeautifulSoup, page_url: str) -> str:
    """Return the page's stylesheets and <style> blocks, kept, in page order."""
    pieces: list[str] = []
    for element in soup.find_all(["link", "style"]):
        media = str(element.get("media") or "").strip()
        if media.lower() == "print":
            continue
        if element.name == "link":
            rel = [str(word).lower() for word in element.get_attribute_list("rel") or []]
            href = str(element.get("href") or "").strip()
            if "stylesheet" not in rel or "alternate" in rel or not href:
                continue
            target = urljoin(page_url, href)
            if not learner.same_origin(target):
                continue
            kept = learner.stylesheet(target)
        else:
            kept = learner.css(element.get_text(), page_url)
        if kept.strip():
            if media and media.lower() not in ("all", "screen"):
                kept = f"@media {media} {{\n{kept}\n}}"
            pieces.append(kept)
    return "\n\n".join(pieces)


def _first_with_class(soup: BeautifulSoup, classes: tuple[str, ...]) -> Tag | None:
    """Return the first element carrying one of the classes, trying them in order."""
    for name in classes:
        found = soup.find(class_=name)
        if isinstance(found, Tag):
            return found
    return None


def _safe_attrs(element: Tag) -> dict[str, str]:
    """Return the element's class, id and style (a style's url()s emptied)."""
    attrs: dict[str, str] = {}
    for name in KEPT_ATTRIBUTES:
        value = element.get(name)
        if value is None:
            continue
        text = " ".join(value) if isinstance(value, list) else str(value)
        if name == "style":
            text = _URL.sub(EMPTY_URL, text)
            if "expression" in text.lower():
                continue
        attrs[name] = text
    return attrs


def _path_from_body(element: Tag, body: Tag) -> list[Tag]:
    """Return the elements from just below <body> down to `element`."""
    chain = [element]
    for parent in element.parents:
        if parent is body or not isinstance(parent, Tag):
            break
        chain.append(parent)
    return list(reversed(chain))


def _add_path(
    root: SkeletonNode, path: list[Tag], role: str, made: dict[int, SkeletonNode]
) -> None:
    """Add a chain of elements under the skeleton's root, sharing nodes already made."""
    node = root
    for element in path:
        known = made.get(id(element))
        if known is None:
            known = SkeletonNode(element.name, _safe_attrs(element))
            made[id(element)] = known
            node.children.append(known)
        node = known
    node.role = role


def _skeleton(soup: BeautifulSoup) -> SkeletonNode:
    """Return the chains from <body> to the post's content and title; LookError if none."""
    body = soup.body
    content = _first_with_class(soup, CONTENT_CLASSES) or soup.find("article") or soup.find("main")
    if body is None or not isinstance(content, Tag):
        raise LookError(
            "Draftpress could not find the post on that page. Name the address of one of the "
            "blog's posts (not its front page)."
        )
    title = _first_with_class(soup, TITLE_CLASSES) or soup.find("h1")
    root = SkeletonNode("body", _safe_attrs(body))
    made: dict[int, SkeletonNode] = {}
    if (
        isinstance(title, Tag)
        and title is not content
        and content not in title.parents
        and title not in content.parents
    ):
        _add_path(root, _path_from_body(title, body), "title", made)
    # The title's chain first: it stands before the content on post pages.
    _add_path(root, _path_from_body(content, body), "content", made)
    return root


def _theme_name(page_html: str, soup: BeautifulSoup) -> str:
    """Return the theme the page names: its WordPress theme folder, else the generator."""
    match = _THEME_PATH.search(page_html)
    if match:
        return match.group(1)
    generator = soup.find("meta", attrs={"name": "generator"})
    return str(generator.get("content") or "") if isinstance(generator, Tag) else ""


def newest_post_address(connection: BlogConnection) -> str:
    """Return the address of the blog's newest public post, asked of WordPress's REST API."""
    site = connection.site_url
    for url in (
        f"{site}/wp-json/wp/v2/posts?per_page=1&_fields=link",
        f"{site}/?rest_route=/wp/v2/posts&per_page=1&_fields=link",
    ):
        response = connection.send("GET", url, "asking for the newest post", idempotent=True)
        if response.status_code >= 400:
            continue
        try:
            posts = response.json()
        except ValueError:
            continue
        if isinstance(posts, list) and posts and isinstance(posts[0], dict):
            link = posts[0].get("link")
            if isinstance(link, str) and link:
                return link
        if isinstance(posts, list) and not posts:
            raise PostAddressNeeded(
                "The blog has no published post to learn its look from. Publish one, or name "
                "a page's address."
            )
    raise PostAddressNeeded(
        "Draftpress could not find a published post of this blog. Name the address of one "
        "of its posts."
    )


def learn_look(
    account_name: str,
    site_url: str,
    *,
    page_url: str = "",
    pinned_pem: str = "",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BlogLook:
    """Learn the look of a blog from one post page and store it; the last copy stays on failure.

    `page_url` names the page (on the blog's own address); by default the newest public post.
    Raises LookError in the writer's words.
    """
    kept = " The look learnt before is kept." if has_look(account_name) else ""
    try:
        with BlogConnection(
            site_url,
            accept="text/html,text/css,*/*;q=0.5",
            verify=verify_for(pinned_pem),
            deadline_s=LOOK_DEADLINE_S,
            cancelled=cancelled,
        ) as connection:
            learner = _Learner(connection, progress)
            if page_url and not learner.same_origin(page_url):
                raise LookError(
                    f"That page is not on the blog's address ({site_url}). Name a post of this "
                    "blog."
                )
            learner.progress("Finding a published post…")
            address = page_url or newest_post_address(connection)
            if not learner.same_origin(address):
                raise LookError(f"The blog's newest post is not on its own address ({address}).")
            learner.progress("Reading the post's page…")
            page_html = learner.get(address, "the post's page")
            soup = BeautifulSoup(page_html, "html.parser")
            skeleton = _skeleton(soup)
            css = _page_css(learner, soup, address)
            html_tag = soup.find("html")
            look = BlogLook(
                account=account_name,
                page_url=address,
                theme=_theme_name(page_html, soup),
                learnt_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
                html_attrs=_safe_attrs(html_tag) if isinstance(html_tag, Tag) else {},
                skeleton=skeleton,
                css=css,
            )
            learner.progress("Saving the look…")
            save_look(look, learner.assets)
    except LookError as error:  # the same kind (a post's address needed stays so)
        raise type(error)(f"{error}{kept}") from None
    except errors.Cancelled:
        raise LookError(f"Learning the look was cancelled.{kept}") from None
    except errors.PublishError as error:
        raise LookError(f"Could not learn the blog's look: {error}{kept}") from None
    except OSError as error:
        raise LookError(
            f"Could not store the blog's look ({error.strerror or error}).{kept}"
        ) from None
    log.info(
        "learnt the look of %s from %s: theme %r, %d bytes of CSS, %d assets",
        account_name, look.page_url, look.theme, len(look.css), len(learner.assets),
    )  # fmt: skip
    return look


def theme_changed(look: BlogLook, site_url: str, pinned_pem: str = "") -> bool | None:
    """Tell whether the blog now names another theme than the look was learnt with.

    Reads the page the look came from (one request, on the blog's origin). None: the blog
    could not be asked (offline) or names no theme, so nothing can be told.
    """
    if not look.theme or not look.page_url:
        return None
    try:
        with BlogConnection(
            site_url,
            accept="text/html",
            verify=verify_for(pinned_pem),
            deadline_s=LOOK_DEADLINE_S,
        ) as connection:
            learner = _Learner(connection, None)
            if not learner.same_origin(look.page_url):
                return None
            page_html = learner.get(look.page_url, "the post's page")
    except errors.PublishError as error:
        log.info("theme of %s not checked: %s", look.account, error)
        return None
    theme = _theme_name(page_html, BeautifulSoup(page_html, "html.parser"))
    return bool(theme) and theme != look.theme

