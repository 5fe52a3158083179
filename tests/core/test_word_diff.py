"""The word diff shown by Recovery and Revisions: marked words, no unified-diff bookkeeping."""

from __future__ import annotations

from editor.core.word_diff import (
    DELETED_STYLE,
    INSERTED_STYLE,
    change_summary,
    count_changed_words,
    word_diff_html,
)


def test_changed_words_are_marked_inline_and_the_rest_stays_plain() -> None:
    html = word_diff_html(
        "The cat sat on the mat.\n", "The dog sat on the mat.\n", "the old", "the new"
    )
    assert f'<span style="{DELETED_STYLE}">cat</span>' in html
    assert f'<span style="{INSERTED_STYLE}">dog</span>' in html
    assert " sat on the mat." in html
    for bookkeeping in ("---", "+++", "@@"):
        assert bookkeeping not in html


def test_far_unchanged_passages_are_left_out_with_a_line_number() -> None:
    old = "".join(f"Line {n}.\n" for n in range(1, 41))
    new = old.replace("Line 20.", "Line twenty.")
    html = word_diff_html(old, new, "a", "b")
    assert "Line 5." not in html and "Line 35." not in html
    assert "Line 19." in html and "Line 21." in html
    assert "… lines 1–18 unchanged …" in html and "… lines 22–40 unchanged …" in html


def test_html_in_the_text_is_shown_as_text() -> None:
    html = word_diff_html("a <b>x</b>\n", "a <b>y</b>\n", "a", "b")
    assert "<b>x" not in html and "&lt;b&gt;" in html


def test_summary_counts_words() -> None:
    assert count_changed_words("one two three", "one four three five") == (2, 1)
    assert "adds 2 words" in change_summary("one two three", "one four three five", "x", "y")
    assert "removes 1 word " in change_summary("one two three", "one four three five", "x", "y")
    assert change_summary("a b", "a b c", "x", "y") == "Compared with x, y adds 1 word (green)."


def test_identical_texts_say_so() -> None:
    assert "No differences" in word_diff_html("same\n", "same\n", "a", "b")


def test_only_the_changed_middle_of_a_long_text_is_aligned(monkeypatch) -> None:
    # difflib's cost grows with what it aligns: the lines (and words) both versions share at
    # their start and end are left out of it, but for the context shown around a change.
    import difflib

    from editor.core import word_diff

    aligned: list[int] = []

    class Counting(difflib.SequenceMatcher):
        def set_seqs(self, a, b):  # type: ignore[no-untyped-def]
            aligned.append(max(len(a), len(b)))
            super().set_seqs(a, b)

    monkeypatch.setattr(word_diff.difflib, "SequenceMatcher", Counting)
    old = "".join(f"Line {n} of a long post.\n" for n in range(20_000))
    new = old.replace("Line 12000 of", "Line 12000, now changed, of")
    html = word_diff_html(old, new, "a", "b")
    assert "… lines 1–11999 unchanged …" in html and "… lines 12003–20000 unchanged …" in html
    assert max(aligned) < 50


def test_leaving_the_shared_ends_out_changes_no_diff() -> None:
    # The same HTML as aligning every line, for changes at the start, middle and end, inserted,
    # deleted and replaced lines (texts of distinct lines, where one alignment is right).
    import random

    from editor.core import word_diff

    chance = random.Random(7)
    base = [f"Line {n} says {chance.choice(['a', 'b', 'c'])}." for n in range(200)]
    for at in (0, 1, 57, 198, 199):
        for change in ("insert", "delete", "replace"):
            lines = list(base)
            if change == "insert":
                lines.insert(at, "A new line.")
            elif change == "delete":
                del lines[at]
            else:
                lines[at] = lines[at].replace("says", "now says")
            old, new = "\n".join(base) + "\n", "\n".join(lines) + "\n"
            trimmed = word_diff_html(old, new, "a", "b")
            original = word_diff._same_ends
            word_diff._same_ends = lambda a, b: (0, 0)  # type: ignore[assignment]
            try:
                whole = word_diff_html(old, new, "a", "b")
            finally:
                word_diff._same_ends = original
            assert trimmed == whole, (at, change)
