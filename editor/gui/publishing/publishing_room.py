"""The publishing room, built when it is first used or once the window's first screen is up.

Its controllers bring the blog clients (httpx, keyring, the engines, the round trip, about a
quarter of a second to import), which the first screen does not need. The window holds this
room from the start and asks it for `publishing`, `publish_to_blogs` and `outbox`: the first
ask imports and builds all three, as `build()` does once the first screen is shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # imported by build(), not with the window
    from editor.gui.document import DocumentController
    from editor.gui.publishing.outbox_controller import OutboxController
    from editor.gui.publishing.publish_controller import PublishController
    from editor.gui.publishing.publish_to_blogs import PublishToBlogs
    from editor.publish.engines.base import Capabilities

log = logging.getLogger(__name__)


class PublishingRoom(QObject):
    """Publish, Publish To…, Accounts…, Open from Blog… and the outbox, built on demand.

    `place_indicator` is given the outbox's status-bar button when the room is built.
    """

    built = Signal()  # the controllers exist now (the outbox count is shown)
    message = Signal(str)  # a line for the status bar, from publishing or the outbox

    def __init__(
        self,
        window: QWidget,
        document: DocumentController,
        library_root: Path,
        place_indicator: Callable[[QWidget], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._document = document
        self._library_root = library_root
        self._place_indicator = place_indicator
        self._default_blog = ""
        self._parts: tuple[PublishController, PublishToBlogs, OutboxController] | None = None

    @property
    def is_built(self) -> bool:
        """Tell whether the controllers exist yet."""
        return self._parts is not None

    def build(self) -> None:
        """Import and build the controllers (once; later calls do nothing)."""
        if self._parts is not None:
            return
        from editor.gui.publishing.outbox_controller import OutboxController
        from editor.gui.publishing.publish_controller import PublishController
        from editor.gui.publishing.publish_to_blogs import PublishToBlogs

        publishing = PublishController(self._window, self._document, self._library_root)
        publishing.default_blog = self._default_blog
        publish_to_blogs = PublishToBlogs(publishing)
        outbox = OutboxController(self._window, publishing)
        self._parts = (publishing, publish_to_blogs, outbox)
        publishing.message.connect(self.message)
        outbox.message.connect(self.message)
        self._place_indicator(outbox.indicator)
        log.debug("publishing room built")
        self.built.emit()

    def _built_parts(self) -> tuple[PublishController, PublishToBlogs, OutboxController]:
        """Return the controllers, building them first if need be."""
        self.build()
        assert self._parts is not None
        return self._parts

    @property
    def publishing(self) -> PublishController:
        """Blog > Publish, Accounts…, Open from Blog… (built on first use)."""
        return self._built_parts()[0]

    @property
    def publish_to_blogs(self) -> PublishToBlogs:
        """Blog > Publish To… and Publish to All (built on first use)."""
        return self._built_parts()[1]

    @property
    def outbox(self) -> OutboxController:
        """The outbox and its status-bar count (built on first use)."""
        return self._built_parts()[2]

    @property
    def default_blog(self) -> str:
        """Return where a post naming no blog goes unasked (Preferences)."""
        return self._default_blog

    @default_blog.setter
    def default_blog(self, name: str) -> None:
        self._default_blog = name
        if self._parts is not None:
            self._parts[0].default_blog = name

    def capabilities_for(self, blog: str) -> Capabilities | None:
        """Return what the post's blog can store (None: no blog known, or not built yet)."""
        if self._parts is None:
            return None
        return self._parts[0].capabilities.for_blog(blog)

    def shut_down(self) -> None:
        """The window closes: end a running publish at once (nothing to do if never built)."""
        if self._parts is not None:
            self._parts[0].shut_down()
