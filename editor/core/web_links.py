"""Which addresses Draftpress hands to the system browser: web pages (http and https) only.

A blog's answer or a post's link could name `file:///…/evil.desktop`, `data:`, `javascript:`,
`mailto:…?attach=…` or a scheme some installed program registered; the desktop would run or
open any of them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

BROWSER_SCHEMES = frozenset({"http", "https"})
_SHOWN_CHARS = 80


def is_web_address(url: str) -> bool:
    """Tell whether `url` is an http or https address with a host (and nothing odd in it)."""
    text = url.strip()
    if any(char.isspace() or not char.isprintable() for char in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in BROWSER_SCHEMES and bool(parts.hostname)
    except ValueError:  # a malformed host or port
        return False


def not_opened_message(url: str) -> str:
    """Say in one line that `url` was not opened because it is not a web address."""
    text = url.strip()
    shown = "".join(char if char.isprintable() else "?" for char in text[:_SHOWN_CHARS])
    if len(text) > _SHOWN_CHARS:
        shown += "…"
    return (
        "Draftpress opens only web addresses (http:// or https://) in the browser, "
        f"so it did not open “{shown}”."
    )


def browser_refusal(url: str) -> str | None:
    """Return why `url` must not go to the system browser, or None for a web address."""
    return None if is_web_address(url) else not_opened_message(url)
