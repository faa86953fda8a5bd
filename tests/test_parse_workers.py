"""Pages read in a worker process store, count and log exactly what pages read in-process do."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import create_engine

from reviewcrawler.formats import ParsedPage
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FollowUp
from reviewcrawler.parse_workers import PageParser
from reviewcrawler.reading import read_page
from reviewcrawler.spiders.reviews import ReviewsSpider
from reviewcrawler.store.engine import dispose_engine
from tests.conftest import FIXTURES, SAMPLE
from tests.support.crawl import run_crawl
from tests.support.server import FixtureServer, Reply
from tests.support.stats import crawl_stats
from tests.support.tables import table_rows

BAD = FIXTURES / "bad"
LEGACY = SAMPLE / "movie/the-quiet-harbour/critic-reviews"


def pages() -> list[Page]:
    """The bad-input corpus (unreadable scores and dates, empty reviews, markup in
    names) and a legacy critic-reviews page, as the spider would hand them over."""
    found = [
        Page(url=f"http://127.0.0.1/movie/{path.stem}/critic-reviews",
             text=path.read_text("utf-8", "replace"))
        for path in sorted(BAD.iterdir())
    ]  # fmt: skip
    found.append(
        Page(url="http://127.0.0.1/movie/the-quiet-harbour/critic-reviews",
             text=(LEGACY / "index.html").read_text("utf-8"))
    )  # fmt: skip
    return found


def crawler_for(**settings: Any) -> Any:
    crawler = get_crawler(ReviewsSpider, settings)
    crawler.stats.open_spider()
    return crawler


def recorded(parsed: ParsedPage) -> tuple[list[Any], dict[str, Any], list[str]]:
    """What the spider records of a read page: the items the store would get, the stats
    and the log lines."""
    items = [o for o in parsed.outputs if not isinstance(o, FollowUp)]
    return items, dict(parsed.findings.stats), [m for _, m in parsed.findings.messages]


def read_in_worker(parser: PageParser, inputs: list[Page]) -> list[ParsedPage]:
    async def read() -> list[ParsedPage]:
        parser.start()
        assert await parser.wait_until_running()
        try:
            return [await parser.parse(page) for page in inputs]
        finally:
            parser.stop()

    return asyncio.run(read())


def test_a_worker_reads_every_page_as_the_crawl_process_would() -> None:
    crawler = crawler_for(PARSE_PROCESSES=1)
    parser = PageParser.from_crawler(crawler)
    inputs = pages()
    via_worker = read_in_worker(parser, inputs)
    assert crawler.stats.get_value("parse_workers/pages") == len(inputs)
    assert crawler.stats.get_value("parse_workers/inline") is None
    seen_findings = 0
    for page, worker_page in zip(inputs, via_worker, strict=True):
        fresh = Page(url=page.url, text=page.text)
        in_process = read_page(fresh, parser.coverage_fields)
        assert worker_page.format_name == in_process.format_name
        assert worker_page.reviews_found == in_process.reviews_found
        assert [o for o in worker_page.outputs if isinstance(o, FollowUp)] == [
            o for o in in_process.outputs if isinstance(o, FollowUp)
        ]
        assert recorded(worker_page) == recorded(in_process)
        seen_findings += sum(
            v for k, v in worker_page.findings.stats.items() if k.startswith("normalize/")
        )
    # The corpus does exercise the findings: unreadable fields, rejections, no quote.
    assert seen_findings >= 10


def test_a_dead_worker_leaves_the_rest_of_the_crawl_to_the_crawl_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = crawler_for(PARSE_PROCESSES=1)
    parser = PageParser.from_crawler(crawler)
    page = pages()[-1]

    async def read() -> list[ParsedPage]:
        parser.start()
        assert await parser.wait_until_running()
        for pid in parser.worker_pids():
            os.kill(pid, signal.SIGKILL)
        try:
            return [await parser.parse(Page(url=page.url, text=page.text)) for _ in range(2)]
        finally:
            parser.stop()

    with caplog.at_level(logging.WARNING):
        first, second = asyncio.run(read())
    expected = recorded(read_page(Page(url=page.url, text=page.text), parser.coverage_fields))
    assert recorded(first) == expected
    assert recorded(second) == expected
    assert crawler.stats.get_value("parse_workers/broken") == 1
    assert crawler.stats.get_value("parse_workers/inline") == 2
    assert "A parse worker process died" in caplog.text


def stored(database_url: str) -> dict[str, list[dict[str, Any]]]:
    """Films, reviews and summaries by film key and fingerprint (ids depend on timing)."""
    engine = create_engine(database_url)
    try:
        films = {row["id"]: row for row in table_rows(engine, "films")}
        key = {film_id: row["key"] for film_id, row in films.items()}
        return {
            "films": sorted(({**r, "id": None} for r in films.values()), key=lambda r: r["key"]),
            "reviews": sorted(
                (
                    {**r, "id": None, "film_id": key[r["film_id"]]}
                    for r in table_rows(engine, "reviews")
                ),
                key=lambda r: r["fingerprint"],
            ),  # fmt: skip
            "film_summaries": sorted(
                (
                    {**r, "film_id": key[r["film_id"]]}
                    for r in table_rows(engine, "film_summaries", "film_id")
                ),
                key=lambda r: r["film_id"],
            ),  # fmt: skip
        }
    finally:
        dispose_engine(engine)


def test_a_crawl_with_a_parse_worker_stores_and_counts_what_one_without_does(
    tmp_path: Path,
) -> None:
    def slow_first_page(*_: object) -> Reply:
        time.sleep(3)  # the worker starts meanwhile, so every page goes to it
        body = (LEGACY / "index.html").read_bytes()
        return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

    outcomes = {}
    with FixtureServer(BAD) as server:
        server.route("/movie/the-quiet-harbour/critic-reviews", slow_first_page)
        targets = tmp_path / "targets.txt"
        urls = [server.url("/movie/the-quiet-harbour/critic-reviews")]
        urls += [server.url(f"/{path.name}") for path in sorted(BAD.iterdir())]
        targets.write_text("\n".join(urls) + "\n")
        for processes in (0, 1):
            database_url = f"sqlite:///{tmp_path / f'workers-{processes}.db'}"
            result = run_crawl(
                "-a",
                f"urls_file={targets}",
                database_url=database_url,
                settings={"PARSE_PROCESSES": str(processes), "CONCURRENT_REQUESTS": "1"},
            )
            assert "Traceback" not in result.stderr, result.stderr
            outcomes[processes] = (result, crawl_stats(result), stored(database_url))
    (plain, plain_stats, plain_rows), (pooled, pooled_stats, pooled_rows) = (
        outcomes[0], outcomes[1],
    )  # fmt: skip
    assert plain.returncode == pooled.returncode == 1  # the corpus fails the drift monitor
    assert pooled_stats.get("parse_workers/pages", 0) >= len(urls) - 1
    assert plain_stats.get("parse_workers/pages") is None
    assert pooled_rows == plain_rows
    assert len(plain_rows["reviews"]) == 37
    watched = ("normalize/", "coverage/", "pages/", "store/reviews", "spidermon/validation/")
    assert {k: v for k, v in pooled_stats.items() if k.startswith(watched)} == {
        k: v for k, v in plain_stats.items() if k.startswith(watched)
    }
    marker = "[reviewcrawler.reading] "

    def normalize_log(stderr: str) -> list[str]:
        return sorted(line.split(marker, 1)[1] for line in stderr.splitlines() if marker in line)

    assert len(normalize_log(pooled.stderr)) >= 10
    assert normalize_log(pooled.stderr) == normalize_log(plain.stderr)
