"""Splitting WordPress content into top-level pieces, losslessly."""

from __future__ import annotations

from editor.publish.block_parser import content_pieces, is_block_content, split_content

NESTED = (
    '<!-- wp:columns {"x":1} -->\n<div class="wp-block-columns"><!-- wp:column -->\n'
    "<div>x</div>\n<!-- /wp:column -->\n\n<!-- wp:column -->\n<div>y</div>\n"
    "<!-- /wp:column --></div>\n<!-- /wp:columns -->"
)


def _texts(content: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in content_pieces(content)]


def test_nested_blocks_are_one_top_level_piece_with_their_inner_names() -> None:
    content = "<!-- wp:paragraph -->\n<p>a</p>\n<!-- /wp:paragraph -->\n\n" + NESTED
    pieces = split_content(content)
    assert [p.kind for p in pieces] == ["block", "space", "block"]
    assert pieces[2].name == "core/columns" and pieces[2].attrs == {"x": 1}
    assert pieces[2].inner_names == ["core/column", "core/column"]
    assert "".join(p.text for p in pieces) == content


def test_void_blocks_namespaces_stray_closers_and_unclosed_blocks() -> None:
    content = (
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n<!-- /wp:stray -->text\n\n'
        "<!-- wp:acme/widget -->\n<div>never closed"
    )
    pieces = split_content(content)
    assert pieces[0].name == "core/latest-posts" and pieces[0].attrs == {"postsToShow": 3}
    assert pieces[1].kind == "freeform" and "stray" in pieces[1].text
    assert pieces[-1].name == "acme/widget" and pieces[-1].text.endswith("never closed")
    assert "".join(p.text for p in pieces) == content


def test_classic_chunks_keep_open_elements_and_enclosing_shortcodes_whole() -> None:
    content = (
        "One\nline two\n\n<pre>code\n\nmore code</pre>\n\n"
        '[caption id="x"]<img src="a.jpg"> A cap\n\ntion[/caption]\n\n[gallery ids="1,2"]\n\nlast'
    )
    assert _texts(content) == [
        ("freeform", "One\nline two"),
        ("space", "\n\n"),
        ("freeform", "<pre>code\n\nmore code</pre>"),
        ("space", "\n\n"),
        ("freeform", '[caption id="x"]<img src="a.jpg"> A cap\n\ntion[/caption]'),
        ("space", "\n\n"),
        ("freeform", '[gallery ids="1,2"]'),
        ("space", "\n\n"),
        ("freeform", "last"),
    ]
    assert not is_block_content(content)


def test_an_unclosed_element_does_not_swallow_the_rest_of_the_post() -> None:
    content = "<div>open\n\nnext\n\nlast"
    assert [t for _k, t in _texts(content) if _k == "freeform"] == ["<div>open", "next", "last"]
