"""WordPress posts (REST JSON, context=edit) become Draftpress posts in the dialect.

The content strings are WordPress's own serialisation (docs/notes/wordpress-rest.md and
docs/notes/wordpress-blocks.md): block markup with its comments, and classic HTML with [caption].
"""

from __future__ import annotations

from pathlib import Path

from editor.core.figure_snippet import FigureFields, build_figure_markdown, parse_figure_markdown
from editor.core.front_matter import body_of, read_front_matter
from editor.core.post import meta_from_text
from editor.core.quote_snippet import QuoteFields, build_quote_markdown, parse_quote_markdown
from editor.publish.html_to_markdown import content_to_markdown
from editor.publish.pull import (
    fetch_term_names,
    find_local_copy,
    post_from_server,
    pull_into_library,
    write_pulled_post,
)
from editor.publish.remote_record import read_remote_record, sha256_text

IMAGE_BLOCK = (
    '<!-- wp:image {"id":42,"sizeSlug":"large","linkDestination":"none"} -->\n'
    '<figure class="wp-block-image size-large"><img src="https://example.com/wp-content/uploads/'
    'cat.jpg" alt="A cat" class="wp-image-42"/><figcaption class="wp-element-caption">A '
    "<em>cat</em> on a mat</figcaption></figure>\n"
    "<!-- /wp:image -->"
)
QUOTE_BLOCK = (
    "<!-- wp:quote -->\n"
    '<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
    "<p>The Analytical Engine weaves algebraic patterns.</p>\n"
    "<!-- /wp:paragraph --><!-- wp:paragraph -->\n"
    "<p>Just as the loom weaves flowers.</p>\n"
    "<!-- /wp:paragraph --><cite>Ada Lovelace</cite></blockquote>\n"
    "<!-- /wp:quote -->"
)
BLOCK_CONTENT = "\n\n".join(
    [
        "<!-- wp:paragraph -->\n<p>We took the <em>night train</em> north.</p>\n"
        "<!-- /wp:paragraph -->",
        '<!-- wp:heading -->\n<h2 class="wp-block-heading">At the station</h2>\n'
        "<!-- /wp:heading -->",
        IMAGE_BLOCK,
        QUOTE_BLOCK,
        '<!-- wp:list -->\n<ul class="wp-block-list"><!-- wp:list-item -->\n<li>tea</li>\n'
        "<!-- /wp:list-item --><!-- wp:list-item -->\n<li>bread</li>\n"
        "<!-- /wp:list-item --></ul>\n<!-- /wp:list -->",
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>if a &lt; b &amp;&amp; c:\n'
        "    go()</code></pre>\n<!-- /wp:code -->",
        '<!-- wp:separator -->\n<hr class="wp-block-separator has-alpha-channel-opacity"/>\n'
        "<!-- /wp:separator -->",
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->",
        "<!-- wp:paragraph -->\n<p>Home again.</p>\n<!-- /wp:paragraph -->",
    ]
)


def server_post(**overrides) -> dict:
    """A post as `GET /wp/v2/posts/ID?context=edit` returns it."""
    post = {
        "id": 17,
        "date": "2024-05-01T10:30:00",
        "date_gmt": "2024-05-01T08:30:00",
        "modified": "2024-05-02T09:00:00",
        "modified_gmt": "2024-05-02T07:00:00",
        "slug": "night-train",
        "status": "publish",
        "link": "https://blog.example/2024/05/01/night-train/",
        "title": {"raw": "Night Train: North", "rendered": "Night Train: North"},
        "content": {"raw": BLOCK_CONTENT, "rendered": "<p>…</p>", "block_version": 1},
        "excerpt": {"raw": "A trip north.", "rendered": "<p>A trip north.</p>"},
        "tags": [5, 8],
        "categories": [1],
        "featured_media": 0,
    }
    post.update(overrides)
    return post


NAMES = {"tags": {5: "travel", 8: "trains"}, "categories": {1: "Journal"}}


def test_block_markup_becomes_the_dialect_with_figures_and_quotes_as_the_insert_tools_write():
    markdown = content_to_markdown(BLOCK_CONTENT)
    assert "<!--" not in markdown and "wp:" not in markdown
    assert markdown.startswith("We took the *night train* north.\n\n## At the station\n")
    figure = build_figure_markdown(
        FigureFields(
            src="https://example.com/wp-content/uploads/cat.jpg",
            alt="A cat",
            caption="A *cat* on a mat",
        )
    )
    assert figure in markdown
    quote = build_quote_markdown(
        QuoteFields(
            "The Analytical Engine weaves algebraic patterns.\n\nJust as the loom weaves flowers.",
            author="Ada Lovelace",
        )
    )
    assert quote in markdown
    assert "- tea\n- bread\n" in markdown
    assert "```\nif a < b && c:\n    go()\n```" in markdown
    assert markdown.endswith("Home again.\n")


def test_the_dialect_parsers_read_the_pulled_figure_and_quote_back():
    markdown = content_to_markdown(IMAGE_BLOCK + "\n\n" + QUOTE_BLOCK)
    figure_part, quote_part = markdown.split("\n\n> ", 1)
    figure = parse_figure_markdown(figure_part)
    assert figure is not None
    assert (figure.src, figure.alt, figure.caption) == (
        "https://example.com/wp-content/uploads/cat.jpg",
        "A cat",
        "A *cat* on a mat",
    )
    quote = parse_quote_markdown("> " + quote_part)
    assert quote is not None and quote.author == "Ada Lovelace"
    assert quote.text.startswith("The Analytical Engine")


def test_a_cite_with_a_link_gives_author_title_and_url():
    content = (
        '<blockquote class="wp-block-quote"><p>Less is more.</p><cite>Mies, '
        '<a href="https://example.org/interview">The interview</a></cite></blockquote>'
    )
    quote = parse_quote_markdown(content_to_markdown("<!-- wp:quote -->" + content))
    assert quote is not None
    assert (quote.text, quote.author, quote.source_title, quote.source_url) == (
        "Less is more.",
        "Mies",
        "The interview",
        "https://example.org/interview",
    )


def test_alignment_and_a_resized_width_of_an_image_block_are_kept():
    content = (
        '<!-- wp:image {"id":3,"width":300,"align":"right"} -->\n'
        '<figure class="wp-block-image alignright is-resized"><img src="https://b.example/a.png"'
        ' alt="" class="wp-image-3" width="300"/></figure>\n<!-- /wp:image -->'
    )
    figure = parse_figure_markdown(content_to_markdown(content))
    assert figure is not None
    assert (figure.align, figure.width, figure.caption) == ("right", 300, "")


def test_classic_content_gets_paragraphs_and_its_caption_shortcode_becomes_a_figure():
    content = (
        "First paragraph,\nsame paragraph.\n\n"
        '[caption id="attachment_6" align="aligncenter" width="300"]<a href="https://b.example/'
        'x.jpg"><img class="size-medium wp-image-6" src="https://b.example/x-300x200.jpg" '
        'alt="A boat" width="300" height="200" /></a> The harbour at dawn[/caption]\n\n'
        "Last one."
    )
    markdown = content_to_markdown(content)
    assert markdown.startswith("First paragraph,  \nsame paragraph.\n\n")
    figure = parse_figure_markdown(markdown.split("\n\n", 1)[1])
    assert figure == FigureFields(
        src="https://b.example/x-300x200.jpg",
        alt="A boat",
        caption="The harbour at dawn",
        align="center",
    )
    assert markdown.endswith("\n\nLast one.\n")


def test_markdown_characters_in_text_are_escaped_not_turned_into_formatting():
    markdown = content_to_markdown("<!-- wp:paragraph --><p>2*3*4 and snake_case_name</p>")
    assert markdown == "2\\*3\\*4 and snake\\_case\\_name\n"


def test_the_post_gets_front_matter_with_terms_by_name_and_a_remote_record():
    text = post_from_server(server_post(), blog="my blog", term_names=NAMES)
    meta = meta_from_text(text)
    assert (meta.title, meta.slug, meta.status, meta.excerpt, meta.blog) == (
        "Night Train: North",
        "night-train",
        "publish",
        "A trip north.",
        "my blog",
    )
    assert meta.date == "2024-05-01T10:30:00"
    assert (meta.tags, meta.categories) == (["travel", "trains"], ["Journal"])
    record = read_remote_record(text, "my blog")
    assert record.id == 17
    assert record.url == "https://blog.example/2024/05/01/night-train/"
    assert record.modified_gmt == "2024-05-02T07:00:00"
    assert record.content_sha256 == sha256_text(BLOCK_CONTENT)  # the next publish updates it
    assert record.terms == {"tags": {"travel": 5, "trains": 8}, "categories": {"Journal": 1}}
    assert body_of(text).lstrip("\n").startswith("We took the *night train* north.")


def test_without_names_or_blog_terms_and_remote_are_left_out():
    text = post_from_server(server_post())
    data = read_front_matter(text)
    assert "tags" not in data and "categories" not in data
    assert "remote" not in data and "blog" not in data


def test_a_draft_date_is_only_a_day_so_it_is_not_pinned_and_a_draft_without_slug_has_none():
    # WordPress fills date_gmt in even for a floating draft date (REST shims it from `date`).
    draft = server_post(status="draft", slug="", title={"raw": "Idea"})
    meta = meta_from_text(post_from_server(draft))
    assert (meta.date, meta.slug, meta.status, meta.title) == ("2024-05-01", "", "draft", "Idea")


def test_rendered_fields_are_used_when_raw_ones_are_missing():
    post = server_post(
        title={"rendered": "Tom &amp; Jerry"}, content={"rendered": "<p>Hi <b>there</b></p>"}
    )
    text = post_from_server(post)
    assert meta_from_text(text).title == "Tom & Jerry"
    assert body_of(text).strip() == "Hi **there**"


class FakeClient:
    """Answers the term look-ups of a pull."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []

    def request(self, method: str, route: str, action: str, **kwargs):
        self.calls.append((route, kwargs.get("params", {})))
        taxonomy = route.rsplit("/", 1)[1]
        ids = [int(i) for i in kwargs["params"]["include"].split(",")]
        return [{"id": i, "name": NAMES[taxonomy][i]} for i in ids]


def test_term_names_are_fetched_by_id(tmp_path: Path):
    client = FakeClient()
    assert fetch_term_names(client, server_post()) == NAMES
    assert [route for route, _ in client.calls] == ["/wp/v2/tags", "/wp/v2/categories"]
    assert client.calls[0][1]["include"] == "5,8"


def test_a_pull_writes_a_dated_file_once_and_then_finds_it_again(tmp_path: Path):
    root = tmp_path / "library"
    path = pull_into_library(FakeClient(), server_post(), root, "my blog")
    assert path == root / "2024-05-01-night-train.md"
    assert meta_from_text(path.read_text(encoding="utf-8")).tags == ["travel", "trains"]
    assert find_local_copy(root, "my blog", 17) == path
    assert find_local_copy(root, "other blog", 17) is None
    assert pull_into_library(FakeClient(), server_post(), root, "my blog") == path
    fresh = pull_into_library(FakeClient(), server_post(), root, "my blog", reuse=False)
    assert fresh == root / "2024-05-01-night-train-2.md"


def test_a_post_without_slug_is_named_after_its_title(tmp_path: Path):
    post = server_post(slug="", title={"raw": "Über den Fluss"})
    path = write_pulled_post(tmp_path, post_from_server(post), post)
    assert path.name == "2024-05-01-uber-den-fluss.md"


def test_two_categories_with_one_name_keep_their_own_ids_through_pull_and_record():
    post = server_post(categories=[3, 7])
    names = {"categories": {3: "News", 7: "News"}}
    text = post_from_server(post, blog="my blog", term_names=names)
    assert meta_from_text(text).categories == ["News", "News"]
    record = read_remote_record(text, "my blog")
    assert record.terms["categories"] == {"News": [3, 7]}


def test_classic_html_of_an_attributed_quote_and_highlighted_code_pulls_back_to_the_dialect():
    """The publisher's classic output (XML-RPC blogs, classic WordPress) keeps our figure
    around an attributed quote and Pygments' spans in code: a pull reads both back."""
    classic = (
        "<figure>\n<blockquote>\n<p>I was astonished.</p>\n</blockquote>\n<figcaption>\n"
        '<p>— DJ Mac, <a href="https://example.com/anti">Anti</a></p>\n</figcaption>\n'
        '</figure>\n<div class="codehilite"><pre><span></span><code><span class="nb">print'
        '</span><span class="p">(</span><span class="s2">"a &lt; b"</span>'
        '<span class="p">)</span>\n</code></pre></div>'
    )
    markdown = content_to_markdown(classic)
    assert "> I was astonished.\n\n/// caption\n— DJ Mac, [Anti](https://example.com/anti)" in (
        markdown
    )
    assert '```\nprint("a < b")\n```' in markdown and "<span" not in markdown
