"""The ``reviewcrawler`` command against stores filled in-process (two crawl runs)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reviewcrawler.cli import main
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.history import mark_gone, snapshot_summaries
from reviewcrawler.store.runs import RunOutcome, finish_run, start_run
from reviewcrawler.store.schema import BACKBONE_REVISION, upgrade
from reviewcrawler.store.summaries import refresh_summaries
from reviewcrawler.store.writer import StoreWriter

TIDE = "metacritic:tide-clock"
MOTH = "film:moth-season-2018"


def review(film: str, critic: str, score: int, quote: str) -> ReviewItem:
    sentiment = "positive" if score > 60 else "mixed" if score >= 40 else "negative"
    return ReviewItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        critic=critic,
        publication="Weekly Reel",
        original_score=str(score),
        score=score,
        sentiment=sentiment,
        published_on="2021-02-03",
        quote=quote,
        fingerprint=review_fingerprint(film, "Weekly Reel", critic, quote),
    )


def summary(film: str, title: str, year: int, critics: int, metascore: int) -> FilmSummaryItem:
    return FilmSummaryItem(
        film_key=film,
        source_url="http://127.0.0.1/x",
        title=title,
        year=year,
        stated_label="Generally favorable",
        stated_critic_count=critics,
        stated_metascore=metascore,
        stated_positive=critics,
        stated_mixed=0,
        stated_negative=0,
    )


def crawl_run(url: str, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]) -> None:
    engine = get_engine(url)
    run_id = start_run(engine, "reviews", {"spider": {"url": "http://127.0.0.1/x"}})
    result = StoreWriter(engine, run_id).write_batch(summaries, reviews)
    gone = mark_gone(engine, run_id, result.reviewed_film_ids)
    refresh_summaries(engine, result.film_ids)
    snapshot_summaries(engine, run_id, result.film_ids)
    finish_run(
        engine,
        run_id,
        RunOutcome(
            finish_reason="finished",
            reviews_new=result.new,
            reviews_changed=result.changed,
            reviews_unchanged=result.unchanged,
            reviews_gone=gone,
        ),
    )


@pytest.fixture
def filled(store_url: str) -> Iterator[str]:
    """Run 1: Tide Clock (3 reviews) and Moth Season (1). Run 2: Tide Clock again, one
    score changed, one review gone, one new; the metascore moved from 70 to 74."""
    upgrade(get_engine(store_url))
    tide = [
        review(TIDE, "Ada Quill", 85, "Ticks with real feeling."),
        review(TIDE, "Bo Marsh", 55, "Handsome, slack."),
        review(TIDE, "Cass Dunn", 30, "Winds down early."),
    ]
    crawl_run(
        store_url,
        [summary(TIDE, "Tide Clock", 2021, 3, 70), summary(MOTH, "Moth Season", 2018, 1, 60)],
        [*tide, review(MOTH, "Dev Ortiz", 62, "Flutters, mostly.")],
    )
    crawl_run(
        store_url,
        [summary(TIDE, "Tide Clock", 2021, 3, 74)],
        [
            tide[0],
            review(TIDE, "Bo Marsh", 65, "Handsome, slack."),
            review(TIDE, "Eli Fenn", 90, "A marvel."),
        ],
    )
    yield store_url


def run(*arguments: str) -> Result:
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def test_summary_table_and_json(filled: str) -> None:
    table = run("summary", "--database-url", filled)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["title", "year", "key"]
    tide_line = next(line for line in lines if TIDE in line)
    assert "Tide Clock" in tide_line and "74" in tide_line and "3/3" in tide_line
    assert any("Moth Season" in line for line in lines)

    data = json.loads(run("summary", "Tide Clock", "--json", "--database-url", filled).stdout)
    assert [row["key"] for row in data] == [TIDE]
    (tide,) = data
    assert (tide["review_count"], tide["stated_metascore"], tide["consistent"]) == (3, 74, True)
    assert tide["mean_score"] == round((85 + 65 + 90) / 3, 2)
    assert tide["computed_label"] == "Generally favorable"  # mean 80


def test_film_by_key_title_or_title_and_year(filled: str) -> None:
    for name in (MOTH, "moth season", "Moth Season (2018)"):
        data = json.loads(run("summary", name, "--json", "--database-url", filled).stdout)
        assert [row["key"] for row in data] == [MOTH]
    missing = CliRunner().invoke(main, ["summary", "Nope", "--database-url", filled])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Error: no film with key or title 'Nope'"


def test_reviews_with_sentiment_filter(filled: str) -> None:
    data = json.loads(run("reviews", TIDE, "--json", "--database-url", filled).stdout)
    assert [r["critic"] for r in data["reviews"]] == ["Eli Fenn", "Ada Quill", "Bo Marsh"]
    positive = run(
        "reviews", "Tide Clock", "--sentiment", "positive", "--json", "--database-url", filled
    )
    assert {r["score"] for r in json.loads(positive.stdout)["reviews"]} == {90, 85, 65}
    negative = run(
        "reviews", TIDE, "--sentiment", "negative", "--include-gone", "--database-url", filled
    )
    assert "Cass Dunn" in negative.stdout and "[gone]" in negative.stdout


def test_history_shows_the_metascore_moving(filled: str) -> None:
    data = json.loads(run("history", TIDE, "--json", "--database-url", filled).stdout)
    assert [(s["run_id"], s["stated_metascore"], s["review_count"]) for s in data["snapshots"]] == [
        (1, 70, 3),
        (2, 74, 3),
    ]
    text = run("history", "Tide Clock", "--database-url", filled).stdout
    assert "2 snapshots" in text


def test_runs_lists_newest_first(filled: str) -> None:
    data = json.loads(run("runs", "--json", "--database-url", filled).stdout)
    assert [(r["id"], r["reviews_new"], r["reviews_changed"], r["reviews_gone"]) for r in data] == [
        (2, 1, 1, 1),
        (1, 4, 0, 0),
    ]
    assert "finished" in run("runs", "--database-url", filled).stdout


def test_compare_two_runs(filled: str) -> None:
    data = json.loads(run("compare", "1", "2", "--json", "--database-url", filled).stdout)
    assert [r["critic"] for r in data["added"]] == ["Eli Fenn"]
    assert [r["critic"] for r in data["gone"]] == ["Cass Dunn"]
    assert {(c["critic"], c["field"], c["old_value"], c["new_value"]) for c in data["changed"]} >= {
        ("Bo Marsh", "score", "55", "65")
    }
    (delta,) = data["summaries"]
    assert delta["film"] == TIDE
    assert delta["changes"]["stated_metascore"] == {"before": 70, "after": 74}
    text = run("compare", "1", "2", "--database-url", filled).stdout
    assert "1 reviews added" in text and "1 reviews gone" in text
    unknown = CliRunner().invoke(main, ["compare", "1", "9", "--database-url", filled])
    assert unknown.exit_code == 1 and "no crawl run 9" in unknown.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_reviews_and_summaries(filled: str, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"reviews.{fmt}"
    result = run(
        "export", "--what", "reviews", "--format", fmt, "--out", str(out), "--database-url", filled
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(text)))
    elif fmt == "json":
        records = json.loads(text)
    else:
        records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == 5  # gone reviews are exported too, with gone_run
    eli = next(r for r in records if r["critic"] == "Eli Fenn")
    assert (eli["film_key"], str(eli["score"]), eli["published_on"]) == (TIDE, "90", "2021-02-03")
    summaries = run("export", "--what", "summaries", "--format", fmt, "--database-url", filled)
    assert summaries.exit_code == 0
    assert TIDE in summaries.stdout and MOTH in summaries.stdout


def test_db_current_and_upgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    try:
        missing = CliRunner().invoke(main, ["db", "current", "--database-url", url])
        assert missing.exit_code == 1 and "does not exist" in missing.stderr
        upgrade(get_engine(url), BACKBONE_REVISION)
        behind = run("db", "current", "--database-url", url).stdout
        assert BACKBONE_REVISION in behind and "reviewcrawler db upgrade" in behind
        upgraded = run("db", "upgrade", "--database-url", url)
        assert upgraded.exit_code == 0 and "-> revision" in upgraded.stdout
        assert "(current)" in run("db", "current", "--database-url", url).stdout
        assert "already at" in run("db", "upgrade", "--database-url", url).stdout
    finally:
        dispose_engine(url)


def test_reading_commands_refuse_a_database_that_is_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    try:
        upgrade(get_engine(url), BACKBONE_REVISION)
        result = CliRunner().invoke(main, ["summary", "--database-url", url])
        assert result.exit_code == 1 and "reviewcrawler db upgrade" in result.stderr
    finally:
        dispose_engine(url)


def test_default_database_url_is_the_crawlers(
    filled: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REVIEWCRAWLER_DATABASE_URL", filled)
    assert TIDE in run("summary").stdout
    monkeypatch.delenv("REVIEWCRAWLER_DATABASE_URL")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["runs"])
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"{tmp_path / 'reviews.db'} does not exist")
    assert not (tmp_path / "reviews.db").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "Invalid database URL"),
        ("postgresql+psycopg://reader:s3cret-pw@127.0.0.1:9/reviews", "reader:***@127.0.0.1:9"),
        ("mysql://reader:s3cret-pw@127.0.0.1:9/reviews", "Cannot use database"),
    ],
)
def test_bad_database_is_one_line_without_traceback_or_password(url: str, expected: str) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "reviewcrawler.cli", "summary", "--database-url", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert process.returncode == 1
    assert len(process.stderr.strip().splitlines()) == 1, process.stderr
    assert expected in process.stderr
    assert "s3cret-pw" not in process.stderr + process.stdout
