"""Draftpress: a desktop blog editor for writers who draft offline."""

from __future__ import annotations

__version__ = "0.1.0"
