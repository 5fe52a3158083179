"""Diffs for the recovery and revisions dialogs: lines and the words changed within them."""

from __future__ import annotations

from editor.core.text_diff import diff_html, text_html, unified_diff_lines


def test_identical_texts_say_so() -> None:
    assert "No differences" in diff_html("same\n", "same\n", "a", "b")


def test_added_and_removed_lines_are_marked_and_escaped() -> None:
    lines = unified_diff_lines("keep\n<old>\n", "keep\n<new>\nmore\n", "disk", "recovered")
    assert lines[:2] == ["--- disk", "+++ recovered"]
    assert "-<old>" in lines and "+<new>" in lines and "+more" in lines

    page = diff_html("keep\n<old>\n", "keep\n<new>\n", "disk", "recovered")
    assert "&lt;" in page and "<old>" not in page and "<new>" not in page
    assert "pre-wrap" in page  # long paragraphs wrap


def test_a_changed_paragraph_marks_only_the_changed_words() -> None:
    old = "The quick brown fox jumps over the lazy dog.\n"
    new = "The quick red fox jumps over the lazy dog.\n"

    page = diff_html(old, new, "a", "b")

    assert '<span style="background:#ffc1c0;">brown</span>' in page
    assert '<span style="background:#abf2bc;">red</span>' in page
    assert "<span" not in page.split("red</span>")[1].split("</div>")[0]  # the rest is plain


def test_whole_text_for_a_post_with_no_file() -> None:
    page = text_html("a & b", "Recovered text")
    assert "Recovered text" in page and "a &amp; b" in page


def test_a_paragraph_extended_and_followed_by_new_ones_marks_the_added_words() -> None:
    old = "Intro.\n\nA first paragraph.\n\n## Next\n"
    new = "Intro.\n\nA first paragraph, now longer.\n\nA new one.\n\n## Next\n"

    page = diff_html(old, new, "a", "b")

    assert '<span style="background:#abf2bc;">, now longer</span>' in page
    assert "+A new one." in page
