"""``reviewcrawler catalogue`` (issue 27): counts, and each title's keys, figures and why."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from reviewcrawler.catalogue.due import DEFAULT_MAX_AGES
from reviewcrawler.catalogue.record import Fetched, finish, record_listed
from reviewcrawler.cli import main
from reviewcrawler.items import ListedTitle
from reviewcrawler.store import catalogue as table
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.schema import upgrade


def test_counts_and_titles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = get_engine(url)
    upgrade(engine)
    now = dt.datetime.now(dt.UTC)
    titles = [
        ListedTitle("metacritic", "game", "alba", "u", title="Alba", score=80, listed_count=9),
        ListedTitle("metacritic", "movie", "brisk", "u", title="Brisk", score=70, listed_count=4),
        ListedTitle("metacritic", "game", "calm", "u", title="Calm", listed_count=0),
    ]
    record_listed(engine, titles, now, DEFAULT_MAX_AGES)
    with engine.connect() as connection:
        ids = {row.slug: row.id for row in table.rows(connection)}
    finish(
        engine,
        [Fetched(ids["alba"], True, film_keys=("metacritic:game:alba:pc",))],
        now,
        DEFAULT_MAX_AGES,
    )
    # Failed a day ago: its backoff (12 hours after a first failure) is over.
    finish(engine, [Fetched(ids["brisk"], False)], now - dt.timedelta(days=1), DEFAULT_MAX_AGES)
    result = CliRunner().invoke(main, ["catalogue", "--json", "--database-url", url])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["counts"] == {
        "known": 3,
        "due_new": 0,
        "due_changed": 0,
        "due_failed": 1,
        "due_stale": 0,
        "never_fetched": 1,
        "failing": 1,
    }
    by_slug = {title["slug"]: title for title in answer["titles"]}
    assert by_slug["alba"]["keys"] == ["metacritic:game:alba:pc"]
    assert by_slug["alba"]["listed"]["score"] == 80 and by_slug["alba"]["due"] is None
    assert by_slug["brisk"]["due"] == "failed" and by_slug["calm"]["due"] is None
    due = CliRunner().invoke(
        main, ["catalogue", "--due", "--media", "movie", "--database-url", url]
    )
    assert due.exit_code == 0 and "failed" in due.stdout and "brisk" in due.stdout
    assert "alba" not in due.stdout
    listed = CliRunner().invoke(main, ["catalogue", "--urls", "--database-url", url])
    assert listed.stdout.splitlines() == [
        "https://www.metacritic.com/game/alba/?platform=pc",
        "https://www.metacritic.com/game/calm/",
        "https://www.metacritic.com/movie/brisk/",
    ]
    dispose_engine(url)
