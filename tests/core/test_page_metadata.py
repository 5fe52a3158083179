"""Who wrote a web page and what it is called: parsed from its HTML, decoded in its own charset."""

from __future__ import annotations

from editor.core.page_metadata import PageMetadata, parse_page_metadata

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
