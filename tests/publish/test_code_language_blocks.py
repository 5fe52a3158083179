"""A fence's language on WordPress: the code block's className, accepted by WordPress's own
block validator, and read back to the fence's language when the post is pulled.

Posts whose fences name no language publish and pull exactly as before (a fixed point).
"""

from __future__ import annotations

import pytest

from editor.publish.round_trip import pull_content, render_markdown_piece
from editor.publish.wordpress_blocks import html_to_blocks
from tests.publish.test_wordpress_blocks import run_block_validator

PYTHON = '```python\nprint("a < b & c")\n```\n'
PLAIN = '```\nprint("a < b & c")\n```\n'
WITH_CLASS = (
    '<!-- wp:code {"className":"language-python"} -->\n'
    '<pre class="wp-block-code language-python"><code>print("a &lt; b &amp; c")</code></pre>\n'
    "<!-- /wp:code -->"
)
WITHOUT_CLASS = (
    "<!-- wp:code -->\n"
    '<pre class="wp-block-code"><code>print("a &lt; b &amp; c")</code></pre>\n'
    "<!-- /wp:code -->"
)


def test_a_fence_language_publishes_as_the_code_blocks_class_name() -> None:
    assert render_markdown_piece(PYTHON, False, {}) == WITH_CLASS
    assert render_markdown_piece(PLAIN, False, {}) == WITHOUT_CLASS


def test_html_without_a_language_class_converts_as_before() -> None:
    html = '<div class="codehilite"><pre><span></span><code>x = 1\n</code></pre></div>'
    assert html_to_blocks(html) == (
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>x = 1</code></pre>\n<!-- /wp:code -->'
    )


@pytest.mark.parametrize(("content", "markdown"), [(WITH_CLASS, PYTHON), (WITHOUT_CLASS, PLAIN)])
def test_pulling_gives_the_fence_language_back_and_publishes_the_same_markup(
    content: str, markdown: str
) -> None:
    pulled, _copy = pull_content(content)
    assert pulled == markdown
    assert render_markdown_piece(pulled, False, {}) == content  # a fixed point


@pytest.mark.block_validator
def test_wordpress_accepts_the_class_name_and_saves_it_unchanged() -> None:
    javascript = render_markdown_piece("```js\nlet a = 1;\n```\n", False, {})
    posts = [WITH_CLASS, WITHOUT_CLASS, javascript]
    result = run_block_validator(posts)
    for post in result["posts"]:
        (block,) = post["blocks"]
        assert block["name"] == "core/code"
        assert block["isValid"] and not block["deprecatedMigrated"], block["validationIssues"]
        assert post["roundTrips"], post["serialized"]
    # The form a browser would take (class on <code>) is refused: why className is used.
    refused = WITHOUT_CLASS.replace("<code>", '<code class="language-python">')
    assert not run_block_validator([refused])["posts"][0]["blocks"][0]["isValid"]
