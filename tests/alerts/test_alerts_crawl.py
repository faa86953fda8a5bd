"""Acceptance (issue 30): crawls that change a film send one alert message naming the
change; a receiver that is down, failing, hanging or redirecting costs the crawl
nothing, and the message waits in the store until a receiver accepts it, once."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, func, select

from reviewcrawler.cli import main
from reviewcrawler.store.models import AlertOutboxMessage, CrawlRun, Review
from tests.conftest import FIXTURES
from tests.support.crawl import run_crawl
from tests.support.receiver import ACCEPT, ELSEWHERE, FAIL, HANG, REDIRECT, Receiver, closed_port
from tests.support.server import FixtureServer
from tests.support.stats import crawl_stats

PAGE = FIXTURES / "links/movie/the-lantern-keeper/critic-reviews/index.html"
PATH = "/movie/the-lantern-keeper/critic-reviews"
KEY = "metacritic:the-lantern-keeper"
NEW_CRITIC = "Ada Quist"
NEW_REVIEW = """    <div class="review pad_top1 pad_btm1">
      <div class="left fl"><div class="metascore_w larger movie positive indiv">90</div></div>
      <div class="right fl">
        <div class="title pad_btm_half"><span class="source"><a href="/publication/night-desk?filter=movies">Night Desk</a></span><span class="author"><a href="/critic/ada-quist?filter=movies">Ada Quist</a></span><span class="date">May 2, 2019</span></div>
        <div class="summary">
          <a class="no_hover" target="_blank" rel="noopener" href="https://nightdesk.example/lantern">The fog lifts, and what it hid was worth the wait.</a>
        </div>
      </div>
    </div>
  </div>
</div>
</body>"""  # noqa: E501  (one line of markup, as the page has it)


def second_version(page: str) -> str:
    """The page a week later: the Metascore up from 74 to 81 (Generally favorable to
    Universal acclaim) and one review more."""
    page = page.replace(">74<", ">81<").replace("based on 3 Critics", "based on 4 Critics")
    page = page.replace('<div class="count fr">2</div>', '<div class="count fr">3</div>', 1)
    head, _, _ = page.rpartition("  </div>\n</div>\n</body>")
    return head + NEW_REVIEW + "\n</html>\n"


class Site:
    """The film's page served from a folder of its own, swapped between crawls."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "site" / PATH.strip("/")
        self.folder.mkdir(parents=True)
        shutil.copy(PAGE, self.folder / "index.html")
        self.server = FixtureServer(root / "site")

    def change(self) -> None:
        page = (self.folder / "index.html").read_text(encoding="utf-8")
        (self.folder / "index.html").write_text(second_version(page), encoding="utf-8")

    def crawl(
        self, database_url: str, webhook: str, **settings: str
    ) -> subprocess.CompletedProcess:
        result = run_crawl(
            "-a",
            f"url={self.server.url(PATH)}",
            database_url=database_url,
            settings={
                "ALERT_WEBHOOK_URL": webhook,
                "METACRITIC_API_URL": "",
                "HTTPCACHE_ENABLED": "False",
                "ALERT_TIMEOUT": "0.5",
                "ALERT_RETRY_TIMES": "1",
                "ALERT_RETRY_BACKOFF": "0",
                **settings,
            },
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result


@pytest.fixture
def site(tmp_path: Path):
    site = Site(tmp_path)
    with site.server:
        yield site


def cli(*arguments: str) -> str:
    result = CliRunner().invoke(main, list(arguments))
    assert result.exit_code == 0, result.output
    return result.output


def count(engine: Engine, table: object, *where: object) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(*where)).scalar()


def outbox(engine: Engine) -> list:
    with engine.connect() as connection:
        table = AlertOutboxMessage.__table__
        return connection.execute(select(table).order_by(table.c.id)).all()


def test_a_changed_score_and_a_new_review_make_one_message(
    site: Site, sqlite_url: str, sqlite_engine: Engine
) -> None:
    with Receiver(ACCEPT) as receiver:
        site.crawl(sqlite_url, receiver.url)
        # A film's first crawl is where its history starts: nothing to alert.
        assert receiver.received == []
        assert "Watching The Lantern Keeper (2019)" in cli(
            "watch", "add", KEY, "--database-url", sqlite_url
        )
        site.change()
        second = site.crawl(sqlite_url, receiver.url)
    assert len(receiver.received) == 1
    (message,) = receiver.received
    body, headers = message.body, message.headers
    assert message.path == "/hook"
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"].startswith("reviewcrawler/") and "alerts" in headers["User-Agent"]
    assert headers["Idempotency-Key"] == body["idempotency_key"]
    assert body["version"] == 1 and body["run"]["id"] == 2
    kinds = {(c["kind"], c["old"], c["new"]) for c in body["changes"]}
    assert kinds == {
        ("score_moved", 74, 81),
        ("band_crossed", "Generally favorable", "Universal acclaim"),
        ("review_added", None, 90),
    }
    assert {c["film"]["key"] for c in body["changes"]} == {KEY}
    assert body["changes"][0]["film"]["title"] == "The Lantern Keeper"
    (added,) = [c for c in body["changes"] if c["kind"] == "review_added"]
    assert added["review"]["critic"] == NEW_CRITIC
    assert "Metascore 74 -> 81" in body["text"]
    stats = crawl_stats(second)
    assert (stats["alerts/sent"], stats["alerts/failed"], stats["alerts/pending"]) == (1, 0, 0)
    assert "Alerts:" not in second.stdout
    (row,) = outbox(sqlite_engine)
    assert row.delivered_at is not None and row.attempts == 1
    # `reviewcrawler changes --json` lists the same changes.
    listed = CliRunner().invoke(main, ["changes", "--json", "--database-url", sqlite_url])
    of_run_2 = [c for c in json.loads(listed.output) if c["run"]["id"] == 2]
    assert of_run_2 == [{k: v for k, v in c.items() if k != "text"} for c in body["changes"]]


def test_a_receiver_down_costs_nothing_and_gets_the_message_once_it_is_up(
    site: Site, sqlite_url: str, sqlite_engine: Engine
) -> None:
    port = closed_port()
    down = f"http://127.0.0.1:{port}/hook"
    site.crawl(sqlite_url, down)
    cli("watch", "add", KEY, "--database-url", sqlite_url)
    site.change()
    second = site.crawl(sqlite_url, down)
    # The crawl's data is stored as if alerts were off.
    assert count(sqlite_engine, Review.__table__) == 4
    assert (
        count(sqlite_engine, CrawlRun.__table__, CrawlRun.__table__.c.finished_at.is_not(None)) == 2
    )
    stats = crawl_stats(second)
    assert (stats["alerts/sent"], stats["alerts/failed"], stats["alerts/pending"]) == (0, 2, 1)
    assert "Alerts: 1 message pending after 2 failed attempts (cannot reach" in second.stdout
    (pending,) = outbox(sqlite_engine)
    assert pending.delivered_at is None and pending.attempts == 2
    with Receiver(ACCEPT, port=port) as receiver:
        third = site.crawl(sqlite_url, receiver.url)
        assert "No alert message is pending." in cli("alerts", "list", "--database-url", sqlite_url)
        # Nothing left to send: the message is never sent twice.
        assert "Sent 0, pending 0" in cli(
            "alerts", "send", "--url", receiver.url, "--database-url", sqlite_url
        )
    assert len(receiver.received) == 1
    assert receiver.received[0].body["run"]["id"] == 2
    assert receiver.received[0].headers["Idempotency-Key"] == pending.idempotency_key
    assert crawl_stats(third)["alerts/sent"] == 1
    (delivered,) = outbox(sqlite_engine)
    assert delivered.delivered_at is not None and delivered.attempts == 3


def test_errors_timeouts_and_redirects_leave_the_message_pending(
    site: Site, sqlite_url: str, sqlite_engine: Engine
) -> None:
    with Receiver(ACCEPT) as receiver:
        site.crawl(sqlite_url, receiver.url)
    cli("watch", "add", KEY, "--database-url", sqlite_url)
    site.change()
    errors = {FAIL: "HTTP 500", HANG: "no answer within 0.5 s", REDIRECT: "redirect refused"}
    for crawl, (mode, error) in enumerate(errors.items(), start=2):
        with Receiver(mode) as receiver:
            result = site.crawl(sqlite_url, receiver.url)
        # Tried once and retried once (ALERT_RETRY_TIMES=1), the same message each time.
        assert len(receiver.received) == 2, mode
        assert {r.body["run"]["id"] for r in receiver.received} == {2}
        stats = crawl_stats(result)
        assert (stats["alerts/sent"], stats["alerts/failed"], stats["alerts/pending"]) == (
            0,
            2,
            1,
        ), mode
        assert error in stats["alerts/last_error"], mode
        assert f"Alerts: 1 message pending after 2 failed attempts ({error}" in result.stdout
        assert "finish_reason': 'finished'" in result.stderr
        (pending,) = outbox(sqlite_engine)
        assert pending.delivered_at is None and pending.attempts == 2 * (crawl - 1)
        assert error in pending.last_error
    assert ELSEWHERE in pending.last_error
    # Every crawl's data is stored.
    assert count(sqlite_engine, Review.__table__) == 4
    assert count(sqlite_engine, CrawlRun.__table__, CrawlRun.__table__.c.failure.is_not(None)) == 0
    with Receiver(ACCEPT) as receiver:
        assert "Sent 1, pending 0" in cli(
            "alerts", "send", "--url", receiver.url, "--database-url", sqlite_url
        )
    assert [r.body["run"]["id"] for r in receiver.received] == [2]
