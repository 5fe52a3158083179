"""Safety room: unsaved text journaled against a crash (`Autosave`), text left by a run that died
(`RecoveryController`), versions replaced by saves (`RevisionsController`). Each is given the
editor, the document controller and the journal it needs, never the window. Other modules of
this package are internal to it."""

from editor.gui.safety.autosave import Autosave
from editor.gui.safety.recovery_dialog import RecoveryController
from editor.gui.safety.revisions_dialog import RevisionsController

__all__ = ["Autosave", "RecoveryController", "RevisionsController"]
