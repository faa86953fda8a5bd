"""The input every format reads: a fetched page, decoded, with the crawl's context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lxml import etree
from parsel import Selector
from scrapy.http import Response

from reviewcrawler.encoding import decode_body
from reviewcrawler.formats.html import class_index


@dataclass
class Page:
    url: str
    text: str
    content_type: str | None = None
    #: The crawl's ``-a film=`` argument, when the page's URL cannot name its film.
    film_argument: str | None = None
    #: The film key of the page that asked for this one (a follow-up's), for pages
    #: whose URL does not name the film (Rotten Tomatoes' API names an internal id).
    film_key: str | None = None

    @cached_property
    def selector(self) -> Selector:
        # lxml's plain HTML parser, not lxml.html's (parsel's default): the latter
        # looks up a Python class for every element touched, a fifth of parse time.
        body = self.text.replace("\x00", "").strip().encode("utf-8")
        parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
        try:
            root = etree.fromstring(body, parser=parser) if body else None
        except (etree.ParserError, etree.XMLSyntaxError):
            root = None
        if root is None:
            root = etree.fromstring(b"<html/>", parser=parser)
        return Selector(root=root, type="html")

    @cached_property
    def class_index(self) -> dict[str, list[Any]]:
        """The page's elements by class (formats/html.py ``class_index``), built once."""
        return class_index(self.selector.root)

    @cached_property
    def head(self) -> str:
        """The start of the text, for cheap content sniffing."""
        return self.text[:4096]

    @cached_property
    def json(self) -> Any:
        """The body as JSON when it is a JSON document (whatever the content type), else None."""
        body = self.text.lstrip("\ufeff \t\r\n")
        if not body.startswith(("{", "[")):
            return None
        try:
            return json.loads(body)
        except ValueError:
            return None

    @property
    def looks_like_html(self) -> bool:
        return "<" in self.head and (
            "<html" in self.head.lower()
            or "<div" in self.head.lower()
            or "<!doctype" in self.head.lower()
        )

    @classmethod
    def from_response(
        cls, response: Response, film_argument: str | None = None, film_key: str | None = None
    ) -> Page:
        content_type = response.headers.get(b"Content-Type")
        content_type_text = content_type.decode("latin-1") if content_type else None
        # Not response.text: a wrong or missing charset must not mangle the page.
        text = decode_body(response.body, content_type_text)
        return cls(
            url=response.url,
            text=text,
            content_type=content_type_text,
            film_argument=film_argument,
            film_key=film_key,
        )
