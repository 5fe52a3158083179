"""The HTML page around a rendered post: template, theme CSS and Pygments CSS."""

from __future__ import annotations

import html
from functools import cache
from string import Template

from pygments.formatters import HtmlFormatter

from editor.resource_locator import ResourceMissing, read_resource_text

DEFAULT_THEME = "default"  # follows the system's light or dark mode
# The themes a writer can choose, in the order Preferences lists them, with their names.
THEMES: dict[str, str] = {
    "default": "Follow the system",
    "light": "Light",
    "dark": "Dark",
    "sepia": "Sepia",
}
DARK_THEMES = frozenset({"dark"})
# The preview and exported pages run no script, load nothing but images and submit no form
# (in a browser; the preview also takes the forms' behaviour away, see preview_patch).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' file: data: http: https:; style-src 'unsafe-inline'; "
    "form-action 'none'"
)
LIGHT_CODE_STYLE = "default"
DARK_CODE_STYLE = "monokai"


def _css_of(style: str) -> str:
    """Return Pygments' CSS for highlighted code in one style."""
    # types-Pygments leaves get_style_defs unannotated; it returns the CSS text.
    formatter = HtmlFormatter(style=style)
    css: str = formatter.get_style_defs(".codehilite")  # type: ignore[no-untyped-call]
    return css


@cache
def pygments_css(theme: str = DEFAULT_THEME) -> str:
    """Return the CSS for highlighted code: the theme's, or light and dark in dark mode."""
    light, dark = _css_of(LIGHT_CODE_STYLE), _css_of(DARK_CODE_STYLE)
    if theme in DARK_THEMES:
        return dark
    if theme in THEMES and theme != DEFAULT_THEME:
        return light
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


@cache
def theme_css(theme: str = DEFAULT_THEME) -> str:
    """Return a preview theme's CSS: the default theme, then the chosen theme's colours.

    The default theme follows the system's light or dark mode; light.css, dark.css and
    sepia.css only set its colours, whatever the system says. An unknown theme is the default.
    """
    base = read_resource_text("themes", f"{DEFAULT_THEME}.css")
    if theme == DEFAULT_THEME:
        return base
    try:
        return base + "\n" + read_resource_text("themes", f"{theme}.css")
    except ResourceMissing:
        return base


@cache
def _template() -> Template:
    """Return the page template."""
    return Template(read_resource_text("template.html"))


def build_page(title: str, body_html: str, theme: str = DEFAULT_THEME) -> str:
    """Return a standalone HTML page: the title on top, then the rendered post."""
    return _template().substitute(
        title=html.escape(title or "Untitled"),
        csp=CONTENT_SECURITY_POLICY,
        theme_css=theme_css(theme),
        pygments_css=pygments_css(theme),
        body=body_html,
    )
