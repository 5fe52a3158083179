"""Word count and reading time count what a reader reads."""

from __future__ import annotations

import pytest

from editor.core.text_stats import count_words, reading_minutes


def test_plain_words_are_counted() -> None:
    assert count_words("One two three.\n\nFour five.\n") == 5


def test_front_matter_is_not_counted() -> None:
    text = "---\ntitle: Many words in this title\ntags: [a, b, c]\n---\nOnly three words.\n"

    assert count_words(text) == 3


def test_fenced_code_is_not_counted() -> None:
    text = (
        "Before the code.\n\n"
        "```python\ndef lots_of(words, in_code):\n    return here\n```\n\n"
        "~~~\nmore code words\n~~~\n\n"
        "After.\n"
    )

    assert count_words(text) == 4


def test_link_urls_are_not_counted_but_link_text_is() -> None:
    text = "Read [the whole post](https://example.com/some/long-path?with=query) today."

    assert count_words(text) == 5


def test_image_urls_are_not_counted() -> None:
    assert count_words("![a red bike](images/red-bike-photo.png)") == 3


def test_caption_fences_are_not_counted() -> None:
    text = "![x](x.png)\n\n/// caption\nA short caption.\n///\n"

    assert count_words(text) == 4  # "x" and "A short caption"


def test_contractions_count_as_one_word() -> None:
    assert count_words("Don't stop, it\u2019s fine.") == 4


def test_punctuation_and_markup_alone_are_not_words() -> None:
    assert count_words("# \n\n- - -\n\n**  ** -- ...\n") == 0


def test_other_scripts_are_counted() -> None:
    assert count_words("Привет мир, café déjà vu") == 5


def test_empty_text_has_no_words() -> None:
    assert count_words("") == 0


@pytest.mark.parametrize(
    ("words", "per_minute", "minutes"),
    [(0, 230, 0), (1, 230, 1), (230, 230, 1), (231, 230, 2), (1000, 200, 5), (1001, 200, 6)],
)
def test_reading_minutes_rounds_up(words: int, per_minute: int, minutes: int) -> None:
    assert reading_minutes(words, per_minute) == minutes


def test_reading_minutes_uses_230_words_a_minute_by_default() -> None:
    assert reading_minutes(460) == 2
    assert reading_minutes(461) == 3


def test_reading_minutes_survives_a_zero_speed_setting() -> None:
    assert reading_minutes(5, 0) == 5
