"""The report in a real headless Chromium (Debian's, driven by Playwright).

One crawl of the bundled samples plus the injected films of ``stores.py``, one
report, one browser for the module. Every request a page makes is recorded; any
but the report's own ``file://`` pages fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from reviewcrawler.cli import main
from reviewcrawler.report.values import page_name
from reviewcrawler.store.engine import dispose_engine
from tests.report.stores import MERIDIAN, ORCHARD, fill
from tests.support.crawl import run_crawl
from tests.support.tables import table_rows

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE_KEYS = {"metacritic:the-quiet-harbour", "film:the-lantern-keeper-2011"}


def _require_browser() -> Any:
    """Playwright's sync API, or a skip (a failure under CI, which must run these)."""
    reason = None
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is absent (install Debian's chromium, as .ci/run does)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = reason or "playwright is not installed (pip install -e '.[test]')"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run under CI: {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-store') / 'reviews.db'}"
    crawl = run_crawl(database_url=url, settings={"PARSE_PROCESSES": "0"})
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    fill(url)
    yield url
    dispose_engine(url)


@pytest.fixture(scope="module")
def report(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-report")
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--database-url", store])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def stored(store: str) -> dict[str, dict[str, Any]]:
    """Each film's summary row and its listed scored reviews, by key."""
    engine = create_engine(store)
    films = {row["id"]: row["key"] for row in table_rows(engine, "films")}
    summaries = {
        films[row["film_id"]]: row for row in table_rows(engine, "film_summaries", "film_id")
    }
    for row in summaries.values():
        row["scored_listed"] = 0
    for review in table_rows(engine, "reviews"):
        if review["score"] is not None and review["gone_run"] is None:
            summaries[films[review["film_id"]]]["scored_listed"] += 1
    engine.dispose()
    return summaries


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _require_browser()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=BROWSER_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class Recorder:
    """Every request and console error of a browser context; stray requests are aborted."""

    def __init__(self, report: Path) -> None:
        self.own = report.resolve().as_uri() + "/"
        self.requests: list[str] = []
        self.errors: list[str] = []

    def attach(self, context: Any) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", self._console)
        context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.own):
            route.continue_()
        else:
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def strays(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.own)]


@pytest.fixture
def open_page(browser: Any, report: Path) -> Iterator[Any]:
    """``open_page(relative, scripts=True)``: a fresh context's page at that report file."""
    contexts: list[tuple[Any, Recorder]] = []

    def opener(relative: str, scripts: bool = True) -> tuple[Any, Recorder]:
        context = browser.new_context(
            java_script_enabled=scripts, viewport={"width": 1200, "height": 900}
        )
        recorder = Recorder(report)
        recorder.attach(context)
        contexts.append((context, recorder))
        page = context.new_page()
        page.goto((report / relative).resolve().as_uri())
        return page, recorder

    yield opener
    for context, recorder in contexts:
        context.close()
        assert recorder.strays() == [], "the report made requests"
        assert recorder.errors == [], "console errors (a CSP violation?)"


def test_every_film_listed_and_each_page_drawn(
    open_page: Any, stored: dict[str, dict[str, Any]]
) -> None:
    index, recorder = open_page("index.html")
    keys = index.eval_on_selector_all("#films tbody tr", "rows => rows.map(r => r.dataset.key)")
    assert sorted(keys) == sorted(stored) and set(keys) >= SAMPLE_KEYS
    for key, row in stored.items():
        link = index.locator(f"#films tbody tr[data-key='{key}'] a")
        link.click()
        index.wait_for_url("**/films/*")
        assert index.url.endswith("/films/" + page_name(key))
        drawn = index.eval_on_selector_all(
            "#distribution svg rect.bar", "bars => bars.reduce((n, b) => n + +b.dataset.count, 0)"
        )
        assert drawn == row["scored_listed"] == row["scored_count"], key
        shown = index.eval_on_selector_all(
            "#compare td[data-field]:not([data-field=''])",
            "cells => cells.map(c => [c.dataset.field, c.dataset.v, c.innerText])",
        )
        assert shown, key
        for field, value, text in shown:
            expected = row[field]
            if expected is None:
                assert (value, text) == ("", "—"), field
            elif isinstance(expected, float):
                assert float(value) == expected and text.rstrip("%") == f"{expected:g}", field
            else:
                assert value == str(expected) and text.rstrip("%") == str(expected), field
        index.go_back()
    assert index.evaluate("window.__pwned") is None
    assert len(recorder.requests) == 2 * len(stored) + 1  # each page, and the index again


def test_injected_markup_stays_inert(open_page: Any) -> None:
    page, _ = open_page("films/" + page_name(ORCHARD))
    for cell in page.locator("#reviews-table tbody tr", has_text="Pulp & Ink").locator("td").all():
        cell.hover()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert page.locator("#reviews img, #reviews script, #reviews b").count() == 0
    assert page.locator("script").count() == 1
    assert "<script>" in page.locator("h1").inner_text()
    quotes = page.locator("#reviews-table td.quote").all_inner_texts()
    assert any("<img src=x onerror=" in quote for quote in quotes)


def test_sorting_with_script(open_page: Any) -> None:
    index, _ = open_page("index.html")
    index.locator("#films thead th button", has_text="Computed").click()
    values = index.eval_on_selector_all(
        "#films tbody td.computed", "cells => cells.map(c => c.dataset.v)"
    )
    numbers = [float(v) for v in values if v]
    assert numbers == sorted(numbers) and values[len(numbers) :] == [""] * (
        len(values) - len(numbers)
    )
    index.locator("#films thead th button", has_text="Computed").click()
    values = index.eval_on_selector_all(
        "#films tbody td.computed", "cells => cells.map(c => c.dataset.v)"
    )
    assert [float(v) for v in values if v] == sorted(numbers, reverse=True)


def test_filters_work_with_scripts_off(open_page: Any, stored: dict[str, dict[str, Any]]) -> None:
    index, _ = open_page("index.html", scripts=False)
    index.locator("label[for='site-rottentomatoes']").click()
    visible = [
        row.get_attribute("data-key")
        for row in index.locator("#films tbody tr").all()
        if row.is_visible()
    ]
    assert visible == [MERIDIAN]
    index.locator("label[for='site-all']").click()
    index.locator("label[for='agree-no']").click()
    assert not any(row.is_visible() for row in index.locator("#films tbody tr").all())
    index.locator("label[for='agree-all']").click()
    assert all(row.is_visible() for row in index.locator("#films tbody tr").all())
    # The headings stay plain text: sorting is the one thing that needs the script.
    assert index.locator("#films thead button").count() == 0


def test_screenshots_are_not_blank(open_page: Any, tmp_path: Path) -> None:
    from PIL import Image

    for relative, name in (
        ("index.html", "index.png"),
        ("films/" + page_name("metacritic:the-quiet-harbour"), "film.png"),
    ):
        page, _ = open_page(relative)
        path = tmp_path / name
        page.screenshot(path=str(path), full_page=True)
        with Image.open(path) as image:
            assert image.width >= 1000 and image.height >= 400
            colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
            assert colours is not None and len(colours) > 50, name
