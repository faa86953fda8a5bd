"""Links throughput, run by hand (not a test): ``.venv/bin/python benchmarks/links_throughput.py``.

Generates N films (default 100,000) in a throwaway SQLite store: half on Metacritic,
half on Rotten Tomatoes, most of the RT films the same work as an MC one (exact
title and year; some a year off, some with a subtitle, some without a stated year
but a ``_YYYY`` slug), some the same title from another year, some sharing an IMDb
id, the rest on one site only. Then times ``recompute_links`` over every film
(first: every link is new; again: nothing changes), and over 1,000 films (what a
crawl's close asks for). Target: all films in under a minute.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewcrawler.store.engine import dispose_engine, get_engine  # noqa: E402
from reviewcrawler.store.links import recompute_links  # noqa: E402
from reviewcrawler.store.models import Film, FilmLink  # noqa: E402
from reviewcrawler.store.schema import upgrade  # noqa: E402

WORDS = (
    "lantern",
    "keeper",
    "salt",
    "iron",
    "quiet",
    "orchard",
    "copper",
    "ruse",
    "winter",
    "signal",
    "ferry",
    "tide",
    "clock",
    "moth",
    "season",
    "harbor",
    "light",
    "night",
    "desk",
    "cellar",
    "door",
    "glass",
    "river",
    "paper",
    "moon",
    "long",
    "road",
    "north",
    "star",
    "silent",
    "garden",
    "broken",
    "arrow",
    "velvet",
    "storm",
    "hidden",
    "valley",
    "last",
    "summer",
    "red",
    "house",
    "blue",
    "hour",
)


def title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(2, 4))
    text = " ".join(words).title()
    return ("The " + text) if rng.random() < 0.3 else text


def generate(count: int, seed: int = 14) -> list[dict]:
    """``count`` films (about half per site) with the mix described above."""
    rng = random.Random(seed)
    rows: list[dict] = []
    number = 0
    while len(rows) < count:
        number += 1
        name, year = f"{title(rng)} {number}", rng.randint(1950, 2025)
        if rows and rng.random() < 0.1:
            name = rng.choice(rows[-200:])["title"]  # a remake: an earlier title, another year
        slug = f"{name.lower().replace(' ', '-').replace(':', '')}-{number}"
        imdb = f"tt{number:07d}" if rng.random() < 0.2 else None
        rows.append({"key": f"metacritic:{slug}", "title": name, "year": year, "imdb_id": imdb})
        kind = rng.random()
        rt_title, rt_year, rt_slug = name, year, slug.replace("-", "_")
        if kind < 0.55:
            pass  # the same work, exactly
        elif kind < 0.65:
            rt_year = year + rng.choice((-1, 1))  # festival vs release year
        elif kind < 0.72:
            rt_title = f"{name}: Part Two"
        elif kind < 0.8:
            rt_year, rt_slug = None, f"{rt_slug}_{year}"  # the year only in the slug
        elif kind < 0.88:
            rt_year = year - rng.randint(5, 40)  # the same title, another film
        else:
            rt_title, rt_slug = f"Other {number}", f"other_{number}"  # one site only
        rows.append(
            {
                "key": f"rottentomatoes:{rt_slug}",
                "title": rt_title,
                "year": rt_year,
                "imdb_id": imdb if rt_title == name and rng.random() < 0.5 else None,
            }
        )
    return rows[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--films", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'links.db'}"
        engine = get_engine(url)
        upgrade(engine)
        rows = generate(args.films)
        with engine.begin() as connection:
            connection.execute(insert(Film.__table__), rows)
        print(f"{len(rows):,} films in {url}")
        for label, film_ids in (
            ("all films, every link new", None),
            ("all films again, nothing changes", None),
            ("1,000 films (a crawl's close)", list(range(1, 1001))),
        ):
            started = time.perf_counter()
            result = recompute_links(engine, film_ids)
            elapsed = time.perf_counter() - started
            print(
                f"{label}: {elapsed:.2f} s ({result.films:,} films; {result.added:,} added, "
                f"{result.updated:,} updated, {result.removed:,} removed)"
            )
        with engine.connect() as connection:
            states = Counter(
                dict(
                    connection.execute(
                        select(FilmLink.state, func.count()).group_by(FilmLink.state)
                    ).all()
                )
            )
        print("links by state:", dict(states))
        dispose_engine(url)


if __name__ == "__main__":
    main()
