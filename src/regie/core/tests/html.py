"""Reading rendered pages in tests: the buttons a person sees, the visible text."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

# White on transparent: only readable on the dark header (see regie.css, "Components").
ON_DARK_CLASSES = {"button-on-dark", "button-small"}


class _Buttons(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.buttons: list[tuple[str, set[str]]] = []
        self._open: list[tuple[list[str], set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "button" or (tag == "a" and "button" in (dict(attrs).get("class") or "")):
            self._open.append(([], set((dict(attrs).get("class") or "").split())))

    def handle_data(self, data: str) -> None:
        for text, _classes in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"button", "a"} and self._open:
            text, classes = self._open.pop()
            self.buttons.append((" ".join("".join(text).split()), classes))


def buttons(html: str) -> list[tuple[str, set[str]]]:
    """Each ``<button>`` (and link styled as a button): its visible text and its classes."""
    parser = _Buttons()
    parser.feed(html)
    return parser.buttons


def content_of(html: str) -> str:
    """The page's ``<main>`` element, where the header's on-dark buttons are not."""
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def button_classes(html: str, label: str) -> set[str]:
    """The classes of the one button in the page's content whose text starts with ``label``."""
    found = [classes for text, classes in buttons(content_of(html)) if text.startswith(label)]
    assert len(found) == 1, f"{len(found)} buttons {label!r} in {buttons(content_of(html))}"
    return found[0]


def visible_text(html: str) -> str:
    """The text of the page's content as a person reads it (tags and scripts dropped)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", content_of(html), flags=re.S)
    # Collapse the markup's white space but keep no-break spaces ("728,00\xa0€").
    return re.sub(r"[ \t\r\n\f\v]+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()
