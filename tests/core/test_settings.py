"""Settings: defaults, the JSON file round trip, and files that are broken or from elsewhere."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from editor.core.settings import (
    SETTINGS_FILE,
    Settings,
    config_dir,
    load_settings,
    remember_recent_file,
    save_settings,
)


def settings_path() -> Path:
    """Return where the settings file lives (the per-test config dir from conftest)."""
    return config_dir() / SETTINGS_FILE


def write_settings_file(content: str | bytes) -> None:
    """Put raw content in the settings file."""
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    settings_path().write_bytes(content)


def test_config_dir_honours_the_environment(isolated_home: Path) -> None:
    assert config_dir() == isolated_home / "config"


def test_no_settings_file_gives_the_defaults() -> None:
    assert not settings_path().exists()

    settings = load_settings()

    assert settings == Settings()
    assert settings.max_recent_files == 10
    assert settings.preview_debounce_ms == 150
    assert settings.words_per_minute == 230
    assert settings.recent_files == []


def test_save_then_load_gives_the_same_settings() -> None:
    settings = Settings(
        library_dir="/somewhere/Blog",
        recent_files=["/a/one.md", "/b/twö.md"],
        max_recent_files=4,
        preview_debounce_ms=300,
        editor_font_family="Iosevka",
        editor_font_size=15,
        theme="dark",
        words_per_minute=180,
    )

    save_settings(settings)

    assert load_settings() == settings
    assert json.loads(settings_path().read_text(encoding="utf-8")) == asdict(settings)


def test_save_creates_the_config_folder() -> None:
    assert not config_dir().exists()

    save_settings(Settings(theme="x"))

    assert settings_path().is_file()


@pytest.mark.parametrize(
    "content",
    ['{"theme": "dark",', "not json at all", "", b"\xff\xfe\x00garbage", "[1, 2, 3]", "null"],
    ids=["truncated", "text", "empty", "binary", "list", "null"],
)
def test_corrupt_settings_file_gives_the_defaults(content: str | bytes) -> None:
    write_settings_file(content)

    assert load_settings() == Settings()


def test_unknown_keys_are_ignored_and_known_ones_kept() -> None:
    write_settings_file(json.dumps({"theme": "dark", "from_the_future": 42, "api_key": "x"}))

    assert load_settings() == Settings(theme="dark")


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("max_recent_files", "ten"),
        ("max_recent_files", True),  # JSON true is not a number
        ("max_recent_files", 2.5),
        ("editor_font_size", None),
        ("theme", 3),
        ("recent_files", "/one/file.md"),
        ("recent_files", ["/ok.md", 7, None]),
        ("library_dir", ["/a"]),
    ],
)
def test_wrongly_typed_values_are_ignored(key: str, value: object) -> None:
    write_settings_file(json.dumps({key: value, "words_per_minute": 200}))

    settings = load_settings()

    assert getattr(settings, key) == getattr(Settings(), key)
    assert settings.words_per_minute == 200


def test_remember_recent_file_puts_it_first_without_duplicates(tmp_path: Path) -> None:
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    settings = Settings()

    remember_recent_file(settings, one)
    remember_recent_file(settings, two)
    remember_recent_file(settings, one)

    assert settings.recent_files == [str(one.resolve()), str(two.resolve())]


def test_remember_recent_file_stores_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings()

    remember_recent_file(settings, Path("relative.md"))
    remember_recent_file(settings, tmp_path / "relative.md")

    assert settings.recent_files == [str((tmp_path / "relative.md").resolve())]


def test_remember_recent_file_caps_the_list(tmp_path: Path) -> None:
    settings = Settings(max_recent_files=3)

    for number in range(5):
        remember_recent_file(settings, tmp_path / f"{number}.md")

    assert settings.recent_files == [str((tmp_path / f"{n}.md").resolve()) for n in (4, 3, 2)]


def test_remember_recent_file_returns_the_settings_it_changed(tmp_path: Path) -> None:
    settings = Settings()

    assert remember_recent_file(settings, tmp_path / "x.md") is settings
