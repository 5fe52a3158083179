"""Finds the `resources/` folder in a source checkout, an installed wheel or a bundled app."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class ResourceMissing(FileNotFoundError):
    """Raised when Draftpress's resources folder or a file in it cannot be found."""


def _candidates() -> list[Path]:
    """Return the folders that may hold the resources, most specific first."""
    found: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a PyInstaller bundle unpacks data beside the executable
        found.append(Path(bundle) / "resources")
    found.append(_PACKAGE_DIR / "resources")  # installed wheel: mapped into the package
    found.append(_PACKAGE_DIR.parent / "resources")  # source checkout or editable install
    return found


@cache
def resources_dir() -> Path:
    """Return the folder holding themes, the page template, icons and the welcome post."""
    for candidate in _candidates():
        if (candidate / "template.html").is_file():
            return candidate
    tried = ", ".join(str(c) for c in _candidates())
    raise ResourceMissing(f"Draftpress's resources folder is missing (looked in {tried})")


def resource_path(*parts: str) -> Path:
    """Return the path of one shipped resource file, raising ResourceMissing if absent."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceMissing(f"Draftpress resource not found: {'/'.join(parts)}")
    return path


def read_resource_text(*parts: str) -> str:
    """Return the UTF-8 text of one shipped resource file."""
    return resource_path(*parts).read_text(encoding="utf-8")
