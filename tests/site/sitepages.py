"""What the site tests look at: the kinds of page, and the references inside a page."""

from __future__ import annotations

import html.parser
import re
from dataclasses import dataclass

import activations

#: One page of each kind (site paths below the sub-path), for the browser tests.
PAGE_TYPES = {
    "home": "",
    "concept": "concepts/saturation/",
    "function": f"functions/{activations.names()[0]}/",
    "functions overview": "functions/",
    "comparison": "comparison/",
    "accuracy": "accuracy/",
    "api": "api/",
}


def function_paths() -> list[str]:
    return [f"functions/{name}/" for name in activations.names()]


@dataclass(frozen=True)
class Reference:
    """A URL found in a page, and whether following it loads a resource into the page."""

    url: str
    tag: str
    attribute: str
    loads: bool  # True: the browser fetches it to show the page (script, style, image, font)


# <link rel=...> values whose href the browser fetches for the page itself.
_LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch", "apple-touch-icon"}


class ReferenceParser(html.parser.HTMLParser):
    """Every URL of an HTML page, and the ids it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []
        self.ids: set[str] = set()
        self.inline_styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if "style" in values:
            self.inline_styles.append(values["style"])
        if tag == "style":
            self._in_style = True
        if tag == "a" and "href" in values:
            self.references.append(Reference(values["href"], tag, "href", False))
        elif tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            self.references.append(Reference(values["href"], tag, "href", bool(rels & _LOADING_RELS)))
        elif tag in ("script", "img", "iframe", "embed", "source", "audio", "video", "track", "input"):
            for attribute in ("src", "data-src"):
                if values.get(attribute):
                    self.references.append(Reference(values[attribute], tag, attribute, True))
        elif tag == "object" and values.get("data"):
            self.references.append(Reference(values["data"], tag, "data", True))
        elif tag in ("use", "image", "feimage") and values.get("href"):
            self.references.append(Reference(values["href"], tag, "href", True))
        if values.get("srcset"):
            for candidate in values["srcset"].split(","):
                url = candidate.strip().split(" ")[0]
                if url:
                    self.references.append(Reference(url, tag, "srcset", True))
        if values.get("poster"):
            self.references.append(Reference(values["poster"], tag, "poster", True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.inline_styles.append(data)


def parse_html(text: str) -> ReferenceParser:
    parser = ReferenceParser()
    parser.feed(text)
    parser.close()
    return parser


_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")


def css_urls(text: str) -> list[str]:
    """Every URL a stylesheet (or a style attribute) loads; data: URIs excluded."""
    urls = []
    for match in _CSS_URL.finditer(text):
        url = match.group(2) or match.group(4) or ""
        if url and not url.startswith(("data:", "#")):
            urls.append(url)
    return urls


class CodeBlockParser(html.parser.HTMLParser):
    """The highlighted code blocks of a page, in order: (language, title, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, str]] = []
        self._language: str | None = None
        self._title: list[str] = []
        self._code: list[str] | None = None
        self._in_title = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if self._language is not None:
            self._depth += tag == "div"
            if tag == "span" and "filename" in classes:
                self._in_title = True
            if tag == "code":
                self._code = []
            return
        if tag == "div" and "highlight" in classes:
            language = next((c[len("language-"):] for c in classes if c.startswith("language-")), "")
            self._language, self._title, self._depth = language, [], 0

    def handle_endtag(self, tag: str) -> None:
        if self._language is None:
            return
        if tag == "span" and self._in_title:
            self._in_title = False
        elif tag == "code" and self._code is not None:
            self.blocks.append((self._language, "".join(self._title).strip(), "".join(self._code)))
            self._code = None
        elif tag == "div":
            if self._depth == 0:
                self._language = None
            else:
                self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif self._code is not None:
            self._code.append(data)


def code_blocks(text: str) -> list[tuple[str, str, str]]:
    parser = CodeBlockParser()
    parser.feed(text)
    parser.close()
    return parser.blocks
