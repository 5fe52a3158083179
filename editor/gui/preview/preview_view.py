"""The live preview: a locked-down QWebEngineView patched in place as the writer types."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QUrl, Signal
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWebEngineCore import QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView

from editor.gui.preview.blog_look_pages import BlogLookPages
from editor.gui.preview.preview_files import PageFolder, remove_orphaned_page_folders
from editor.gui.preview.preview_page import (
    APPLICATION_WORLD,
    PreviewPage,
    RequestGuard,
    preview_profile,
)
from editor.gui.preview.preview_patch import (
    PREVIEW_LIBRARY,
    BlockPatch,
    diff_blocks,
    inert_html,
    is_long_body,
    page_with_blocks,
    patch_script,
    title_script,
)
from editor.gui.workers import run_in_background
from editor.render.page import build_page
from editor.render.piece_delta import RenderDelta, RenderedBlock, apply_delta

log = logging.getLogger(__name__)

# setHtml refuses pages over 2 MB; larger changes load the whole page from a private file.
LARGE_PATCH_CHARS = 1_500_000


class PreviewView(BlogLookPages, QWebEngineView):
    """Shows a rendered post, patched piece by piece in place (keeping the scroll position).

    `show_blocks` takes a render as pieces (RenderedBlock), or as the renderer's delta from the
    previous render, and sends only the range of pieces that changed since what the page holds
    (deltas that arrive while the page is busy fold into one range); a change too large for a
    script call loads the whole page from a private temporary file instead. `block_lines` holds
    the source line of each piece, for scroll sync; the scroll methods speak in piece indexes.
    """

    body_applied = Signal(int)  # the serial of the render now shown
    scrolled_by_reader = Signal(int, float)  # piece at the top and how far into it (0..1)
    remote_images_blocked = Signal()  # the post has remote images the preview did not load
    page_built = Signal()  # the web page exists (see build_page)
    page_loaded = Signal(bool)  # a page (the shell, a file) finished loading, our script is in
    link_refused = Signal(str)  # a clicked link was not opened: why, in the writer's words
    paper_changed = Signal()  # the colour shown before the page paints (see set_paper)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Given to the page when it is built, then its child: Qt deletes it after the page, on
        # this thread. Owned by Python, it was freed by the cycle collector on whichever thread
        # ran it (issue 15: 8).
        self._guard = RequestGuard(self)
        self._guard.remote_image_blocked.connect(self.remote_images_blocked)
        self._page: PreviewPage | None = None  # built by build_page, not here (see there)
        self.paper: QColor | None = None  # the page's background before it paints
        self._base_folder: Path | None = None
        self._replace_all = False  # the next render replaces every piece (a new folder)
        self._title = ""
        # A blog's look (PreviewStyle): the whole empty page for a title, and each piece in the
        # blog's own markup; None: Draftpress's page. Its generation tells stale work apart.
        self._look_shell: Callable[[str], str] | None = None
        self._piece_style: Callable[[str], str] | None = None
        self._style_generation = 0
        self._look_files: frozenset[Path] = frozenset()  # local files the look's page links
        self._writer_zoom = 1.0  # the writer's zoom, applied in Draftpress's style only
        self._loaded = False  # the page and our script are ready for patches
        self._busy = False  # a page (shell or file) is being written or loaded
        self._queued: int | None = None  # the serial of the newest render not sent yet
        self._shown: list[str] = []  # the HTML of each piece of the newest render
        self._shown_chars = 0  # their total length, kept as deltas arrive (not summed per key)
        self.block_lines: list[int] = []  # the source line of each of those pieces
        # What the page holds: its piece count, and how many pieces at its start and end are
        # still those of the newest render (the rest is sent by the next patch).
        self._page_count = 0
        self._same_prefix = 0
        self._same_suffix = 0
        self._adopting: tuple[str, int, int] | None = None  # marker, pieces, serial
        # Counts the pages asked for: an answer from the page that was there before (its
        # adoption of a file's pieces) must not mark a newer page, still loading, as ready.
        self._page_loads = 0
        # The local file (or, for the empty page, folder) of the page asked for last: a page
        # asked for before it that finishes loading meanwhile is not taken for it.
        self._awaited: Path | None = None
        self._scroll_y = 0.0
        self._asking_top = False
        self._ask_again = False
        # Our own pages (the empty shell's base, huge pages) live in a private folder of this
        # process; those of killed processes are removed here (see preview_files).
        self._page_folder = PageFolder()
        # Removed with the view (a closed window's preview), not only when Python collects it.
        # The slot holds the remover alone: a reference to the view would keep it alive.
        remove_pages = self._page_folder.remover
        self.destroyed.connect(lambda *_args: remove_pages())
        run_in_background(
            remove_orphaned_page_folders,
            on_success=lambda _removed: None,
            on_failure=lambda error: log.info("old preview pages not removed: %s", error),
        )
        self.shown_serial = 0
        self._newest_serial = 0  # the render `_shown` holds (the page may still be taking it in)
        self.file_loads = 0  # how many renders were loaded through a file (for tests)

    # -- the web page ------------------------------------------------------------------------

    def build_page(self) -> PreviewPage:
        """Create the web page (once) and load the empty shell; return the page.

        Not in the constructor: the first page starts QtWebEngine's browser side (its profile),
        40-60 ms the window's first screen does not need. The preview pane builds it once it
        has painted its place (`PreviewPane`); anything that needs the page before then (a
        render to show, a script, the view being shown) builds it at once.
        """
        if self._page is not None:
            return self._page
        page = PreviewPage(preview_profile(), self)
        self._guard.setParent(page)
        page.setUrlRequestInterceptor(self._guard)
        settings = page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.DnsPrefetchEnabled, False)
        if self.paper is not None:
            page.setBackgroundColor(self.paper)
        self._page = page
        self.setPage(page)
        super().setZoomFactor(1.0 if self._look_shell is not None else self._writer_zoom)
        page.base_url = self._base_url()
        page.loadFinished.connect(self._on_load_finished)
        page.loadFinished.connect(self.page_loaded)  # after our script is in
        page.scrollPositionChanged.connect(self._on_scrolled)
        page.link_refused.connect(self.link_refused)
        self._load_shell()  # at once: the page is ready by the time the first render is
        self.page_built.emit()
        return page

    @property
    def has_page(self) -> bool:
        """Tell whether the web page has been built (see build_page)."""
        return self._page is not None

    @property
    def preview_page(self) -> PreviewPage:
        """The web page as its own class (Qt's page() says QWebEnginePage); built if need be."""
        return self.build_page()

    def page(self) -> PreviewPage:
        """Return the web page, built if need be (never Qt's default page)."""
        return self.build_page()

    def set_paper(self, colour: QColor) -> None:
        """Show `colour` where the page has not painted yet (and in the pane until it exists)."""
        self.paper = QColor(colour)
        if self._page is not None:
            self._page.setBackgroundColor(self.paper)
        self.paper_changed.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """Build the page before Qt shows the view (shown without one, Qt makes its own)."""
        self.build_page()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        """Tell the page it is hidden; without one there is nothing to tell (Qt makes its own)."""
        if self._page is not None:
            super().hideEvent(event)

    # -- the page's style --------------------------------------------------------------------

    def set_page_style(
        self,
        shell: Callable[[str], str] | None,
        piece_style: Callable[[str], str] | None,
        files: frozenset[Path] = frozenset(),
    ) -> None:
        """Show the post in Draftpress's style (None, None) or in a blog's look.

        `shell(title)` returns the blog's empty page (its CSS and wrappers, the post's place
        marked); `piece_style(html)` turns a rendered piece into the markup the blog serves;
        `files` are the local files the page links (the look's fonts), the only ones let
        through besides the post's folder. The page is loaded again and every piece sent anew.
        """
        self._look_shell, self._piece_style = shell, piece_style
        self._look_files = files if shell is not None else frozenset()
        self._style_generation += 1
        if shell is not None:  # the blog's CSS paints on a browser's white, not our theme's paper
            self.set_paper(QColor("white"))
        if self._page is None:
            return  # build_page loads the empty page in this style, at this zoom
        super().setZoomFactor(1.0 if shell is not None else self._writer_zoom)
        self._replace_all = True
        if self._queued is None and self._shown:
            self._queued = self._newest_serial  # every piece again, as that render's
        self._load_shell()

    @property
    def in_blog_look(self) -> bool:
        """Tell whether the preview shows a blog's look (not Draftpress's style)."""
        return self._look_shell is not None

    def setZoomFactor(self, factor: float) -> None:  # noqa: N802 (Qt API)
        """Zoom in Draftpress's style; a blog's look is shown at its own size (its CSS wins)."""
        self._writer_zoom = factor
        if self._page is not None:  # else build_page applies it (Qt would make its own page)
            super().setZoomFactor(1.0 if self._look_shell is not None else factor)

    def zoomFactor(self) -> float:  # noqa: N802 (Qt API)
        """Return the zoom the page is shown at (or will be, before it is built)."""
        if self._page is not None:
            return super().zoomFactor()
        return 1.0 if self._look_shell is not None else self._writer_zoom

    # -- showing renders -------------------------------------------------------------------

    def show_document(self, folder: Path | None, title: str, body_html: str, serial: int) -> None:
        """Show a whole body as one piece (for callers without a piece list)."""
        self.set_title(title)
        self.show_blocks(folder, [RenderedBlock(0, body_html)], serial)

    def set_title(self, title: str) -> None:
        """Show `title` above the post."""
        if title == self._title:
            return
        self._title = title
        if self._loaded:
            self.page().runJavaScript(title_script(title), APPLICATION_WORLD)

    def show_blocks(
        self,
        folder: Path | None,
        blocks: Sequence[RenderedBlock],
        serial: int,
        delta: RenderDelta | None = None,
    ) -> None:
        """Show a render (its pieces, or its `delta` from the last render): patch what changed."""
        folder = folder.resolve() if folder is not None else None
        if folder != self._base_folder:
            # Relative image paths resolve against a <base> our script keeps up to date; the
            # page stays (no reload), but every piece is rebuilt against the new folder.
            self._base_folder = folder
            self._guard.allowed_folder = folder
            self.preview_page.base_url = self._base_url()
            self._replace_all = True
            if self._loaded:
                self.page().runJavaScript(self._base_script(), APPLICATION_WORLD)
        old_count = len(self._shown)
        if delta is None:
            htmls = [block.html for block in blocks]
            patch = diff_blocks(self._shown, htmls)
            self._shown, self.block_lines = htmls, [block.line for block in blocks]
            self._shown_chars = sum(map(len, htmls))
            if patch is not None:
                self._changed(old_count, patch.start, patch.remove_count)
        else:
            replaced = self._shown[delta.start : delta.start + delta.removed]
            self._shown_chars += sum(len(piece.html) for piece in delta.pieces)
            self._shown_chars -= sum(map(len, replaced))
            apply_delta(self._shown, self.block_lines, delta)
            self._changed(old_count, delta.start, delta.removed)
        self._queued = self._newest_serial = serial
        self._flush()

    @property
    def shown_html_chars(self) -> int:
        """The length of the newest render's body HTML (what decides lazy layout)."""
        return self._shown_chars

    def _changed(self, old_count: int, start: int, removed: int) -> None:
        """Note that pieces `start:start + removed` of a render of `old_count` were replaced."""
        self._same_prefix = min(self._same_prefix, start)
        self._same_suffix = min(self._same_suffix, old_count - start - removed)

    def _page_holds_all(self) -> None:
        """The page holds (or is about to hold) every piece of the newest render."""
        self._page_count = self._same_prefix = self._same_suffix = len(self._shown)

    @property
    def remote_images_allowed(self) -> bool:
        """Tell whether remote images (http/https) are loaded for the post shown."""
        return self._guard.remote_images_allowed

    def set_remote_images_allowed(self, allowed: bool) -> None:
        """Let the coming renders load remote images or not (what is shown stays as it is)."""
        self._guard.remote_images_allowed = allowed

    def load_remote_images(self) -> None:
        """Allow remote images and load those of the pieces shown now (every piece again)."""
        if self._guard.remote_images_allowed:
            return
        self._guard.remote_images_allowed = True
        self._replace_all = True
        if self._queued is None:
            self._queued = self._newest_serial  # every piece again, as that render's
        self._flush()

    def _base_url(self) -> QUrl:
        """Return the URL relative image paths resolve against (the post's folder)."""
        folder = self._base_folder or self._page_folder.path
        return QUrl.fromLocalFile(str(folder) + "/")

    def _base_script(self) -> str:
        """Return the script that points the page's <base> at the post's folder."""
        return f"window.__dp.setBase({json.dumps(self._base_url().toString())})"

    def _load_shell(self) -> None:
        """Load the empty page for the current folder; queued pieces follow once it is up."""
        self._loaded = False
        self._busy = True
        self._adopting = None
        self._asking_top = False  # a question to the old page may never be answered
        self._page_count = self._same_prefix = self._same_suffix = 0
        if self._look_shell is not None:
            self._load_look_shell(self._look_shell)
            return
        self._page_asked(self._page_folder.path)
        shell_base = QUrl.fromLocalFile(str(self._page_folder.path) + "/")
        self.setHtml(build_page(self._title, ""), shell_base)

    def _page_asked(self, path: Path) -> None:
        """Note that the page at `path` (a file, or the empty page's folder) is the one to come."""
        self._page_loads += 1
        self._awaited = path

    def _flush(self) -> None:
        """Send the newest queued render, if the page can take it now."""
        if self._busy or not self._loaded or self._queued is None:
            return
        serial = self._queued
        self._queued = None
        htmls = self._shown
        if self._replace_all:
            self._replace_all = False
            self._same_prefix = self._same_suffix = 0
        start, page_count = self._same_prefix, self._page_count
        if start >= page_count == len(htmls):
            self._applied(serial)
            return
        stop = len(htmls) - self._same_suffix
        patch = BlockPatch(start, page_count - start - self._same_suffix, htmls[start:stop])
        if self._piece_style is not None:
            long_post = is_long_body(self._shown_chars, in_look=True)
            whole_page = patch.size > LARGE_PATCH_CHARS
            self._patch_in_look(self._piece_style, patch, serial, long_post, whole_page)
            return
        if patch.size > LARGE_PATCH_CHARS:
            self._load_file(htmls, serial)
            return
        self._page_holds_all()
        # links (prefetch, preconnect…) and forms are made inert on the way in
        patch = BlockPatch(patch.start, patch.remove_count, list(map(inert_html, patch.htmls)))
        script = patch_script(patch, serial, is_long_body(self._shown_chars))
        self.page().runJavaScript(script, APPLICATION_WORLD, self._patched)

    def _patched(self, result: object) -> None:
        """Record which render the page now shows."""
        if isinstance(result, int | float) and result >= 0:
            self._applied(int(result))

    def _applied(self, serial: int) -> None:
        """Announce that the render `serial` is in the page."""
        self.shown_serial = serial
        self.body_applied.emit(serial)

    def _load_file(self, htmls: list[str], serial: int) -> None:
        """Write the whole page to a private file (in the background), then load it."""
        self._busy = True
        self._loaded = False
        self._asking_top = False
        self._page_holds_all()
        path = self._page_folder.path / f"preview-{serial}.html"
        self._page_asked(path)
        marker = f"draftpress-piece-{secrets.token_hex(8)}"
        inert = list(map(inert_html, htmls))
        count = len(htmls)
        page = page_with_blocks(self._title, inert, self._base_url().toString(), marker)
        restore_y = self._scroll_y
        self.file_loads += 1

        def write() -> Path:
            for old in path.parent.glob("preview-*.html"):
                old.unlink(missing_ok=True)
            path.write_text(page, encoding="utf-8")
            return path

        def written(_path: Path) -> None:
            self._guard.allowed_files = {path.resolve()}
            self._adopting = (marker, count, serial)
            self._scroll_y = restore_y
            self.load(QUrl.fromLocalFile(str(path)))

        def failed(error: Exception) -> None:
            log.warning("could not write the preview page: %s", error)
            self._busy = False
            self._load_shell()

        run_in_background(write, on_success=written, on_failure=failed)

    def _on_load_finished(self, ok: bool) -> None:
        """Install our script, take in a file-loaded page, then apply what was queued."""
        loaded = Path(self.page().url().toLocalFile())
        if self._awaited is not None and loaded != self._awaited:
            log.debug("a page asked for before the last one finished loading: %s", loaded)
            return  # the page asked for last is on its way, and will finish too
        if not ok:
            log.warning("the preview page did not load")
        page = self.page()
        page.runJavaScript(PREVIEW_LIBRARY, APPLICATION_WORLD)
        page.runJavaScript(self._base_script(), APPLICATION_WORLD)
        page.runJavaScript(title_script(self._title), APPLICATION_WORLD)  # set while loading
        if self._adopting is not None:
            marker, expected, serial = self._adopting
            self._adopting = None
            load = self._page_loads
            page.runJavaScript(
                f"window.__dp.adopt('{marker}', {expected})",
                APPLICATION_WORLD,
                lambda count: self._adopted(count, expected, serial, load),
            )
            return
        self._ready()

    def _adopted(self, count: object, expected: int, serial: int, load: int) -> None:
        """A file-loaded page is in: restore the scroll position and go on (unless another
        page has been asked for since, as when a blog's look is chosen meanwhile)."""
        if load != self._page_loads:
            return
        if count != expected:  # the pieces could not be told apart: the page is one piece
            self._page_count = 1
            self._same_prefix = self._same_suffix = 0
        self.page().runJavaScript(f"window.__dp.scrollToY({self._scroll_y:.1f})", APPLICATION_WORLD)
        self._applied(serial)
        self._ready()

    def _ready(self) -> None:
        """The page takes patches again."""
        self._busy = False
        self._loaded = True
        self._flush()

    # -- scrolling -------------------------------------------------------------------------

    def _on_scrolled(self, position: QPointF) -> None:
        """Ask which piece is at the top, unless the scroll was ours (see PREVIEW_LIBRARY)."""
        self._scroll_y = position.y()
        if not self._loaded:
            return
        if self._asking_top:
            self._ask_again = True
            return
        self._asking_top = True
        # Arrays do not come back through runJavaScript in PySide6: ask for JSON.
        script = "JSON.stringify(window.__dp.topBlock())"
        self.page().runJavaScript(script, APPLICATION_WORLD, self._top_block)

    def _top_block(self, result: object) -> None:
        """Report the reader's scroll as (piece, fraction); ask again if it went on."""
        self._asking_top = False
        try:
            top = json.loads(str(result))
        except ValueError:
            top = None
        if isinstance(top, list) and len(top) == 2:
            self.scrolled_by_reader.emit(int(top[0]), float(top[1]))
        if self._ask_again:
            self._ask_again = False
            self._on_scrolled(QPointF(0, self._scroll_y))

    def scroll_to_block(self, index: int, fraction: float) -> None:
        """Scroll so that `fraction` of piece `index` is at the top."""
        if self._loaded:
            script = f"window.__dp.scrollToBlock({int(index)}, {min(1.0, max(0.0, fraction)):.4f})"
            self.page().runJavaScript(script, APPLICATION_WORLD)

    def scroll_to_end(self, at_end: bool) -> None:
        """Scroll to the very end (or the very top)."""
        if self._loaded:
            script = f"window.__dp.scrollToEnd({'true' if at_end else 'false'})"
            self.page().runJavaScript(script, APPLICATION_WORLD)

    def reveal_block(self, index: int) -> None:
        """Bring piece `index` into view if it is off-screen."""
        if self._loaded:
            self.page().runJavaScript(f"window.__dp.reveal({int(index)})", APPLICATION_WORLD)

    def run_script(self, script: str, callback: Callable[[object], None]) -> None:
        """Run a script of ours (not the post's) in the preview, e.g. to read its state."""
        self.page().runJavaScript(script, APPLICATION_WORLD, callback)
