"""Sidebar room: the library of posts and the metadata form under it (plain widgets; the window
connects their signals to the document)."""

from editor.gui.sidebar.library_pane import LibraryPane
from editor.gui.sidebar.metadata_panel import MetadataPanel

__all__ = ["LibraryPane", "MetadataPanel"]
