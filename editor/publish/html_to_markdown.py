"""Blog HTML (WordPress's, or as another engine stores it) -> dialect Markdown: text, lists,
code, and the dialect's figures and quotes.

No Qt. Text stays text: `<` and `&` that were characters on the blog (`&lt;script&gt;`) are
written so that the Markdown renders them as characters again, never as live HTML.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from editor.core.figure_snippet import FigureFields, build_figure_markdown
from editor.core.quote_snippet import EmptyQuote, QuoteFields, build_quote_markdown

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[\s\S]*?-->")
_MORE_COMMENT = re.compile(r"<!--(?:more|noteaser|nextpage)[\s\S]*?-->")
_CAPTION_SHORTCODE = re.compile(r"\[caption([^\]]*)\]([\s\S]*?)\[/caption\]")
_SHORTCODE_ATTR = re.compile(r'(\w+)="([^"]*)"')
_IMG_TAG = re.compile(r"(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(?:\s*</a>)?", re.IGNORECASE)
_BLOCK_START = re.compile(
    r"^\s*(?:<(?:p|h[1-6]|ul|ol|li|dl|blockquote|pre|figure|table|div|hr|section|"
    r"address|form|iframe|audio|video)\b|\[caption\b)",
    re.IGNORECASE,
)
_ALIGN_CLASSES = {"alignleft": "left", "aligncenter": "center", "alignright": "right",
                  "alignwide": "wide", "alignfull": "wide"}  # fmt: skip
_TOKEN = "DRAFTPRESSSNIPPET{}X"
_MARKDOWNIFY_OPTIONS: dict[str, Any] = {"heading_style": "ATX", "bullets": "-"}


# -- content -------------------------------------------------------------------------------


def _code_language(element: Tag) -> str | None:
    """Return the language of `<pre><code class="language-x">`, if one is named.

    WordPress's code block keeps it on the `<pre>` (`wp-block-code language-x`): read there too.
    """
    code = element.find("code") if element.name == "pre" else element
    for name in (code.get("class") or []) if isinstance(code, Tag) else []:
        if name.startswith("language-"):
            return name.removeprefix("language-")
    pre = element if element.name == "pre" else element.find_parent("pre")
    for name in (pre.get("class") or []) if isinstance(pre, Tag) else []:
        if name.startswith("language-"):
            return name.removeprefix("language-")
    return None


_MARKUP_IN_TEXT = re.compile(r"<|&(?=#?\w+;)")


class _TextStaysText(MarkdownConverter):
    """markdownify with one more escape: a `<` or an entity-like `&` in text stays a character.

    Python-Markdown passes `<script>` and `&lt;` written in Markdown through as HTML, so a
    text `<` is written `&lt;` and a text `&lt;` is written `&amp;lt;`.
    """

    def escape(self, text: str, parent_tags: Any) -> str:  # markdownify's API
        """Escape Markdown syntax (as markdownify does) and markup characters in text."""
        # markdownify's own stub (__init__.pyi) leaves out its escape and convert_* methods.
        escaped: str = super().escape(text, parent_tags)  # type: ignore[misc]
        return _MARKUP_IN_TEXT.sub(lambda m: "&lt;" if m.group(0) == "<" else "&amp;", escaped)

    def _keep_tag(self, el: Any, text: str, parent_tags: Any) -> str:
        """Keep an inline element Markdown has no form for as inline HTML around its text."""
        attrs = "".join(
            f' {name}="{html_lib.escape(" ".join(v) if isinstance(v, list) else str(v))}"'
            for name, v in el.attrs.items()
        )
        return f"<{el.name}{attrs}>{text}</{el.name}>"

    convert_sup = convert_sub = convert_mark = convert_del = convert_ins = _keep_tag
    convert_s = convert_u = convert_small = convert_kbd = _keep_tag

    def convert_span(self, el: Any, text: str, parent_tags: Any) -> str:
        """Keep a span as inline HTML, but not in code: that is highlighting (classic HTML)."""
        if "pre" in parent_tags or "code" in parent_tags:
            return text
        return self._keep_tag(el, text, parent_tags)
    convert_abbr = convert_q = convert_cite = convert_time = _keep_tag

    def convert_li(self, el: Any, text: str, parent_tags: Any) -> str:
        """Write a list item with its nested lines indented four spaces, as the dialect reads."""
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            first = int(start) if start.isdigit() else 1
            bullet = f"{first + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        rest = ["    " + line if line.strip() else "" for line in lines[1:]]
        return "\n".join([bullet + lines[0], *rest]) + "\n"

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:  # noqa: N802
        """Write a heading, keeping its anchor as an attribute list (`## Title {#anchor}`)."""
        heading = str(super().convert_hN(n, el, text, parent_tags))  # type: ignore[misc]
        anchor = el.get("id")
        if not anchor or "_inline" in parent_tags or not re.fullmatch(r"[\w.:-]+", anchor):
            return heading
        return heading.rstrip("\n") + f" {{#{anchor}}}\n\n"

    def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
        """Write a link as Markdown, or as HTML when it has more than href and title."""
        if set(el.attrs) - {"href", "title"}:
            return self._keep_tag(el, text, parent_tags)
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]


def _to_markdown(html: str) -> str:
    """Convert an HTML fragment to Markdown with the dialect's choices (ATX headings, - lists)."""
    converter = _TextStaysText(code_language_callback=_code_language, **_MARKDOWNIFY_OPTIONS)
    return str(converter.convert(html))


def _autop(html: str) -> str:
    """Give classic content the paragraphs WordPress adds when it shows it (like wpautop)."""
    chunks = re.split(r"\n\s*\n", html.replace("\r\n", "\n"))
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n\n".join(out)


def _caption_shortcodes_to_figures(html: str) -> str:
    """Turn classic `[caption …]<img …/> Caption[/caption]` into `<figure>` markup."""

    def figure(match: re.Match[str]) -> str:
        attrs = dict(_SHORTCODE_ATTR.findall(match.group(1)))
        inner = match.group(2)
        image = _IMG_TAG.search(inner)
        if image is None:
            return inner
        caption = attrs.get("caption") or (inner[: image.start()] + inner[image.end() :]).strip()
        align = attrs.get("align", "")
        return (
            f'<figure class="{align}">{image.group(1)}<figcaption>{caption}</figcaption></figure>'
        )

    return _CAPTION_SHORTCODE.sub(figure, html)


def _figure_snippet(figure: Tag, keep_width: bool) -> str | None:
    """Return the dialect Markdown of a `<figure>` holding an image, or None if it has none."""
    image = figure.find("img")
    if not isinstance(image, Tag) or not image.get("src"):
        return None
    caption_tag = figure.find("figcaption")
    caption = ""
    if isinstance(caption_tag, Tag):
        caption = _to_markdown(caption_tag.decode_contents()).strip()
        caption = re.sub(r"\n\s*\n+", "\n", caption)
    align = next(
        (_ALIGN_CLASSES[name] for name in figure.get("class") or [] if name in _ALIGN_CLASSES),
        "none",
    )
    width_text = str(image.get("width") or "")
    width = int(width_text) if keep_width and width_text.isdigit() else None
    fields = FigureFields(
        src=str(image["src"]),
        alt=str(image.get("alt") or ""),
        caption=caption,
        align=align,
        width=width,
    )
    return build_figure_markdown(fields)


def _cite_fields(cite: Tag) -> tuple[str, str, str]:
    """Split a quote's `<cite>` into (author, source title, source URL)."""
    link = cite.find("a")
    title = url = ""
    if isinstance(link, Tag) and link.get("href"):
        title = link.get_text(" ", strip=True)
        url = str(link["href"])
        link.extract()
    author = cite.get_text(" ", strip=True)
    author = author.lstrip("—–- ").rstrip(",;:—–- ").strip()
    return author, title, url


def _quote_snippet(quote: Tag) -> str | None:
    """Return the dialect Markdown of a `<blockquote>` with a `<cite>`, or None without one."""
    cites = [c for c in quote.find_all("cite") if c.find_parent("blockquote") is quote]
    if not cites:
        return None
    cite = cites[-1]
    holder = cite.parent
    cite.extract()
    if holder is not quote and isinstance(holder, Tag) and not holder.get_text(strip=True):
        holder.extract()  # the <footer> or <p> that held only the citation
    text = _to_markdown(quote.decode_contents()).strip()
    try:
        if cite.has_attr(_VERBATIM):  # a caption as the writer typed it, dash or none
            caption = _to_markdown(cite.decode_contents()).strip()
            quoted = build_quote_markdown(QuoteFields(text)).rstrip("\n")
            return f"{quoted}\n\n/// caption\n{caption}\n///\n" if caption else quoted + "\n"
        author, title, url = _cite_fields(cite)
        return build_quote_markdown(QuoteFields(text, author, title, url))
    except EmptyQuote:
        return None


_VERBATIM = "data-draftpress-verbatim"


def _quote_figures_to_cites(soup: BeautifulSoup) -> None:
    """Turn our classic HTML's attributed quote (a figure: blockquote, figcaption) into a
    blockquote with a `<cite>`, as WordPress's quote block writes it. The figcaption holds the
    writer's own caption line (the dash is theirs, not a citation style), so the `<cite>` is
    marked to come back as it is."""
    for figure in soup.find_all("figure"):
        children = [c for c in figure.children if isinstance(c, Tag)]
        if [c.name for c in children] != ["blockquote", "figcaption"]:
            continue
        quote, caption = children
        cite = soup.new_tag("cite", attrs={_VERBATIM: ""})
        paragraphs = caption.find_all("p")
        for part in paragraphs if len(paragraphs) == 1 else [caption]:
            cite.extend(list(part.contents))
        quote.append(cite)
        caption.extract()
        figure.unwrap()


def content_to_markdown(raw: str) -> str:
    """Convert WordPress post content (block markup or classic HTML) to dialect Markdown."""
    is_blocks = "<!-- wp:" in raw
    html = _BLOCK_COMMENT.sub("", raw)
    html = _MORE_COMMENT.sub("", html)
    if not is_blocks:
        html = _autop(_caption_shortcodes_to_figures(html))
    return _dialect(html, keep_width=is_blocks)


def html_to_dialect(html: str) -> str:
    """Convert HTML a blog stores as it was sent (no paragraphs added) to dialect Markdown."""
    return _dialect(html, keep_width=False)


def _dialect(html: str, *, keep_width: bool) -> str:
    """Convert HTML to dialect Markdown: quotes with a `<cite>` and figures as snippets."""
    soup = BeautifulSoup(html, "html.parser")
    snippets: list[str] = []

    def park(element: Tag, snippet: str) -> None:
        """Replace an element by a placeholder paragraph that becomes `snippet` afterwards."""
        placeholder = soup.new_tag("p")
        placeholder.string = _TOKEN.format(len(snippets))
        snippets.append(snippet.rstrip("\n"))
        element.replace_with(placeholder)

    def attached(element: Tag) -> bool:
        """Tell whether an element is still in the document (not inside a parked one)."""
        return any(parent is soup for parent in element.parents)

    _quote_figures_to_cites(soup)
    for quote in soup.find_all("blockquote"):
        snippet = _quote_snippet(quote) if attached(quote) else None
        if snippet is not None:
            park(quote, snippet)
    for figure in soup.find_all("figure"):
        snippet = _figure_snippet(figure, keep_width=keep_width) if attached(figure) else None
        if snippet is not None:
            park(figure, snippet)
    markdown = _to_markdown(str(soup))
    for index, snippet in enumerate(snippets):
        markdown = markdown.replace(_TOKEN.format(index), f"\n\n{snippet}\n\n", 1)
    markdown = re.sub(r"[ \t]+\n(?=\n)", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    return markdown.strip("\n") + "\n" if markdown.strip() else ""
