"""Closing output and feed exports at size, run by hand (not a test):
``.venv/bin/python benchmarks/closing_and_feeds.py [--films 100000]``.

1. ``closing_lines`` (reviewcrawler/closing_output.py) over a SQLite store whose run
   touched N films (default 100,000; every 10th inconsistent): seconds, and the
   number of lines (STORE_SUMMARY_LINES + 4 at most, whatever N).
2. PageFeedExporter's ``item_scraped`` (reviewcrawler/feeds.py) for pages of 40
   reviews and a summary into a CSV feed of reviews and a CSV feed of films:
   reviews/s, the extension's cost per review beside a crawl's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewcrawler.closing_output import closing_lines  # noqa: E402
from reviewcrawler.items import FilmSummaryItem, PageItems, ReviewItem  # noqa: E402
from reviewcrawler.store.models import CrawlRunFilm, Film, FilmSummary  # noqa: E402
from reviewcrawler.store.open import open_store  # noqa: E402
from reviewcrawler.store.runs import start_run  # noqa: E402


def closing_at_size(films: int, folder: Path) -> None:
    engine = open_store(f"sqlite:///{folder / 'closing.db'}")
    run_id = start_run(engine, "reviews", {})
    with engine.begin() as connection:
        connection.execute(
            insert(Film.__table__),
            [
                {"id": n + 1, "key": f"bench:film-{n:06d}", "title": f"Film {n}"}
                for n in range(films)
            ],
        )
        connection.execute(
            insert(FilmSummary.__table__),
            [
                {"film_id": n + 1, "review_count": n % 40, "consistent": n % 10 != 3}
                for n in range(films)
            ],
        )
        connection.execute(
            insert(CrawlRunFilm.__table__),
            [
                {"run_id": run_id, "film_id": n + 1, "reviewed": True, "reviews_new": n % 40}
                for n in range(films)
            ],
        )
    stats = {"store/reviews_new": sum(n % 40 for n in range(films))}
    started = time.perf_counter()
    lines = closing_lines(engine, run_id, stats, limit=20)
    elapsed = time.perf_counter() - started
    print(f"closing_lines over {films:,} films: {elapsed:.3f} s, {len(lines)} lines")
    print("  " + lines[-3])


def feeds_throughput(folder: Path, pages: int = 2_000, per_page: int = 40) -> None:
    from scrapy.utils.test import get_crawler

    from reviewcrawler.feeds import PageFeedExporter
    from reviewcrawler.spiders.reviews import ReviewsSpider

    feeds = {
        str(folder / "reviews.csv"): {"format": "csv"},
        str(folder / "films.csv"): {"format": "csv"},
    }
    crawler = get_crawler(
        ReviewsSpider,
        {"FEEDS": feeds, "FEED_RECENT_FILMS": 10_000, "FEED_EXPORT_ENCODING": "utf-8"},
    )
    spider = crawler._create_spider()
    exporter = PageFeedExporter(crawler)
    exporter.open_spider(spider)
    batch = []
    for p in range(pages):
        key = f"bench:film-{p}"
        url = f"http://127.0.0.1/movie/film-{p}/critic-reviews"
        reviews = [
            ReviewItem(key, url, critic=f"Critic {r}", publication=f"Pub {r}", original_score="80",
                       score=80, sentiment="positive", published_on="2024-01-02",
                       quote=f"Review {r} of film {p}: a quiet picture.", fingerprint=f"{p}-{r}")
            for r in range(per_page)
        ]  # fmt: skip
        batch.append(PageItems(url, "bench", [FilmSummaryItem(key, url, title=f"F{p}")], reviews))
    started = time.perf_counter()
    for page in batch:
        exporter.item_scraped(page, spider)
    elapsed = time.perf_counter() - started
    for slot in exporter.slots:
        slot.finish_exporting()
    reviews = pages * per_page
    print(
        f"PageFeedExporter, 2 CSV feeds: {reviews:,} reviews + {pages:,} summaries in "
        f"{elapsed:.2f} s: {reviews / elapsed:,.0f} reviews/s, "
        f"{elapsed / reviews * 1e6:.1f} µs a review"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=100_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        closing_at_size(options.films, Path(folder))
        feeds_throughput(Path(folder))


if __name__ == "__main__":
    main()
