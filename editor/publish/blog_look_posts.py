"""Which published post a blog's look is learnt from, found through the blog's own API (no Qt).

WordPress: its REST API's newest post (blog_look_learning, no login needed). Ghost: the Admin
API's newest published post (the account's key). Other engines: the newest published post their
listing gives with its address. Where none can be found (a Micropub endpoint whose listing has
no addresses), `PostAddressNeeded` asks the writer for one post's address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from editor.publish import errors
from editor.publish.accounts import Account, read_password
from editor.publish.blog_http import origin_of
from editor.publish.blog_look import BlogLook, LookError, PostAddressNeeded, has_look
from editor.publish.blog_look_learning import Progress, learn_look
from editor.publish.engines.base import GHOST, WORDPRESS

log = logging.getLogger(__name__)

NO_POST_FOUND = (
    "Draftpress could not find a published post of {name} by itself. Give the address of one "
    "of its published posts: its look is learnt from that page."
)


def on_blog_origin(account: Account, address: str) -> bool:
    """Tell whether an address is on the blog's own origin (scheme, host and port)."""
    try:
        return origin_of(address.strip()) == origin_of(account.url)
    except Exception:  # noqa: BLE001 (whatever the writer typed)
        return False


def address_problem(account: Account, address: str) -> str:
    """Return why an address typed for a post cannot be used ("" when it can)."""
    text = address.strip()
    if not text:
        return "Type the address of one of the blog's published posts."
    if not text.lower().startswith(("http://", "https://")):
        return f"Give the whole address, starting with http:// or https:// (as in {account.url})."
    if not on_blog_origin(account, text):
        return (
            f"That address is not on {account.name} ({account.url}). Give the address of one "
            "of this blog's own posts."
        )
    return ""


def newest_post_page(account: Account, secret: str) -> str:
    """Return the address of the blog's newest published post, asked through its engine.

    Raises PostAddressNeeded when the engine gives none on the blog's origin.
    """
    from editor.publish.engines.registry import open_engine

    engine = open_engine(account, secret)
    try:
        if account.kind == GHOST:
            from editor.publish.engines.ghost import GhostEngine

            assert isinstance(engine, GhostEngine)
            posts, _pages = engine.client.browse_posts(
                limit=1, nql="status:published", order="published_at desc"
            )
            urls = [str(post.get("url") or "") for post in posts]
        else:
            listed = engine.list_posts(page=1).items
            urls = [item.url for item in listed if item.status == "publish" and item.url]
    finally:
        engine.close()
    for url in urls:
        if url and on_blog_origin(account, url):
            return url
    raise PostAddressNeeded(NO_POST_FOUND.format(name=account.name))


def learn_account_look(
    account: Account,
    *,
    page_url: str = "",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    secret: Callable[[Account], str] = read_password,
) -> BlogLook:
    """Learn an account's look from `page_url`, or from the newest post its API names.

    Raises LookError in the writer's words; PostAddressNeeded when a post's address is needed.
    """
    if page_url:
        problem = address_problem(account, page_url)
        if problem:
            raise PostAddressNeeded(problem)
    elif account.kind != WORDPRESS:  # WordPress's newest post is asked in learn_look
        if progress is not None:
            progress("Finding the blog's newest post…")
        try:
            page_url = newest_post_page(account, secret(account))
        except LookError:
            raise
        except (errors.NoNetwork, errors.Timeout, errors.Cancelled, errors.CertificateProblem,
                errors.KeyringUnavailable) as error:  # fmt: skip
            kept = " The look learnt before is kept." if has_look(account.name) else ""
            raise LookError(f"Could not learn the blog's look: {error}{kept}") from None
        except errors.PublishError as error:
            log.info("newest post of %s not found: %s", account.name, error)
            raise PostAddressNeeded(
                f"Draftpress could not ask {account.name} for its newest post ({error}). Give "
                "the address of one of its published posts."
            ) from None
    return learn_look(
        account.name,
        account.url,
        page_url=page_url,
        pinned_pem=account.pinned_pem,
        progress=progress,
        cancelled=cancelled,
    )
