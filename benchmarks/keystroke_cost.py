"""Per-keystroke cost of the live preview's render step, against an older checkout side by side.

Run (from the repository root):

    .venv/bin/python benchmarks/keystroke_cost.py [--baseline /work/main] [--repeats 41]
        [--sizes 8,100,1024] [--curve 8,32,128,512,1024,2048,4096]

For each size it times what the render thread and the GUI do for one typed character: the
renderer's edit, preparing the patch (this code: `take_delta` and the preview's placeholder
step; older code: the whole piece list, the placeholder pass over it and the diff of the full
piece lists the view made), the bookkeeping the view does (applying the delta to its lists),
and prints medians in ms. With `--baseline ROOT` the same measurement runs in a child process
importing the code at ROOT (e.g. a main checkout), and the ratio old/new is printed. The curve
gives the median cost against the post's size (8 KB to 4 MB) for an edit in prose, in a
reference definition's title (the blocks citing it are rendered again) and after its title
(spaces: no change to the definition), with the baseline's beside it. The posts are
benchmarks/render_speed.py's generated posts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def _places(text: str) -> dict[str, int]:
    """Where the prose and reference-definition edits go (the middle of the post).

    "reference def" types letters into a definition's title (a change to the definition: the
    paragraph citing it is rendered again); "def spaces" types spaces after the title (no
    change to the definition as Python-Markdown parses it).
    """
    middle = len(text) // 2
    title = text.index('"Source', middle)
    return {
        "prose": text.index("goes on for a while", middle) + len("goes on"),
        "reference def": title + len('"Sour'),
        "def spaces": text.index('"', title + 1) + 1,
    }


PLACES = ["prose", "reference def", "def spaces"]


def _keystroke_ms(root: str, size_kb: int, repeats: int, places: list[str]) -> dict[str, Any]:
    """Time `repeats` keystrokes at each place of a generated post, with the code at `root`."""
    sys.path.insert(0, root)
    import editor
    from editor.render.incremental import IncrementalRenderer

    # render_speed puts this checkout first on the path: the code measured is imported before
    if not Path(editor.__file__).resolve().is_relative_to(Path(root).resolve()):
        raise RuntimeError(f"measuring {editor.__file__}, not the code at {root}")
    sys.path.insert(1, str(HERE.parent))
    from render_speed import document

    text = document(size_kb * 1024)
    renderer = IncrementalRenderer()
    started = time.perf_counter()
    renderer.render(text)
    result: dict[str, Any] = {
        "chars": len(text),
        "first_ms": (time.perf_counter() - started) * 1000,
    }
    new_api = hasattr(renderer, "take_delta")
    if new_api:
        from editor.render.piece_delta import apply_delta
        from editor.render.preview_render import preview_delta

        pieces = renderer.blocks
        htmls, lines = [p.html for p in pieces], [p.line for p in pieces]
        renderer.take_delta()
    else:
        from editor.gui.preview.preview_patch import diff_blocks
        from editor.render.preview_render import PreviewPieces

        placeholders = PreviewPieces()
        shown = [p.html for p in placeholders.apply(renderer.text, renderer.blocks)]
        applier_text = renderer.text  # the old applier kept its own copy of the text
    result["pieces"] = len(renderer.blocks)
    for name in places:
        at = _places(renderer.text)[name]
        render_ms, view_ms = [], []
        for index in range(repeats):
            letter = " " if name == "def spaces" else "abcdefghijklmnopqrstuvwxyz"[index % 26]
            position = at + index
            started = time.perf_counter()
            if new_api:
                renderer.edit(position, 0, letter)
                delta = preview_delta(renderer.take_delta())
                renderer.too_slow  # noqa: B018 (the applier asks it each time)
                middle = time.perf_counter()
                apply_delta(htmls, lines, delta)
            else:
                applier_text = applier_text[:position] + letter + applier_text[position:]
                renderer.edit(position, 0, letter)
                blocks = placeholders.apply(applier_text, renderer.blocks)
                tuple(renderer.too_slow)
                middle = time.perf_counter()
                new = [block.html for block in blocks]
                diff_blocks(shown, new)
                shown = new
            ended = time.perf_counter()
            render_ms.append((middle - started) * 1000)
            view_ms.append((ended - middle) * 1000)
        renderer.edit(at, repeats, "")
        if new_api:
            apply_delta(htmls, lines, renderer.take_delta())
        else:
            applier_text = renderer.text
            shown = [p.html for p in placeholders.apply(renderer.text, renderer.blocks)]
        result[name] = {
            "render_ms": statistics.median(render_ms),
            "view_ms": statistics.median(view_ms),
        }
    return result


def _measure(root: str, size_kb: int, repeats: int, places: list[str]) -> dict[str, Any]:
    """Measure in a child process (a fresh interpreter importing the code at `root`)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "sys.path.insert(0, sys.argv[2]); import keystroke_cost as k; "
        "print(json.dumps(k._keystroke_ms(sys.argv[1], int(sys.argv[3]), int(sys.argv[4]), "
        "sys.argv[5].split(','))))"
    )
    output = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            root,
            str(HERE.parent),
            str(size_kb),
            str(repeats),
            ",".join(places),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=root,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    """Print the medians, the ratios against the baseline, and the size curve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a checkout of older code to compare with")
    parser.add_argument("--repeats", type=int, default=41)
    parser.add_argument("--sizes", default="8,100,1024")
    parser.add_argument("--curve", default="8,32,128,512,1024,2048,4096")
    args = parser.parse_args()
    root = str(HERE.parents[1])
    places = PLACES
    print("per keystroke (median ms): render thread = edit + patch preparation; view = GUI lists")
    header = f"{'size':>8} {'pieces':>7} {'edit in':<14} {'render':>8} {'view':>7}"
    if args.baseline:
        header += f" {'old render':>11} {'old view':>9} {'old/new':>8}"
    print(header)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        new = _measure(root, size, args.repeats, places)
        old = _measure(args.baseline, size, args.repeats, places) if args.baseline else None
        for name in places:
            row = new[name]
            line = (
                f"{size:>6}KB {new['pieces']:>7} {name:<14} {row['render_ms']:>8.2f} "
                f"{row['view_ms']:>7.2f}"
            )
            if old is not None:
                before = old[name]
                total_new = row["render_ms"] + row["view_ms"]
                total_old = before["render_ms"] + before["view_ms"]
                line += (
                    f" {before['render_ms']:>11.2f} {before['view_ms']:>9.2f} "
                    f"{total_old / total_new:>8.1f}"
                )
            print(line, flush=True)
    curve = [int(s) for s in args.curve.split(",") if s]
    if curve:
        print("\ncost against size (median ms, render thread + view)", end="")
        print(", (baseline in brackets)" if args.baseline else ", this code")
        print(f"{'size':>8} {'prose':>16} {'ref def title':>16} {'ref def spaces':>16}")
        for size in curve:
            repeats = max(11, args.repeats // 2)
            new = _measure(root, size, repeats, places)
            old = _measure(args.baseline, size, repeats, places) if args.baseline else None
            cells = []
            for name in places:
                cell = f"{new[name]['render_ms'] + new[name]['view_ms']:.2f}"
                if old is not None:
                    cell += f" ({old[name]['render_ms'] + old[name]['view_ms']:.2f})"
                cells.append(f"{cell:>16}")
            print(f"{size:>6}KB {' '.join(cells)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
