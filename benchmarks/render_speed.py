"""Full versus incremental rendering of generated posts of 8 KB, 100 KB and 1 MB.

Run: .venv/bin/python benchmarks/render_speed.py [--repeats 15]
Prints, for each size: a full Python-Markdown render (ms, median), an incremental render after a
one-character edit in prose and inside a code block (ms, median), and each figure as a ratio to a
full cmark-gfm render of the same text (cmarkgfm is only a benchmark dependency:
`pip install cmarkgfm`). Documents with document-wide constructs (footnotes, reference links)
fall back to a full render in IncrementalRenderer; the last column shows that case.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from editor.render.incremental import IncrementalRenderer  # noqa: E402
from editor.render.markdown_renderer import MarkdownRenderer  # noqa: E402

SECTION = """## Section {n}

A paragraph of prose for section {n}, with *emphasis*, **strong words**, a [link](https://example.com/{n})
and "quotes" that smarty turns into curly ones. It goes on for a while, as blog prose does.

- a list item in section {n}
- another item

```python
def section_{n}():
    return {n}
```

> A quoted line in section {n}.

"""


def document(size: int) -> str:
    """Return a post of about `size` bytes."""
    parts, n = [], 0
    while sum(map(len, parts)) < size:
        parts.append(SECTION.format(n=n))
        n += 1
    return "".join(parts)


def median_ms(action, repeats: int) -> float:
    """Return the median wall time of `action()` in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(size: int, repeats: int, full: MarkdownRenderer, cmarkgfm) -> tuple[float, ...]:
    """Return full, prose-edit, code-edit, cmark and footnote-document timings in ms."""
    text = document(size)
    full_ms = median_ms(lambda: full.render_body(text), max(3, repeats // 3))
    incremental = IncrementalRenderer(full)
    incremental.render(text)

    def type_char(position: int) -> None:
        incremental.edit(position, 0, "x")
        incremental.edit(position, 1, "")

    prose_at = text.index("as blog prose does", len(text) // 2)
    code_at = text.index("return", len(text) // 2)
    prose_ms = median_ms(lambda: type_char(prose_at), repeats) / 2
    code_ms = median_ms(lambda: type_char(code_at), repeats) / 2
    cmark_ms = float("nan")
    if cmarkgfm is not None:
        cmark_ms = median_ms(lambda: cmarkgfm.github_flavored_markdown_to_html(text), repeats)
    with_note = IncrementalRenderer(full)
    noted = text + "\nA note[^1].\n\n[^1]: The note.\n"
    with_note.render(noted)
    note_ms = median_ms(lambda: with_note.edit(len(noted) // 2, 0, "x"), 3)
    return full_ms, prose_ms, code_ms, cmark_ms, note_ms


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    try:
        import cmarkgfm
    except ImportError:
        cmarkgfm = None
    full = MarkdownRenderer()
    print(
        f"{'size':>8} {'full ms':>9} {'edit prose':>11} {'edit code':>10} "
        f"{'cmark ms':>9} {'prose/cmark':>12} {'with footnote':>14}"
    )
    for size in (8 * 1024, 100 * 1024, 1024 * 1024):
        repeats = max(3, args.repeats if size < 500_000 else args.repeats // 3)
        full_ms, prose_ms, code_ms, cmark_ms, note_ms = measure(size, repeats, full, cmarkgfm)
        print(
            f"{size // 1024:>6}KB {full_ms:>9.1f} {prose_ms:>11.2f} {code_ms:>10.2f} "
            f"{cmark_ms:>9.2f} {prose_ms / cmark_ms:>12.2f} {note_ms:>14.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
