"""``changes.atom``, the report's feed of the latest changes, and the index's list of
them: read back with feedparser (the feed) and parsel (the index)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from parsel import Selector
from sqlalchemy import Engine

from reviewcrawler.changes import list_changes
from reviewcrawler.cli import main
from reviewcrawler.report import feed
from reviewcrawler.report.values import page_name
from reviewcrawler.report.writer import write_report
from reviewcrawler.store.engine import dispose_engine, get_engine
from reviewcrawler.store.schema import upgrade
from tests.report.stores import INJECTED_CRITIC, MERIDIAN, ORCHARD, ORCHARD_TITLE, fill
from tests.support.history import START, History

ORCHARD_NAME = f"{ORCHARD_TITLE} (2024)"
#: What a page could smuggle into a feed: markup, the end of a CDATA section, an
#: ampersand, and a control character XML 1.0 cannot carry even escaped.
PAYLOAD = "<script>alert(1)</script> ]]> & Co"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two crawl runs (tests/report/stores.py): Glass Orchard's Metascore moves 72 → 74
    and it gains a review in run 2; Salt Meridian is stored in run 1 only."""
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'reviews.db'}"
    fill(url)
    yield url
    dispose_engine(url)


def _report(store: str, out: Path, *arguments: str) -> Path:
    result = CliRunner().invoke(
        main, ["report", "--out", str(out), "--database-url", store, *arguments]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def report(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(store, tmp_path_factory.mktemp("report"))


def parsed(out: Path) -> feedparser.FeedParserDict:
    document = feedparser.parse((out / "changes.atom").read_bytes())
    assert document.bozo == 0, document.get("bozo_exception")
    assert document.version == "atom10"
    return document


def index(out: Path) -> Selector:
    return Selector(text=(out / "index.html").read_text(encoding="utf-8"))


def run_of(entry: feedparser.FeedParserDict) -> int:
    found = re.search(r"^Run (\d+), started ", entry.summary, re.MULTILINE)
    assert found, entry.summary
    return int(found.group(1))


def test_the_feed_is_atom_with_every_change_newest_first(report: Path, store: str) -> None:
    document = parsed(report)
    head = document.feed
    assert head.id.startswith("urn:uuid:")
    assert head.title == "Critic reviews: latest changes"
    assert head.title_detail.type == "text/plain"
    assert head.author == "reviewcrawler"
    assert head.updated_parsed is not None
    links = {(link.rel, link.href) for link in head.links}
    assert ("self", "changes.atom") in links and ("alternate", "index.html") in links

    # A film's first crawl is its first sighting, not a change: left out, as alerts do.
    every = list_changes(get_engine(store))
    changes = [change for change in every if not change.film_new]
    entries = document.entries
    assert len(every) == 15 and len(entries) == len(changes) == 6
    assert [run_of(entry) for entry in entries] == [change.run.id for change in changes]
    assert [run_of(entry) for entry in entries] == sorted(map(run_of, entries), reverse=True)
    # Run 2's changes, then run 1's: the score that moved comes first (kind order).
    assert entries[0].title == f"{ORCHARD_NAME}: Metascore 72 → 74"
    assert entries[0].summary.startswith("Score moved: Metascore, 72 → 74\n")
    assert entries[1].title == f"{ORCHARD_NAME}: new review by {INJECTED_CRITIC} / Pulp & Ink, 91"
    assert [entry.tags[0].term for entry in entries[:6]] == [
        "score_moved",
        "review_added",
        "review_changed",
        "review_changed",
        "review_changed",
        "review_gone",
    ]
    assert f"{ORCHARD_NAME}: first Metascore 72" not in [entry.title for entry in entries]
    for entry in entries:
        assert entry.title_detail.type == entry.summary_detail.type == "text/plain"
        assert entry.updated_parsed is not None
        assert entry.id.startswith("urn:uuid:")
        # Each link is the film's page in the report, relative to the feed beside it.
        assert (report / entry.link).is_file(), entry.link
    assert len({entry.id for entry in entries}) == len(entries)
    assert {entry.link for entry in entries} == {f"films/{page_name(ORCHARD)}"}


def test_ids_are_the_same_each_time_the_report_is_written(
    report: Path, store: str, tmp_path: Path
) -> None:
    first, again = parsed(report), parsed(_report(store, tmp_path))
    assert again.feed.id == first.feed.id
    assert [entry.id for entry in again.entries] == [entry.id for entry in first.entries]
    # A report of some films is a feed of its own, with only their changes, and each
    # change keeps the id it has in the whole store's feed.
    orchard = parsed(_report(store, tmp_path / "orchard", ORCHARD))
    assert orchard.feed.id != first.feed.id
    ids = [entry.id for entry in first.entries if entry.link.endswith(page_name(ORCHARD))]
    assert [entry.id for entry in orchard.entries] == ids
    assert ids
    # Salt Meridian was stored once: a first sighting, so its own feed has no entry.
    assert parsed(_report(store, tmp_path / "meridian", MERIDIAN)).entries == []


def test_the_feed_carries_the_newest_changes_only(
    report: Path, store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = [entry.id for entry in parsed(report).entries]
    monkeypatch.setattr(feed, "FEED_CHANGES", 3)
    document = parsed(_report(store, tmp_path))
    assert [entry.id for entry in document.entries] == everything[:3]
    assert "The newest 3 changes" in document.feed.subtitle
    assert "carries the newest 3." in " ".join(index(tmp_path).css(".feed-note ::text").getall())


def test_the_index_lists_the_latest_changes_and_links_the_feed(report: Path) -> None:
    html = index(report)
    alternate = html.xpath("//head/link[@rel='alternate']")
    assert alternate.xpath("@type").get() == "application/atom+xml"
    assert alternate.xpath("@href").get() == "changes.atom"
    section = html.css("#latest-changes")
    assert section.css("a[href='changes.atom']").get() is not None
    rows = section.css("tbody tr")
    assert feed.INDEX_CHANGES == 10 and len(rows) == 6  # every change of the store
    first = rows[0]
    assert first.attrib["data-kind"] == "score_moved"
    assert first.attrib["data-key"] == ORCHARD
    assert first.css("a::attr(href)").get() == f"films/{page_name(ORCHARD)}"
    assert first.css("a::text").get() == ORCHARD_NAME  # the title's script is text
    assert first.css(".old::text").get() == "72" and first.css(".new::text").get() == "74"
    # The same changes as the feed's first ten, in the same order.
    kinds = [entry.tags[0].term for entry in parsed(report).entries[: feed.INDEX_CHANGES]]
    assert rows.xpath("@data-kind").getall() == kinds
    # The filters hide films only, never the changes above them.
    assert rows.xpath("@data-site | @data-media | @data-agree").getall() == []


def test_base_url_becomes_the_feeds_xml_base(store: str, tmp_path: Path) -> None:
    out = _report(store, tmp_path, "--base-url", "https://reviews.example/report")
    text = (out / "changes.atom").read_text(encoding="utf-8")
    assert 'xml:base="https://reviews.example/report/"' in text
    document = parsed(out)
    self_link = next(link for link in document.feed.links if link.rel == "self")
    assert self_link.href == "https://reviews.example/report/changes.atom"
    assert document.entries[0].link == f"https://reviews.example/report/films/{page_name(ORCHARD)}"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "reviews/", "https://reviews.example/a b", "https://x/?q=1"]
)
def test_a_base_url_that_is_no_http_folder_is_refused(store: str, tmp_path: Path, url: str) -> None:
    result = CliRunner().invoke(
        main, ["report", "--out", str(tmp_path), "--database-url", store, "--base-url", url]
    )
    assert result.exit_code == 2
    assert "--base-url" in result.output
    assert not (tmp_path / "changes.atom").exists()


# ---------------------------------------------------------------- injection, empty


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    engine = get_engine(url)
    upgrade(engine)
    yield engine
    dispose_engine(url)


def test_nothing_in_the_feed_or_index_is_markup(engine: Engine, tmp_path: Path) -> None:
    history = History(engine)
    history.film(1, "metacritic:payload", PAYLOAD, 2021)
    history.run(1)
    history.run(2)
    history.metascore(1, 1, 55)
    history.metascore(2, 1, 85)
    history.review(10, 1, 1, critic="Ann Plain", score=60)
    quote = f"Quote {PAYLOAD} &amp; \x0b end"
    history.review(11, 1, 2, critic=PAYLOAD, publication="Pulp & Ink", score=90, quote=quote)
    out = tmp_path / "report"
    result = write_report(engine, out)
    assert result.changes == 3 and result.feed_file == out / "changes.atom"

    text = (out / "changes.atom").read_text(encoding="utf-8")
    assert "<script>" not in text and "]]>" not in text and "\x0b" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; Co" in text
    document = parsed(out)
    assert document.feed.updated == "2026-12-03T08:00:00Z"  # run 2's start
    titles = [entry.title for entry in document.entries]
    name = f"{PAYLOAD} (2021)"
    assert titles == [
        f"{name}: Metascore 55 → 85",
        f"{name}: now Universal acclaim (was Mixed or average)",
        f"{name}: new review by {PAYLOAD} / Pulp & Ink, 90",
    ]
    added = document.entries[2]
    # Returned literally: the markup, the CDATA end, a written-out entity and the bare
    # ampersand as they were; the control character XML cannot carry as U+FFFD.
    assert f"Quote: Quote {PAYLOAD} &amp; \ufffd end" in added.summary.splitlines()
    assert added.updated == (START + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")

    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    rows = index(out).css("#latest-changes tbody tr")
    assert rows.css("a::text").getall() == [name] * 3
    assert PAYLOAD in rows[2].css(".what::text").get()


def test_no_changes_yet_is_a_feed_without_entries(engine: Engine, tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = write_report(engine, tmp_path)
    assert result.films == 0 and result.changes == 0
    document = parsed(tmp_path)
    assert document.entries == []
    assert document.feed.id.startswith("urn:uuid:")
    assert document.feed.title == "Critic reviews: latest changes"
    # No change to date it by: the feed is as new as the report.
    updated = dt.datetime.fromisoformat(document.feed.updated.replace("Z", "+00:00"))
    assert updated >= before
    html = index(tmp_path)
    assert html.css("#latest-changes tbody tr").getall() == []
    assert "No changes recorded yet." in html.css("#latest-changes p::text").getall()
    assert html.css("#latest-changes a[href='changes.atom']").get() is not None
    assert html.xpath("//head/link[@rel='alternate']/@href").get() == "changes.atom"
