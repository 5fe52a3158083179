"""Inserting room: Insert > Image and Quote into the editor (the image and quote dialogs are
internal to it)."""

from editor.gui.inserting.insert_tools import InsertTools

__all__ = ["InsertTools"]
