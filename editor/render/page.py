"""The HTML page around a rendered post: template, theme CSS and Pygments CSS."""

from __future__ import annotations

import html
from functools import cache
from string import Template

from pygments.formatters import HtmlFormatter

from editor.resource_locator import ResourceMissing, read_resource_text

DEFAULT_THEME = "default"
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
def pygments_css() -> str:
    """Return the CSS for highlighted code, light by default and dark in dark mode."""
    light, dark = _css_of(LIGHT_CODE_STYLE), _css_of(DARK_CODE_STYLE)
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


@cache
def theme_css(theme: str = DEFAULT_THEME) -> str:
    """Return a preview theme's CSS, falling back to the default theme."""
    try:
        return read_resource_text("themes", f"{theme}.css")
    except ResourceMissing:
        return read_resource_text("themes", f"{DEFAULT_THEME}.css")


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
        pygments_css=pygments_css(),
        body=body_html,
    )
