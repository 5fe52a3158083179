"""A three-way merge of a post's Markdown with the blog's edits, piece by piece (no Qt).

The base is the blog's copy kept at the last pull or publish (its pieces' Markdown); "ours" is
the post's current Markdown lined up with that copy (`body_parts`: untouched pieces are the
base's piece, edited or new text is new pieces, one per Markdown block); "theirs" is the blog's
current content pulled the same way (`pull_content`). A piece the blog did not change has the
same server markup as a base piece, and is then keyed by that piece's Markdown, so the merge
does not depend on the pull being a fixed point.

Each side's changes are the non-equal stretches of a difflib alignment with the base. Changes
of the two sides that overlap (or insert at the same place) are one conflict, unless they give
the same text; every other change is taken from its side. This is diff3 with one refinement:
changes to neighbouring pieces (the blog fixed piece 3, the writer piece 4) merge cleanly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from editor.publish.blog_copies import BlogCopy, Segment
from editor.publish.round_trip import body_parts, pull_content
from editor.render.block_split import split_blocks

log = logging.getLogger(__name__)

SAME, OURS, THEIRS, BOTH, CONFLICT = "same", "ours", "theirs", "both", "conflict"


@dataclass(frozen=True)
class Token:
    """One piece of one side: the key it is compared by and the Markdown it is written as."""

    key: str
    text: str


@dataclass(frozen=True)
class MergeRegion:
    """A stretch of the merged post: unchanged, changed on one side or both, or a conflict."""

    kind: str  # SAME, OURS, THEIRS, BOTH or CONFLICT
    base: tuple[str, ...]
    ours: tuple[str, ...]
    theirs: tuple[str, ...]

    def text(self, choice: str = OURS) -> str:
        """Return the region's merged Markdown (for a conflict, the chosen side's)."""
        if self.kind in (SAME, THEIRS) or (self.kind == CONFLICT and choice == THEIRS):
            return "\n\n".join(self.theirs)
        return "\n\n".join(self.ours)


@dataclass
class MergeOutcome:
    """The merge of a post with the blog's version: the regions, the conflicts, the result."""

    regions: list[MergeRegion]
    server_copy: BlogCopy  # the blog's current content as a copy (the next merge's base)
    body: str | None = None  # the merged Markdown; None while conflicts wait for a choice
    conflicts: list[MergeRegion] = field(default_factory=list)

    def count(self, kind: str) -> int:
        """Return how many regions are of `kind`."""
        return sum(1 for region in self.regions if region.kind == kind)


@dataclass(frozen=True)
class _Edit:
    """One side's change: base pieces [start, end) become `tokens`."""

    side: str
    start: int
    end: int
    tokens: tuple[Token, ...]


def _key(text: str) -> str:
    """Return the comparison key of a piece of Markdown: its exact text.

    Whitespace counts: a re-indented code line or a changed line break is an edit, and a merge
    that compared words only would put the other side's spacing back without a word.
    """
    return text.strip()


def _blocks(text: str) -> list[str]:
    """Split Markdown into its top-level blocks (stripped, empty ones left out)."""
    text = text.replace("\r\n", "\n")
    starts = split_blocks(text)
    ends = [*starts[1:], len(text)]
    return [text[a:b].strip() for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


def _segment_pieces(segment: Segment) -> list[str]:
    """Return a kept piece as merge pieces: a raw island whole, converted Markdown by block.

    A publish keeps each stretch of new Markdown as one piece (the blog stores it as several
    blocks); merging block by block lets the blog's edit of one and the writer's of another
    merge. A raw island is the blog's markup: it stays whole.
    """
    markdown = segment.markdown.strip()
    if markdown == segment.markup.strip():
        return [markdown]
    return _blocks(markdown) or [markdown]


def base_tokens(copy: BlogCopy) -> list[Token]:
    """Return the base: the copy's pieces as Markdown."""
    return [Token(_key(text), text) for s in copy.segments for text in _segment_pieces(s)]


def our_tokens(body: str, copy: BlogCopy) -> list[Token]:
    """Return the post's current Markdown as pieces: base pieces where untouched, else blocks."""
    tokens: list[Token] = []
    for part in body_parts(body, copy):
        if part.segment is not None:
            texts = _segment_pieces(copy.segments[part.segment])
        else:
            texts = _blocks(part.markdown)
        tokens += [Token(_key(text), text) for text in texts]
    return tokens


def their_tokens(server_copy: BlogCopy, base: BlogCopy) -> list[Token]:
    """Return the blog's pieces; one with a base piece's exact markup takes that piece's keys."""
    base_keys: dict[str, list[str]] = {}
    for segment in base.segments:
        base_keys.setdefault(segment.markup, [_key(t) for t in _segment_pieces(segment)])
    tokens: list[Token] = []
    for segment in server_copy.segments:
        texts = _segment_pieces(segment)
        keys = base_keys.get(segment.markup, [])
        if len(keys) != len(texts):  # changed on the blog (or cut otherwise): its own words
            keys = [_key(text) for text in texts]
        tokens += [Token(key, text) for key, text in zip(keys, texts, strict=True)]
    return tokens


def _edits(
    side: str, base: list[Token], other: list[Token]
) -> tuple[list[_Edit], dict[int, Token]]:
    """Return a side's changes to the base, and its token for every base piece it kept."""
    matcher = SequenceMatcher(None, [t.key for t in base], [t.key for t in other], autojunk=False)
    edits: list[_Edit] = []
    kept: dict[int, Token] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.update({i1 + k: other[j1 + k] for k in range(i2 - i1)})
        else:
            edits.append(_Edit(side, i1, i2, tuple(other[j1:j2])))
    return edits, kept


def _clash(a: _Edit, b: _Edit) -> bool:
    """Tell whether two changes of different sides touch the same pieces or the same gap."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # both insert at the same place
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _clusters(edits: list[_Edit]) -> list[list[_Edit]]:
    """Group changes that clash (transitively); return the groups in base order."""
    parent = list(range(len(edits)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(edits):
        for j in range(i + 1, len(edits)):
            b = edits[j]
            if a.side != b.side and _clash(a, b):
                parent[root(i)] = root(j)
    groups: dict[int, list[_Edit]] = {}
    for i, edit in enumerate(edits):
        groups.setdefault(root(i), []).append(edit)
    ordered = sorted(
        groups.values(), key=lambda g: (min(e.start for e in g), max(e.end for e in g))
    )
    return [sorted(group, key=lambda e: (e.start, e.end)) for group in ordered]


def _side_text(
    edits: list[_Edit], start: int, end: int, kept: dict[int, Token], base: list[Token]
) -> tuple[str, ...]:
    """Return one side's version of base pieces [start, end) with its changes there applied."""
    out: list[str] = []
    position = start
    for edit in edits:
        out += [kept.get(k, base[k]).text for k in range(position, edit.start)]
        out += [token.text for token in edit.tokens]
        position = edit.end
    out += [kept.get(k, base[k]).text for k in range(position, end)]
    return tuple(out)


def merge_tokens(base: list[Token], ours: list[Token], theirs: list[Token]) -> list[MergeRegion]:
    """Return the regions of a three-way merge of piece sequences."""
    our_edits, our_kept = _edits(OURS, base, ours)
    their_edits, their_kept = _edits(THEIRS, base, theirs)
    regions: list[MergeRegion] = []
    position = 0

    def unchanged(start: int, end: int) -> None:
        if start < end:
            texts = tuple(their_kept.get(k, base[k]).text for k in range(start, end))
            regions.append(MergeRegion(SAME, texts, texts, texts))

    for group in _clusters(our_edits + their_edits):
        start, end = min(e.start for e in group), max(e.end for e in group)
        unchanged(position, start)
        position = max(position, end)
        sides = {e.side for e in group}
        base_text = tuple(t.text for t in base[start:end])
        mine = _side_text([e for e in group if e.side == OURS], start, end, our_kept, base)
        blogs = _side_text([e for e in group if e.side == THEIRS], start, end, their_kept, base)
        if sides == {OURS}:
            kind = OURS
        elif sides == {THEIRS}:
            kind = THEIRS
        elif _key("\n\n".join(mine)) == _key("\n\n".join(blogs)):
            kind = BOTH
        else:
            kind = CONFLICT
        regions.append(MergeRegion(kind, base_text, mine, blogs))
    unchanged(position, len(base))
    return regions


def _joined(texts: Sequence[str]) -> str:
    """Return pieces of Markdown as a post body."""
    body = "\n\n".join(text for text in texts if text)
    return body + "\n" if body else ""


def resolve(outcome: MergeOutcome, choices: Sequence[str]) -> str:
    """Return the merged body with each conflict taken from the side chosen for it (OURS/THEIRS)."""
    if len(choices) != len(outcome.conflicts):
        raise ValueError(f"{len(outcome.conflicts)} conflict(s) but {len(choices)} choice(s)")
    picks = iter(choices)
    return _joined(
        [
            region.text(next(picks) if region.kind == CONFLICT else OURS)
            for region in outcome.regions
        ]
    )


def merge_post(body: str, copy: BlogCopy, server_content: str) -> MergeOutcome:
    """Merge the blog's current content into the post's Markdown body, with `copy` as the base."""
    _server_body, server_copy = pull_content(server_content)
    regions = merge_tokens(
        base_tokens(copy), our_tokens(body, copy), their_tokens(server_copy, copy)
    )
    conflicts = [region for region in regions if region.kind == CONFLICT]
    outcome = MergeOutcome(regions, server_copy, conflicts=conflicts)
    if not conflicts:
        outcome.body = resolve(outcome, [])
    log.info(
        "merge: %d piece change(s) from the blog, %d from the post, %d conflict(s)",
        outcome.count(THEIRS), outcome.count(OURS), len(conflicts),
    )  # fmt: skip
    return outcome
