"""Settings: one typed table of defaults, read from and written to a JSON file in the config dir."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import platformdirs

from editor.core.atomic_file import atomic_write_bytes

log = logging.getLogger(__name__)

APP_NAME = "Draftpress"
SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    """Every user setting with its default."""

    library_dir: str = ""  # empty: $DRAFTPRESS_HOME, else Documents/Draftpress
    recent_files: list[str] = field(default_factory=list)
    max_recent_files: int = 10
    preview_debounce_ms: int = 150  # pause in typing before the word count and details refresh
    preview_follows_cursor: bool = True  # the preview scrolls to the cursor's paragraph
    editor_font_family: str = ""  # empty: the system's prose font (fixed-width: editor_monospace)
    editor_font_size: int = 12
    editor_monospace: bool = False  # with no family named, write in the fixed-width font
    editor_line_width: int = 70  # characters per line, centred in the pane; 0: the pane's width
    editor_line_spacing_percent: int = 140  # line height, in percent of the font's
    theme: str = "default"  # default (follow the system), light, dark, sepia
    zoom_percent: int = 100  # View > Zoom: the editor's font and the preview, together
    focus_mode: str = "off"  # View > Focus Mode: off, paragraph, sentence
    typewriter_scrolling: bool = False  # the cursor's line stays in the middle of the pane
    default_blog: str = ""  # the account a post naming no blog goes to; empty: ask
    words_per_minute: int = 230
    image_max_width: int = 2000  # inserted photos wider than this are downscaled; 0: never
    image_strip_gps: bool = True  # remove location data from inserted photos
    image_keep_rights: bool = True  # keep a photo's copyright notice and photographer (Artist)
    autosave_idle_ms: int = 2000  # journal unsaved work this long after the last keystroke
    autosave_max_wait_ms: int = 5000  # and at least this often while typing goes on
    revisions_max_count: int = 50  # snapshots kept per post (the newest is always kept)
    revisions_max_age_days: int = 90
    spelling_enabled: bool = True  # underline misspelt prose as you type
    spelling_language: str = ""  # a dictionary tag (en_GB); empty: the system's language


def config_dir() -> Path:
    """Return the folder for Draftpress's config files ($DRAFTPRESS_CONFIG_DIR overrides)."""
    override = os.environ.get("DRAFTPRESS_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))


def data_dir() -> Path:
    """Return the folder for Draftpress's own data: recovery journal, revisions.

    $DRAFTPRESS_DATA_DIR overrides the platform's user data folder.
    """
    override = os.environ.get("DRAFTPRESS_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def load_settings() -> Settings:
    """Read the settings file; a missing or broken file gives the defaults (and a log line)."""
    path = config_dir() / SETTINGS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        log.warning("ignoring unreadable settings file %s: %s", path, error)
        return Settings()
    known = {f.name: f for f in fields(Settings)}
    values = {}
    defaults = Settings()
    for name, value in raw.items() if isinstance(raw, dict) else ():
        if name in known and _fits(value, getattr(defaults, name)):
            values[name] = value
    return Settings(**values)


def _fits(value: object, default: object) -> bool:
    """Tell whether a value read from JSON has the setting's type (true is not a number)."""
    if type(value) is not type(default):
        return False
    return not isinstance(value, list) or all(isinstance(item, str) for item in value)


def save_settings(settings: Settings) -> None:
    """Write the settings file atomically."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = json.dumps(asdict(settings), indent=2, ensure_ascii=False).encode("utf-8")
    atomic_write_bytes(folder / SETTINGS_FILE, data)


def remember_recent_file(settings: Settings, path: Path) -> Settings:
    """Put `path` first in the recent files list (no duplicates, bounded length)."""
    text = str(Path(path).resolve())
    recent = [text] + [p for p in settings.recent_files if p != text]
    settings.recent_files = recent[: settings.max_recent_files]
    return settings
