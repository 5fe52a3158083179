"""Markdown to HTML in the Draftpress dialect, and the preview page around it (no Qt)."""
