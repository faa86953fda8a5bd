"""One precedence for a film's facts, applied on every write (items.py ``FACT_PATHS``):
a ``<title>`` element never replaces a name the API, page data, JSON-LD or the HTML
stated, in one batch or across batches, on both dialects."""

from __future__ import annotations

from sqlalchemy import Engine, text

from reviewcrawler.items import FilmSummaryItem
from reviewcrawler.store.engine import get_engine
from reviewcrawler.store.runs import start_run
from reviewcrawler.store.schema import upgrade
from reviewcrawler.store.writer import StoreWriter

KEY = "rottentomatoes:harbor_lights"


def item(
    title: str | None, year: int | None, path: str, facts_path: str | None = None
) -> FilmSummaryItem:
    return FilmSummaryItem(
        film_key=KEY,
        source_url="http://127.0.0.1/m/harbor_lights",
        title=title,
        year=year,
        path=path,
        facts_path=facts_path,
    )


def stored(engine: Engine) -> tuple[str | None, int | None, int | None]:
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT title, year, facts_rank FROM films WHERE key = :key"), {"key": KEY}
        ).one()
    return row.title, row.year, row.facts_rank


def writer(store_url: str) -> tuple[Engine, StoreWriter]:
    engine = get_engine(store_url)
    upgrade(engine)
    return engine, StoreWriter(engine, start_run(engine, "reviews", {}))


def test_a_title_element_never_replaces_a_stronger_name_across_batches(store_url: str) -> None:
    engine, write = writer(store_url)
    write.write_batch([item("Harbor Lights", 2016, "html", "json_ld")], [])
    assert stored(engine) == ("Harbor Lights", 2016, 3)
    # The reviews page, crawled after the title page, names the film only in <title>.
    write.write_batch([item("Harbor Lights (2016) Reviews", 2017, "html", "title_tag")], [])
    assert stored(engine) == ("Harbor Lights", 2016, 3)
    # A source as strong replaces; a stronger one raises the rank.
    write.write_batch([item("Harbor Lights!", None, "json_ld")], [])
    assert stored(engine) == ("Harbor Lights!", 2016, 3)
    write.write_batch([item("Harbor Lights", 2016, "api")], [])
    assert stored(engine) == ("Harbor Lights", 2016, 5)
    write.write_batch([item("Lights", 2001, "html")], [])
    assert stored(engine) == ("Harbor Lights", 2016, 5)


def test_a_title_element_fills_what_nothing_stated_and_yields_later(store_url: str) -> None:
    engine, write = writer(store_url)
    write.write_batch([item("Harbor Lights", 2016, "html", "title_tag")], [])
    assert stored(engine) == ("Harbor Lights", 2016, 1)
    # A summary stating no facts leaves them and their rank alone.
    write.write_batch([FilmSummaryItem(KEY, "http://127.0.0.1/x", stated_metascore=70)], [])
    assert stored(engine) == ("Harbor Lights", 2016, 1)
    write.write_batch([item("Harbor Lights: Director's Cut", None, "html")], [])
    assert stored(engine) == ("Harbor Lights: Director's Cut", 2016, 2)


def test_one_batch_applies_the_same_precedence_whatever_the_order(store_url: str) -> None:
    engine, write = writer(store_url)
    write.write_batch(
        [
            item("Harbor Lights", 2016, "page_data"),
            item("Harbor Lights (2016) Reviews", None, "html", "title_tag"),
        ],
        [],
    )
    assert stored(engine) == ("Harbor Lights", 2016, 4)
