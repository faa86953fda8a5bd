from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import signals
from scrapy.utils.test import get_crawler

from reviewcrawler.commands.crawl import arguments_help, job_arguments
from reviewcrawler.spiders.reviews import ReviewsSpider, UnknownSpiderArgument
from reviewcrawler.targets import (
    TargetError,
    folder_files,
    read_targets_file,
    resolve_targets,
)
from tests.support.crawl import run_crawl


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


def saved_folder(root: Path) -> Path:
    folder = root / "saved"
    for relative in ("b/two.html", "a/one.txt", "a/z/three.json", "zz.txt", ".DS_Store",
                     ".git/config", "a/.hidden.html"):  # fmt: skip
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(relative)
    return folder


def test_a_folder_is_every_file_under_it_in_path_order(tmp_path: Path) -> None:
    folder = saved_folder(tmp_path)
    expected = [folder / p for p in ("a/one.txt", "a/z/three.json", "b/two.html", "zz.txt")]
    assert folder_files(folder) == expected
    uris = [path.resolve().as_uri() for path in expected]
    assert resolve_targets(str(folder), None, "unused").urls == uris
    assert resolve_targets(folder.as_uri(), None, "unused").urls == uris  # a file:// folder
    assert resolve_targets(str(folder) + "/", None, "unused").urls == uris


def test_an_empty_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(TargetError, match="No file to crawl under the folder"):
        resolve_targets(str(tmp_path / "empty"), None, "unused")


def test_the_spider_refuses_unknown_arguments_and_accepts_the_schedulers() -> None:
    assert ReviewsSpider.unknown_arguments(["url", "ulr", "_job", "_version", "film"]) == ["ulr"]
    with pytest.raises(UnknownSpiderArgument, match="ulr.*takes url, urls_file, film"):
        ReviewsSpider(ulr="x")
    assert ReviewsSpider(url="x", _job="j")._job == "j"


def test_help_lists_every_argument_with_its_meaning() -> None:
    text = arguments_help({"reviews": ReviewsSpider.arguments})
    for name in ReviewsSpider.arguments:
        assert f"\n  {name} " in text
    assert "a folder: every file under it" in text
    assert all(len(line) <= 79 for line in text.splitlines())


def test_the_schedulers_arguments_make_no_job_of_their_own() -> None:
    assert job_arguments({"urls_file": "t.txt", "_job": "abc123"}) == {"urls_file": "t.txt"}


def test_scrapy_crawl_refuses_an_unknown_argument_with_status_2(tmp_path: Path) -> None:
    result = run_crawl("-a", "ulr=x", database_url=f"sqlite:///{tmp_path / 'never.db'}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "reviewcrawler: unknown argument -a ulr=...: the reviews spider takes "
        "url, urls_file, film (see scrapy crawl --help)"
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "never.db").exists()  # refused before anything started


def test_scrapy_crawl_help_lists_the_spiders_arguments() -> None:
    result = run_crawl("--help")
    assert result.returncode == 0
    assert "Arguments of the reviews spider (-a NAME=VALUE):" in result.stdout
    for name in ReviewsSpider.arguments:
        assert f"\n  {name} " in result.stdout


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
