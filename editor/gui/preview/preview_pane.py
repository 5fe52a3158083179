"""The preview pane: the web view with the preview's own messages above it, as Qt widgets.

What the preview says to the writer is never part of the web page: a post's CSS (a `<style>`
element can restyle anything in its page) could cover, hide or imitate it there. The bar here
lives outside the web view, so nothing in the post can paint over it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRhiWidget,
    QVBoxLayout,
    QWidget,
)

from editor.core.remote_images import remote_images_allowed, set_remote_images_allowed
from editor.gui.preview.preview_view import PreviewView
from editor.gui.workers import run_in_background

if TYPE_CHECKING:
    from PySide6.QtQuick import QQuickWindow

log = logging.getLogger(__name__)


class RemoteImagesBar(QFrame):
    """The bar "Remote images are not loaded. [Load them for this post]"."""

    load_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remote-images-bar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel("Remote images are not loaded.")
        self.button = QPushButton("Load them for this post")
        self.button.setToolTip(
            "Loading them tells the servers holding them that this post is being read."
        )
        self.button.clicked.connect(self.load_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()


class RemoteImagesChoice(QObject):
    """Keeps the preview's remote images off unless the writer chose "load them" for the post.

    The choice is read when a post starts loading, before its text goes to the renderer, so
    that every render of that post is shown under its own choice; it is one `stat` in the
    data folder. Re-allowing what is shown happens only when the writer clicks the bar: what
    the preview shows then is this post's.
    """

    def __init__(self, view: PreviewView, bar: RemoteImagesBar, parent: QObject | None) -> None:
        super().__init__(parent)
        self.view = view
        self.bar = bar
        self.post: Path | None = None
        view.remote_images_blocked.connect(self._blocked)
        bar.load_requested.connect(self.load_for_this_post)

    def show_post(self, path: Path | None) -> None:
        """A post is being loaded: apply its remembered choice to the renders that follow."""
        self.post = path
        self.bar.hide()
        allowed = False
        if path is not None:
            try:
                allowed = remote_images_allowed(path)
            except OSError as error:
                log.info("remote images choice unreadable: %s", error)
        self.view.set_remote_images_allowed(allowed)

    def post_saved(self, path: Path | None) -> None:
        """The post was saved, maybe under a new name: the choice follows it."""
        if path is None or path == self.post:
            return
        self.post = path
        if self.view.remote_images_allowed:
            self._remember(path)

    def load_for_this_post(self) -> None:
        """Load the post's remote images now and from now on."""
        self.bar.hide()
        self.view.load_remote_images()
        if self.post is not None:
            self._remember(self.post)

    def _remember(self, path: Path) -> None:
        """Write the choice to the data folder (in the background)."""
        run_in_background(
            set_remote_images_allowed,
            path,
            True,
            on_success=lambda _none: None,
            on_failure=lambda error: log.warning("remote images choice not kept: %s", error),
        )

    def _blocked(self) -> None:
        """The preview held back a remote image: offer to load them."""
        if not self.view.remote_images_allowed:
            self.bar.show()


class PagePlaceholder(QWidget):
    """The preview's place until its web page exists: the page's paper colour, nothing else.

    Once painted (the window's first screen is up), it asks the view to build its page.
    """

    def __init__(self, view: PreviewView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.painted = False
        view.paper_changed.connect(self.update)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        """Fill with the page's paper; the first time, build the page once this frame is out."""
        paper = self.view.paper or self.palette().color(QPalette.ColorRole.Base)
        painter = QPainter(self)
        painter.fillRect(event.rect(), paper)
        painter.end()
        if not self.painted:
            self.painted = True
            QTimer.singleShot(0, self.view, self.view.build_page)


class PreviewPane(QWidget):
    """The preview with its message bar above it.

    The web view comes in once its page exists (`PreviewView.build_page`). Until it has drawn
    its first frame, a placeholder of the same size and the page's paper colour lies over it,
    so the window shows sooner and nothing moves, goes black or flashes when the view comes in.
    """

    def __init__(self, view: PreviewView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.remote_images_bar = RemoteImagesBar(self)
        self.remote_images = RemoteImagesChoice(view, self.remote_images_bar, self)
        self.placeholder = PagePlaceholder(view)
        # QtWebEngine draws through Qt's RHI. A shown window that gains its first such child is
        # made again by Qt (it vanishes for a frame); this hidden one makes it RHI-backed from
        # the start, as the view itself did when it was built with the window.
        self.rhi_surface = QRhiWidget(self)
        self.rhi_surface.hide()
        area = QWidget(self)  # the view and, over it until its first frame, the placeholder
        grid = QGridLayout(area)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(view, 0, 0)
        grid.addWidget(self.placeholder, 0, 0)
        self.placeholder.raise_()
        self._drawing: QQuickWindow | None = None  # the view's drawing, until its first frame
        if view.has_page:
            self.placeholder.hide()
        else:
            view.hide()  # shown without its page, Qt would make one of its own
            view.page_built.connect(self._page_built)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.remote_images_bar)
        column.addWidget(area, 1)

    def _page_built(self) -> None:
        """Show the view under the placeholder; lift the placeholder at the view's first frame."""
        self.view.page_built.disconnect(self._page_built)
        # QtWebEngine draws the page in a QQuickWidget of its own inside the view
        from PySide6.QtQuickWidgets import QQuickWidget

        drawing = self.view.findChild(QQuickWidget)
        self.view.show()
        self.placeholder.raise_()
        if drawing is None:  # drawn some other way: nothing to wait for
            self.placeholder.hide()
            return
        self._drawing = drawing.quickWindow()
        self._drawing.afterRendering.connect(self._first_frame, Qt.ConnectionType.QueuedConnection)
        # should Qt Quick never say so, the first render the page shows lifts it (at worst a
        # frame early): the placeholder never hides a working preview for good
        self.view.body_applied.connect(self._first_frame)

    def _first_frame(self, *_serial: int) -> None:
        """The view has drawn: take the placeholder away (once)."""
        if self._drawing is None:
            return
        self._drawing.afterRendering.disconnect(self._first_frame)
        self.view.body_applied.disconnect(self._first_frame)
        self._drawing = None
        self.placeholder.hide()
