"""Seeded editing sessions: after every edit the incremental render is exactly the full one.

The sessions imitate a writer (see `editing_sessions`); a failure is reported shrunk to a
minimal before/edit pair. The long run is `python -m benchmarks.fuzz_incremental`.
"""

from __future__ import annotations

import os

import pytest

from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer
from tests.render.editing_sessions import Oracle, corpus_documents, run_sessions

SESSIONS = int(os.environ.get("DRAFTPRESS_FUZZ_SESSIONS", "160"))
GESTURES = 12  # writer gestures per session (each may be several keystrokes)
CHUNKS = 8  # the sessions run in this many tests, so that a failure shows its seed early


# Twenty sessions take about 3 s; a failure's shrinking stops after SHRINK_SECONDS with the
# smallest pair found so far, well inside this timeout (whose message would carry no pair).
@pytest.mark.timeout(300)
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_editing_sessions_give_exactly_the_full_render(chunk: int) -> None:
    count = SESSIONS // CHUNKS
    failures = run_sessions(seed=1600 + chunk, count=count, gestures=GESTURES)
    assert not failures, "\n\n".join(failure.describe() for failure in failures[:3])


def test_the_corpus_holds_public_documents_and_torture_documents() -> None:
    documents = corpus_documents()
    assert len(documents) >= 9
    assert any("[TOC]" in document for document in documents)
    assert any("/// caption" in document for document in documents)


@pytest.mark.parametrize(
    ("before", "edit"),
    [
        # issue 16: a caption opened inside a list item swallows the paragraph after the list
        ("*     five spaces\nder\nNext line\n\n\n\nx ML]", (4, 30, "/// caption\n")),
        ("- ///caption\ne", (13, 0, "\n")),  # found by the session fuzzer
        ("* \n    ///caption\ninside the item\n    ///\n\n- another item\n\né", (18, 40, "")),
        ("T\n:   /// caption", (17, 0, "\n\nx")),  # in a definition
        ("> /// caption", (13, 0, "\n\nx\n\n///\n\ny")),  # in a quote, closed at the top
        # found by the long run: the deleted heading's old block was taken for the kept one
        ("# Title\n]\n\n# Title\n", (8, 11, "")),
        # found by the long run: a first line of spaces is text to Python-Markdown
        (" \n1 ", (3, 0, ".")),
        # found by the long run: a sentinel came out mixed into the block's HTML
        ("-->#</i>;", (3, 0, "&")),
        # issue 16's open ones: an open last block keeps its trailing newlines (raw HTML)
        (".\n <div>", (8, 0, "\n")),
        ("///caption\n<div>", (16, 0, "\n")),
        # an unclosed caption in a footnote swallows the footnotes after it
        ("[^]:///caption[^c]:.", (14, 0, "\n")),
        ("[^]:\n\n    n[^c]:.", (11, 0, "\n///caption\n")),
        # an abbreviation whose term matches inside raw HTML's numbered stash placeholders
        ("*\n```\n```\n\n<!---->", (1, 0, '[1]:"')),
        # raw HTML in an explicit heading id, in the table of contents
        ("[TOC]\n#p {#<b}", (13, 0, ">")),
        # found by the long run: a footnote defined inside a footnote made even the full
        # render raise (Python-Markdown walks the definitions while parsing them)
        ("[^][^a]:\n[^b]:", (3, 0, ":")),
        # found by the long run: a block of `<div markdown="1">` rendered in a batch with the
        # block closing it was taken for clean (the div took the sentinels in)
        ('<div markdown="1">\n\nr\n\n</div>\n\n--', (23, 7, "")),
        ('<div markdown="1">\n\nd\n\nf\n</div>\n\n--', (24, 1, "")),
        # found by the long run: a tab after a definition's colon (expanded to spaces)
        ("e\n: \n\ne\n:", (9, 0, "\t\n\n")),
        # found by the long run: a reference definition between a term and its definition
        ("e\n: \n\nm\n: ", (8, 0, '\n[]:>"\n\n')),
        # issue 16's last open one: a tab after a closing fence (Python-Markdown expands tabs
        # before it looks for fences; the splitter searched the raw text)
        ("```\n```\t", (4, 0, "\n")),
        # and the control characters it deletes before that ("`\x02``" is a fence)
        ("`\x02``\na\n\nb\n``", (12, 0, "`")),
        # found by the long run: a paragraph after a definition list joins it when the edit
        # puts a definition after it; the re-split began at that paragraph, one block late
        ("e\n: \n\ne\n\nx\n: ", (9, 2, "")),
        # found by a reference-definition stress run: a definition whose label runs over two
        # lines ("[\n]:[") renders to nothing, and the splitter read its first line alone
        (".\n\n[\n]:[a]: ", (8, 2, "\n\n")),
    ],
)
def test_divergences_found_stay_fixed(before: str, edit: tuple[int, int, str]) -> None:
    position, removed, added = edit
    after = before[:position] + added + before[position + removed :]
    renderer = IncrementalRenderer()
    renderer.render(before)
    renderer.edit(position, removed, added)
    assert renderer.html == MarkdownRenderer().render_document(after)
    assert Oracle().check(before, [edit]) is None


def test_a_failure_is_shrunk_to_a_small_pair() -> None:
    # A checker that fails whenever the text holds "bad" after the edit: the shrinker keeps
    # only what that needs.
    from tests.render.editing_sessions import shrink_pair

    text = "first line\n\nsecond line\n\nthird ba line\n\nfourth\n"
    edit = (text.index("ba") + 2, 0, "dxyz")

    def fails(t: str, e: tuple[int, int, str]) -> bool:
        return "bad" in t[: e[0]] + e[2] + t[e[0] + e[1] :]

    small_text, small_edit = shrink_pair(text, edit, fails)
    assert (small_text, small_edit) == ("ba", (2, 0, "d"))


class _WrongAfterBad(IncrementalRenderer):
    """A renderer that is wrong whenever the text holds "bad" (a stand-in: no real divergence
    is known to test the reporting with)."""

    @property
    def html(self) -> str:
        return super().html + ("<p>wrong</p>" if "bad" in self.text else "")


def test_a_failure_is_reported_with_its_pair_even_when_shrinking_runs_out_of_time() -> None:
    before = "".join(f"Paragraph {n}.\n\n" for n in range(30))
    edits = [(5, 0, "x"), (len(before) + 1, 0, "ba"), (len(before) + 3, 0, "d")]
    shrunk = Oracle(_WrongAfterBad).find_failure(before, edits)
    assert shrunk is not None and shrunk.shrunk
    assert shrunk.before == "ba" and shrunk.edits == [(2, 0, "d")]
    assert shrunk.describe().startswith("before = 'ba'\nedit = (2, 0, 'd')\ndiffers:")
    cut_short = Oracle(_WrongAfterBad, shrink_seconds=0).find_failure(before, edits)
    assert cut_short is not None and not cut_short.shrunk
    described = cut_short.describe()
    assert described.startswith(f"before = {cut_short.before!r}\nedit = (")
    assert "(shrinking stopped after" in described


def test_a_full_render_that_raises_is_a_failure_not_a_crash_of_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oracle = Oracle()

    def raising(text: str) -> str:
        raise ValueError("no")

    monkeypatch.setattr(oracle.full, "render_document", raising)  # a stand-in, as above
    found = oracle.check("a", [(1, 0, "b")])
    assert found == (-1, "full render raised ValueError: no")
