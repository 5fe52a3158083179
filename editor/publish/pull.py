"""Bring a post from the blog into the library: WordPress content -> a Draftpress Markdown post.

No Qt here. `post_from_server` is pure; the helpers at the end read or write library files and
call the blog through a `WordPressClient`.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from bs4 import BeautifulSoup, Tag
from markdownify import markdownify

from editor.core.figure_snippet import FigureFields, build_figure_markdown
from editor.core.front_matter import FrontMatterError, read_front_matter, with_front_matter_field
from editor.core.library import new_post_path
from editor.core.post import STATUSES
from editor.core.quote_snippet import EmptyQuote, QuoteFields, build_quote_markdown
from editor.publish.remote_record import REMOTE_KEY, RemoteRecord, sha256_text, with_remote_record

log = logging.getLogger(__name__)

TermNames = Mapping[str, Mapping[int, str]]  # taxonomy ("tags", "categories") -> id -> name

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
_HEADER_READ_LIMIT = 64 * 1024
_MARKDOWNIFY_OPTIONS: dict[str, Any] = {"heading_style": "ATX", "bullets": "-"}


class Client(Protocol):
    """What the pull needs of a WordPressClient (a protocol, so tests may pass a fake)."""

    def request(self, method: str, route: str, action: str, **kwargs: Any) -> Any:
        """Call a REST route and return its JSON."""


# -- content -------------------------------------------------------------------------------


def _code_language(element: Tag) -> str | None:
    """Return the language of `<pre><code class="language-x">`, if one is named."""
    code = element.find("code") if element.name == "pre" else element
    for name in (code.get("class") or []) if isinstance(code, Tag) else []:
        if name.startswith("language-"):
            return name.removeprefix("language-")
    return None


def _to_markdown(html: str) -> str:
    """Convert an HTML fragment to Markdown with the dialect's choices (ATX headings, - lists)."""
    return markdownify(html, code_language_callback=_code_language, **_MARKDOWNIFY_OPTIONS)


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
    author, title, url = _cite_fields(cite)
    try:
        return build_quote_markdown(QuoteFields(text, author, title, url))
    except EmptyQuote:
        return None


def content_to_markdown(raw: str) -> str:
    """Convert WordPress post content (block markup or classic HTML) to dialect Markdown."""
    is_blocks = "<!-- wp:" in raw
    html = _BLOCK_COMMENT.sub("", raw)
    html = _MORE_COMMENT.sub("", html)
    if not is_blocks:
        html = _autop(_caption_shortcodes_to_figures(html))
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

    for quote in soup.find_all("blockquote"):
        snippet = _quote_snippet(quote) if attached(quote) else None
        if snippet is not None:
            park(quote, snippet)
    for figure in soup.find_all("figure"):
        snippet = _figure_snippet(figure, keep_width=is_blocks) if attached(figure) else None
        if snippet is not None:
            park(figure, snippet)
    markdown = _to_markdown(str(soup))
    for index, snippet in enumerate(snippets):
        markdown = markdown.replace(_TOKEN.format(index), f"\n\n{snippet}\n\n", 1)
    markdown = re.sub(r"[ \t]+\n(?=\n)", "\n", markdown)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    return markdown.strip("\n") + "\n" if markdown.strip() else ""


# -- the whole post ------------------------------------------------------------------------


def _raw(server_post: Mapping[str, Any], key: str) -> str:
    """Return `raw` (context=edit) of a field, else its `rendered` HTML (as text but content)."""
    value = server_post.get(key)
    if not isinstance(value, Mapping):
        return str(value or "")
    if value.get("raw") is not None:
        return str(value["raw"])
    rendered = str(value.get("rendered") or "")
    if key == "content":
        return rendered
    return html_lib.unescape(re.sub(r"<[^>]+>", "", rendered))


def _front_matter_date(server_post: Mapping[str, Any]) -> str:
    """Return the date for the front matter: the full time once the blog has fixed one."""
    date = str(server_post.get("date") or "")
    if not date:
        return ""
    if server_post.get("status") in ("draft", "pending", "auto-draft"):
        # An unpublished post's date usually floats (WordPress sets it when the post goes out),
        # and the REST API does not say whether it does: a full time would pin it (backdating
        # the post when it is published later), a day alone is not sent for a draft.
        return date[:10]
    return date[:19]


def _names(server_post: Mapping[str, Any], taxonomy: str, term_names: TermNames) -> dict[str, int]:
    """Return the post's terms of one taxonomy as name -> id (ids without a name are dropped)."""
    known = term_names.get(taxonomy, {})
    found: dict[str, int] = {}
    for term_id in server_post.get(taxonomy) or []:
        name = known.get(int(term_id))
        if name:
            found[name] = int(term_id)
        else:
            log.info("pull: no name for %s id %s; left out", taxonomy, term_id)
    return found


def pulled_record(
    server_post: Mapping[str, Any], blog: str, term_names: TermNames | None = None
) -> RemoteRecord:
    """Return the remote record of a post as just read from the blog (the next publish updates)."""
    terms = {tax: _names(server_post, tax, term_names or {}) for tax in ("tags", "categories")}
    status = str(server_post.get("status") or "")
    return RemoteRecord(
        blog=blog,
        id=int(server_post["id"]),
        type="page" if server_post.get("type") == "page" else "",
        custom_status=status if status and status not in STATUSES else "",
        url=str(server_post.get("link") or ""),
        modified_gmt=str(server_post.get("modified_gmt") or ""),
        content_sha256=sha256_text(_raw(server_post, "content")),
        terms={tax: names for tax, names in terms.items() if names},
    )


def post_from_server(
    server_post: Mapping[str, Any], *, blog: str = "", term_names: TermNames | None = None
) -> str:
    """Return a Draftpress post text (front matter + Markdown) for a WordPress post.

    `server_post` is the REST API's JSON with context=edit. Tags and categories come in as ids:
    pass `term_names` to keep them by name, else they are left out. With `blog`, the post also
    gets `blog:` and a `remote:` record, so that publishing it updates the same blog post.
    """
    term_names = term_names or {}
    is_page = server_post.get("type") == "page"  # a page has no tags, categories or sticky flag
    fields: list[tuple[str, Any]] = [
        ("title", _raw(server_post, "title").strip()),
        ("slug", str(server_post.get("slug") or "")),
        ("date", _front_matter_date(server_post)),
        ("status", str(server_post.get("status") or "draft")),
        ("sticky", True if server_post.get("sticky") is True and not is_page else None),
        ("tags", None if is_page else list(_names(server_post, "tags", term_names))),
        ("categories", None if is_page else list(_names(server_post, "categories", term_names))),
        ("excerpt", _raw(server_post, "excerpt").strip()),
        ("blog", blog),
    ]
    text = ""
    for key, value in fields:
        text = with_front_matter_field(text, key, value)
    body = content_to_markdown(_raw(server_post, "content"))
    text = text + "\n" + body if text else body
    if blog:
        text = with_remote_record(text, pulled_record(server_post, blog, term_names))
    return text


# -- the library and the blog --------------------------------------------------------------


def find_local_copy(root: Path, blog: str, post_id: int) -> Path | None:
    """Return the library file whose `remote:` record is this blog's post `post_id`, if any."""
    if not root.is_dir():
        return None
    for path in sorted(root.glob("*.md")):
        try:
            with path.open("rb") as handle:
                header = handle.read(_HEADER_READ_LIMIT).decode("utf-8", errors="replace")
            data = read_front_matter(header.lstrip("\ufeff").replace("\r\n", "\n"))
        except (OSError, FrontMatterError):
            continue
        remote = data.get(REMOTE_KEY)
        if isinstance(remote, Mapping) and str(remote.get("blog", "")) == blog:
            try:
                if int(remote.get("id")) == int(post_id):
                    return path
            except (TypeError, ValueError):
                continue
    return None


def fetch_term_names(client: Client, server_post: Mapping[str, Any]) -> dict[str, dict[int, str]]:
    """Look up the names of the post's tags and categories on the blog."""
    names: dict[str, dict[int, str]] = {}
    for taxonomy in ("tags", "categories"):
        ids = [int(i) for i in server_post.get(taxonomy) or []]
        if not ids:
            continue
        terms = client.request(
            "GET",
            f"/wp/v2/{taxonomy}",
            f"reading the post's {taxonomy}",
            params={"include": ",".join(map(str, ids)), "per_page": 100},
        )
        names[taxonomy] = {int(t["id"]): str(t.get("name", "")) for t in terms}
    return names


def _file_date(server_post: Mapping[str, Any]) -> dt.date:
    """Return the date for the file name: the post's own date, else today."""
    try:
        return dt.date.fromisoformat(str(server_post.get("date") or "")[:10])
    except ValueError:
        return dt.date.today()


def write_pulled_post(root: Path, text: str, server_post: Mapping[str, Any]) -> Path:
    """Write a pulled post to a new `YYYY-MM-DD-slug.md` in the library and return its path."""
    root.mkdir(parents=True, exist_ok=True)
    name = str(server_post.get("slug") or "") or _raw(server_post, "title") or "untitled"
    path = new_post_path(root, name, _file_date(server_post))
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    log.info("pulled post %s into %s", server_post.get("id"), path)
    return path


def pull_into_library(
    client: Client, server_post: Mapping[str, Any], root: Path, blog: str, *, reuse: bool = True
) -> Path:
    """Return the library file of a blog post: the one already there (if `reuse`), else a new one.

    Without `reuse` a new file is always written (the server's version beside a local draft).
    """
    if reuse:
        existing = find_local_copy(root, blog, int(server_post["id"]))
        if existing is not None:
            return existing
    names = fetch_term_names(client, server_post)
    text = post_from_server(server_post, blog=blog, term_names=names)
    return write_pulled_post(root, text, server_post)
