"""An edit in a reference definition re-renders only what uses the labels it changed."""

from __future__ import annotations

import pytest

from editor.render import incremental
from editor.render.incremental import IncrementalRenderer
from editor.render.markdown_renderer import MarkdownRenderer

FULL = MarkdownRenderer()
USES = 40  # paragraphs citing the sources, each source cited by every fourth


def _post() -> str:
    """Paragraphs citing four sources (in mixed case), their definitions, a footnote citing one."""
    parts = [f"Paragraph {n} cites [the source][Src {n % 4}].[^a]\n\n" for n in range(USES)]
    parts.append('Shadowed.\n\n[src 2]: https://example.com/old "Old two"\n\n')
    for k in range(4):
        parts.append(f'Definition home {k}.\n\n[SRC {k}]: https://example.com/{k} "Title {k}"\n\n')
    parts.append("[^a]: A note citing [the first][src 1].\n")
    return "".join(parts)


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the passes over every block's definitions (what a definition edit should avoid)."""
    calls: list[str] = []
    for name in ("collect_definitions", "stale_blocks"):
        real = getattr(incremental, name)

        def counting(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(incremental, name, counting)
    return calls


def _edit(renderer: IncrementalRenderer, position: int, removed: int, added: str) -> set[int]:
    """Apply an edit, check it against a full render; return the lines of changed pieces."""
    before = {piece.line: piece.html for piece in renderer.blocks}
    renderer.edit(position, removed, added)
    assert renderer.html == FULL.render_document(renderer.text)
    return {piece.line for piece in renderer.blocks if before.get(piece.line) != piece.html}


def test_trailing_spaces_after_a_title_change_nothing_else(walks: list[str]) -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    walks.clear()
    at = text.index('"Title 1"') + len('"Title 1"')
    assert _edit(renderer, at, 0, "  ") == set()
    assert renderer.last_rendered_blocks == 1  # the definition's own block
    assert walks == []


def test_typing_in_a_title_re_renders_only_the_blocks_citing_that_label(
    walks: list[str],
) -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    walks.clear()
    at = text.index('"Title 3"') + len('"Title')
    changed = _edit(renderer, at, 0, "d")
    assert 'title="Titled 3"' in renderer.html
    # the definition's block and the ten paragraphs citing [Src 3] as [SRC 3]
    assert renderer.last_rendered_blocks == 1 + USES // 4
    assert changed == {2 * n for n in range(3, USES, 4)}
    assert walks == []


def test_a_note_citing_the_label_follows_its_title(walks: list[str]) -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    walks.clear()
    at = text.index('"Title 1"') + len('"Title')
    _edit(renderer, at, 0, "d")
    assert renderer.html.count('title="Titled 1"') == USES // 4 + 1  # and the footnote
    assert walks == []


def test_the_last_definition_of_a_label_wins(walks: list[str]) -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    walks.clear()
    shadowed = text.index('"Old two"') + len('"Old')
    assert _edit(renderer, shadowed, 0, "er") == set()  # shadowed by the later one
    assert renderer.last_rendered_blocks == 1
    winner = renderer.text.index('"Title 2"') + len('"Title')
    assert len(_edit(renderer, winner, 0, "d")) == USES // 4
    # the winner goes: the shadowed one is the label's value again
    line = renderer.text.index("[SRC 2]")
    end = renderer.text.index("\n", line)
    _edit(renderer, line, end - line, "")
    assert 'href="https://example.com/old" title="Older two"' in renderer.html
    assert walks == []


def test_renaming_a_label_unlinks_its_citations_and_links_the_new_ones() -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    at = text.index("[SRC 0]") + len("[SRC 0")
    changed = _edit(renderer, at, 0, "9")
    assert "[the source][Src 0]" in renderer.html
    assert len(changed) == USES // 4
    _edit(renderer, at, 1, "")
    assert "[the source][Src 0]" not in renderer.html


def test_a_definition_added_or_typed_anywhere_gives_exactly_the_full_render() -> None:
    text = _post()
    renderer = IncrementalRenderer()
    renderer.render(text)
    for typed in ["\n[src 1]: /new", " ", '"', "T", "i", '"', "\n", "\n", "x"]:
        at = renderer.text.index("Paragraph 5 ")
        _edit(renderer, at, 0, typed)
    at = renderer.text.index("[src 1]: /new")
    _edit(renderer, at, len("[src 1]: /new"), "")


def test_random_edits_in_definitions_give_exactly_the_full_render() -> None:
    # Seeded: documents of citing paragraphs and definitions (duplicate labels, mixed case,
    # a note citing one), and keystrokes, deletions and line breaks inside the definitions.
    import random

    rng = random.Random(1616)
    for _ in range(12):
        parts = []
        for n in range(rng.randint(4, 30)):
            label = rng.choice(["a", "A", "b", "c d", "C  D"])
            parts.append(f"Text {n} [x][{label}] and [{label.lower()}].\n\n")
            if rng.random() < 0.4:
                title = rng.choice(["", ' "T"', " 'U'", " (V)"])
                parts.append(f"[{rng.choice(['a', 'B', 'c d'])}]: /u{n}{title}\n\n")
        parts.append("[^n]: Note citing [b].\n\nCited.[^n]\n")
        renderer = IncrementalRenderer()
        renderer.render("".join(parts))
        for _ in range(25):
            text = renderer.text
            starts = [i for i in range(len(text)) if text.startswith("]: ", i)]
            if not starts:
                break
            at = rng.choice(starts) + rng.randint(-3, 12)
            at = max(0, min(len(text), at))
            removed = rng.choice([0, 0, 1, 2])
            typed = rng.choice(["", "x", " ", '"', "\n", "\n\n", "[a]: /z", "E"])
            _edit(renderer, at, min(removed, len(text) - at), typed)


def test_an_edit_in_the_block_of_the_first_note_keeps_the_notes_line() -> None:
    text = "Cited.[^a] [b]\n\nMore.\n\n[b]: /u 'T'\n\n[^a]: The note.\n\nEnd.\n"
    renderer = IncrementalRenderer()
    renderer.render(text)
    at = text.index("'T'") + 3
    _edit(renderer, at, 0, " ")  # the block holding the note is replaced, its notes the same
    assert renderer.blocks[-1].html.startswith('<div class="footnote">')
    assert renderer.blocks[-1].line == 6
    _edit(renderer, at, 0, "\nNew")  # the title changes, and the note's line moves
    assert renderer.blocks[-1].line == 7
    _edit(renderer, 0, 0, "Top.\n\n")
    assert renderer.blocks[-1].line == 9
