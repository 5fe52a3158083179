"""Preview themes: light, dark and sepia set their colours whatever the system's mode."""

from __future__ import annotations

import re

import pytest

from editor.render.page import DEFAULT_THEME, THEMES, build_page, pygments_css, theme_css


def _background(css: str) -> str:
    """Return the last --dp-bg the CSS sets outside a media query (the one that wins)."""
    outside = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    return re.findall(r"--dp-bg:\s*([^;]+);", outside)[-1]


@pytest.mark.parametrize(
    ("theme", "background"), [("light", "#fdfcfa"), ("dark", "#1b1d21"), ("sepia", "#f4ecd8")]
)
def test_a_chosen_theme_sets_its_background_over_the_default(theme: str, background: str) -> None:
    css = theme_css(theme)
    assert css.startswith(theme_css(DEFAULT_THEME))  # the layout rules stay the default's
    assert _background(css) == background
    assert f"color-scheme: {'dark' if theme == 'dark' else 'light'};" in css


def test_every_listed_theme_has_its_css_file() -> None:
    for theme in THEMES:
        if theme != DEFAULT_THEME:
            assert theme_css(theme) != theme_css(DEFAULT_THEME), theme


def test_code_colours_follow_the_chosen_theme_not_the_system() -> None:
    system = pygments_css(DEFAULT_THEME)
    assert "prefers-color-scheme: dark" in system
    for theme in ("light", "dark", "sepia"):
        assert "prefers-color-scheme" not in pygments_css(theme)
    assert pygments_css("dark") != pygments_css("light") == pygments_css("sepia")


def test_the_page_carries_the_chosen_theme() -> None:
    page = build_page("T", "<p>x</p>", theme="dark")
    assert theme_css("dark") in page and pygments_css("dark") in page
    assert 'id="dp-theme-css"' in page and 'id="dp-code-css"' in page
