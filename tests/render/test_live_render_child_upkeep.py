"""The live render child's upkeep: warmed up before the first post, its heap handed back after a
long render from scratch and not after each keystroke (editor/render/live_render_process.py)."""

from __future__ import annotations

import ast
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from editor.render import live_render_process
from editor.render.live_edits import HEAD_FIRST_CHARS, Edit, Resync, unpacked
from editor.render.live_render_process import GUARD_SETTINGS, render_guard, serve

CHECKOUT = Path(__file__).resolve().parents[2]

# A post in the dialect's everyday features, none of them in the warm-up sample's exact words.
EVERYDAY_POST = (
    "---\ntitle: A walk\n---\n# The walk\n\n[TOC]\n\n## Morning\n\nWe left *early*, with `tea`"
    " and a map.[^map]\n\n```python\nprint('hello')\n```\n\n| day | miles |\n|---|---|\n| 1 | 9 |"
    "\n\n> Not all who wander\n> are lost.\n\n1. boots\n2. socks\n\nStile\n:   A step over a wall"
    "\n\n/// caption\nThe view from the top\n///\n\n[^map]: Ordnance Survey, sheet 7.\n"
)



def fresh_interpreter(probe: str) -> object:
    """Run `probe` in a new Python from the checkout; return the value its last line prints."""
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=CHECKOUT, check=True, timeout=180)
    return ast.literal_eval(ran.stdout.strip().splitlines()[-1])

def test_the_warm_up_loads_what_a_first_post_needs_and_freezes_it() -> None:
    # A fresh interpreter, as the child is: after warm_up, rendering an everyday post imports no
    # more of the renderer's libraries (they were loaded before the first post arrived), and
    # what exists is frozen out of the collector's full passes.
    probe = (
        "import gc, sys\n"
        "from editor.render.live_render_process import warm_up\n"
        "from editor.render.incremental import IncrementalRenderer\n"
        "warm_up()\n"
        "frozen = gc.get_freeze_count()\n"
        "before = set(sys.modules)\n"
        f"IncrementalRenderer().render({EVERYDAY_POST!r})\n"
        "late = sorted(m for m in set(sys.modules) - before\n"
        "              if m.split('.')[0] in ('markdown', 'pymdownx', 'pygments', 'editor'))\n"
        "print(repr((frozen, late)))\n"
    )
    frozen, late = fresh_interpreter(probe)
    assert late == []
    assert frozen > 10_000


@pytest.fixture
def serving(monkeypatch: pytest.MonkeyPatch):
    """`serve` on a thread of this process, its heap trims counted (the real loop; no warm-up
    here, and the test process keeps its own process group)."""
    trims: list[int] = []
    monkeypatch.setattr(live_render_process, "warm_up", lambda: None)
    monkeypatch.setattr(live_render_process, "release_free_memory", lambda: trims.append(1))
    if hasattr(os, "setpgid"):
        monkeypatch.delattr(os, "setpgid")
    commands_out, commands_in = multiprocessing.Pipe(duplex=False)
    answers_out, answers_in = multiprocessing.Pipe(duplex=False)
    loop = threading.Thread(target=serve, args=(commands_out, answers_in), daemon=True)
    loop.start()
    deadlines = tuple(getattr(render_guard, name) for name in GUARD_SETTINGS)

    def send(operations: list[Edit | Resync], serial: int, given: tuple = deadlines) -> None:
        commands_in.send((1, operations, serial, given))
        while True:  # the long text's beginning comes first ("head"), then the render
            _key, kind, value = answers_out.recv()
            if kind != "head":
                break
        assert kind == "rendered", value
        assert unpacked(value).serial == serial

    def stop() -> None:
        commands_in.close()
        loop.join(timeout=60)
        assert not loop.is_alive()

    yield send, trims, stop
    commands_in.close()


def test_a_long_render_from_scratch_gives_its_heap_back_and_a_keystroke_does_not(
    serving,
) -> None:
    # The trim follows the answer: it is seen once the loop has taken the next command.
    send, trims, stop = serving
    send([Resync("A short post.\n")], 1)
    send([Edit(0, 0, "A")], 2)
    assert trims == []  # a short text: nothing worth a trim
    long_text = "A paragraph of a long post, with *emphasis*.\n\n" * (HEAD_FIRST_CHARS // 40)
    assert len(long_text) > HEAD_FIRST_CHARS
    send([Resync(long_text)], 3)
    send([Edit(0, 0, "x")], 4)  # typing in the long post
    assert trims == [1]
    send([Edit(1, 0, "y")], 5)
    stop()
    assert trims == [1]


def test_every_deadline_of_the_window_applies_in_the_child(serving, monkeypatch) -> None:
    send, _trims, _stop = serving
    for name in GUARD_SETTINGS:  # the loop sets them in this process: put them back after
        monkeypatch.setattr(render_guard, name, getattr(render_guard, name))
    sent = tuple(getattr(render_guard, name) * 3 for name in GUARD_SETTINGS)

    send([Resync("A short post.\n")], 1, sent)

    assert tuple(getattr(render_guard, name) for name in GUARD_SETTINGS) == sent
    assert "FALLBACK_GRACE_SECONDS" in GUARD_SETTINGS  # the grace after a missed deadline too


def test_a_rendered_post_keeps_one_shared_empty_of_each_kind_and_no_taken_delta() -> None:
    # Most blocks look nothing up and define nothing: their renders hold the one shared empty
    # tuple and mapping (ten new empty lists and dicts per block cost 5 MiB at 1 MB), a pickled
    # render (the render worker's way back) comes back holding the same ones, the shared
    # mapping refuses a change, and the delta of a whole render is let go once taken.
    import pickle

    from editor.render.block_markdown import EMPTY_MAPPING, BlockRender
    from editor.render.live_edits import new_renderer

    renderer = new_renderer()
    renderer.render(EVERYDAY_POST * 3)
    renders = [block.render for block in renderer._blocks]
    empties = [
        value
        for render in renders
        for value in (
            render.reference_lookups,
            render.abbreviations,
            render.footnote_lookups,
            render.reference_definitions,
            render.abbreviation_definitions,
            render.footnote_definitions,
            render.footnote_refs,
            render.heading_slugs,
            render.explicit_ids,
            render.toc_tokens,
        )
        if not value
    ]
    empty_tuple = ()  # one object in CPython, as every empty tuple
    assert len(empties) > 8 * len(renders)
    assert all(value is EMPTY_MAPPING or value is empty_tuple for value in empties)
    assert any(render.heading_slugs for render in renders)  # the full ones are kept
    sent_back: BlockRender = pickle.loads(pickle.dumps(renders[0]))
    assert sent_back.reference_definitions is empty_tuple
    assert sent_back.abbreviations is EMPTY_MAPPING
    with pytest.raises(TypeError):
        EMPTY_MAPPING["x"] = "y"  # type: ignore[index]
    assert renderer.last_delta.pieces  # the whole render, until taken
    assert renderer.take_delta().pieces
    assert renderer.last_delta.pieces == ()


def test_the_render_child_starts_without_multiprocessing_s_resource_tracker() -> None:
    # A fresh interpreter, as the app is: starting the live render child and rendering leaves
    # one child process, not a second one for multiprocessing's resource tracker (7 MiB of
    # its own, for semaphores and shared memory Draftpress never makes).
    probe = (
        "import os, queue\n"
        "from pathlib import Path\n"
        "from editor.render.live_render_process import LiveRenderProcess\n"
        "from editor.render.live_edits import Resync\n"
        "answers = queue.Queue()\n"
        "process = LiveRenderProcess()\n"
        "key = process.register(answers.put)\n"
        "process.send(key, [Resync('A *short* post.\\n')], 1)\n"
        "kind, _value = answers.get(timeout=120)\n"
        "children = []\n"
        "for entry in Path('/proc').iterdir():\n"
        "    try:\n"
        "        parent = int((entry / 'stat').read_text().rsplit(')', 1)[1].split()[1])\n"
        "        command = (entry / 'cmdline').read_bytes().replace(b'\\0', b' ').decode()\n"
        "    except (OSError, ValueError):\n"
        "        continue\n"
        "    if parent == os.getpid():\n"
        "        children.append(command)\n"
        "process.close()\n"
        "print(repr((kind, children)))\n"
    )
    kind, children = fresh_interpreter(probe)
    assert kind == "rendered"
    assert len(children) == 1 and "spawn_main" in children[0], children
    assert not any("resource_tracker" in command for command in children)
