"""Writing room: focus mode, typewriter scrolling and distraction-free full screen
(`WritingModes`), and the word count with the post's goal in the status bar (`WordGoal`).
Other modules of this package are internal to it."""

from editor.gui.writing.word_goal import GOAL_FIELD, WordGoal
from editor.gui.writing.writing_modes import WritingModes

__all__ = ["GOAL_FIELD", "WordGoal", "WritingModes"]
