"""Document room: the open post's file. `DocumentController` opens and saves it; `DiskChanges`
follows the file on disk and `EncodingIndicator` shows its encoding, both given the controller.
Other modules of this package are internal to it."""

from editor.gui.document.disk_changes import DiskChanges
from editor.gui.document.document_controller import DocumentController
from editor.gui.document.encoding_indicator import EncodingIndicator

__all__ = ["DiskChanges", "DocumentController", "EncodingIndicator"]
