"""The preview's pages in a blog's look: its empty page, pieces in its markup, a whole page.

`BlogLookPages` is a part of `PreviewView` (editor/gui/preview/preview_view.py), kept in a room
of its own: the view decides what to send and when; these methods write the blog's page to a
private file and load it, turn the pieces of a patch into the blog's markup in the background
(`PreviewStyle`'s piece style) and send them, and fall back to Draftpress's style when the look
cannot be shown.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl

from editor.gui.preview.preview_files import PageFolder
from editor.gui.preview.preview_page import APPLICATION_WORLD, PreviewPage, RequestGuard
from editor.gui.preview.preview_patch import BlockPatch, inert_html, patch_script
from editor.gui.workers import run_in_background

log = logging.getLogger(__name__)


class BlogLookPages:
    """PreviewView's pages in a blog's look (mixed into the view, whose state it shares)."""

    # Set by PreviewView: the blog's empty page for a title and its piece style (None:
    # Draftpress's page), the generation that tells stale work apart, the look's local files.
    _look_shell: Callable[[str], str] | None
    _piece_style: Callable[[str], str] | None
    _style_generation: int
    _look_files: frozenset[Path]
    # The view's own state and methods these use.
    _busy: bool
    _loaded: bool
    _asking_top: bool
    _adopting: tuple[str, int, int] | None
    _scroll_y: float
    _title: str
    _shown: list[str]
    _guard: RequestGuard
    _page_folder: PageFolder
    file_loads: int

    if TYPE_CHECKING:

        def page(self) -> PreviewPage: ...
        def set_page_style(
            self,
            shell: Callable[[str], str] | None,
            piece_style: Callable[[str], str] | None,
            files: frozenset[Path] = frozenset(),
        ) -> None: ...
        def _flush(self) -> None: ...
        def _page_asked(self, path: Path) -> None: ...
        def _page_holds_all(self) -> None: ...
        def _patched(self, result: object) -> None: ...

    def _load_look_shell(self, shell: Callable[[str], str]) -> None:
        """Write the blog's empty page to a private file (in the background), then load it.

        A file, not setHtml: the look's fonts, written into the page, pass setHtml's 2 MB.
        """
        path = self._page_folder.path / "blog-look.html"
        self._page_asked(path)
        title, generation = self._title, self._style_generation

        def write() -> Path:
            path.write_text(shell(title), encoding="utf-8")
            return path

        # Bound methods: a closed window's preview gets no callback (see workers).
        run_in_background(
            write,
            on_success=functools.partial(self._look_shell_written, generation),
            on_failure=functools.partial(self._look_shell_failed, generation),
        )

    def _look_shell_written(self, generation: int, path: Path) -> None:
        """Load the blog's empty page, unless a newer style's page is coming."""
        if generation == self._style_generation:
            self._guard.allowed_files = {path.resolve(), *self._look_files}
            self.page().load(QUrl.fromLocalFile(str(path)))

    def _look_shell_failed(self, generation: int, error: Exception) -> None:
        """The blog's page could not be written: back to Draftpress's style."""
        log.warning("could not write the page in the blog's look: %s", error)
        if generation == self._style_generation:
            self.set_page_style(None, None)

    def _patch_in_look(
        self,
        style: Callable[[str], str],
        patch: BlockPatch,
        serial: int,
        long_post: bool,
        whole_page: bool,
    ) -> None:
        """Turn the patch's pieces into the blog's markup in the background, then send it.

        With `whole_page` (a patch too large for a script call) the whole page is loaded from a
        file instead, as in Draftpress's style (_load_look_file).
        """
        self._page_holds_all()
        self._busy = True
        if whole_page:
            htmls = list(self._shown)
            run_in_background(
                lambda: [inert_html(style(piece)) for piece in htmls],
                on_success=functools.partial(
                    self._load_look_file, self._style_generation, serial, long_post
                ),
                on_failure=functools.partial(self._look_shell_failed, self._style_generation),
            )
            return
        sending = functools.partial(
            self._send_in_look, self._style_generation, patch, serial, long_post
        )

        def convert() -> list[str]:
            return [inert_html(style(piece)) for piece in patch.htmls]

        run_in_background(
            convert,
            on_success=sending,
            on_failure=functools.partial(self._look_conversion_failed, sending, patch),
        )

    def _send_in_look(
        self, generation: int, patch: BlockPatch, serial: int, long_post: bool, htmls: list[str]
    ) -> None:
        """Send a patch's pieces converted to the blog's markup (unless a new page loads)."""
        if generation != self._style_generation:
            return  # a new page is loading; it takes every piece
        self._busy = False
        styled = BlockPatch(patch.start, patch.remove_count, htmls)
        script = patch_script(styled, serial, long_post)
        self.page().runJavaScript(script, APPLICATION_WORLD, self._patched)
        self._flush()

    def _load_look_file(
        self, generation: int, serial: int, long_post: bool, htmls: list[str]
    ) -> None:
        """Write the blog's page holding every piece to a private file, then load it."""
        shell = self._look_shell
        if generation != self._style_generation or shell is None:
            return  # a new page is loading; it takes every piece
        self._loaded = False
        self._asking_top = False
        folder = self._page_folder.path
        path = folder / f"blog-look-{serial}.html"
        self._page_asked(path)
        marker = f"draftpress-piece-{secrets.token_hex(8)}"
        title, restore_y, count = self._title, self._scroll_y, len(htmls)
        self.file_loads += 1

        def write() -> Path:
            from editor.publish.blog_look_page import page_with_pieces

            for old in folder.glob("blog-look-*.html"):
                old.unlink(missing_ok=True)
            path.write_text(page_with_pieces(shell(title), htmls, marker, long_post), "utf-8")
            return path

        def written(_path: Path) -> None:
            if generation != self._style_generation:
                return
            self._guard.allowed_files = {path.resolve(), *self._look_files}
            self._adopting = (marker, count, serial)
            self._scroll_y = restore_y
            self.page().load(QUrl.fromLocalFile(str(path)))

        run_in_background(
            write,
            on_success=written,
            on_failure=functools.partial(self._look_shell_failed, generation),
        )

    def _look_conversion_failed(
        self, sending: Callable[[list[str]], None], patch: BlockPatch, error: Exception
    ) -> None:
        """Show the pieces as rendered when they cannot be converted (and say why in the log)."""
        log.warning("a piece could not be shown in the blog's markup: %s", error)
        sending([inert_html(piece) for piece in patch.htmls])
