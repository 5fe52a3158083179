"""Who wrote a web page and what it is called: parsed from its HTML, decoded in its own charset."""

from __future__ import annotations

import codecs

import pytest

from editor.core.page_metadata import (
    BODY_SCAN_BYTES,
    PageHeadReader,
    PageMetadata,
    codec_for_charset,
    page_encoding,
    parse_page_metadata,
)

ARTICLE = """<!doctype html>
<html lang="en"><head>
  <meta charset="utf-8">
  <title>Ignored when og:title exists</title>
  <meta property="og:title" content="Notes on &quot;finishing&quot; &amp; shipping">
  <meta property="og:site_name" content="Example   Journal">
  <meta property="article:author" content="https://example.com/people/jane">
  <meta name="author" content="Jane  Example">
</head><body><h1>Notes</h1><p>Body text.</p></body></html>
"""


def test_open_graph_title_site_and_author_are_read() -> None:
    meta = parse_page_metadata(ARTICLE, "https://example.com/notes")
    assert meta == PageMetadata(
        title='Notes on "finishing" & shipping',
        site_name="Example Journal",
        author="Jane Example",
        url="https://example.com/notes",
    )


def test_an_article_author_given_as_a_profile_address_is_not_taken_as_a_name() -> None:
    html = '<head><meta property="article:author" content="https://e.com/u/1"><title>T</title>'
    assert parse_page_metadata(html).author == ""


def test_an_article_author_given_as_a_name_wins_over_the_author_meta() -> None:
    html = (
        '<head><meta property="article:author" content="Ann Writer">'
        '<meta name="author" content="Site Team"></head>'
    )
    assert parse_page_metadata(html).author == "Ann Writer"


def test_the_title_element_is_used_without_og_title_and_entities_are_decoded() -> None:
    html = "<html><head><TITLE>\n  Caf&eacute; &#8212; a   long\n day </TITLE></head></html>"
    meta = parse_page_metadata(html)
    assert meta.title == "Café — a long day"
    assert (meta.author, meta.site_name) == ("", "")


def test_the_first_of_repeated_meta_tags_counts() -> None:
    html = (
        '<head><meta name="AUTHOR" content="First Person">'
        '<meta name="author" content="Second Person"></head>'
    )
    assert parse_page_metadata(html).author == "First Person"


def test_a_page_without_any_metadata_gives_empty_fields() -> None:
    assert parse_page_metadata("<p>just a fragment</p>") == PageMetadata()


# -- charset: BOM, then the HTTP charset, then <meta>, then UTF-8 or a guess -----------------

WESTERN = "<head><title>“Café” – 5 €</title></head>"


def test_the_encoding_is_chosen_by_bom_then_header_then_meta_then_utf8() -> None:
    cp1252 = WESTERN.encode("cp1252")
    assert page_encoding(codecs.BOM_UTF8 + b"<p>", "iso-8859-2", "koi8-r") == "utf-8-sig"
    assert page_encoding(cp1252, "ISO-8859-2", "koi8-r") == "iso8859-2"
    assert page_encoding(cp1252, None, "koi8-r") == "koi8-r"
    assert page_encoding(cp1252, "no-such-charset", "windows-1252") == "cp1252"
    assert page_encoding(WESTERN.encode(), None, None) == "utf-8"
    assert page_encoding(cp1252, None, None) == "cp1252"  # charset-normalizer's guess


@pytest.mark.parametrize("label", ["rot13", "base64", "zlib", "", "  ", "x-unknown"])
def test_a_label_that_names_no_text_encoding_is_ignored(label: str) -> None:
    assert codec_for_charset(label) is None


def test_latin1_and_ascii_labels_read_as_windows_1252_like_browsers() -> None:
    assert {codec_for_charset(name) for name in ("ISO-8859-1", "latin1", "US-ASCII")} == {"cp1252"}


def test_the_head_reader_takes_the_page_in_any_chunks() -> None:
    data = codecs.BOM_UTF8 + WESTERN.encode() + b"<body>" + b"x" * 100 + b"</body>"
    for size in (1, 2, 3, 7, len(data)):
        reader = PageHeadReader()
        done = False
        for start in range(0, len(data), size):
            done = reader.feed(data[start : start + size])
            if done:
                break
        assert done and reader.metadata().title == "“Café” – 5 €", size


def test_a_meta_tag_after_the_head_does_not_describe_the_page() -> None:
    reader = PageHeadReader()
    reader.feed(b'<head><title>T</title></head><meta name="author" content="Late"></html>')
    assert reader.metadata().author == ""


def test_the_head_reader_stops_once_the_title_and_author_are_known_after_the_head() -> None:
    reader = PageHeadReader()
    assert not reader.feed(b'<head><meta name="author" content="A. Writer"></head><body><h1>Ti')
    assert reader.feed(b"tle</h1><p>" + b"x" * 100)
    assert reader.metadata() == PageMetadata(title="Title", author="A. Writer")


def test_the_body_is_read_only_so_far_for_a_heading() -> None:
    reader = PageHeadReader()
    assert not reader.feed(b"<head><title>T</title></head><body>")
    assert reader.feed(b"<p>" + b"x" * (BODY_SCAN_BYTES + 10))
    assert reader.metadata().title == "T"


def test_a_page_shorter_than_a_byte_order_mark_still_reads() -> None:
    reader = PageHeadReader()
    assert not reader.feed(b"<p")
    assert reader.metadata() == PageMetadata()
