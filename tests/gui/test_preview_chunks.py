"""A long post's pieces are grouped in blocks in the preview's page, so that a keystroke's patch
relays out one block rather than ten thousand pieces; the post shows exactly as flat pieces do
(preview_patch.py: CHUNKED_FROM_PIECES)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from editor.gui.preview.preview_patch import CHUNKED_FROM_PIECES, FLAT_BELOW_PIECES
from editor.gui.preview.preview_view import PreviewView
from editor.render.incremental import RenderedBlock
from tests.gui.helpers import preview_html, run_js

CHUNK_LIMIT = 256  # twice the page script's block size: a block never holds more nodes

CHUNKS = "document.querySelectorAll('#content > dp-chunk').length"
LARGEST_CHUNK = (
    "Math.max.apply(null, [0].concat(Array.prototype.map.call("
    "document.querySelectorAll('#content > dp-chunk'), function (c) {"
    " return c.childNodes.length; })))"
)
LOOSE_PIECES = "document.querySelectorAll('#content > :not(dp-chunk)').length"


def pieces(count: int, label: str) -> list[RenderedBlock]:
    """Return `count` pieces in the theme's varied block kinds (margins of every sort)."""
    kinds = [
        "<h2>Heading {label} {n}</h2>\n",
        "<p>Paragraph {label} {n} with <em>some</em> words.</p>\n",
        "<blockquote>\n<p>A quote {label} {n}</p>\n</blockquote>\n",
        "<ul>\n<li>Item {label} {n}</li>\n</ul>\n",
        "<pre><code>code {label} {n}</code></pre>\n",
    ]
    return [
        RenderedBlock(2 * n, kinds[n % len(kinds)].format(label=label, n=n)) for n in range(count)
    ]


def show(
    qtbot, preview: PreviewView, folder: Path, blocks: list[RenderedBlock], serial: int
) -> None:
    """Show `blocks` and wait until the page holds them."""
    with qtbot.waitSignal(preview.body_applied, timeout=30000):
        preview.show_blocks(folder, blocks, serial)


def test_a_long_post_is_grouped_and_stays_exact_through_edits(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    blocks = pieces(CHUNKED_FROM_PIECES + 100, "a")
    show(qtbot, preview, tmp_path, blocks, 1)
    assert run_js(qtbot, preview, CHUNKS) > 5
    assert run_js(qtbot, preview, LOOSE_PIECES) == 0
    assert preview_html(qtbot, preview) == "".join(block.html for block in blocks)
    # Typing, deleting ranges, a paste of thousands of pieces in the middle, cutting the tail:
    # after each, the page is the pieces in order, in blocks none larger than the limit.
    chance = random.Random(16)
    serial = 1
    for step in range(12):
        serial += 1
        at = chance.randrange(len(blocks) + 1)
        if step == 4:
            blocks[at:at] = pieces(3000, f"paste{step}")
        elif step == 8:
            del blocks[len(blocks) // 2 :]
        elif step % 3 == 0:
            del blocks[at : at + chance.randrange(1, 400)]
        else:
            blocks[at : at + 1] = pieces(chance.randrange(1, 3), f"typed{step}")
        show(qtbot, preview, tmp_path, blocks, serial)
        assert preview_html(qtbot, preview) == "".join(block.html for block in blocks), step
        assert run_js(qtbot, preview, LARGEST_CHUNK) <= CHUNK_LIMIT, step
        assert run_js(qtbot, preview, "window.__dp.blocks.length") == len(blocks)


def test_a_post_cut_short_is_flat_again_and_a_short_post_never_grouped(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    blocks = pieces(CHUNKED_FROM_PIECES - 1, "a")
    show(qtbot, preview, tmp_path, blocks, 1)
    assert run_js(qtbot, preview, CHUNKS) == 0
    blocks += pieces(2, "b")
    show(qtbot, preview, tmp_path, blocks, 2)
    assert run_js(qtbot, preview, CHUNKS) > 0
    del blocks[FLAT_BELOW_PIECES - 1 :]
    show(qtbot, preview, tmp_path, blocks, 3)
    assert run_js(qtbot, preview, CHUNKS) == 0
    html = run_js(qtbot, preview, "document.getElementById('content').innerHTML")
    assert html == "".join(block.html for block in blocks)


POSITIONS = """JSON.stringify(window.__dp.blocks.map(function (nodes) {
  var element = nodes.filter(function (n) { return n.nodeType === 1; })[0];
  var box = element.getBoundingClientRect();
  return [Math.round(box.top + window.scrollY), Math.round(box.height)];
}))"""
UNGROUP = """(function () {
  var content = document.getElementById('content');
  content.querySelectorAll(':scope > dp-chunk').forEach(function (chunk) {
    chunk.replaceWith.apply(chunk, Array.prototype.slice.call(chunk.childNodes));
  });
  return content.children.length;
})()"""


def test_grouped_pieces_sit_exactly_where_flat_pieces_would(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    # Margins collapse across the blocks as between flat pieces: every piece's top and height
    # are the same with the blocks as after the test takes them out of the page.
    preview.resize(700, 600)
    blocks = pieces(CHUNKED_FROM_PIECES + 10, "a")
    show(qtbot, preview, tmp_path, blocks, 1)
    assert run_js(qtbot, preview, CHUNKS) > 5
    grouped = json.loads(str(run_js(qtbot, preview, POSITIONS)))
    assert run_js(qtbot, preview, UNGROUP) >= len(blocks)
    flat = json.loads(str(run_js(qtbot, preview, POSITIONS)))
    assert grouped == flat


def test_a_long_post_in_a_blogs_look_is_never_grouped(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    # A blog's CSS may style its post element's own children (`.entry-content > *`): its pieces
    # stay the element's children, however long the post.
    def shell(title: str) -> str:
        return (
            "<!DOCTYPE html><html data-dp-blog-look><head><title></title></head><body>"
            "<h1 data-dp-title></h1><div class='entry-content' data-dp-content></div></body></html>"
        )

    with qtbot.waitSignal(preview.page_loaded, timeout=30000):
        preview.set_page_style(shell, lambda html: html)
        preview.build_page()
    qtbot.waitUntil(lambda: preview.in_blog_look)
    blocks = pieces(CHUNKED_FROM_PIECES + 100, "a")
    show(qtbot, preview, tmp_path, blocks, 1)
    inside = run_js(qtbot, preview, "document.querySelectorAll('[data-dp-content] > *').length")
    assert inside == len(blocks)
    assert run_js(qtbot, preview, "document.querySelectorAll('dp-chunk').length") == 0


AT_BOTTOM = (
    "Math.abs(window.scrollY - (document.documentElement.scrollHeight - window.innerHeight)) < 2"
)


def test_the_end_of_a_lazily_laid_out_post_is_reached_in_one_go(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    # Blocks not yet shown have an estimated height; the last ones, laid out once scrolled to,
    # are taller than the estimate: the page scrolls on until the end is on screen.
    filler = "<p>" + "A long paragraph of a book-length post. " * 30 + "</p>\n"
    blocks = [RenderedBlock(2 * n, filler) for n in range(CHUNKED_FROM_PIECES + 200)]
    notes = "".join(f"<li>Footnote {n}, with some words.</li>\n" for n in range(600))
    blocks.append(RenderedBlock(10**6, f'<div class="footnote"><ol>\n{notes}</ol></div>\n'))
    show(qtbot, preview, tmp_path, blocks, 1)
    assert run_js(qtbot, preview, "document.getElementById('content').className") == "dp-long"
    preview.scroll_to_end(True)
    last = "document.querySelector('.footnote li:last-child').getBoundingClientRect().bottom"
    height = run_js(qtbot, preview, "window.innerHeight")
    qtbot.waitUntil(lambda: run_js(qtbot, preview, last) <= height, timeout=10000)
    assert run_js(qtbot, preview, AT_BOTTOM) is True
