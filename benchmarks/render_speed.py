"""Full versus incremental rendering of generated posts of 8 KB, 100 KB and 1 MB.

Run (from the repository root):

    PYTHONPATH=. .venv/bin/python benchmarks/render_speed.py [--repeats 21] [--sizes 8,100,1024]

The generated posts hold prose, lists, fenced code, quotes, headings (some repeated, so their
ids need de-duplication), reference links with their definitions, footnotes and an
abbreviation. For each size it prints: a full Python-Markdown render (ms, median), the first
incremental render (everything new), and the incremental render after typing one character
(median and p95, ms) in prose, inside a fenced code block, inside a reference definition and
inside a footnote definition, each with its ratio to a full cmark-gfm render of the same text
(cmarkgfm is a benchmark-only dependency, `pip install cmarkgfm`; without it the ratios read
n/a). "blocks" is how many blocks the last edit re-rendered with Python-Markdown (-1: a full
render). Every incremental result is checked against a full render once per size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Appended, not put first: a script that imports this module to measure another checkout's code
# (preview_speed.py's DRAFTPRESS_BENCH_CODE) has put that checkout first, and it must stay first.
sys.path.append(str(Path(__file__).resolve().parents[1]))

from editor.render.incremental import IncrementalRenderer  # noqa: E402
from editor.render.markdown_renderer import MarkdownRenderer  # noqa: E402

SECTION = """## {title}

A paragraph of prose for section {n}, with *emphasis*, **strong words**, a [reference link][ref{n}]
and "quotes" that smarty turns into curly ones. The HTML here is plain; it goes on for a while,
as blog prose does, until a footnote closes the thought.{note}

- a list item in section {n}
- another item, with `inline code`

```python
def section_{n}():
    return {n}
```

> A quoted line in section {n}.

[ref{n}]: https://example.com/{n} "Source {n}"

"""
FOOTNOTE_EVERY = 8  # sections per footnote
TITLES = ["Background", "What we tried", "Results", "Notes"]


def document(size: int) -> str:
    """Return a post of about `size` bytes."""
    parts, notes, n, length = [], [], 0, 0
    while length < size:
        note = ""
        if n % FOOTNOTE_EVERY == 0:
            note = f"[^n{n}]"
            notes.append(f"[^n{n}]: Footnote {n}, with a [reference link][ref{n}].\n\n")
        title = f"{TITLES[n % len(TITLES)]}" if n % 3 else f"Section {n}"
        parts.append(SECTION.format(n=n, note=note, title=title))
        length += len(parts[-1])
        n += 1
    return "".join(parts) + "*[HTML]: Hyper Text Markup Language\n\n" + "".join(notes)


def timings_ms(action: Callable[[], object], repeats: int) -> list[float]:
    """Return the wall times of `repeats` calls of `action()` in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def typing_ms(renderer: IncrementalRenderer, at: int, repeats: int) -> tuple[list[float], int]:
    """Type `repeats` new characters at `at` (each a fresh text); return times and blocks."""
    times, blocks = [], 0
    for index in range(repeats):
        letter = "abcdefghijklmnopqrstuvwxyz"[index % 26]
        started = time.perf_counter()
        renderer.edit(at + index, 0, letter)
        times.append((time.perf_counter() - started) * 1000)
        blocks = renderer.last_rendered_blocks
    renderer.edit(at, repeats, "")  # take the typing back out
    return times, blocks


def measure(size_kb: int, repeats: int, full: MarkdownRenderer, cmarkgfm) -> None:
    """Print one size's figures."""
    text = document(size_kb * 1024)
    full_ms = statistics.median(timings_ms(lambda: full.render_body(text), max(3, repeats // 4)))
    cmark_ms = float("nan")
    if cmarkgfm is not None:
        cmark_ms = statistics.median(
            timings_ms(lambda: cmarkgfm.github_flavored_markdown_to_html(text), repeats)
        )
    renderer = IncrementalRenderer(full)
    started = time.perf_counter()
    renderer.render(text)
    first_ms = (time.perf_counter() - started) * 1000
    middle = len(text) // 2
    places = {
        "prose": text.index("goes on for a while", middle) + len("goes on"),
        "code": text.index("    return", middle) + len("    ret"),
        "reference def": text.index('"Source', middle) + len('"Sour'),
        "footnote def": text.index(": Footnote", text.index("[^n", text.index("*[HTML]")))
        + len(": Foot"),
    }
    print(
        f"\n{size_kb} KB ({len(text):,} chars, {len(renderer.blocks):,} pieces): "
        f"full render {full_ms:.1f} ms, cmark-gfm {cmark_ms:.2f} ms, "
        f"first incremental render {first_ms:.0f} ms"
    )
    print(
        f"  {'edit in':<14} {'median ms':>10} {'p95 ms':>8} {'blocks':>7} "
        f"{'median/cmark':>13} {'p95/cmark':>10}"
    )
    for name, at in places.items():
        times, blocks = typing_ms(renderer, at, repeats)
        median = statistics.median(times)
        print(
            f"  {name:<14} {median:>10.2f} {p95(times):>8.2f} {blocks:>7} "
            f"{median / cmark_ms:>13.2f} {p95(times) / cmark_ms:>10.2f}"
        )
    if renderer.render(renderer.text) != full.render_document(renderer.text):
        print("  MISMATCH: the incremental result differs from a full render")


def main() -> int:
    """Print the figures for every size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--sizes", default="8,100,1024", help="sizes in KB, comma-separated")
    args = parser.parse_args()
    try:
        import cmarkgfm
    except ImportError:
        cmarkgfm = None
        print("note: cmarkgfm is not installed (pip install cmarkgfm): ratios read nan")
    full = MarkdownRenderer()
    print(f"Python {sys.version.split()[0]}; medians of {args.repeats} edits, each a new text")
    for size_kb in (int(size) for size in args.sizes.split(",")):
        measure(size_kb, args.repeats, full, cmarkgfm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
