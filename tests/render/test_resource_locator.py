"""Finding the shipped resources folder from a source checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.resource_locator import (
    ResourceMissing,
    read_resource_text,
    resource_path,
    resources_dir,
)

CHECKOUT = Path(__file__).resolve().parents[2]


def test_resources_dir_is_the_checkouts_resources_folder() -> None:
    folder = resources_dir()

    assert folder.resolve() == CHECKOUT / "resources"
    assert (folder / "template.html").is_file()


def test_resource_path_finds_shipped_files() -> None:
    assert resource_path("template.html") == resources_dir() / "template.html"
    assert resource_path("themes", "default.css").is_file()
    assert resource_path("welcome", "welcome-to-draftpress.md").is_file()


def test_missing_resource_raises_resource_missing_naming_it() -> None:
    with pytest.raises(ResourceMissing, match="themes/nope.css"):
        resource_path("themes", "nope.css")


def test_resource_missing_is_a_file_not_found_error() -> None:
    assert issubclass(ResourceMissing, FileNotFoundError)


def test_read_resource_text_reads_utf8() -> None:
    template = read_resource_text("template.html")

    assert template.startswith("<!DOCTYPE html>")
    assert "$body" in template
