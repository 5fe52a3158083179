"""Ghost's HTML back to the dialect (the read side of ghost_html.py), measured on Ghost 5.130.

Ghost stores what a publish sent in its own cards; before the HTML is converted like any
blog's (html_to_markdown.html_to_dialect), each card is turned back into what was sent:

- an HTML card (`<!--kg-card-begin: html-->` … `<!--kg-card-end: html-->`) is its HTML as
  written (our attributed quote, a raw island): the comments go, the content stays as it is;
- an image card without a caption was an image on its own (`![alt](src)`), so it comes back
  as a paragraph holding the image, never as a figure with an empty caption;
- an image card with a caption is a `<figure>` with `<figcaption>`: the dialect's figure;
- a code card (`<pre><code class="language-…">`) is a fenced block naming its language.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from editor.publish.html_to_markdown import html_to_dialect

_HTML_CARD_COMMENT = re.compile(r"\n?<!--kg-card-(?:begin|end): html-->\n?")


def _has_caption(figure: Tag) -> bool:
    """Tell whether a figure has a caption with any words in it."""
    caption = figure.find("figcaption")
    return isinstance(caption, Tag) and bool(caption.get_text(strip=True))


def _uncaptioned_images_as_paragraphs(soup: BeautifulSoup) -> None:
    """Turn each image card without a caption back into the paragraph our image was."""
    for figure in soup.find_all("figure"):
        classes: list[str] = list(figure.get("class") or [])
        image = figure.find("img")
        if "kg-image-card" not in classes or not isinstance(image, Tag) or _has_caption(figure):
            continue
        paragraph = soup.new_tag("p")
        image.extract()
        for name in ("class", "loading", "width", "height", "srcset", "sizes"):
            del image[name]  # Ghost's own attributes, never in what was sent
        paragraph.append(image)
        figure.replace_with(paragraph)


def ghost_markdown(html: str) -> str:
    """Return the dialect Markdown of a post's HTML as Ghost stores it (see the module)."""
    soup = BeautifulSoup(_HTML_CARD_COMMENT.sub("\n", html), "html.parser")
    _uncaptioned_images_as_paragraphs(soup)
    return html_to_dialect(str(soup))
