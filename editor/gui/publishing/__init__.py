"""Publishing room: Blog > Publish, Accounts…, Open from Blog… (`PublishController`), Publish
To… and Publish to All (`PublishToBlogs`) and the outbox of publishes waiting for their blog
(`OutboxController`). Other modules of this package
(dialogs, connection trust, opening from the blog) are internal to it."""

from editor.gui.publishing.outbox_controller import OutboxController
from editor.gui.publishing.publish_controller import PublishController
from editor.gui.publishing.publish_to_blogs import PublishToBlogs

__all__ = ["OutboxController", "PublishController", "PublishToBlogs"]
