"""The publishing room, built when it is first used or once the window's first screen is up.

Its controllers bring the blog clients (httpx, keyring, the engines, the round trip, about a
quarter of a second to import), which the first screen does not need. The window holds this
room from the start and asks it for `publishing`, `publish_to_blogs` and `outbox`: the first
ask imports and builds all three, as `build()` does once the first screen is shown.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from editor.gui.workers import run_in_background

ROOM_MODULES = (
    "editor.gui.publishing.outbox_controller",
    "editor.gui.publishing.publish_controller",
    "editor.gui.publishing.publish_to_blogs",
)

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
        self._importing = False

    @property
    def is_built(self) -> bool:
        """Tell whether the controllers exist yet."""
        return self._parts is not None

    def build_soon(self) -> None:
        """Import the controllers' modules on a worker thread, then build them on this one.

        The imports (HTTP client, keyring, HTML parser: about a second on a busy machine) would
        otherwise stop the window's event loop, e.g. in the middle of loading a long post.
        """
        if self._parts is not None or self._importing:
            return
        self._importing = True
        run_in_background(
            _import_room_modules, on_success=self._imported, on_failure=self._import_failed
        )

    def build_if_needed(self) -> None:
        """Build the room soon if publishes wait in the outbox (their count and their retries
        need it); otherwise it is built when first used, or when the open post's blog is known.

        Not built, it costs the window's process nothing: its blog clients (HTTP, keyring, the
        HTML parser) take about 15 MiB there (issue 16). The outbox is read on a worker (disk).
        """
        if self._parts is not None or self._importing:
            return
        run_in_background(
            _publishes_wait, on_success=self._outbox_read, on_failure=self._outbox_unread
        )

    def _outbox_read(self, waiting: bool) -> None:
        """Build the room if publishes wait for their blog."""
        if waiting:
            self.build_soon()

    def _outbox_unread(self, error: Exception) -> None:
        """Build the room anyway: its outbox says what is wrong, as it always did."""
        log.info("the outbox was not read before the publishing room: %r", error)
        self.build_soon()

    def _imported(self, _result: object) -> None:
        """The modules are loaded: build the controllers (cheap now)."""
        self._importing = False
        self.build()

    def _import_failed(self, error: Exception) -> None:
        """Leave the building to the first use, which reports a failure where it happens."""
        self._importing = False
        log.warning("the publishing room's modules did not load in the background: %r", error)

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


def _import_room_modules() -> None:
    """Load the publishing room's modules (on a worker thread: no Qt object is made)."""
    for name in ROOM_MODULES:
        importlib.import_module(name)


def _publishes_wait() -> bool:
    """Tell whether the outbox holds publishes waiting for their blog (on a worker)."""
    from editor.publish.outbox import load_outbox

    return bool(load_outbox())
