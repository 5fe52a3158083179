"""Large posts: the window stays responsive while they open, huge pages load from a file."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor

from editor.gui.editing.editor_pane import BULK_LOAD_CHARS, MarkdownEditor
from editor.gui.editing.markdown_highlighter import (
    PAINTED,
    STATE_CODE_BACKTICK,
    STATE_CODE_TILDE,
    STATE_NORMAL,
    WINDOW_MARGIN_BLOCKS,
    MarkdownHighlighter,
    state_kind,
)
from editor.gui.main_window import MainWindow
from editor.gui.preview.live_render import HEAD_FIRST_CHARS
from editor.gui.preview.preview_patch import is_long_post
from editor.gui.preview.preview_view import LARGE_PATCH_CHARS, PreviewView
from editor.render.incremental import RenderedBlock
from tests.gui.helpers import open_and_wait, preview_html, run_js, shown_editor

LONGEST_STALL_S = 1.0  # the longest the event loop may stop while a 1 MB post opens


def paragraph_blocks(count: int, words: int = 40) -> list[RenderedBlock]:
    """Return `count` rendered paragraphs, one piece each, as the renderer would give them."""
    filler = " ".join(["word"] * words)
    return [
        RenderedBlock(2 * n, f"<p>Paragraph {n} {filler}</p>" + ("\n" if n < count - 1 else ""))
        for n in range(count)
    ]


def test_a_page_over_2_mb_loads_from_a_file_and_is_patched_after(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    blocks = paragraph_blocks(12_000)
    assert sum(len(block.html) for block in blocks) > max(2_000_000, LARGE_PATCH_CHARS)
    with qtbot.waitSignal(preview.body_applied, timeout=30000) as applied:
        preview.show_blocks(tmp_path, blocks, 1)
    assert applied.args == [1]
    assert preview.file_loads == 1
    html = preview_html(qtbot, preview)
    assert html == "".join(block.html for block in blocks)
    assert html.endswith("<p>Paragraph 11999 " + " ".join(["word"] * 40) + "</p>")
    assert run_js(qtbot, preview, "window.__dp.blocks.length") == len(blocks)
    # A small edit afterwards is a patch of one piece, not another file load.
    run_js(qtbot, preview, "document.querySelector('#content p').dpMark = 3; true")
    blocks[6000] = RenderedBlock(12000, "<p>Changed in the middle.</p>\n")
    with qtbot.waitSignal(preview.body_applied, timeout=10000):
        preview.show_blocks(tmp_path, blocks, 2)
    assert preview.file_loads == 1
    assert "<p>Changed in the middle.</p>" in preview_html(qtbot, preview)
    assert run_js(qtbot, preview, "document.querySelector('#content p').dpMark") == 3
    assert run_js(qtbot, preview, LONG_CLASS) is True  # 2.6 MB of HTML: laid out lazily


LONG_CLASS = "document.getElementById('content').classList.contains('dp-long')"
LAYOUT = "getComputedStyle(document.querySelector('#content p')).contentVisibility"


def test_only_long_posts_are_laid_out_lazily(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    paragraph = "<p>" + "word " * 2000 + "</p>\n"
    piece = paragraph * (LARGE_PATCH_CHARS // len(paragraph) - 1)
    pieces = [RenderedBlock(n, piece) for n in range(3)]
    assert is_long_post([block.html for block in pieces])
    with qtbot.waitSignal(preview.body_applied, timeout=60000):
        preview.show_blocks(tmp_path, pieces, 1)
    assert preview.file_loads == 1
    assert run_js(qtbot, preview, LONG_CLASS) is True
    assert run_js(qtbot, preview, LAYOUT) == "auto"
    # An edit that makes the post short patches the page back to full layout.
    shorter = [RenderedBlock(0, "<p>The start.</p>"), RenderedBlock(2, "<p>The end.</p>")]
    assert not is_long_post([block.html for block in shorter])
    with qtbot.waitSignal(preview.body_applied, timeout=60000):
        preview.show_blocks(tmp_path, shorter, 2)
    assert preview.file_loads == 1
    assert run_js(qtbot, preview, LONG_CLASS) is False
    assert run_js(qtbot, preview, LAYOUT) == "visible"


def test_a_file_loaded_page_still_refuses_files_outside_the_post_folder(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    post_folder = tmp_path / "post"
    post_folder.mkdir()
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"not really an image")
    blocks = paragraph_blocks(12_000)
    blocks.append(RenderedBlock(24_000, f'\n<p><img src="{outside.as_uri()}"></p>'))
    with qtbot.waitSignal(preview.body_applied, timeout=30000):
        preview.show_blocks(post_folder, blocks, 1)
    assert preview.file_loads == 1
    qtbot.waitUntil(lambda: run_js(qtbot, preview, "document.images[0].complete") is True)
    assert run_js(qtbot, preview, "document.images[0].naturalWidth") == 0


def write_large_post(folder: Path, size: int) -> Path:
    """Write a post of about `size` characters: a heading, then numbered paragraphs."""
    paragraphs, total, n = [], 0, 0
    while total < size:
        paragraph = f"Paragraph {n} of a long draft, with *some* words to render.\n\n"
        paragraphs.append(paragraph)
        total += len(paragraph)
        n += 1
    path = folder / "long-draft.md"
    path.write_text("---\ntitle: A long draft\n---\n# Long\n\n" + "".join(paragraphs))
    return path


def test_opening_a_1_mb_post_keeps_the_window_responsive(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    path = write_large_post(library_root, 1_000_000)
    text = path.read_text()
    assert len(text) > BULK_LOAD_CHARS
    ticks: list[float] = []  # when each heartbeat of a 5 ms timer came (the event loop ran)
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    marks: dict[str, int] = {}
    window.editor.loading_started.connect(lambda: marks.setdefault("started", len(ticks)))
    open_and_wait(qtbot, window, path)
    marks["opened"] = len(ticks)
    assert window.editor.toPlainText() == text
    last = text.rstrip().rsplit("\n", 1)[-1].replace("*some*", "<em>some</em>")
    qtbot.waitUntil(lambda: last in preview_html(qtbot, window.preview), timeout=120000)
    heartbeat.stop()
    # The text went in slice by slice with the event loop running in between...
    assert marks["opened"] - marks["started"] >= 3
    # ...and the event loop never stopped for long, from the first slice to the full preview
    # (one blocking insert of the whole text takes seconds; the bound is generous for a
    # loaded test machine).
    loading = ticks[marks["started"]:]
    longest = max(b - a for a, b in itertools.pairwise(loading))
    assert longest < LONGEST_STALL_S, f"the window froze for {longest:.2f} s"
    # ...and the editor could be used before the preview was filled (rendering is elsewhere).
    assert window.editor.document().isUndoRedoEnabled()
    assert not window.editor.isReadOnly()
    assert not window.isWindowModified()


@pytest.fixture
def editor(qtbot) -> MarkdownEditor:
    """A bare editor pane (no window, no preview), shown offscreen."""
    return shown_editor(qtbot)


def test_a_bulk_loaded_post_gets_its_states_in_the_background_and_colours_near_the_screen(
    qtbot, editor: MarkdownEditor
) -> None:
    # Every line gets its state (the fence's carried through, for the spelling and the next
    # edit), but Qt's highlighting, which gives each line it touches a layout and formats
    # (17 MiB for a 1 MB post), colours only the lines on or near the screen; the end of the
    # post is coloured when the writer gets there, and an edit far away keeps the states right.
    text = "```\ncode\n```\n\n" + "A paragraph with **strong** words.\n\n" * 20_000
    assert len(text) > BULK_LOAD_CHARS
    highlighter: MarkdownHighlighter = editor.highlighter
    with qtbot.waitSignal(editor.loading_finished, timeout=30000):
        editor.load_text(text)
    qtbot.waitUntil(lambda: highlighter.lazy_limit is None, timeout=60000)
    document = editor.document()
    states = [document.findBlockByNumber(n).userState() for n in range(document.blockCount())]
    assert -1 not in states
    assert state_kind(states[1]) == STATE_CODE_BACKTICK and state_kind(states[3]) == STATE_NORMAL
    painted = [number for number, state in enumerate(states) if state & PAINTED]
    shown = editor.viewport().height() // editor.fontMetrics().lineSpacing() + 1
    assert painted and max(painted) <= shown + WINDOW_MARGIN_BLOCKS
    last = document.lastBlock()
    while not last.text():
        last = last.previous()
    assert not last.layout().formats()  # far from the screen: not coloured
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: bool(last.userState() & PAINTED))  # as the screen is painted
    assert last.layout().formats()
    # A fence opened near the top, far from the screen: the lines after it are code now,
    # the ones on screen coloured as code.
    cursor = QTextCursor(document.findBlockByNumber(10))
    cursor.insertText("~~~\n")
    assert state_kind(last.userState()) == STATE_CODE_TILDE
    ranges = last.layout().formats()
    code = highlighter.format_for("code_block")
    assert len(ranges) == 1 and ranges[0].format.foreground() == code.foreground()


def test_a_file_loaded_page_shows_the_title_given_while_it_loaded(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    with qtbot.waitSignal(preview.body_applied, timeout=30000):
        preview.show_blocks(tmp_path, paragraph_blocks(3), 1)  # the page is up
    with qtbot.waitSignal(preview.body_applied, timeout=30000):
        preview.show_blocks(tmp_path, paragraph_blocks(12_000), 2)  # its file is written...
        preview.set_title("Named while loading")  # ...before the title is known
    title = "document.getElementById('dp-title').textContent"
    qtbot.waitUntil(lambda: run_js(qtbot, preview, title) == "Named while loading")


def test_the_end_of_a_bulk_loaded_post_is_highlighted_when_shown(
    qtbot, editor: MarkdownEditor
) -> None:
    text = "A paragraph with **strong** words.\n\n" * 40_000
    with qtbot.waitSignal(editor.loading_finished, timeout=30000):
        editor.load_text(text)
    highlighter = editor.highlighter
    assert highlighter.lazy_limit is not None  # the background pass is far from the end
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = editor.document().lastBlock()
    while not last.text():
        last = last.previous()
    assert highlighter.lazy_limit is not None and last.blockNumber() > highlighter.lazy_limit
    qtbot.waitUntil(lambda: last.userState() != -1)  # as the screen is painted
    assert last.layout().formats(), "the paragraph on screen was left plain"


def test_a_long_post_shows_its_beginning_before_the_whole_is_rendered(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    path = write_large_post(library_root, 200_000)
    text = path.read_text()
    assert len(text) > HEAD_FIRST_CHARS
    shown: list[tuple[int, bool]] = []  # (serial, was the end of the post in the preview)
    window.preview.body_applied.connect(
        lambda serial: shown.append((serial, window.preview.block_lines[-1] > 1000))
    )
    open_and_wait(qtbot, window, path)
    last = text.rstrip().rsplit("\n", 1)[-1].replace("*some*", "<em>some</em>")
    qtbot.waitUntil(lambda: last in preview_html(qtbot, window.preview), timeout=60000)
    # First the beginning alone (serial 0, its pieces end early in the text), then everything.
    head = shown.index((0, False))
    assert not any(whole for _serial, whole in shown[:head])
    assert shown[-1][0] > 0 and shown[-1][1] and len(shown) > head + 1
    assert preview_html(qtbot, window.preview) == "".join(
        block.html for block in window.live.last_result.blocks
    )


def test_a_long_post_is_sent_to_the_renderer_once_as_its_load_begins(
    qtbot, window: MainWindow, library_root: Path
) -> None:
    path = write_large_post(library_root, 400_000)
    text = path.read_text()
    assert len(text) > BULK_LOAD_CHARS
    feed = window.live.feed
    resyncs = feed.resyncs
    sent: list[int] = []  # whole texts sent so far, as each slice goes into the editor
    window.editor.document().contentsChange.connect(lambda *_change: sent.append(feed.resyncs))
    open_and_wait(qtbot, window, path)
    slices = list(sent)
    last = text.rstrip().rsplit("\n", 1)[-1].replace("*some*", "<em>some</em>")
    qtbot.waitUntil(lambda: last in preview_html(qtbot, window.preview), timeout=60000)
    # The render began with the load (it overlaps the slices going in), and the text was not
    # sent a second time when the load ended.
    assert len(slices) >= 3 and slices[-1] == resyncs + 1
    assert feed.resyncs == resyncs + 1
    assert not feed.suspended
    assert window.live.last_result.text == text
    # Typing afterwards is an edit of that render, not another whole text.
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("\nTyped at the end.\n")
    qtbot.waitUntil(
        lambda: "Typed at the end." in preview_html(qtbot, window.preview), timeout=30000
    )
    assert feed.resyncs == resyncs + 1
    assert window.live.last_result.text == window.editor.toPlainText()


# A blog's empty page as the look's builder writes it (blog_look_page.py marks its elements).
LOOK_SHELL = (
    '<!DOCTYPE html><html data-dp-blog-look=""><head><title></title></head><body>'
    '<h1 data-dp-title=""></h1><div class="entry-content" data-dp-content=""></div></body></html>'
)


def test_a_look_chosen_while_a_file_page_is_taken_in_waits_for_its_own_page(
    qtbot, preview: PreviewView, tmp_path: Path, monkeypatch
) -> None:
    # The writer chooses a blog's look between a file-loaded page's load and the page's answer
    # to taking its pieces in: that late answer must not mark the look's page, still loading,
    # ready (it was, and the look's own page then came while the shell loaded: found flaky).
    monkeypatch.setattr("editor.gui.preview.preview_view.LARGE_PATCH_CHARS", 40_000)
    blocks = paragraph_blocks(1_000)  # about 250 KB of HTML: loaded from a file
    states: list[tuple[bool, bool]] = []
    adopted = preview._adopted

    def look_chosen_first(*args) -> None:
        if not states:  # the first page's answer: the look is chosen just before it
            preview.set_page_style(lambda _title: LOOK_SHELL, lambda html: html)
        adopted(*args)
        states.append((preview._loaded, preview._busy))

    monkeypatch.setattr(preview, "_adopted", look_chosen_first)
    preview.show_blocks(tmp_path, blocks, 1)
    qtbot.waitUntil(lambda: bool(states), timeout=30000)

    assert states[0] == (False, True)  # the look's page is still to come
    qtbot.waitUntil(lambda: preview.in_blog_look and preview.shown_serial == 1, timeout=30000)
    inside = "document.querySelectorAll('[data-dp-content] > p').length"
    qtbot.waitUntil(lambda: run_js(qtbot, preview, inside) == len(blocks), timeout=30000)
    loads = preview.file_loads
    blocks[500] = RenderedBlock(1000, "<p>Changed in the middle.</p>\n")
    with qtbot.waitSignal(preview.body_applied, timeout=10000):
        preview.show_blocks(tmp_path, blocks, 2)
    assert preview.file_loads == loads  # one piece by script, not the whole page again


def test_a_look_chosen_while_the_first_page_loads_gets_the_pieces(
    qtbot, preview: PreviewView, tmp_path: Path
) -> None:
    # The fixture's view built its page: Draftpress's empty page is loading. The writer then
    # chooses a look whose page takes a while to write (a slow disk: the shell is built in
    # the background). The empty page finishing meanwhile must not be taken for the look's:
    # it was, the pieces went into it, and the look's page then came up empty (found by review).
    def slow_shell(_title: str) -> str:
        time.sleep(0.5)  # a stand-in for a slow disk, on the writing thread
        return LOOK_SHELL

    blocks = paragraph_blocks(3)
    preview.show_blocks(tmp_path, blocks, 1)
    preview.set_page_style(slow_shell, lambda html: html)

    inside = "document.querySelectorAll('[data-dp-content] > p').length"
    qtbot.waitUntil(lambda: preview.shown_serial == 1, timeout=30000)
    assert preview.in_blog_look
    assert run_js(qtbot, preview, inside) == len(blocks)


def test_lines_shown_before_the_background_pass_reaches_them_keep_their_colours(
    qtbot, editor: MarkdownEditor
) -> None:
    # Shown right after loading, a caption block near the end is coloured with the state the
    # line above had then; when the pass gets there with the right states, the lines it
    # colours again must not leave the next painted line without its colours (found by
    # review: the closing `///` was marked painted with no formats).
    para = "A paragraph with **strong** words.\n\n"
    text = para * 15000 + "/// caption\n" + "caption *text*\n" * 5 + "///\n\n" + para * 300
    highlighter = editor.highlighter
    with qtbot.waitSignal(editor.loading_finished, timeout=30000):
        editor.load_text(text)
    document = editor.document()
    opener = text[: text.index("/// caption")].count("\n")
    editor.verticalScrollBar().setValue(opener + 2)  # the screen starts inside the block
    qtbot.waitUntil(lambda: highlighter.lazy_limit is None, timeout=60000)
    closing = document.findBlockByNumber(opener + 6)
    assert closing.text() == "///"
    qtbot.waitUntil(lambda: bool(closing.userState() & PAINTED))  # as the screen is painted
    ranges = closing.layout().formats()
    fence = highlighter.format_for("caption_fence")
    assert len(ranges) == 1 and ranges[0].format.foreground() == fence.foreground()
    for number in range(opener + 2, opener + 8):  # every line on screen coloured and marked
        block = document.findBlockByNumber(number)
        assert not block.text() or (block.userState() & PAINTED and block.layout().formats())


def test_lines_on_screen_between_folded_islands_are_coloured(
    qtbot, editor: MarkdownEditor
) -> None:
    # Folded raw islands hide many lines behind one: the lines on screen are found by walking
    # the shown ones, not guessed from the screen's height (found by review: 4 of 12).
    island = "<!-- wp:html -->\n" + "<div>row</div>\n" * 30 + "<!-- /wp:html -->\n\n"
    unit = island + "Some *markdown*.\n\n"
    with qtbot.waitSignal(editor.loading_finished, timeout=30000):
        editor.load_text(unit * 6000)
    qtbot.waitUntil(lambda: editor.highlighter.lazy_limit is None, timeout=60000)
    assert editor.folds.any_folded
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)

    def markdown_shown() -> list:
        return [b for b in editor.spelling.shown_blocks() if "markdown" in b.text()]

    assert len(markdown_shown()) > 5
    qtbot.waitUntil(lambda: all(b.userState() & PAINTED for b in markdown_shown()))
    assert all(b.layout().formats() for b in markdown_shown())
