"""Editing sessions that imitate a writer, and the oracle they are checked against.

A session starts from a document (a window of a corpus document, an empty or whitespace-only
text) and applies edits as QTextDocument reports them: typing words and Markdown punctuation
one character at a time, Enter, Tab and spaces at line starts, deleting and replacing
selections, pasting chunks of other documents, cutting whole lines. After every edit the
incremental render must equal a full render of the same text, and its delta must patch the
previous pieces into the new ones. A failure is shrunk to a minimal before/edit pair (or, when
it needs history, to the shortest run of edits that still fails).

Used by tests/render/test_editing_sessions.py (a few hundred seeded sessions) and by the long
run, `python -m benchmarks.fuzz_incremental --sessions 5000`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer
from editor.render.piece_delta import apply_delta

ROOT = Path(__file__).resolve().parents[2]
CORPUS_FOLDER = Path(__file__).resolve().parent / "data" / "corpus"
EXTRA_DOCUMENTS = [ROOT / "resources" / "welcome" / "welcome-to-draftpress.md"]

Edit = tuple[int, int, str]  # position, characters removed, text added

log = logging.getLogger(__name__)

# Seconds the shrinking of one failure may take: past it the smallest pair found so far is
# reported (an unbounded shrink on a loaded machine ran into the test's timeout, whose message
# carries no pair).
SHRINK_SECONDS = 30.0

WORDS = [
    "the",
    "a",
    "writer",
    "post",
    "note",
    "draft",
    "blog",
    "word",
    "quick",
    "brown",
    "fox",
    "é",
    "naïve",
    "42",
    "AT&T",
]
# What writers type at a line start or in a line, one string per gesture.
LINE_STARTS = [
    "# ",
    "## ",
    "### ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "> > ",
    ": ",
    ":   ",
    "    ",
    "\t",
    "  ",
    "[^1]: ",
    "[^n]: ",
    "[ref]: https://example.com/r ",
    "*[HTML]: Hyper Text ",
    "| ",
    "|---|---|\n",
    "```\n",
    "~~~\n",
    "/// caption\n",
    "///\n",
    "[TOC]",
    "***",
    "---",
    "<div>",
    "</div>",
    "<!-- wp:paragraph -->",
    "<!-- /wp:paragraph -->",
    "{: #id }",
]
INLINE = [
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "[^1]",
    "[^n]",
    "[ref]",
    "[x][ref]",
    "![i](p.png)",
    "<b>",
    "</b>",
    "\\",
    "|",
    "&",
    "<",
    "HTML",
    "  \n",
    "{#x}",
    "#",
    ":",
    "~",
    "^",
]


@dataclass
class Failure:
    """An edit after which the incremental render differs from the full one."""

    before: str
    edits: list[Edit]
    message: str
    history: list[Edit] = field(default_factory=list)  # edits before, when the pair alone passes
    shrunk: bool = True  # False: the shrinking ran out of time (the pair may be larger)

    def describe(self) -> str:
        """The failure as a writer of a regression test wants it."""
        lines = [f"before = {self.before!r}"]
        if self.history:
            lines.append(f"edits = {self.history + self.edits!r}  # from a fresh renderer")
        elif self.edits:
            lines.append(f"edit = {self.edits[0]!r}")
        else:
            lines.append("(the first render fails: no edit)")
        if not self.shrunk:
            lines.append(f"(shrinking stopped after {SHRINK_SECONDS:.0f} s: not minimal)")
        lines.append(self.message)
        return "\n".join(lines)


def corpus_documents() -> list[str]:
    """The corpus: every document under tests/render/data/corpus and the welcome post."""
    paths = sorted(p for p in CORPUS_FOLDER.glob("*.md") if p.name != "SOURCES.md")
    return [p.read_text(encoding="utf-8") for p in [*paths, *EXTRA_DOCUMENTS]]


def _window(rng: random.Random, document: str, max_lines: int) -> str:
    """A run of whole lines of a document."""
    lines = document.splitlines(keepends=True)
    count = rng.randint(1, max_lines)
    first = rng.randrange(max(1, len(lines) - count + 1))
    return "".join(lines[first : first + count])


class SimulatedWriter:
    """Produces a writer's edits on a text, tracking the cursor."""

    def __init__(self, rng: random.Random, text: str, corpus: list[str]) -> None:
        self.rng, self.text, self.corpus = rng, text, corpus
        self.cursor = rng.randint(0, len(text))

    def _line_start(self) -> int:
        return self.text.rfind("\n", 0, self.cursor) + 1

    def _apply(self, position: int, removed: int, added: str) -> Edit:
        self.text = self.text[:position] + added + self.text[position + removed :]
        self.cursor = position + len(added)
        return position, removed, added

    def _type(self, typed: str) -> list[Edit]:
        """Type a string a character at a time (an edit per key)."""
        return [self._apply(self.cursor, 0, char) for char in typed]

    def gesture(self) -> list[Edit]:
        """One thing a writer does, as the edits it makes."""
        rng, text = self.rng, self.text
        choice = rng.random()
        if choice < 0.12:  # move the cursor somewhere
            self.cursor = rng.randint(0, len(text))
            return []
        if choice < 0.32:  # type a word or two, with a space
            return self._type(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 2))) + " ")
        if choice < 0.42:  # Markdown punctuation in the line
            return self._type(rng.choice(INLINE))
        if choice < 0.52:  # Enter (once or twice)
            return self._type("\n" * rng.choice([1, 1, 2]))
        if choice < 0.62:  # a line start: go there, type a marker, a Tab or spaces
            self.cursor = self._line_start()
            return self._type(rng.choice(LINE_STARTS))
        if choice < 0.70 and self.cursor > 0:  # Backspace
            return [self._apply(self.cursor - 1, 1, "")]
        if choice < 0.78 and text:  # delete or replace a selection
            start = rng.randint(0, len(text))
            end = min(len(text), start + rng.choice([1, 3, 10, 40, 200]))
            replacement = rng.choice(["", "", rng.choice(WORDS), rng.choice(LINE_STARTS)])
            return [self._apply(start, end - start, replacement)]
        if choice < 0.88:  # paste a chunk of another document
            chunk = _window(rng, rng.choice(self.corpus), 8)
            if rng.random() < 0.5:
                self.cursor = self._line_start()
            return [self._apply(self.cursor, 0, chunk)]
        if text:  # cut whole lines
            start = self._line_start()
            end = start
            for _ in range(rng.randint(1, 3)):
                found = text.find("\n", end)
                end = len(text) if found < 0 else found + 1
            return [self._apply(start, end - start, "")]
        return self._type(rng.choice(WORDS))


def session(rng: random.Random, corpus: list[str], gestures: int) -> tuple[str, list[Edit]]:
    """A starting text and the edits of one session."""
    start_kind = rng.random()
    if start_kind < 0.1:
        start = ""
    elif start_kind < 0.2:
        start = rng.choice(["  ", "\n", "\n\n", "\t", "    ", " \n\t\n", "---\ntitle: T\n---\n"])
    else:
        start = _window(rng, rng.choice(corpus), 40)
    writer = SimulatedWriter(rng, start, corpus)
    edits: list[Edit] = []
    for _ in range(gestures):
        edits.extend(writer.gesture())
    return start, edits


class Oracle:
    """Checks incremental renders against full ones."""

    def __init__(
        self,
        make_renderer: Callable[[], IncrementalRenderer] = IncrementalRenderer,
        shrink_seconds: float = SHRINK_SECONDS,
    ) -> None:
        self.full = MarkdownRenderer()
        self.make_renderer = make_renderer
        self.shrink_seconds = shrink_seconds
        self._full_error = ""  # what the last full render that raised said
        # Sessions stopped because a part overran the renderer's deadline and shows as a
        # notice (a loaded machine): that is the renderer's answer, not a divergence.
        self.inconclusive = 0

    def check(self, before: str, edits: list[Edit]) -> tuple[int, str] | None:
        """Replay a session from a fresh renderer; return (failing edit index, why) or None.

        Why starts with the kind of failure ("raised", "differs", "delta", "full render
        raised"): shrinking keeps a smaller pair only when it fails the same way.
        """
        renderer = self.make_renderer()
        try:
            renderer.render(before)
        except Exception as error:  # noqa: BLE001 (reported as the failure)
            return -1, f"raised: the first render raised {type(error).__name__}: {error}"
        if renderer.too_slow:
            self.inconclusive += 1
            return None
        expected = self._full_render(before)
        if expected is None or renderer.html != expected:
            return -1, self._differs("the first render", renderer.html, expected)
        text = before
        for index, (position, removed, added) in enumerate(edits):
            text = text[:position] + added + text[position + removed :]
            shown = renderer.blocks
            try:
                delta = renderer.edit(position, removed, added)
            except Exception as error:  # noqa: BLE001 (reported as the failure)
                return index, f"raised: the edit raised {type(error).__name__}: {error}"
            if renderer.too_slow:
                self.inconclusive += 1
                return None
            expected = self._full_render(text)
            if expected is None or renderer.html != expected:
                return index, self._differs("the incremental render", renderer.html, expected)
            htmls, lines = [p.html for p in shown], [p.line for p in shown]
            apply_delta(htmls, lines, delta)
            if list(zip(lines, htmls, strict=False)) != [(p.line, p.html) for p in renderer.blocks]:
                return index, f"delta: {delta!r} does not patch the pieces into the new ones"
        return None

    def _full_render(self, text: str) -> str | None:
        """The full render of a text; None when it raises (a failure of its own)."""
        try:
            return self.full.render_document(text)
        except Exception as error:  # noqa: BLE001 (reported as the failure)
            self._full_error = f"{type(error).__name__}: {error}"
            return None

    def _differs(self, what: str, incremental: str, expected: str | None) -> str:
        """Say how a render differs from the full one."""
        if expected is None:
            return f"full render raised {self._full_error}"
        return f"differs: {what}:\n{incremental!r}\nfull:\n{expected!r}"

    def find_failure(self, before: str, edits: list[Edit]) -> Failure | None:
        """Check a session; on failure, return it shrunk (as far as the time allows)."""
        found = self.check(before, edits)
        if found is None:
            return None
        index, message = found
        kind = _kind(message)
        # said before shrinking, so that a run stopped meanwhile still shows the failure
        log.warning("a session fails at edit %d of %r: %s", index, edits, message[:2000])
        log.warning("its starting text: %r", before)
        stop = time.monotonic() + self.shrink_seconds
        out_of_time = False

        def same_failure(found: tuple[int, str] | None) -> bool:
            return found is not None and _kind(found[1]) == kind

        def fails(text: str, session_edits: list[Edit]) -> bool:
            nonlocal out_of_time
            if time.monotonic() > stop:
                out_of_time = True
                return False
            return same_failure(self.check(text, session_edits))

        if index < 0:
            small = shrink_text(before, lambda t: fails(t, []))
            why = self.check(small, [])
            return Failure(small, [], why[1] if why else message, shrunk=not out_of_time)
        texts = [before]
        for position, removed, added in edits[:index]:
            texts.append(texts[-1][:position] + added + texts[-1][position + removed :])
        edit = edits[index]
        if same_failure(self.check(texts[index], [edit])):
            small_before, small_edit = shrink_pair(texts[index], edit, lambda t, e: fails(t, [e]))
            why = self.check(small_before, [small_edit])
            return Failure(
                small_before, [small_edit], why[1] if why else message, shrunk=not out_of_time
            )
        # the pair alone passes: keep the shortest run of edits before it that still fails
        for start in range(index - 1, -1, -1):
            if fails(texts[start], edits[start : index + 1]):
                return Failure(texts[start], [edit], message, edits[start:index])
            if out_of_time:
                break
        return Failure(before, [edit], message, edits[:index], shrunk=not out_of_time)


def _kind(message: str) -> str:
    """The kind of a failure: the words before its first colon."""
    return message.partition(":")[0]


def shrink_text(text: str, fails: Callable[[str], bool]) -> str:
    """Remove lines, then characters, while the text still fails."""
    step = max(1, text.count("\n") // 2)
    while step >= 1:
        lines = text.splitlines(keepends=True)
        index, shrunk = 0, False
        while index < len(lines):
            candidate = "".join(lines[:index] + lines[index + step :])
            if candidate != text and fails(candidate):
                text, lines, shrunk = candidate, lines[:index] + lines[index + step :], True
            else:
                index += step
        if not shrunk:
            step //= 2
    index = 0
    while index < len(text) and len(text) < 400:
        candidate = text[:index] + text[index + 1 :]
        if fails(candidate):
            text = candidate
        else:
            index += 1
    return text


def shrink_pair(text: str, edit: Edit, fails: Callable[[str, Edit], bool]) -> tuple[str, Edit]:
    """Shrink a before/edit pair: the added text, then the text around the edit."""
    position, removed, added = edit
    index = 0
    while index < len(added):  # fewer added characters
        candidate = added[:index] + added[index + 1 :]
        if fails(text, (position, removed, candidate)):
            added = candidate
        else:
            index += 1
    changed = True
    while changed:
        changed = False
        lines = text.splitlines(keepends=True)
        offset = 0
        for line in lines:  # drop whole lines away from the edited range
            end = offset + len(line)
            if end <= position or offset >= position + removed:
                shift = len(line) if end <= position else 0
                candidate_edit = (position - shift, removed, added)
                candidate = text[:offset] + text[end:]
                if fails(candidate, candidate_edit):
                    text, (position, removed, added) = candidate, candidate_edit
                    changed = True
                    break
            offset = end
    index = 0
    while index < len(text) and len(text) < 400:  # then single characters
        if position <= index < position + removed:
            index += 1
            continue
        shift = 1 if index < position else 0
        candidate = text[:index] + text[index + 1 :]
        if fails(candidate, (position - shift, removed, added)):
            text, position = candidate, position - shift
        else:
            index += 1
    return text, (position, removed, added)


def run_sessions(
    seed: int | str,
    count: int,
    gestures: int,
    on_failure: Callable[[Failure], None] | None = None,
    oracle: Oracle | None = None,
) -> list[Failure]:
    """Run `count` seeded sessions; return their failures, each shrunk.

    `oracle` counts the sessions stopped by a part given up on for time (`inconclusive`).
    """
    corpus = corpus_documents()
    oracle = oracle or Oracle()
    failures = []
    for number in range(count):
        rng = random.Random(f"{seed}-{number}")
        before, edits = session(rng, corpus, gestures)
        failure = oracle.find_failure(before, edits)
        if failure is not None:
            failures.append(failure)
            if on_failure is not None:
                on_failure(failure)
    return failures
