"""The exact text beside the editor: edits reported in its view keep the file's characters."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from editor.core.exact_text import (
    ExactText,
    from_units,
    keep_known,
    to_units,
    utf16_length,
    view_of,
)

SPECIALS = "\u00a0\u2028\u2029\ufdd0\ufdd1\r"


def read_back_alike(text: str) -> str:
    """`text` with the line feeds typed right after a bare CR written as CRs (two breaks)."""
    return re.sub("(?<=\r)\n+", lambda match: "\r" * len(match.group()), text)


def test_the_view_shows_every_block_break_as_a_paragraph_separator() -> None:
    text = "a\nb\rc\u2029d\ufdd0e\ufdd1f\u2028g\u00a0h"
    assert view_of(text) == "a\u2029b\u2029c\u2029d\u2029e\u2029f\u2028g\u00a0h"


def test_units_count_astral_characters_twice_and_come_back_whole() -> None:
    text = "x😀y\U0001d11e"
    assert len(to_units(text)) == utf16_length(text) == 6
    assert from_units(to_units(text)) == text


def test_an_edit_elsewhere_keeps_every_special_character() -> None:
    text = "Bonjour\u00a0!\rA\u2028B\u2029C\ufdd0D\ufdd1E\n"
    exact = ExactText(text)
    exact.replace(len(to_units(text)), 0, "typed\u2029")
    assert exact.text() == text + "typed\n"


def test_a_wide_report_of_an_unchanged_span_changes_nothing() -> None:
    text = "a\rb\u2029c\u00a0d"
    exact = ExactText(text)
    exact.replace(0, len(text), view_of(text))  # e.g. a whole-block "dirty" notice
    assert exact.text() == text


def test_typed_characters_come_from_the_view_block_breaks_as_newlines() -> None:
    exact = ExactText("ab")
    exact.replace(1, 0, "\u00a0\u2028\u2029")
    assert exact.text() == "a\u00a0\u2028\nb"


def test_the_apps_own_insert_goes_in_exactly_when_the_view_agrees() -> None:
    exact = ExactText("ab")
    exact.replace(1, 0, "\u2029x\u2029", exact="\rx\ufdd0")
    assert exact.text() == "a\rx\ufdd0b"
    exact.replace(0, 0, "z", exact="not what was shown")
    assert exact.text() == "za\rx\ufdd0b"


def test_undo_brings_a_deleted_bare_cr_back_as_a_cr() -> None:
    exact = ExactText("one\rtwo\n")
    exact.replace(3, 1, "")
    assert exact.text() == "onetwo\n"
    exact.replace(3, 0, "\u2029", replay=True)
    assert exact.text() == "one\rtwo\n"


def test_a_typed_newline_where_a_cr_was_deleted_is_a_newline() -> None:
    exact = ExactText("one\rtwo\n")
    exact.replace(3, 1, "")
    exact.replace(3, 0, "\u2029")  # typed, not an undo
    assert exact.text() == "one\ntwo\n"


def test_a_break_typed_after_a_bare_cr_never_makes_a_crlf_pair() -> None:
    exact = ExactText("one\rtwo\n")
    exact.replace(4, 0, "\u2029\u2029")  # Enter twice at the start of "two"
    assert exact.text() == "one\r\r\rtwo\n"  # three breaks, read back as three
    exact.replace(4, 0, "x")  # no longer side by side: the typed breaks are newlines
    assert exact.text() == "one\rx\n\ntwo\n"


def test_reconcile_keeps_what_still_agrees() -> None:
    exact = ExactText("a\rb\u00a0c\u2029d")
    assert not exact.reconcile("a\u2029b\u00a0c\u2029d")
    assert exact.reconcile("a\u2029bX\u00a0c\u2029d")
    assert exact.text() == "a\rbX\u00a0c\u2029d"


def test_keep_known_takes_only_the_changed_span_from_the_view() -> None:
    assert keep_known("x\ry\u2029z", "x\u2029Y\u2029z") == "x\rY\u2029z"


# -- random edits away from the special characters ------------------------------------------

plain = st.text(alphabet=st.sampled_from("ab \n#*😀é"), min_size=1, max_size=12)
special = st.sampled_from(SPECIALS)


@st.composite
def texts_and_edits(draw: st.DrawFn) -> tuple[list[str], list[tuple[int, int, int, str]]]:
    """Plain runs between special characters, and edits each inside one plain run."""
    runs = draw(st.lists(plain, min_size=2, max_size=6))
    specials = draw(st.lists(special, min_size=len(runs) - 1, max_size=len(runs) - 1))
    pieces = [runs[0]]
    for mark, run in zip(specials, runs[1:], strict=True):
        pieces += [mark, "a" + run if mark == "\r" and run[0] == "\n" else run]  # no CR LF
    edits = []
    for _ in range(draw(st.integers(1, 6))):
        run = draw(st.integers(0, len(pieces) - 1).filter(lambda i: i % 2 == 0))
        length = len(pieces[run])
        start = draw(st.integers(0, length))
        end = draw(st.integers(start, length))
        typed = draw(st.text(alphabet=st.sampled_from("xy\n\u00a0😀"), max_size=4))
        edits.append((run, start, end, typed))
    return pieces, edits


@settings(max_examples=300, deadline=None)
@given(texts_and_edits())
def test_random_edits_away_from_special_characters_keep_them(case) -> None:
    pieces, edits = case
    exact = ExactText("".join(pieces))
    for run, start, end, typed in edits:
        before = "".join(pieces[:run]) + pieces[run][:start]
        position = utf16_length(before)
        removed = utf16_length(pieces[run][start:end])
        exact.replace(position, removed, view_of(typed))
        pieces[run] = pieces[run][:start] + typed + pieces[run][end:]
    expected = "".join(pieces)
    assert exact.text() == read_back_alike(expected)


def test_a_cr_before_a_crlf_counts_as_the_editor_counts_it() -> None:
    text = "a\r\r\nb😀"  # a file's CR CR LF, read as CR then one line ending: Qt shows two breaks
    exact = ExactText(text)
    assert len(exact) == 6 and not exact.reconcile("a\u2029\u2029b😀")
    exact.replace(3, 0, "x")
    assert exact.text() == "a\r\r\nxb😀"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab\n😀"), max_size=40),
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.text("xyz", max_size=9)),
        max_size=8,
    ),
)
def test_the_units_kept_in_pieces_edit_as_one_string_would(whole: str, edits) -> None:
    from unittest import mock

    from editor.core import exact_text

    with mock.patch.object(exact_text, "PIECE_UNITS", 3):  # many pieces, edits across them
        pieces = exact_text._Pieces(whole)
        for start, end, new in edits:
            start, end = sorted((min(start, len(whole)), min(end, len(whole))))
            assert pieces.slice(start, end) == whole[start:end]
            pieces.replace(start, end, new)
            whole = whole[:start] + new + whole[end:]
            assert len(pieces) == len(whole)
        assert pieces.whole() == whole


def test_a_keystroke_in_a_long_text_copies_a_piece_not_the_text() -> None:
    # Three copies of a 1 MB post per keystroke were the GUI thread's work that grew with it.
    import tracemalloc

    text = "A paragraph of prose, long enough.\n\n" * 30_000  # about 1 MB
    exact = ExactText(text)
    exact.text()
    middle = len(text) // 2
    tracemalloc.start()
    try:
        for offset in range(20):
            exact.replace(middle + offset, 0, "y")
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200_000, peak
    assert exact.text() == text[:middle] + "y" * 20 + text[middle:]


def test_a_plain_text_read_back_after_edits_that_are_not_plain() -> None:
    # Units without surrogates or CRs are read back as they are, without a scan; an edit that
    # brings either in makes the next read convert again.
    exact = ExactText("plain\u00a0words\n")
    assert exact.text() == "plain\u00a0words\n"
    exact.replace(5, 0, "😀")
    assert exact.text() == "plain😀\u00a0words\n"
    exact.replace(0, 7, "x")
    assert exact.text() == "x\u00a0words\n"  # the surrogates gone; still read right
    exact.replace(1, 0, "\u2029", exact="\r\n")
    assert exact.text() == "x\r\n\u00a0words\n"
    exact.reset("plain again")
    exact.replace(5, 0, "\u2029", exact="\r")
    exact.replace(6, 0, "\u2029")
    assert exact.text() == "plain\r\r again"
