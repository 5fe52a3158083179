"""Publishing room: Blog > Publish, Accounts…, Open from Blog… (`PublishController`) and the
outbox of publishes waiting for their blog (`OutboxController`). Other modules of this package
(dialogs, connection trust, opening from the blog) are internal to it."""

from editor.gui.publishing.outbox_controller import OutboxController
from editor.gui.publishing.publish_controller import PublishController

__all__ = ["OutboxController", "PublishController"]
