"""Attributed quotes: fields to dialect Markdown and back, their rendering, finding them in text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from editor.core.quote_snippet import (
    DEFAULT_CLOSING,
    EmptyQuote,
    QuoteFields,
    build_quote_markdown,
    find_quote_at,
    parse_quote_markdown,
)
from editor.render.markdown_renderer import render_markdown
from tests.core.html_events import HtmlEvents

# Pieces that are special somewhere in the dialect, mixed with arbitrary printable text.
_TRICKY = st.sampled_from(
    [
        "[", "]", "(", ")", "\\", "*", "_", "`", '"', "'", "<", ">", "#", "!", "|", "{", "}",
        "\n", "\n\n", " ", "///", "/// caption", "&#47;//", "> ", "— ", ", ", "-", "+", ".",
        "ü", "日本", "😀", "\u00a0", "[x](y)", "*t*", "\\[", "https://e.org/(a)",
    ]
)  # fmt: skip
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))  # no "\r" or control chars
FIELD = st.lists(st.one_of(_TRICKY, st.text(_PRINTABLE, max_size=6)), max_size=8).map("".join)
URL = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "https://example.com/post",
            "https://example.com/a b",
            "https://example.com/p_(1)",
            "https://example.com/<x>",
            "https://example.com/[a]?q=1&r=2",
        ]
    ),
    FIELD,
)
QUOTES = st.builds(
    QuoteFields,
    text=FIELD,
    author=FIELD,
    source_title=FIELD,
    source_url=URL,
    closing_text=FIELD,
    closing_url=URL,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUOTES)
def test_parsing_a_built_quote_gives_back_its_normalized_fields(fields: QuoteFields) -> None:
    # A quote made only of whitespace has no text: building it is refused (tested below).
    assume(fields.normalized().text)
    assert parse_quote_markdown(build_quote_markdown(fields)) == fields.normalized()


@settings(max_examples=100, deadline=None)
@given(QUOTES)
def test_a_built_quote_is_found_whole_from_any_of_its_characters(fields: QuoteFields) -> None:
    assume(fields.normalized().text)  # see above
    snippet = build_quote_markdown(fields).rstrip("\n")
    doc = f"Before.\n\n{snippet}\n\nAfter."
    start = len("Before.\n\n")
    for offset in range(start, start + len(snippet) + 1, max(1, len(snippet) // 7)):
        found = find_quote_at(doc, offset)
        assert found is not None, offset
        span, found_fields = found
        assert doc[span.start : span.end] == snippet
        assert found_fields == fields.normalized()


@pytest.mark.parametrize("text", ["", "   ", "\n\n", " \n \t\n"])
def test_a_quote_without_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyQuote, match="no text to quote"):
        build_quote_markdown(QuoteFields(text=text, author="Someone"))


def test_the_quote_markdown_has_blockquote_caption_and_closing_link() -> None:
    fields = QuoteFields(
        text="First line\nsecond line",
        author="Jane Example",
        source_title="Notes on finishing",
        source_url="https://example.com/notes",
        closing_text=DEFAULT_CLOSING,
    )
    assert build_quote_markdown(fields) == (
        "> First line\n"
        "> second line\n"
        "\n"
        "/// caption\n"
        "— Jane Example, [Notes on finishing](https://example.com/notes)\n"
        "///\n"
        "\n"
        "[Read the whole post here.](https://example.com/notes)\n"
    )


def test_a_title_without_address_is_set_in_italics_and_read_back() -> None:
    fields = QuoteFields(text="Words.", author="A. Writer", source_title="The Paper Book")
    markdown = build_quote_markdown(fields)
    assert "— A. Writer, *The Paper Book*" in markdown
    assert parse_quote_markdown(markdown) == fields.normalized()


def test_a_quote_line_starting_with_a_block_fence_does_not_close_the_caption() -> None:
    fields = QuoteFields(text="///\n/// caption", author="X")
    markdown = build_quote_markdown(fields)
    assert "\n> ///" not in markdown
    assert parse_quote_markdown(markdown) == fields.normalized()


def test_a_rendered_quote_is_a_figure_with_blockquote_and_credited_caption() -> None:
    fields = QuoteFields(
        text="Ship it *today*.\n\nThen fix it.",
        author="Jane [E.] Example",
        source_title="On (shipping)",
        source_url="https://example.com/on shipping",
        closing_text="Read more",
    )
    html = render_markdown(build_quote_markdown(fields))
    events = HtmlEvents(html)
    names = [tag for tag, _ in events.tags]
    assert names[:2] == ["figure", "blockquote"]
    assert "figcaption" in names
    caption_html = html[html.index("<figcaption>") : html.index("</figcaption>")]
    caption = HtmlEvents(caption_html)
    assert "Jane [E.] Example" in caption.text
    assert "On (shipping)" in caption.text
    links = [attrs["href"] for tag, attrs in caption.tags if tag == "a"]
    assert links == ["https://example.com/on shipping"]
    # the closing link follows the figure
    after = HtmlEvents(html[html.index("</figure>") :])
    assert ("a", {"href": "https://example.com/on shipping"}) in after.tags
    assert "Read more" in after.text
    assert "<em>today</em>" in html


DOC_TWO_QUOTES = (
    "Intro paragraph.\n"
    "\n"
    "> First quote\n"
    "> second line\n"
    "\n"
    "/// caption\n"
    "— Ann, [Post A](https://a.example/x)\n"
    "///\n"
    "\n"
    "[Read the whole post here.](https://a.example/x)\n"
    "\n"
    "> Second quote\n"
    "\n"
    "/// caption\n"
    "— Bob\n"
    "///\n"
    "\n"
    "Outro paragraph.\n"
)
FIRST = DOC_TWO_QUOTES[DOC_TWO_QUOTES.index("> First") : DOC_TWO_QUOTES.index("here.](")]
FIRST += "here.](https://a.example/x)"
SECOND = "> Second quote\n\n/// caption\n— Bob\n///"


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("First quote", FIRST),
        ("second line", FIRST),
        ("/// caption\n— Ann", FIRST),
        ("Ann, [Post", FIRST),
        ("///\n\n[Read", FIRST),
        ("Read the whole", FIRST),
        ("Second quote", SECOND),
        ("— Bob", SECOND),
    ],
)
def test_the_cursor_anywhere_in_a_quote_finds_the_whole_quote(needle: str, expected: str) -> None:
    offset = DOC_TWO_QUOTES.index(needle) + 1
    found = find_quote_at(DOC_TWO_QUOTES, offset)
    assert found is not None
    span, _fields = found
    assert DOC_TWO_QUOTES[span.start : span.end] == expected


def test_two_quotes_in_a_row_are_found_separately_with_their_own_fields() -> None:
    first = find_quote_at(DOC_TWO_QUOTES, DOC_TWO_QUOTES.index("First"))
    second = find_quote_at(DOC_TWO_QUOTES, DOC_TWO_QUOTES.index("Second"))
    assert first is not None and second is not None
    assert first[0].end < second[0].start
    assert first[1] == QuoteFields(
        "First quote\nsecond line",
        "Ann",
        "Post A",
        "https://a.example/x",
        DEFAULT_CLOSING,
        "https://a.example/x",
    )
    assert second[1] == QuoteFields("Second quote", "Bob")


@pytest.mark.parametrize(
    "offset",
    [
        0,
        DOC_TWO_QUOTES.index("paragraph."),
        DOC_TWO_QUOTES.index("Outro"),
        len(DOC_TWO_QUOTES) - 2,
        len(DOC_TWO_QUOTES),
    ],
)
def test_the_cursor_on_a_paragraph_around_the_quotes_finds_nothing(offset: int) -> None:
    assert find_quote_at(DOC_TWO_QUOTES, offset) is None


@pytest.mark.parametrize("before", ["\n\n> First", "\n\nOutro"])
def test_the_cursor_on_a_blank_line_outside_the_quotes_finds_nothing(before: str) -> None:
    assert find_quote_at(DOC_TWO_QUOTES, DOC_TWO_QUOTES.index(before) + 1) is None


def test_a_plain_link_paragraph_far_below_a_quote_is_not_its_closing_link() -> None:
    doc = "> Quoted.\n\n/// caption\n— Ann\n///\n\nSome text.\n\n[A link](https://x.example)\n"
    span, fields = find_quote_at(doc, 2)
    assert doc[span.start : span.end] == "> Quoted.\n\n/// caption\n— Ann\n///"
    assert fields.closing_text == ""
    assert find_quote_at(doc, doc.index("[A link")) is None


def test_a_quote_with_a_closing_link_but_no_caption_is_read_back_whole() -> None:
    fields = QuoteFields(text="Short.", closing_text="More here", closing_url="https://m.example")
    markdown = build_quote_markdown(fields)
    assert "/// caption" not in markdown
    assert parse_quote_markdown(markdown) == fields.normalized()
    doc = f"Intro.\n\n{markdown}\nOutro.\n"
    span, _ = find_quote_at(doc, doc.index("More here"))
    assert doc[span.start : span.end] == markdown.rstrip("\n")
