"""Preview room: the live preview of the editor's text. `LivePreview` renders off the GUI thread
and patches the view; `PreviewView` and `PreviewPane` (the view and its message bar) are the
widgets the window lays out; `PreviewStyle` shows it in Draftpress's style or a blog's learnt
look (View > Preview Style). Other modules of this package are internal to it."""

from editor.gui.preview.live_preview import LivePreview
from editor.gui.preview.preview_pane import PreviewPane
from editor.gui.preview.preview_style import PreviewStyle
from editor.gui.preview.preview_view import PreviewView

__all__ = ["LivePreview", "PreviewPane", "PreviewStyle", "PreviewView"]
