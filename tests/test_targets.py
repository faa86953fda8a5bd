from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from reviewcrawler.spiders.reviews import ReviewsSpider
from reviewcrawler.targets import TargetError, read_targets_file, resolve_targets


def test_targets_file_skips_comments_and_reports_bad_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("x")
    targets = tmp_path / "targets.txt"
    targets.write_text(
        "# nightly list\n"
        "https://www.metacritic.com/movie/her  # the legacy one\n"
        "\n"
        "https://www.metacritic.com/movie/arrival/critic-reviews#top\n"
        f"{page}\n"
        "ftp://example.org/x\n"
        "not a url\n"
    )
    result = read_targets_file(str(targets))
    assert result.urls == [
        "https://www.metacritic.com/movie/her",
        "https://www.metacritic.com/movie/arrival/critic-reviews#top",
        page.resolve().as_uri(),
    ]
    assert [(number, text) for number, text, _ in result.rejected] == [
        (6, "ftp://example.org/x"),
        (7, "not a url"),
    ]


def test_missing_targets_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="Cannot read targets file"):
        resolve_targets(None, str(tmp_path / "absent.txt"), str(tmp_path))


def test_bad_url_argument_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="Cannot crawl"):
        resolve_targets("mailto:someone", None, str(tmp_path))


class BusyEngine:
    """An engine whose downloader is full until told otherwise."""

    def __init__(self) -> None:
        self.full = True

    def needs_backout(self) -> bool:
        return self.full


def test_start_urls_wait_while_the_engine_is_full(tmp_path: Path) -> None:
    """A long targets file is not poured into the scheduler: each start request waits
    while the downloader is full, until the scheduler has run dry."""
    targets = tmp_path / "targets.txt"
    targets.write_text("".join(f"http://127.0.0.1/movie/f{i}/critic-reviews\n" for i in range(3)))
    crawler = get_crawler(ReviewsSpider)
    crawler.stats.open_spider()
    crawler.spider = spider = crawler._create_spider(urls_file=str(targets))
    engine = BusyEngine()
    crawler.engine = engine  # type: ignore[assignment]

    async def drive() -> list[str]:
        start = spider.start()
        pending = asyncio.ensure_future(anext(start))
        await asyncio.sleep(0.05)
        assert not pending.done()  # the downloader is full: nothing taken yet
        crawler.signals.send_catch_log(signals.scheduler_empty)
        urls = [(await pending).url]
        engine.full = False
        urls += [request.url async for request in start]
        return urls

    assert asyncio.run(drive()) == [f"http://127.0.0.1/movie/f{i}/critic-reviews" for i in range(3)]
