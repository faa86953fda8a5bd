"""End to end: what re-crawls record (runs, changes, gone reviews, snapshots), and two
crawls writing one PostgreSQL database at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.models import CrawlRun, Film, Review, ReviewChange, SummarySnapshot
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.summaries import load_summaries
from tests.conftest import SAMPLE
from tests.support.crawl import PROJECT, run_crawl
from tests.support.server import FixtureServer, Reply

LANTERN = SAMPLE / "lantern-keeper-2011-critic-reviews.txt"
LANTERN_KEY = "film:the-lantern-keeper-2011"
OSEI_QUOTE = "The Lantern Keeper takes its time -- maybe too much of it -- but the final"


def edited_lantern() -> str:
    """The sample page a day later: Harriet Osei reworded her quote, Marcus Bell's review
    was withdrawn (and the stated count follows)."""
    text = LANTERN.read_text(encoding="utf-8")
    text = text.replace(OSEI_QUOTE, "The Lantern Keeper takes its time, then earns it: the final")
    text = text.replace("based on 8 Critics", "based on 7 Critics")
    head, _, _ = text.partition("  8. Reviewed by: Marcus Bell")
    return head


def serve(server: FixtureServer, body: str) -> None:
    server.route("/lantern", Reply(200, body.encode(), {"Content-Type": "text/plain"}))


def rows(engine: Engine, table: object) -> list:
    with engine.connect() as connection:
        return connection.execute(select(table).order_by(*table.primary_key.columns)).all()


def test_recrawl_records_the_run_the_change_and_the_gone_review(
    sqlite_url: str, sqlite_engine: Engine
) -> None:
    with FixtureServer() as server:
        arguments = ("-a", f"url={server.url('/lantern')}", "-a", "film=The Lantern Keeper (2011)")
        serve(server, LANTERN.read_text(encoding="utf-8"))
        first = run_crawl(*arguments, database_url=sqlite_url)
        assert first.returncode == 0, first.stderr
        serve(server, edited_lantern())
        second = run_crawl(*arguments, database_url=sqlite_url)
        assert second.returncode == 0, second.stderr
    # The per-film summary line is still printed at the end of each crawl.
    assert any(line.startswith("The Lantern Keeper (2011)") for line in second.stdout.splitlines())

    runs = rows(sqlite_engine, CrawlRun.__table__)
    assert [(r.id, r.spider, r.finish_reason) for r in runs] == [
        (1, "reviews", "finished"),
        (2, "reviews", "finished"),
    ]
    assert runs[0].arguments["spider"] == {
        "url": server.url("/lantern"),
        "film": "The Lantern Keeper (2011)",
    }
    assert (runs[0].reviews_new, runs[0].pages, runs[0].films, runs[0].errors) == (8, 1, 1, 0)
    assert (runs[1].reviews_new, runs[1].reviews_changed, runs[1].reviews_unchanged) == (0, 1, 6)
    assert runs[1].reviews_gone == 1
    assert all(r.started_at <= r.finished_at for r in runs)

    stored = rows(sqlite_engine, Review.__table__)
    assert len(stored) == 8  # the withdrawn review is kept
    reviews = {r.critic: r for r in stored}
    assert (reviews["Marcus Bell"].gone_run, reviews["Marcus Bell"].last_seen_run) == (2, 1)
    osei = reviews["Harriet Osei"]
    assert osei.quote.startswith("The Lantern Keeper takes its time, then earns it")
    assert (osei.first_seen_run, osei.last_seen_run, osei.gone_run) == (1, 2, None)
    (change,) = rows(sqlite_engine, ReviewChange.__table__)
    assert (change.review_id, change.run_id, change.field) == (osei.id, 2, "quote")
    assert change.old_value.startswith(OSEI_QUOTE) and change.new_value == osei.quote

    (summary,) = load_summaries(sqlite_engine)
    assert (summary.review_count, summary.stated_critic_count, summary.consistent) == (7, 7, True)
    snapshots = rows(sqlite_engine, SummarySnapshot.__table__)
    assert [(s.run_id, s.review_count, s.stated_critic_count) for s in snapshots] == [
        (1, 8, 8),
        (2, 7, 7),
    ]


def test_a_crawl_with_a_failed_page_marks_nothing_gone(
    sqlite_url: str, sqlite_engine: Engine, tmp_path: Path
) -> None:
    with FixtureServer() as server:
        film = ("-a", "film=The Lantern Keeper (2011)")
        serve(server, LANTERN.read_text(encoding="utf-8"))
        assert run_crawl("-a", f"url={server.url('/lantern')}", *film, database_url=sqlite_url)
        serve(server, edited_lantern())
        targets = tmp_path / "targets.txt"
        targets.write_text(f"{server.url('/lantern')}\n{server.url('/missing-page')}\n")
        run_crawl("-a", f"urls_file={targets}", *film, database_url=sqlite_url)
    runs = rows(sqlite_engine, CrawlRun.__table__)
    assert len(runs) == 2
    assert runs[1].error_details.get("pages/failed") == 1 and runs[1].reviews_gone == 0
    reviews = {r.critic: r for r in rows(sqlite_engine, Review.__table__)}
    assert reviews["Marcus Bell"].gone_run is None


def _crawl_process(database_url: str, *arguments: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "reviews", *arguments]
    command += ["-s", f"DATABASE_URL={database_url}", "-s", "LOG_LEVEL=INFO"]
    environment = {k: v for k, v in os.environ.items() if k != "REVIEWCRAWLER_DATABASE_URL"}
    return subprocess.Popen(
        command,
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_simultaneous_crawls_into_one_postgresql_database(
    postgres_url: str, tmp_path: Path
) -> None:
    engine = get_engine(postgres_url)
    upgrade(engine)
    with FixtureServer(SAMPLE) as server:
        both = tmp_path / "both.txt"
        both.write_text(
            f"{server.url('/movie/the-quiet-harbour')}\n{server.url('/' + LANTERN.name)}\n"
        )
        reversed_order = tmp_path / "reversed.txt"
        reversed_order.write_text(
            f"{server.url('/' + LANTERN.name)}\n{server.url('/movie/the-quiet-harbour')}\n"
        )
        # Started together; each crawls both films, so every review is written twice.
        crawls = [
            _crawl_process(postgres_url, "-a", f"urls_file={both}"),
            _crawl_process(postgres_url, "-a", f"urls_file={reversed_order}"),
        ]
        outputs = [crawl.communicate(timeout=180) for crawl in crawls]
    for crawl, (_, stderr) in zip(crawls, outputs, strict=True):
        assert crawl.returncode == 0, stderr
        assert "Traceback" not in stderr

    with engine.connect() as connection:
        reviews = Review.__table__
        total = connection.execute(select(func.count()).select_from(reviews)).scalar_one()
        distinct = connection.execute(
            select(func.count(reviews.c.fingerprint.distinct()))
        ).scalar_one()
        films = connection.execute(select(func.count()).select_from(Film.__table__)).scalar_one()
    assert (total, distinct, films) == (17, 17, 2)

    runs = rows(engine, CrawlRun.__table__)
    assert len(runs) == 2 and all(r.finish_reason == "finished" for r in runs)
    # Every review is counted new by exactly one of the crawls, unchanged by the other.
    assert sum(r.reviews_new for r in runs) == 17
    assert all(r.reviews_new + r.reviews_unchanged == 17 for r in runs)
    assert all(r.reviews_changed == 0 and r.reviews_gone == 0 for r in runs)
    # No lost update: both sightings are kept, the later run's wins.
    stored = rows(engine, Review.__table__)
    assert {r.last_seen_run for r in stored} == {max(r.id for r in runs)}
    assert all(r.gone_run is None for r in stored)

    summaries = {s.key: s for s in load_summaries(engine)}
    harbour = summaries["metacritic:the-quiet-harbour"]
    assert (harbour.review_count, harbour.scored_count, harbour.consistent) == (9, 9, True)
    assert harbour.mean_score == round(578 / 9, 2)
    lantern = summaries["film:the-lantern-keeper-2011"]
    assert (lantern.review_count, lantern.consistent) == (8, True)
    snapshots = rows(engine, SummarySnapshot.__table__)
    assert sorted((s.run_id, s.review_count) for s in snapshots) == sorted(
        (run.id, count) for run in runs for count in (8, 9)
    )
