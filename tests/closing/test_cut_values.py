"""Values cut or dropped are said where a user looks: one warning at close and one closing
line, each naming the field (or reason) and the count, even at ``LOG_LEVEL=WARNING``, the
level of scheduled crawls. A value cut is otherwise logged at INFO only, and dropped
characters not at all.

The crawl is real: a folder holding one plain-text page written here, with two critic
names of 400 characters (the column holds 300), a quote with NUL characters and a score
that reads as nothing.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, create_engine

from reviewcrawler.closing_output import CutValues, cut_values_line
from reviewcrawler.limits import FIELD_LENGTHS, TRUNCATION_MARK
from tests.support.crawl import run_crawl
from tests.support.tables import table_rows

LONG_NAME = ("Bartholomew Quincey-Featherstonehaugh " * 11)[:400]


def page_with_cuts() -> str:
    return "\n".join(
        [
            "Long Names (2020)",
            "Mixed or average reviews - based on 4 Critics",
            "",
            "Critic score distribution:",
            "  1. Positive: 1 out of 4",
            "",
            "Critic Reviews",
            "",
            f"  1. Reviewed by: {LONG_NAME}",
            "    May  1, 2020",
            "    A critic whose name runs on and on.",
            f"  2. Reviewed by: {LONG_NAME[::-1].strip()}",
            "    May  2, 2020",
            "    The same name, backwards, and as long.",
            "  3. Reviewed by: Nul Hypothesis",
            "    May  3, 2020",
            "    A quote\x00 with NUL\x00 bytes\x00 inside.",
            "  4. N/A",
            "    Not scored at all.",
            "",
        ]
    )


@dataclass
class Crawl:
    result: subprocess.CompletedProcess[str]
    engine: Engine


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    root = tmp_path_factory.mktemp("cut-values")
    folder = root / "pages"
    folder.mkdir()
    (folder / "long-names-critic-reviews.txt").write_text(page_with_cuts())
    database_url = f"sqlite:///{root / 'store.db'}"
    result = run_crawl(
        "-a",
        f"url={folder}",
        database_url=database_url,
        settings={
            "HTTPCACHE_ENABLED": "False",
            "LOG_LEVEL": "WARNING",
            # Should the store fail, its dead-letter file stays out of the checkout.
            "STORE_DEAD_LETTER_DIR": str(root / "dead-letter"),
        },
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 0, result.stderr[-3000:]
    engine = create_engine(database_url)
    yield Crawl(result, engine)
    engine.dispose()


EXPECTED = (
    "Values cut or dropped: critic truncated ×2, quote invalid characters ×3, score unreadable ×1"
)


def test_a_warning_level_crawl_names_its_cuts_in_one_warning(crawl: Crawl) -> None:
    log = crawl.result.stderr
    warnings = [line for line in log.splitlines() if "Values cut or dropped" in line]
    assert len(warnings) == 1, log
    assert "WARNING" in warnings[0]
    assert EXPECTED in warnings[0]


def test_the_closing_lines_name_the_cuts_after_the_totals(crawl: Crawl) -> None:
    # Printed, not logged: shown whatever LOG_LEVEL says.
    lines = crawl.result.stdout.splitlines()
    totals = next(i for i, line in enumerate(lines) if line.startswith("Crawl run "))
    assert lines[totals + 1] == EXPECTED
    assert lines[totals + 2].startswith("Every film: ")


def test_the_names_counted_were_cut_to_their_column(crawl: Crawl) -> None:
    long_critics = [
        r["critic"] for r in table_rows(crawl.engine, "reviews") if len(r["critic"] or "") > 100
    ]
    assert len(long_critics) == 2
    assert all(len(c) == FIELD_LENGTHS["critic"] for c in long_critics)
    assert all(c.endswith(TRUNCATION_MARK) for c in long_critics)


def test_the_line_orders_fields_then_rejections_then_the_databases_refusals() -> None:
    stats = {
        "store/rejected/length": 2,
        "normalize/rejected/empty_review": 1,
        "normalize/out_of_range/year": 4,
        "normalize/truncated/title": 1,
        "normalize/dropped_characters/title": 5,
        "normalize/wrong_type/critic": 1,
        "normalize/rejected/some_new_reason": 1,
    }
    assert cut_values_line(stats) == (
        "Values cut or dropped: critic wrong type ×1, title truncated ×1, "
        "title invalid characters ×5, year out of range ×4, empty reviews rejected ×1, "
        "rejected (some_new_reason) ×1, rows refused by the database (length) ×2"
    )


def test_nothing_cut_adds_no_line() -> None:
    stats = {
        "store/reviews_new": 12,
        "normalize/unknown/stated_label": 1,  # kept as found: nothing was cut
        "normalize/missing/quote": 3,
        "normalize/truncated/critic": 0,
        "start_time": "2020-01-01",
    }
    assert cut_values_line(stats) is None


def test_the_extension_warns_once_at_close_and_not_at_all_when_nothing_was_cut(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    extension = CutValues.from_crawler(crawler)
    with caplog.at_level(logging.WARNING):
        extension.spider_closed()
        assert caplog.records == []
        crawler.stats.inc_value("store/rejected/encoding", 3)
        extension.spider_closed()
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "rows refused by the database (encoding) ×3" in record.getMessage()
