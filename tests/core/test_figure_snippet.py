"""Captioned images: fields to dialect Markdown and back, their rendering, finding them in text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from editor.core.figure_snippet import (
    ALIGNMENTS,
    CREDIT_PREFIXES,
    FigureFields,
    build_figure_markdown,
    find_figure_at,
    parse_figure_markdown,
)
from editor.render.markdown_renderer import render_markdown
from tests.core.html_events import HtmlEvents

_TRICKY = st.sampled_from(
    [
        "[", "]", "(", ")", "\\", "*", "_", "`", '"', "'", "<", ">", "#", "!", "|", "{", "}",
        "\n", "\n\n", " ", "///", "/// caption", "&#47;//", "    attrs: {class: align-left}",
        "ü", "日本", "😀", "\u00a0", "[x](y)", "*t*", "\\[", "art by", "(photo by",
    ]
)  # fmt: skip
_PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))  # no "\r" or control chars
FIELD = st.lists(st.one_of(_TRICKY, st.text(_PRINTABLE, max_size=6)), max_size=8).map("".join)
URL = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            "post.assets/photo.jpg",
            "post.assets/my photo (1).png",
            "https://example.com/a b",
            "https://example.com/<x>",
            "https://example.com/[a]?q=1&r=2",
        ]
    ),
    FIELD,
)
FIGURES = st.builds(
    FigureFields,
    src=URL,
    alt=FIELD,
    caption=FIELD,
    credit_name=FIELD,
    credit_url=URL,
    credit_prefix=st.one_of(st.sampled_from(CREDIT_PREFIXES), FIELD),
    align=st.one_of(st.sampled_from(ALIGNMENTS), FIELD),
    width=st.one_of(st.none(), st.integers(-5, 5000)),
)


def _caption_looks_like_a_credit(fields: FigureFields) -> bool:
    """A caption ending in `(art by X)` with no credit given is read back as that credit."""
    normalized = fields.normalized()
    if normalized.credit_name:
        return False
    probe = FigureFields("x.png", caption=normalized.caption)
    return parse_figure_markdown(build_figure_markdown(probe)).credit_name != ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FIGURES)
def test_parsing_a_built_figure_gives_back_its_normalized_fields(fields: FigureFields) -> None:
    # Documented ambiguity: a caption that itself ends exactly like a credit, e.g.
    # "Sunset (photo by Ann)", typed with the credit fields left empty, becomes that credit.
    assume(not _caption_looks_like_a_credit(fields))
    assert parse_figure_markdown(build_figure_markdown(fields)) == fields.normalized()


@settings(max_examples=100, deadline=None)
@given(FIGURES)
def test_a_built_figure_is_found_whole_from_any_of_its_characters(fields: FigureFields) -> None:
    assume(not _caption_looks_like_a_credit(fields))  # see above
    snippet = build_figure_markdown(fields).rstrip("\n")
    doc = f"Before.\n\n{snippet}\n\nAfter."
    start = len("Before.\n\n")
    for offset in range(start, start + len(snippet) + 1, max(1, len(snippet) // 7)):
        found = find_figure_at(doc, offset)
        assert found is not None, offset
        span, found_fields = found
        assert doc[span.start : span.end] == snippet
        assert found_fields == fields.normalized()


def test_a_caption_ending_like_a_credit_is_read_as_the_credit() -> None:
    # The ambiguity the round trip above leaves out, pinned down.
    fields = FigureFields("x.png", caption="Sunset (photo by Ann)")
    parsed = parse_figure_markdown(build_figure_markdown(fields))
    assert (parsed.caption, parsed.credit_prefix, parsed.credit_name) == (
        "Sunset",
        "photo by",
        "Ann",
    )


def test_the_figure_markdown_has_image_width_and_caption_block() -> None:
    fields = FigureFields(
        src="my post.assets/cat.jpg",
        alt="A cat [asleep]",
        caption="Nap time",
        credit_name="Bob",
        credit_url="https://bob.example",
        credit_prefix="photo by",
        align="right",
        width=320,
    )
    assert build_figure_markdown(fields) == (
        "![A cat \\[asleep\\]](<my post.assets/cat.jpg>){width=320}\n"
        "\n"
        "/// caption\n"
        "    attrs: {class: align-right}\n"
        "Nap time (photo by [Bob](https://bob.example))\n"
        "///\n"
    )


@pytest.mark.parametrize("align", ["left", "center", "right", "wide"])
def test_a_rendered_figure_has_the_image_alt_caption_credit_and_class(align: str) -> None:
    fields = FigureFields(
        src="post.assets/hammer.png",
        alt='A "hammer" & [nails]',
        caption="When all you have is a *hammer*",
        credit_name="Ann (Artist)",
        credit_url="https://ann.example/art",
        align=align,
        width=480,
    )
    html = render_markdown(build_figure_markdown(fields))
    events = HtmlEvents(html)
    names = [tag for tag, _ in events.tags]
    assert names[:2] == ["figure", "img"]
    assert events.first("figure")["class"] == f"align-{align}"
    image = events.first("img")
    assert image["alt"] == 'A "hammer" & [nails]'
    assert image["src"] == "post.assets/hammer.png"
    assert image["width"] == "480"
    caption = HtmlEvents(html[html.index("<figcaption>") : html.index("</figcaption>")])
    assert "When all you have is a hammer (art by Ann (Artist))" in caption.text
    assert caption.first("a")["href"] == "https://ann.example/art"
    assert "<em>hammer</em>" in html


def test_an_image_without_caption_or_alignment_is_one_line_without_a_caption_block() -> None:
    fields = FigureFields("a.png", alt="A", width=300)
    assert build_figure_markdown(fields) == "![A](a.png){width=300}\n"
    assert parse_figure_markdown(build_figure_markdown(fields)) == fields
    html = render_markdown(build_figure_markdown(fields))
    assert "<figcaption" not in html and 'width="300"' in html


def test_an_aligned_image_without_caption_keeps_only_the_attrs_line() -> None:
    fields = FigureFields("a.png", alt="A", align="left")
    assert build_figure_markdown(fields) == (
        "![A](a.png)\n\n/// caption\n    attrs: {class: align-left}\n///\n"
    )
    assert parse_figure_markdown(build_figure_markdown(fields)) == fields


def test_the_old_width_form_still_reads() -> None:
    assert parse_figure_markdown('![A](a.png){: width="300" }\n') == FigureFields(
        "a.png", alt="A", width=300
    )


def test_a_figure_without_alignment_or_width_has_neither() -> None:
    html = render_markdown(build_figure_markdown(FigureFields("a.png", alt="A", caption="C")))
    events = HtmlEvents(html)
    assert "class" not in events.first("figure")
    assert "width" not in events.first("img")


DOC_TWO_FIGURES = (
    "Intro paragraph.\n"
    "\n"
    "![First](a.png)\n"
    "\n"
    "/// caption\n"
    "A caption\n"
    "on two lines (art by [Bob](https://bob.example))\n"
    "///\n"
    "\n"
    "![Second](b.png)\n"
    "\n"
    "/// caption\n"
    "    attrs: {class: align-left}\n"
    "///\n"
    "\n"
    "Outro paragraph.\n"
)
FIRST = (
    "![First](a.png)\n\n/// caption\nA caption\non two lines (art by [Bob](https://bob.example))"
    "\n///"
)
SECOND = "![Second](b.png)\n\n/// caption\n    attrs: {class: align-left}\n///"


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ("[First]", FIRST),
        ("/// caption\nA caption", FIRST),
        ("A caption", FIRST),
        ("on two lines", FIRST),
        ("[Bob]", FIRST),
        ("///\n\n![Second]", FIRST),
        ("[Second]", SECOND),
        ("attrs", SECOND),
    ],
)
def test_the_cursor_anywhere_in_a_figure_finds_the_whole_figure(needle: str, expected: str) -> None:
    found = find_figure_at(DOC_TWO_FIGURES, DOC_TWO_FIGURES.index(needle) + 1)
    assert found is not None
    span, _fields = found
    assert DOC_TWO_FIGURES[span.start : span.end] == expected


def test_two_figures_in_a_row_are_found_separately_with_their_own_fields() -> None:
    first = find_figure_at(DOC_TWO_FIGURES, DOC_TWO_FIGURES.index("First"))
    second = find_figure_at(DOC_TWO_FIGURES, DOC_TWO_FIGURES.index("Second"))
    assert first is not None and second is not None
    assert first[0].end < second[0].start
    assert first[1] == FigureFields(
        "a.png", "First", "A caption\non two lines", "Bob", "https://bob.example"
    )
    assert second[1] == FigureFields("b.png", "Second", align="left")


@pytest.mark.parametrize(
    "offset",
    [
        0,
        DOC_TWO_FIGURES.index("paragraph."),
        DOC_TWO_FIGURES.index("\n\n![First]") + 1,
        DOC_TWO_FIGURES.index("\n\nOutro") + 1,
        DOC_TWO_FIGURES.index("Outro"),
        len(DOC_TWO_FIGURES),
    ],
)
def test_the_cursor_outside_the_figures_finds_nothing(offset: int) -> None:
    assert find_figure_at(DOC_TWO_FIGURES, offset) is None


def test_an_image_without_caption_block_is_found_as_the_image_line_alone() -> None:
    doc = "Text.\n\n![Bare](c.png)\n\nMore text.\n"
    span, fields = find_figure_at(doc, doc.index("Bare"))
    assert doc[span.start : span.end] == "![Bare](c.png)"
    assert fields == FigureFields("c.png", "Bare")
