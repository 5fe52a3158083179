"""Tests for the Markdown source highlighter: formats applied per block, and block states."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import (
    QColor,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QPlainTextDocumentLayout

from editor.gui.editing.markdown_highlighter import (
    STATE_CAPTION,
    STATE_CODE_BACKTICK,
    STATE_CODE_TILDE,
    STATE_FRONT_MATTER,
    STATE_ISLAND,
    STATE_NORMAL,
    MarkdownHighlighter,
    state_kind,
)
from editor.render.raw_islands import island_spans

Highlighted = tuple[QTextDocument, MarkdownHighlighter]
Highlight = Callable[..., Highlighted]


@pytest.fixture
def highlight(qapp: QApplication) -> Highlight:
    """Return a function that highlights Markdown text and keeps the objects alive."""
    keep: list[Highlighted] = []

    def run(text: str, palette: QPalette | None = None) -> Highlighted:
        doc = QTextDocument()
        # As in a QPlainTextEdit; without a layout the document emits no contentsChange,
        # so edits would never reach the highlighter.
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        doc.setPlainText(text)
        highlighter = MarkdownHighlighter(doc, palette or light_palette())
        highlighter.rehighlight()
        keep.append((doc, highlighter))
        return doc, highlighter

    return run


def light_palette() -> QPalette:
    """A plain black-on-white palette."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    return palette


def dark_palette() -> QPalette:
    """A light-on-dark palette."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#dddddd"))
    return palette


def block(doc: QTextDocument, number: int) -> QTextBlock:
    """Return block `number`, failing loudly if it does not exist."""
    found = doc.findBlockByNumber(number)
    assert found.isValid(), f"no block {number}"
    return found


def ranges(blk: QTextBlock) -> list[tuple[int, int, QTextCharFormat]]:
    """The (start, length, format) runs the highlighter left on a block."""
    # Copy each format: it belongs to the FormatRange, which is freed with the list.
    return [(r.start, r.length, QTextCharFormat(r.format)) for r in blk.layout().formats()]


def format_at(blk: QTextBlock, pos: int) -> QTextCharFormat | None:
    """The highlight format covering character `pos` of a block, if any."""
    for start, length, fmt in ranges(blk):
        if start <= pos < start + length:
            return fmt
    return None


def merged(highlighter: MarkdownHighlighter, *kinds: str) -> QTextCharFormat:
    """The format expected where several kinds overlap (later kinds win)."""
    fmt = QTextCharFormat()
    for kind in kinds:
        fmt.merge(highlighter.format_for(kind))
    return fmt


def assert_run(blk: QTextBlock, start: int, length: int, expected: QTextCharFormat) -> None:
    """Assert that exactly the run [start, start+length) carries `expected`."""
    runs = ranges(blk)
    assert any(s == start and n == length and f == expected for s, n, f in runs), (
        f"no run {start}+{length} with the expected format in {blk.text()!r}: "
        f"{[(s, n) for s, n, _ in runs]}"
    )


def test_states_are_distinct_constants() -> None:
    states = {
        STATE_NORMAL,
        STATE_FRONT_MATTER,
        STATE_CODE_BACKTICK,
        STATE_CODE_TILDE,
        STATE_CAPTION,
        STATE_ISLAND,
    }
    assert len(states) == 6
    assert state_kind(-1) == STATE_NORMAL


def test_formats_are_distinct_where_it_matters(highlight: Highlight) -> None:
    _, h = highlight("")
    assert h.format_for("heading") != h.format_for("heading_marker")
    assert h.format_for("front_matter") != h.format_for("hr")
    assert h.format_for("caption") != h.format_for("caption_fence")
    assert h.format_for("code_block") != h.format_for("code_fence")
    with pytest.raises(KeyError):
        h.format_for("no-such-kind")


def test_heading(highlight: Highlight) -> None:
    doc, h = highlight("# Title *em*\n###### Six ##\n####### seven\n#hashtag\nText # not")
    first = block(doc, 0)
    assert_run(first, 0, 1, h.format_for("heading_marker"))
    assert_run(first, 2, 6, h.format_for("heading"))
    assert_run(first, 8, 4, merged(h, "heading", "emphasis"))
    assert h.format_for("heading").fontWeight() > h.format_for("strong").fontWeight()
    six = block(doc, 1)
    assert_run(six, 0, 6, h.format_for("heading_marker"))
    assert_run(six, 7, 3, h.format_for("heading"))
    assert_run(six, 11, 2, h.format_for("heading_marker"))  # optional closing hashes
    for number in (2, 3, 4):
        assert ranges(block(doc, number)) == []


def test_emphasis_and_strong(highlight: Highlight) -> None:
    doc, h = highlight("a *em* b _us_ c **st** d __un__ e snake_case_name 2 * 3 * 4")
    blk = block(doc, 0)
    assert_run(blk, 2, 4, h.format_for("emphasis"))
    assert_run(blk, 9, 4, h.format_for("emphasis"))
    assert_run(blk, 16, 6, h.format_for("strong"))
    assert_run(blk, 25, 6, h.format_for("strong"))
    assert format_at(blk, 40) is None  # intraword underscores are not emphasis
    assert format_at(blk, 52) is None  # spaced asterisks are not emphasis
    assert h.format_for("emphasis").fontItalic()
    assert h.format_for("strong").fontWeight() >= 700


def test_links_and_reference_definitions(highlight: Highlight) -> None:
    text = 'see [text](http://x.y/a_b_c) and [ref **b**][ref]\n[ref]: https://example.com "T"'
    doc, h = highlight(text)
    blk = block(doc, 0)
    assert_run(blk, 4, 6, h.format_for("link_text"))
    assert_run(blk, 10, 18, h.format_for("link_url"))
    assert_run(blk, 33, 5, h.format_for("link_text"))
    assert_run(blk, 38, 5, merged(h, "link_text", "strong"))
    assert_run(blk, 43, 1, h.format_for("link_text"))
    assert_run(blk, 44, 5, h.format_for("ref_label"))
    definition = block(doc, 1)
    assert_run(definition, 0, 5, h.format_for("ref_label"))
    assert_run(definition, 7, 23, h.format_for("link_url"))
    assert h.format_for("link_text").foreground() != h.format_for("link_url").foreground()


def test_image_and_badge(highlight: Highlight) -> None:
    doc, h = highlight("![alt text](img/a_b.png)\n[![b](i.png)](https://u)")
    image = block(doc, 0)
    assert_run(image, 0, 11, h.format_for("image"))
    assert_run(image, 11, 13, h.format_for("link_url"))
    badge = block(doc, 1)
    assert_run(badge, 0, 1, h.format_for("link_text"))
    assert_run(badge, 1, 4, merged(h, "link_text", "image"))
    assert_run(badge, 13, 11, h.format_for("link_url"))


def test_code_span_masks_inline_rules(highlight: Highlight) -> None:
    doc, h = highlight("use `**not bold**` and ``a ` b`` then **bold**")
    blk = block(doc, 0)
    assert_run(blk, 4, 14, h.format_for("code_span"))
    assert_run(blk, 23, 9, h.format_for("code_span"))
    assert_run(blk, 38, 8, h.format_for("strong"))
    code = h.format_for("code_span")
    assert code.background().color() != QColor("#ffffff")
    assert code.foreground().color() != QColor("#000000")


def test_fenced_code_block_suppresses_markdown(highlight: Highlight) -> None:
    doc, h = highlight("```python\n# not a heading\n**x** `y`\n```\n# real")
    assert_run(block(doc, 0), 0, 9, h.format_for("code_fence"))
    inner = block(doc, 1)
    assert ranges(inner) == [(0, 15, h.format_for("code_block"))]
    assert format_at(inner, 2) != h.format_for("heading")
    assert ranges(block(doc, 2)) == [(0, 9, h.format_for("code_block"))]
    assert_run(block(doc, 3), 0, 3, h.format_for("code_fence"))
    assert state_kind(block(doc, 1).userState()) == STATE_CODE_BACKTICK
    assert state_kind(block(doc, 3).userState()) == STATE_NORMAL
    assert_run(block(doc, 4), 2, 4, h.format_for("heading"))


def test_fence_must_match_char_and_length(highlight: Highlight) -> None:
    doc, h = highlight("~~~~\n```\n~~~\n~~~~\n````md\n```\n````\n*after*")
    for number in (1, 2):  # a backtick fence and a short tilde fence do not close ~~~~
        assert ranges(block(doc, number)) == [(0, 3, h.format_for("code_block"))]
        assert state_kind(block(doc, number).userState()) == STATE_CODE_TILDE
    assert state_kind(block(doc, 3).userState()) == STATE_NORMAL
    assert state_kind(block(doc, 5).userState()) == STATE_CODE_BACKTICK
    assert ranges(block(doc, 5)) == [(0, 3, h.format_for("code_block"))]
    assert_run(block(doc, 6), 0, 4, h.format_for("code_fence"))
    assert_run(block(doc, 7), 0, 7, h.format_for("emphasis"))


def test_caption_block(highlight: Highlight) -> None:
    text = "![a](b.png)\n/// caption | attrs\nA *nice* figure\n///\nafter *x*"
    doc, h = highlight(text)
    assert_run(block(doc, 1), 0, 19, h.format_for("caption_fence"))
    content = block(doc, 2)
    assert_run(content, 0, 2, h.format_for("caption"))
    assert_run(content, 2, 6, merged(h, "caption", "emphasis"))
    assert_run(content, 8, 7, h.format_for("caption"))
    assert state_kind(content.userState()) == STATE_CAPTION
    assert_run(block(doc, 3), 0, 3, h.format_for("caption_fence"))
    after = block(doc, 4)
    assert state_kind(after.userState()) == STATE_NORMAL
    assert format_at(after, 0) is None
    assert_run(after, 6, 3, h.format_for("emphasis"))


def test_caption_variants_and_slash_count(highlight: Highlight) -> None:
    doc, h = highlight("//// figure-caption\ninner\n///\nstill\n////\nout\n/// captions\nplain")
    assert_run(block(doc, 0), 0, 19, h.format_for("caption_fence"))
    for number in (1, 2, 3):  # '///' does not close a '////' block
        assert_run(block(doc, number), 0, len(block(doc, number).text()), h.format_for("caption"))
    assert_run(block(doc, 4), 0, 4, h.format_for("caption_fence"))
    assert ranges(block(doc, 5)) == []
    assert ranges(block(doc, 6)) == []  # not a caption block name
    assert state_kind(block(doc, 7).userState()) == STATE_NORMAL


def test_quote(highlight: Highlight) -> None:
    doc, h = highlight("> quoted **bold**\n> > - nested\nnot > quote")
    quote = block(doc, 0)
    assert_run(quote, 0, 2, merged(h, "quote", "quote_marker"))
    assert_run(quote, 2, 7, h.format_for("quote"))
    assert_run(quote, 9, 8, merged(h, "quote", "strong"))
    assert h.format_for("quote").fontItalic()
    nested = block(doc, 1)
    assert_run(nested, 0, 4, merged(h, "quote", "quote_marker"))
    assert_run(nested, 4, 1, merged(h, "quote", "list_marker"))
    assert ranges(block(doc, 2)) == []


def test_lists_and_horizontal_rules(highlight: Highlight) -> None:
    doc, h = highlight("- one\n* two\n+ three\n  12. four\n* * *\n___\n-not a list")
    for number, (start, length) in enumerate([(0, 1), (0, 1), (0, 1), (2, 3)]):
        assert_run(block(doc, number), start, length, h.format_for("list_marker"))
    assert ranges(block(doc, 4)) == [(0, 5, h.format_for("hr"))]
    assert ranges(block(doc, 5)) == [(0, 3, h.format_for("hr"))]
    assert ranges(block(doc, 6)) == []


def test_front_matter_only_at_top(highlight: Highlight) -> None:
    doc, h = highlight("---\ntitle: Hello\ntags: [a]\n---\n\nBody\n\n---\n\nkey: value")
    assert ranges(block(doc, 0)) == [(0, 3, h.format_for("front_matter"))]
    title = block(doc, 1)
    assert_run(title, 0, 5, h.format_for("front_matter_key"))
    assert_run(title, 5, 7, h.format_for("front_matter"))
    assert state_kind(title.userState()) == STATE_FRONT_MATTER
    assert ranges(block(doc, 3)) == [(0, 3, h.format_for("front_matter"))]
    assert state_kind(block(doc, 3).userState()) == STATE_NORMAL
    assert ranges(block(doc, 5)) == []
    later = block(doc, 7)  # a later '---' is a horizontal rule, not front matter
    assert ranges(later) == [(0, 3, h.format_for("hr"))]
    assert state_kind(later.userState()) == STATE_NORMAL
    assert ranges(block(doc, 9)) == []


def test_front_matter_needs_first_line(highlight: Highlight) -> None:
    doc, h = highlight("intro\n---\ntitle: x\n...")
    assert ranges(block(doc, 1)) == [(0, 3, h.format_for("hr"))]
    assert ranges(block(doc, 2)) == []
    assert state_kind(block(doc, 2).userState()) == STATE_NORMAL
    doc, h = highlight("---\ntitle: x\n...\n# Head")
    assert ranges(block(doc, 2)) == [(0, 3, h.format_for("front_matter"))]
    assert_run(block(doc, 3), 2, 4, h.format_for("heading"))


def test_inserting_fence_rehighlights_following_blocks(highlight: Highlight) -> None:
    doc, h = highlight("intro\n# heading\ntext **b**")
    assert_run(block(doc, 1), 2, 7, h.format_for("heading"))

    cursor = QTextCursor(block(doc, 1))
    cursor.insertText("```\n")
    assert block(doc, 1).text() == "```"
    assert_run(block(doc, 1), 0, 3, h.format_for("code_fence"))
    for number in (2, 3):
        blk = block(doc, number)
        assert state_kind(blk.userState()) == STATE_CODE_BACKTICK
        assert ranges(blk) == [(0, len(blk.text()), h.format_for("code_block"))]

    cursor = QTextCursor(block(doc, 1))
    cursor.movePosition(QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    assert block(doc, 1).text() == "# heading"
    assert state_kind(block(doc, 1).userState()) == STATE_NORMAL
    assert_run(block(doc, 1), 2, 7, h.format_for("heading"))
    assert_run(block(doc, 2), 5, 5, h.format_for("strong"))


def test_editing_first_line_toggles_front_matter(highlight: Highlight) -> None:
    doc, h = highlight("--\ntitle: x\n---\nbody *e*")
    assert ranges(block(doc, 1)) == []
    QTextCursor(block(doc, 0)).insertText("-")
    assert_run(block(doc, 1), 0, 5, h.format_for("front_matter_key"))
    assert_run(block(doc, 3), 5, 3, h.format_for("emphasis"))
    assert state_kind(block(doc, 3).userState()) == STATE_NORMAL


def test_positions_count_utf16_units(highlight: Highlight) -> None:
    doc, h = highlight("\U0001f600 [x](y) **b**")
    blk = block(doc, 0)
    assert_run(blk, 3, 3, h.format_for("link_text"))  # the emoji is two UTF-16 units
    assert_run(blk, 10, 5, h.format_for("strong"))


def test_dark_palette_uses_dark_table(highlight: Highlight) -> None:
    _, light = highlight("# x")
    doc, dark = highlight("# x", dark_palette())
    assert not light.dark and dark.dark
    for kind in ("heading", "link_text", "code_span", "quote", "caption"):
        assert light.format_for(kind).foreground().color().lightness() < 128, kind
        assert dark.format_for(kind).foreground().color().lightness() > 128, kind
    dark_bg = dark.format_for("code_block").background().color()
    assert dark_bg.lightness() < 100  # a tint of the dark base, not a light patch
    assert_run(block(doc, 0), 2, 1, dark.format_for("heading"))


def test_set_palette_rebuilds_and_rehighlights(highlight: Highlight) -> None:
    doc, h = highlight("# x")
    before = h.format_for("heading")
    h.set_palette(dark_palette())
    assert h.dark
    assert h.format_for("heading") != before
    assert_run(block(doc, 0), 2, 1, h.format_for("heading"))


ISLAND_TEXT = (
    "Intro *em*.\n"
    "\n"
    '<!-- wp:gallery {"linkTo":"none"} -->\n'
    "<figure><!-- wp:image -->\n"
    "<figure># not a heading *nor em*</figure>\n"
    "<!-- /wp:image -->\n"
    "\n"
    '[gallery ids="1"]\n'
    "</figure>\n"
    "<!-- /wp:gallery -->\n"
    "# A heading after\n"
    "\n"
    '<!-- wp:latest-posts {"postsToShow":3} /-->\n'
    "*back to Markdown*\n"
    "Text\n"
    "<!-- wp:separator /-->\n"
    "\n"
    "<!--more-->\n"
    "```\n"
    "\n"
    "<!-- wp:code -->\n"
    "```\n"
)


def test_raw_islands_are_dimmed_whole_with_no_markdown_inside(highlight: Highlight) -> None:
    doc, h = highlight(ISLAND_TEXT)
    island = h.format_for("island")
    for number in range(2, 10):  # the gallery, its blank line included
        line = block(doc, number)
        if line.text():
            assert ranges(line) == [(0, len(line.text()), island)], line.text()
        kind = state_kind(line.userState())
        assert kind == (STATE_NORMAL if number == 9 else STATE_ISLAND)
    assert_run(block(doc, 10), 2, 15, h.format_for("heading"))  # the island ended
    assert ranges(block(doc, 12)) == [(0, len(block(doc, 12).text()), island)]  # a void one
    assert state_kind(block(doc, 12).userState()) == STATE_NORMAL
    assert_run(block(doc, 13), 0, 18, h.format_for("emphasis"))
    assert format_at(block(doc, 15), 0) != island  # an opener right after text is no island
    assert ranges(block(doc, 17)) == [(0, 11, island)]  # <!--more-->
    assert format_at(block(doc, 20), 0) == h.format_for("code_block")  # in fenced code
    # the renderer's detector finds the same islands
    starts = [ISLAND_TEXT[:start].count("\n") for start, _ in island_spans(ISLAND_TEXT)]
    assert starts == [2, 12]


def test_removing_a_closer_dims_the_rest_and_restoring_it_undims(highlight: Highlight) -> None:
    doc, h = highlight(ISLAND_TEXT)
    closer = block(doc, 9)
    cursor = QTextCursor(closer)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    cursor.removeSelectedText()
    assert format_at(block(doc, 10), 2) == h.format_for("island")  # unclosed: runs on
    cursor.insertText("<!-- /wp:gallery -->")
    assert_run(block(doc, 10), 2, 15, h.format_for("heading"))
