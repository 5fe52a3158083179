"""The PySide6 window: panes, dialogs and workers around the pure layers."""
