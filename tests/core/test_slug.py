"""Slugs made from titles, and the slug a post ends up with."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.core.post import PostMeta, effective_slug
from editor.core.slug import MAX_SLUG_LENGTH, slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café Déjà vu", "cafe-deja-vu"),
        ("Ünïcödé ÀÇ", "unicode-ac"),
        ("Việt Nam", "viet-nam"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("ﬁne ligatures", "fine-ligatures"),
    ],
)
def test_accents_on_latin_letters_are_dropped(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Привет, мир!", "привет-мир"),
        ("你好 世界", "你好-世界"),
        ("한국어 블로그", "한국어-블로그"),
        ("Ελληνικά", "ελληνικά"),
        ("مرحبا بالعالم", "مرحبا-بالعالم"),
        # marks that are part of the spelling stay: Devanagari virama and vowel signs,
        # Japanese dakuten, Thai vowels (dropping them changes or garbles the word)
        ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
        ("がっこう", "がっこう"),
        ("สวัสดี", "สวัสดี"),
    ],
)
def test_other_scripts_are_kept(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Don't Panic", "dont-panic"),
        ("It\u2019s here", "its-here"),
        ("Hello, World! (Part 2)", "hello-world-part-2"),
        ("Tom & Jerry", "tom-and-jerry"),
        ("R&D", "r-and-d"),
        ("What?! Really...", "what-really"),
        ("  spaced   out  ", "spaced-out"),
        ("a -- b __ c", "a-b-c"),
        ("snake_case_title", "snake-case-title"),
        ("foo _bar", "foo-bar"),
        ("a-_-b", "a-b"),
        ("C:\\path/to?x#y", "c-path-to-x-y"),
    ],
)
def test_punctuation_becomes_single_hyphens(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize("title", ["", "   ", "!!!", "--- ...", "'", "\u2026 \u00bf? \u00bb"])
def test_title_without_letters_gives_untitled(title: str) -> None:
    assert slugify(title) == "untitled"


@pytest.mark.parametrize(
    ("title", "slug"),
    [("a\u2add\u0338b", "a-b"), ("\u0301abc", "abc"), ("x \u20dd y", "x-y")],
    ids=["mark-on-symbol", "leading-mark", "enclosing-mark-on-space"],
)
def test_marks_on_symbols_and_spaces_do_not_stay_behind(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_ampersand_alone_is_a_word() -> None:
    assert slugify("&") == "and"


def test_long_title_is_cut_at_a_word_boundary_within_the_cap() -> None:
    title = " ".join(["word"] * 40)  # 199 characters

    slug = slugify(title)

    assert len(slug) <= MAX_SLUG_LENGTH == 80
    assert slug == "-".join(["word"] * 16)  # 79 characters: a 17th word would pass 80
    assert not slug.endswith("-")


def test_long_title_cut_exactly_at_a_hyphen_has_no_trailing_hyphen() -> None:
    title = "x" * 79 + " tail"  # the 80th character is the separator

    assert slugify(title) == "x" * 79


def test_long_word_without_hyphens_is_cut_at_the_cap() -> None:
    assert slugify("y" * 100) == "y" * 80


@given(st.text(max_size=200))
def test_slug_alphabet_is_lowercase_letters_digits_marks_and_single_hyphens(title: str) -> None:
    slug = slugify(title)

    assert slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug == slug.lower()
    assert "--" not in slug
    assert not slug.startswith("-")
    assert not slug.endswith("-")
    for ch in slug:
        assert ch == "-" or ch.isalnum() or unicodedata.category(ch).startswith("M"), repr(ch)
    for part in slug.split("-"):
        assert part[0].isalnum(), repr(part)  # a mark never starts a word


@given(st.text(st.characters(codec="ascii"), max_size=120))
def test_ascii_titles_give_ascii_url_safe_slugs(title: str) -> None:
    slug = slugify(title)

    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@given(st.text(max_size=100))
def test_slugify_is_idempotent_on_its_output(title: str) -> None:
    slug = slugify(title)

    assert slugify(slug) == slug


def test_effective_slug_prefers_the_front_matter_slug() -> None:
    assert effective_slug(PostMeta(title="A Title", slug="custom-slug")) == "custom-slug"


def test_effective_slug_falls_back_to_the_title() -> None:
    assert effective_slug(PostMeta(title="A Title")) == "a-title"


def test_effective_slug_without_slug_or_title_is_untitled() -> None:
    assert effective_slug(PostMeta()) == "untitled"
