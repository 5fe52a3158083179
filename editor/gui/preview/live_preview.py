"""The live preview pipeline: editor edits -> background render -> block patches, plus details.

Each keystroke's edit goes to the background renderer at once (no debounce); each finished
render patches the preview. The post's details (title, front matter form, word count) are read
from the rendered text off the GUI thread, after a short pause in typing: counting the words
of a 1 MB post takes longer than a keystroke. While the writer types they are read in the live
render process (`read_details`): a tenth of a second of Python on a thread of this process
would take the interpreter lock from the GUI thread, and stall it whenever the machine
preempts that thread while it holds the lock.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from editor.core.settings import Settings
from editor.gui.editing import MarkdownEditor
from editor.gui.preview.live_render import EditFeed, LiveRenderer, LiveResult
from editor.gui.preview.page_memory import PageMemory
from editor.gui.preview.preview_view import PreviewView
from editor.gui.preview.scroll_sync import ScrollSync
from editor.gui.workers import LatestOnlyRunner
from editor.render.checked_render import describe_parts
from editor.render.live_render_process import LiveRenderProcess, RenderProcessGone
from editor.render.preview_render import PostDetails, post_details

log = logging.getLogger(__name__)


def read_details(process: LiveRenderProcess, asked: tuple[str, bool]) -> PostDetails:
    """Read a text's details (on a worker thread): in the render process while the writer
    types (`asked` is (text, typing)), here for a new text or when that process cannot."""
    text, typing = asked
    if typing:
        try:
            return process.post_details(text)
        except (RenderProcessGone, TimeoutError) as error:
            log.info("post details read here: the render process did not (%s)", error)
    return post_details(text)


class LivePreview(QObject):
    """Connects the editor to the preview: rendering, patching, scroll sync and details."""

    details_ready = Signal(object)  # PostDetails
    failed = Signal(str)  # a message for the writer
    notice = Signal(str)  # a passing status message

    def __init__(
        self,
        editor: MarkdownEditor,
        preview: PreviewView,
        folder_of: Callable[[], Path | None],
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.preview = preview
        self._folder_of = folder_of
        self.renderer = LiveRenderer(self)
        self.feed = EditFeed(editor.document(), self.renderer)
        self.scroll_sync = ScrollSync(editor, preview, settings.preview_follows_cursor)
        self.details = LatestOnlyRunner(
            functools.partial(read_details, self.renderer.process),
            settings.preview_debounce_ms,
            self,
        )
        self._details_now = True  # the next render's details are wanted at once (a new text)
        self.details_number = 0  # which details request the details being shown answer
        self.text_details_number = 0  # the request for the last whole text given (an open)
        self.last_result: LiveResult | None = None
        self._head_shown = False
        self.page_memory = PageMemory(preview, self)  # the page's garbage collected in pauses
        self.renderer.rendered.connect(self._rendered)
        self.renderer.head_rendered.connect(self._head_rendered)
        self.renderer.failed.connect(self._render_failed)
        self.renderer.restarted.connect(self._render_process_lost)
        self.details.finished.connect(self._show_details)
        self.details.failed.connect(lambda error, _serial: log.warning("details: %s", error))
        self._sent_while_loading: tuple[str, int] | None = None  # (text, its render's serial)
        editor.loading_started.connect(self.feed.suspend)
        editor.slices_loading.connect(self._render_while_loading)
        editor.loading_finished.connect(self.show_whole_text)

    def _render_while_loading(self, text: str) -> None:
        """Send a long text to the renderer as its slices start going into the editor: its
        render overlaps the load (the first screen shows sooner); the feed waits for the end."""
        self._sent_while_loading = (text, self.feed.resync(text))
        self.feed.suspend()

    def show_whole_text(self, text: str | None = None) -> int:
        """Render the whole text afresh (on open, or at start); return the render's serial."""
        if text is None:
            self._details_now = True
        else:  # known already: the form and title need not wait for a long render
            self.text_details_number = self.details.submit((text, False), immediately=True)
        sent, self._sent_while_loading = self._sent_while_loading, None
        if (
            text is not None
            and sent is not None
            and sent[0] == text
            and not self.renderer.needs_resync  # the render process was lost meanwhile
        ):
            self.feed.resume()  # the renderer has this text already: not sent twice
            return sent[1]
        return self.feed.resync(text)

    def _rendered(self, result: LiveResult) -> None:
        """Patch the preview with a finished render and queue a details refresh."""
        had_slow_parts = self.last_result is not None and self.last_result.too_slow
        self.last_result = result
        if result.too_slow:
            self._head_shown = False
            self.notice.emit(f"Preview: {describe_parts(list(result.too_slow))}")
        elif self._head_shown or had_slow_parts:
            self._head_shown = False
            self.notice.emit("")  # the whole post is in the preview now
        self.preview.show_blocks(self._folder_of(), result.blocks, result.serial, result.delta)
        if result.text != self.renderer.edited.text:
            return  # a newer text is on its way (an open): its details, not this text's
        self.details.submit((result.text, not self._details_now), immediately=self._details_now)
        self._details_now = False

    def _head_rendered(self, head: LiveResult) -> None:
        """Show the first screens of a long post while the rest renders (unless it is done)."""
        if self.last_result is not None and self.last_result.serial >= head.serial:
            return
        self.preview.show_blocks(self._folder_of(), head.blocks, 0)
        self._head_shown = True
        self.notice.emit("Preview: showing the beginning while the rest of this long post renders…")

    def _show_details(self, details: PostDetails, number: int) -> None:
        """Show the title in the preview and hand the details to the window."""
        self.details_number = number
        self.preview.set_title(details.title)
        self.details_ready.emit(details)

    def _render_failed(self, error: Exception) -> None:
        """Say that the preview could not be rendered (the text is untouched)."""
        self.failed.emit(f"The preview could not be rendered: {error}")

    def _render_process_lost(self) -> None:
        """Render the whole text again in a new render process (unless a load will)."""
        if not self.feed.suspended:
            self.feed.resync()

    def wait_idle(self) -> None:
        """Let running background work finish (for shutdown)."""
        self.renderer.wait_idle()
        self.details.wait_idle()
