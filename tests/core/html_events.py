"""Reading rendered HTML in tests: start tags with attributes, and text."""

from __future__ import annotations

from html.parser import HTMLParser


class HtmlEvents(HTMLParser):
    """Records the start tags (with attributes) and the text of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    def first(self, name: str) -> dict[str, str | None]:
        return next(attrs for tag, attrs in self.tags if tag == name)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)
