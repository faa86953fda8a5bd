"""``reviewcrawler changes``, ``watch`` and ``alerts``: listing, filtering, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine

from reviewcrawler.alerts import outbox
from reviewcrawler.alerts.config import WEBHOOK_URL_ENV
from reviewcrawler.cli import main
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.schema import upgrade
from tests.support.history import History
from tests.support.receiver import ACCEPT, Receiver

LANTERN, HARBOUR = 1, 2


@pytest.fixture
def url(sqlite_url: str):
    engine = get_engine(sqlite_url)
    upgrade(engine)
    history = History(engine)
    history.film(LANTERN, "metacritic:the-lantern-keeper", "The Lantern Keeper")
    history.film(HARBOUR, "metacritic:the-quiet-harbour", "The Quiet Harbour", 2020)
    for run_id in (1, 2):
        history.run(run_id)
    history.metascore(1, LANTERN, 74)
    history.metascore(2, LANTERN, 81)
    history.metascore(1, HARBOUR, 55)
    history.review(10, LANTERN, 1, critic="Bram Kessler", score=80)
    history.review(11, LANTERN, 2, critic="Ada Quist", publication="Night Desk", score=90)
    yield sqlite_url
    dispose_engine(sqlite_url)


def run(url: str, *arguments: str) -> Result:
    return CliRunner().invoke(main, [*arguments, "--database-url", url])


def test_changes_are_listed_newest_first_with_film_run_and_values(url: str) -> None:
    result = run(url, "changes")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "run", "started", "film", "key", "kind", "what", "old", "new", "review", "by",
    ]  # fmt: skip
    body = lines[2:]
    assert "score_moved" in body[0] and "74" in body[0] and "81" in body[0]
    assert "2026-12-03 08:00" in body[0] and "The Lantern Keeper (2019)" in body[0]
    assert "band_crossed" in body[1] and "Universal acclaim" in body[1]
    assert "review_added" in body[2] and "Ada Quist / Night Desk" in body[2]
    assert all(line.startswith("1 ") for line in body[3:])


def test_changes_filters_by_film_kind_and_time(url: str) -> None:
    result = run(url, "changes", "--json", "--film", "the-quiet-harbour")
    assert [(c["kind"], c["new"]) for c in json.loads(result.output)] == [("first_score", 55)]
    result = run(url, "changes", "--json", "--kind", "score-moved,band_crossed")
    assert [c["kind"] for c in json.loads(result.output)] == ["score_moved", "band_crossed"]
    result = run(url, "changes", "--json", "--since", "2026-12-03")
    assert {c["run"]["id"] for c in json.loads(result.output)} == {2}
    assert run(url, "changes", "--since", "2030-01-01").output == "No changes.\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--since", "soon"), "give a span (30m, 12h, 1d, 2w) or a date"),
        (("--kind", "moved"), "moved; choose from first_score"),
        (("--film", "Nothing Like It"), "no film with key or title 'Nothing Like It'"),
    ],
)
def test_changes_refuses_bad_arguments_in_one_line(
    url: str, arguments: tuple[str, ...], message: str
) -> None:
    result = run(url, "changes", *arguments)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_the_watch_list_is_kept_in_the_store(url: str) -> None:
    assert run(url, "watch", "list").output.startswith("No film is watched")
    assert (
        "Watching The Lantern Keeper (2019)"
        in run(url, "watch", "add", "The Lantern Keeper").output
    )
    assert "Already watching" in run(url, "watch", "add", "metacritic:the-lantern-keeper").output
    listed = json.loads(run(url, "watch", "list", "--json").output)
    assert [row["key"] for row in listed] == ["metacritic:the-lantern-keeper"]
    assert "No longer watching" in run(url, "watch", "remove", "the-lantern-keeper").output
    assert "Was not watching" in run(url, "watch", "remove", "the-lantern-keeper").output


def test_alerts_list_and_send(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine: Engine = get_engine(url)
    outbox.queue(engine, 2, lambda key, _: {"version": 1, "idempotency_key": key, "changes": [1]})
    listed = run(url, "alerts", "list")
    assert listed.exit_code == 0 and listed.output.splitlines()[2].split()[:2] == ["1", "2"]
    monkeypatch.delenv(WEBHOOK_URL_ENV, raising=False)
    refused = run(url, "alerts", "send")
    assert refused.exit_code == 2 and "no receiver" in refused.output
    with Receiver(ACCEPT) as receiver:
        monkeypatch.setenv(WEBHOOK_URL_ENV, receiver.url)
        sent = run(url, "alerts", "send")
    assert sent.exit_code == 0 and "Sent 1, pending 0" in sent.output
    assert len(receiver.received) == 1
    assert run(url, "alerts", "list").output == "No alert message is pending.\n"
    assert json.loads(run(url, "alerts", "list", "--all", "--json").output)[0]["attempts"] == 1
