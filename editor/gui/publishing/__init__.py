"""Publishing room: Blog > Publish, Accounts…, Open from Blog… (`PublishController`), Publish
To… and Publish to All (`PublishToBlogs`) and the outbox of publishes waiting for their blog
(`OutboxController`), which the window holds through `PublishingRoom` (built on first use or
once the first screen is up). Other modules of this package (dialogs, connection trust, opening
from the blog) are internal to it.

The controllers are imported on first use of their names (PEP 562): importing this room, as
the window does, does not bring the blog clients (httpx, keyring, bs4)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from editor.gui.publishing.publishing_room import PublishingRoom

if TYPE_CHECKING:
    from editor.gui.publishing.outbox_controller import OutboxController
    from editor.gui.publishing.publish_controller import PublishController
    from editor.gui.publishing.publish_to_blogs import PublishToBlogs

__all__ = ["OutboxController", "PublishController", "PublishToBlogs", "PublishingRoom"]

_LAZY = {
    "OutboxController": "editor.gui.publishing.outbox_controller",
    "PublishController": "editor.gui.publishing.publish_controller",
    "PublishToBlogs": "editor.gui.publishing.publish_to_blogs",
}


def __getattr__(name: str) -> object:
    """Import a controller of the room when its name is first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
