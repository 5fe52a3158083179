"""Paste from a web page or a word processor: the clipboard's HTML as clean Markdown.

The HTML is cleaned first (scripts, styles, forms, comments and every attribute but a link's
address and an image's source and alt text go; a link to a relative or script address keeps
only its words; an image becomes a link to its source, as the blog cannot show another page's
relative or inline images), then converted by the project's one HTML → Markdown converter
(`editor.publish.html_to_markdown`), so a pasted quote or figure comes out in the dialect.
"""

from __future__ import annotations

import logging
import re

from bs4 import BeautifulSoup, Comment, Tag

from editor.publish.html_to_markdown import html_to_dialect

log = logging.getLogger(__name__)

PASTE_HTML_LIMIT = 500_000  # characters of HTML converted (on the GUI thread, tens of ms);
# a larger clipboard pastes its plain text
_DROPPED = (
    "script", "style", "head", "title", "meta", "link", "noscript", "template", "iframe",
    "object", "embed", "svg", "math", "canvas", "form", "input", "button", "select",
    "textarea", "video", "audio", "source", "track", "map", "base",
)  # fmt: skip
_KEPT_ATTRIBUTES = {"a": ("href", "title"), "img": ("src", "alt"), "ol": ("start",),
                    "pre": ("class",), "code": ("class",), "blockquote": ("cite",)}  # fmt: skip
_WEB_ADDRESS = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_NOT_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:normal|[1-4]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)


def _styled_emphasis(soup: BeautifulSoup, element: Tag) -> None:
    """Turn a word processor's styled span (Google Docs, LibreOffice) into strong or em."""
    style = str(element.get("style") or "")
    if element.name == "b" and _NOT_BOLD_STYLE.search(style):
        element.unwrap()  # Google Docs wraps a whole copy in a not-bold <b>
        return
    if element.name != "span":
        return
    if _ITALIC_STYLE.search(style):
        element.wrap(soup.new_tag("em"))
    if _BOLD_STYLE.search(style):
        element.wrap(soup.new_tag("strong"))


def clean_html(html: str) -> BeautifulSoup:
    """Return the pasted HTML with everything but the content taken out."""
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(_DROPPED):
        element.decompose()
    for element in soup.find_all(["b", "span"]):
        _styled_emphasis(soup, element)
    for element in soup.find_all(True):
        kept = _KEPT_ATTRIBUTES.get(element.name, ())
        element.attrs = {name: value for name, value in element.attrs.items() if name in kept}
        if element.name in ("span", "font", "o:p", "body", "html"):
            element.unwrap()
        elif element.name == "a" and not _WEB_ADDRESS.match(str(element.get("href") or "")):
            element.unwrap()  # a relative or script address: the words only
        elif element.name == "img":
            _image_as_link(soup, element)
    return soup


def _image_as_link(soup: BeautifulSoup, image: Tag) -> None:
    """Replace an image by a link to its source (or by its alt text when it has no address)."""
    source = str(image.get("src") or "")
    alt = str(image.get("alt") or "").strip()
    if not _WEB_ADDRESS.match(source):
        image.replace_with(alt)
        return
    link = soup.new_tag("a", href=source)
    link.string = alt or "Image"
    image.replace_with(link)


def markdown_from_html(html: str) -> str:
    """Return the Markdown for pasted HTML ("" when it holds no text worth pasting)."""
    if len(html) > PASTE_HTML_LIMIT:
        log.info("pasted HTML of %d characters: pasted as plain text", len(html))
        return ""
    cleaned = str(clean_html(html)).strip()
    if not cleaned:
        return ""
    return html_to_dialect(cleaned)  # a web page's HTML has its paragraphs: none added
