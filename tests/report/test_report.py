"""``reviewcrawler report`` on a store filled in-process: the HTML it writes, read
with parsel (the browser tests check the rendered DOM)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from parsel import Selector
from sqlalchemy import create_engine

from reviewcrawler.cli import main
from reviewcrawler.report.values import page_name
from reviewcrawler.report.writer import TASK_FILMS, assets, write_report
from reviewcrawler.store.engine import dispose_engine
from tests.report.stores import (
    INJECTED_CRITIC,
    INJECTED_QUOTE,
    MERIDIAN,
    ORCHARD,
    ORCHARD_TITLE,
    fill,
)
from tests.support.tables import table_rows


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'reviews.db'}"
    fill(url)
    yield url
    dispose_engine(url)


@pytest.fixture(scope="module")
def report(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--database-url", store])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote 2 film pages (7 reviews) to {out / 'index.html'}"
    return out


def page(report: Path, key: str) -> Selector:
    return Selector(text=(report / "films" / page_name(key)).read_text(encoding="utf-8"))


def index(report: Path) -> Selector:
    return Selector(text=(report / "index.html").read_text(encoding="utf-8"))


def summaries(store: str) -> dict[str, dict]:
    engine = create_engine(store)
    films = {row["id"]: row["key"] for row in table_rows(engine, "films")}
    rows = {films[row["film_id"]]: row for row in table_rows(engine, "film_summaries", "film_id")}
    engine.dispose()
    return rows


def test_index_lists_every_film_with_its_figures(report: Path, store: str) -> None:
    rows = index(report).css("#films tbody tr")
    assert sorted(rows.xpath("@data-key").getall()) == [ORCHARD, MERIDIAN]
    stored = summaries(store)
    for row in rows:
        key = row.attrib["data-key"]
        href = row.css("a::attr(href)").get()
        assert (report / href).is_file()
        expected_computed = (
            stored[key]["positive_share"] if key == MERIDIAN else stored[key]["mean_score"]
        )
        assert float(row.css("td.stated::attr(data-v)").get()) == stored[key]["stated_metascore"]
        assert float(row.css("td.computed::attr(data-v)").get()) == expected_computed
        assert int(row.css("td.reviews::attr(data-v)").get()) == stored[key]["review_count"]
    orchard = rows.xpath(f"self::*[@data-key='{ORCHARD}']")
    assert orchard.css("a::text").get() == ORCHARD_TITLE  # shown as text, not markup
    assert orchard.attrib["data-agree"] == "yes"
    assert orchard.css("svg.spark polyline").get() is not None  # two runs: a trend


def test_pages_run_only_their_own_script_and_load_nothing(report: Path) -> None:
    script = str(assets().script)
    for path in [report / "index.html", *sorted((report / "films").iterdir())]:
        html = Selector(text=path.read_text(encoding="utf-8"))
        assert html.xpath("//script/text()").getall() == [script], path
        csp = html.xpath("//meta[@http-equiv='Content-Security-Policy']/@content").get()
        assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp
        # The index's one <link> names the changes feed for readers to find: an
        # alternate link, which a browser never fetches.
        links = html.xpath("//link").getall()
        assert html.xpath("//link[not(@rel='alternate' and @href='changes.atom')]") == []
        assert len(links) == (1 if path.name == "index.html" else 0), path
        assert html.xpath("//@src | //iframe | //img | //object").getall() == []
        assert html.xpath("//@*[starts-with(name(), 'on')]").getall() == []
        hrefs = html.xpath("//a/@href").getall()
        own = ("https://", "http://", "../", "films/", "changes.atom")
        assert all(h.startswith(own) for h in hrefs), hrefs


def test_injected_markup_is_text(report: Path) -> None:
    orchard = page(report, ORCHARD)
    assert orchard.css("h1::text").get().strip() == ORCHARD_TITLE
    quotes = orchard.css("#reviews-table td.quote::text").getall()
    assert INJECTED_QUOTE in quotes
    critics = orchard.css("#reviews-table tbody td:first-child::text").getall()
    assert INJECTED_CRITIC in critics
    # The javascript: review URL and film URL are shown as text, never as links.
    assert orchard.xpath("//a[contains(@href, 'javascript')]").getall() == []
    assert "javascript:window.__pwned='link'" in orchard.css(".bad-link::text").getall()
    assert orchard.css(".subtitle a").getall() == []


def test_distribution_counts_scored_reviews_by_sentiment(report: Path, store: str) -> None:
    stored = summaries(store)
    for key in (ORCHARD, MERIDIAN):
        html = page(report, key)
        drawn = sum(int(n) for n in html.css("svg rect.bar::attr(data-count)").getall())
        tabled = sum(int(n) for n in html.css("#distribution-table td.bin-total::text").getall())
        assert drawn == tabled == stored[key]["scored_count"]
    meridian = page(report, MERIDIAN)
    assert meridian.css("main.rt").get() is not None
    legend = meridian.css("#distribution .legend li::text").getall()
    assert legend == ["fresh", "mixed", "rotten"]
    # The 2.5/5 the site calls fresh is a fresh (positive) segment in 50-60.
    fresh = meridian.css("rect.bar.s-positive[data-bin='50-60']::attr(data-count)").get()
    assert fresh == "1"
    assert "1 stored review has no score" in meridian.css("#distribution p::text").get()


def test_stated_beside_computed_equal_the_store(report: Path, store: str) -> None:
    for key, row in summaries(store).items():
        cells = page(report, key).css("#compare td[data-field]")
        shown = {
            c.attrib["data-field"]: c.attrib["data-v"] for c in cells if c.attrib["data-field"]
        }
        assert shown, key
        for field, text in shown.items():
            value = row[field]
            if isinstance(value, float):
                assert float(text) == value, field
            else:
                assert text == ("" if value is None else str(value)), field


def test_history_and_last_run_changes(report: Path) -> None:
    orchard = page(report, ORCHARD)
    history = orchard.css("#history-table tbody tr")
    assert [row.css("td:nth-child(3)::text").get() for row in history] == ["72", "74"]
    assert len(orchard.css("#history svg polyline.line-stated")) == 1
    assert orchard.css("#added-count::text").get() == "1"
    assert orchard.css("#changed-count::text").get() == "1"
    assert orchard.css("#gone-count::text").get() == "1"
    assert orchard.css("#gone li::text").get() == "Tam Ochoa, Night Edition"
    changed = " ".join(orchard.css("#changed li ::text").getall())
    assert "Ruth Calder, Weekly Reel" in changed and "55" in changed and "65" in changed
    # The gone review is not in the reviews table, but listed below it.
    table = " ".join(orchard.css("#reviews-table ::text").getall())
    assert "Tam Ochoa" not in table
    assert "Tam Ochoa" in " ".join(orchard.css("details ::text").getall())


def test_report_of_named_films_only(store: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", "--out", str(tmp_path), "--database-url", store, "Salt Meridian"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "films").iterdir()] == [page_name(MERIDIAN)]
    assert index(tmp_path).css("#films tbody tr::attr(data-key)").getall() == [MERIDIAN]


def test_errors_are_one_line(store: str, tmp_path: Path) -> None:
    missing = CliRunner().invoke(
        main, ["report", "--out", str(tmp_path), "--database-url", store, "Nope"]
    )
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Error: no film with key or title 'Nope'"
    blocker = tmp_path / "file"
    blocker.write_text("")
    not_a_folder = CliRunner().invoke(
        main, ["report", "--out", str(blocker / "sub"), "--database-url", store]
    )
    assert not_a_folder.exit_code == 1
    assert len(not_a_folder.stderr.strip().splitlines()) == 1
    assert not_a_folder.stderr.startswith("Error: cannot create")
    no_store = CliRunner().invoke(
        main, ["report", "--out", str(tmp_path), "--database-url", f"sqlite:///{tmp_path}/none.db"]
    )
    assert no_store.exit_code == 1 and len(no_store.stderr.strip().splitlines()) == 1


def test_worker_processes_write_every_page(tmp_path: Path) -> None:
    """More films than one task: pages written by two spawned workers, the index here."""
    from benchmarks.report_throughput import PER_FILM, build

    films = TASK_FILMS + 50
    store = tmp_path / "many.db"
    build(store, films)
    url = f"sqlite:///{store}"
    engine = create_engine(url)
    counted: list[int] = []
    result = write_report(
        engine, tmp_path / "out", database_url=url, jobs=2, on_films=counted.append
    )
    engine.dispose()
    assert (result.films, result.reviews) == (films, films * (PER_FILM - 1))
    assert sum(counted) == films and len(counted) == 2  # one call per task
    written = {p.name for p in (tmp_path / "out" / "films").iterdir()}
    listed = index(tmp_path / "out").css("#films tbody tr a::attr(href)").getall()
    assert {href.removeprefix("films/") for href in listed} == written
    assert len(written) == films
    sample = page(tmp_path / "out", "metacritic:bench-film-7")
    drawn = sum(int(n) for n in sample.css("svg rect.bar::attr(data-count)").getall())
    assert drawn == PER_FILM - 1  # one review of each film is gone
