"""Which words of a post are prose to spell-check (editor/gui/editing/prose_ranges.py, no Qt)."""

from __future__ import annotations

import pytest

from editor.core.spelling import dictionary_for, post_language
from editor.gui.editing.prose_ranges import prose_in_line, prose_ranges, words_in


def words(text: str) -> list[str]:
    """The words spell checking looks at in a whole post."""
    return [word for _start, _end, word in words_in(text, prose_ranges(text))]


def line_words(line: str) -> list[str]:
    """The words spell checking looks at in one body line."""
    return [word for _start, _end, word in words_in(line, prose_in_line(line))]


def test_plain_prose_is_checked_word_by_word() -> None:
    assert words("Teh writter recieved a mesage.\n") == ["Teh", "writter", "recieved", "mesage"]


def test_front_matter_is_not_prose() -> None:
    assert words("---\ntitle: Teh tittle\ntags: [speling]\n---\nBody wordz\n") == ["Body", "wordz"]


@pytest.mark.parametrize("fence", ["```", "~~~", "```python", "```\t"])
def test_fenced_code_and_its_fences_are_not_prose(fence: str) -> None:
    closer = fence if fence.endswith("\t") else fence[:3]  # tabs after fences: still fences
    text = f"Before\n\n{fence}\nspeling = writter\n{closer}\n\nAfter\n"
    assert words(text) == ["Before", "After"]


def test_inline_code_is_not_prose() -> None:
    assert line_words("Run `teh mesage` now") == ["Run", "now"]
    assert line_words("Run ``a `teh` b`` now") == ["Run", "now"]


@pytest.mark.parametrize(
    "line",
    [
        "Visit https://exmaple.com/writter/recieved?q=mesage now",
        "Visit www.exmaple.com/writter now",
        "Visit <https://exmaple.com/writter> now",
        "Visit ftp://exmaple.org/mesage now",
    ],
)
def test_urls_are_not_prose(line: str) -> None:
    assert line_words(line) == ["Visit", "now"]


def test_email_addresses_are_not_prose() -> None:
    assert line_words("Mail writter.recieved@exmaple.co.uk now") == ["Mail", "now"]
    assert line_words("Mail mailto:writter@exmaple.org now") == ["Mail", "now"]


def test_html_tags_and_comments_are_not_prose_but_their_text_is() -> None:
    assert line_words('A <span class="wrongg">textt</span> <!-- notte --> b') == ["textt"]


def test_link_and_image_targets_are_not_prose_but_their_text_is() -> None:
    assert line_words("[linkk text](https://x.y/writter) and ![alt textt](imgg.png)") == [
        "linkk",
        "text",
        "and",
        "alt",
        "textt",
    ]
    assert line_words("[linkk][reff-labell] done") == ["linkk", "done"]


def test_reference_definitions_and_attribute_lists_are_not_prose() -> None:
    assert line_words("[reff]: https://exmaple.com/writter") == []
    assert line_words("Heading textt {: #idd .clazz }") == ["Heading", "textt"]


def test_the_dialects_slash_lines_are_not_prose_but_captions_are() -> None:
    text = "![photo](p.jpg)\n\n/// caption | attrz\nA captionn\n///\n"
    assert words(text) == ["photo", "captionn"]


def test_raw_islands_are_not_prose() -> None:
    text = (
        "Before\n\n<!-- wp:paragraph -->\n<p>Islandd textt</p>\n<!-- /wp:paragraph -->\n\n"
        "<!--more-->\n\nAfter\n"
    )
    assert words(text) == ["Before", "After"]


def test_names_code_words_and_single_letters_are_left_alone() -> None:
    assert line_words("WordPress iPhone NASA abc123 x don't it’s") == ["don't", "it’s"]


def test_post_language_comes_from_lang_front_matter() -> None:
    assert post_language("---\ntitle: T\nlang: en-GB\n---\n") == "en-GB"
    assert post_language("---\ntitle: T\n---\n") is None
    assert post_language("---\nlang: [broken\n---\n") is None


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("en-GB", "en_GB"),
        ("de", "de_DE"),
        ("fr", "fr"),
        ("fr-CH", "fr_FR"),
        ("en", "en_US"),
        ("pt", None),
    ],
)
def test_language_tags_find_their_dictionary(wanted: str, found: str | None) -> None:
    available = ["de_AT", "de_DE", "en_GB", "en_US", "fr", "fr_CA", "fr_FR"]
    assert dictionary_for(wanted, available) == found
