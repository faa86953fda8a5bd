"""Golden files: what a format's ``parse`` yields for a fixture page, as JSON.

Layout: ``fixtures/formats/<format NAME>/<page>`` and beside it
``<page>.golden.json``::

    {"url": "<the URL the page is parsed as>", "film_argument": null, "film_key": null,
     "items": [{"type": "FilmSummaryItem", ...}, {"type": "ReviewItem", ...}, ...]}

Items are recorded as ``parse`` yields them, BEFORE normalization (raw page text:
``By Odile Varga``, ``Mar 2, 2024``, ``3.5/4``); normalization has its own tests.
The URL matters: film identity and follow-ups come from it; ``film_argument``
and ``film_key`` are the crawl's ``-a film=`` and the linking page's film key
(``Page`` fields), null when the page is fetched on its own.

To regenerate after an intended change (then review the diff!)::

    REVIEWCRAWLER_UPDATE_GOLDENS=1 .venv/bin/pytest -q tests/formats/test_golden.py

A new page without a golden file gets one, parsed as its ``file://`` URL; set
its ``url`` by hand and regenerate when the format needs a site URL.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from reviewcrawler.formats import Output
from reviewcrawler.formats.page import Page
from tests.conftest import FIXTURES

FORMAT_FIXTURES = FIXTURES / "formats"
SUFFIX = ".golden.json"
UPDATE = os.environ.get("REVIEWCRAWLER_UPDATE_GOLDENS", "") not in ("", "0")


def fixture_pages() -> list[Path]:
    return sorted(
        path
        for path in FORMAT_FIXTURES.glob("*/*")
        if path.is_file() and not path.name.endswith(SUFFIX) and not path.name.startswith(".")
    )


def golden_path(page: Path) -> Path:
    return page.with_name(page.name + SUFFIX)


def as_record(output: Output) -> dict[str, Any]:
    return {"type": type(output).__name__, **asdict(output)}


def read_golden(page: Path) -> dict[str, Any] | None:
    path = golden_path(page)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def page_for(fixture: Path, golden: dict[str, Any] | None) -> Page:
    url = (golden or {}).get("url") or fixture.resolve().as_uri()
    return Page(
        url=url,
        text=fixture.read_text(encoding="utf-8"),
        film_argument=(golden or {}).get("film_argument"),
        film_key=(golden or {}).get("film_key"),
    )


def write_golden(fixture: Path, page: Page, records: list[dict[str, Any]]) -> None:
    document = {
        "url": page.url,
        "film_argument": page.film_argument,
        "film_key": page.film_key,
        "items": records,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    golden_path(fixture).write_text(text, encoding="utf-8")
