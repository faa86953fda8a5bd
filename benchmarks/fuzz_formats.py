"""Fuzz every page format with mutated fixtures for a given number of minutes (Hypothesis).

Each example takes a fixture page (fixtures/**, golden files excepted), applies a
few random mutations (byte flips, inserted bytes or markup tokens, deletions,
truncation, duplicated ranges, splices from another fixture), serves it under
one of the URLs the formats know, and runs it the way a crawl does: decode,
every format's ``matches``, the detected format's ``parse``, then the normalize
pipeline on every item. Any exception is a finding: Hypothesis shrinks it to a
minimal input, which is printed, and fuzzing goes on with the next round.

    .venv/bin/python benchmarks/fuzz_formats.py --minutes 3
"""

from __future__ import annotations

import argparse
import collections
import logging
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from reviewcrawler.findings import Findings  # noqa: E402
from reviewcrawler.formats import FORMATS, detect  # noqa: E402
from reviewcrawler.formats.page import Page  # noqa: E402
from reviewcrawler.items import FilmSummaryItem, ReviewItem  # noqa: E402
from reviewcrawler.normalize.items import RejectedReview, normalize_review  # noqa: E402
from reviewcrawler.spiders.reviews import ReviewsSpider  # noqa: E402

FIXTURES = sorted(
    path
    for path in (PROJECT / "fixtures").rglob("*")
    if path.is_file() and not path.name.endswith(".golden.json")
)
BODIES = [path.read_bytes() for path in FIXTURES]
URLS = [
    "https://www.metacritic.com/movie/fuzz-film/critic-reviews",
    "https://www.metacritic.com/movie/fuzz-film",
    "https://backend.metacritic.com/reviews/metacritic/critic/movies/fuzz-film/web?offset=0&limit=50",
    "https://www.rottentomatoes.com/m/fuzz_film/reviews",
    "https://www.rottentomatoes.com/napi/movie/1234-abcd/reviews/all?after=QQ",
    "http://127.0.0.1:8000/fuzz.txt",
    "file:///tmp/fuzz-film-critic-reviews.txt",
]
CONTENT_TYPES = [
    None,
    "text/html; charset=utf-8",
    "text/plain; charset=utf-8",
    "application/json",
    "text/html; charset=iso-8859-1",
]
TOKENS = [
    b"\x00",
    b"<",
    b">",
    b"</div>",
    b'<div class="review">',
    b'<div class="metascore_w indiv">',
    b"metascore_w",
    b"based on 99999999999999999999 Critics",
    b"Critic Reviews\n  1. ",
    b"Reviewed by: ",
    b'"reviews":',
    b"{",
    b"}",
    b"[",
    b"]",
    b'"score":',
    b"null",
    b"-1",
    b"1e309",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    "★½".encode(),
    b"<script>",
    b"]]>",
    b"<!--",
]

INDEX = st.integers(min_value=0, max_value=2**20)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), INDEX, st.integers(0, 255)),
    st.tuples(st.just("insert"), INDEX, st.one_of(st.binary(max_size=32), st.sampled_from(TOKENS))),
    st.tuples(st.just("delete"), INDEX, st.integers(1, 4096)),
    st.tuples(st.just("truncate"), INDEX),
    st.tuples(st.just("duplicate"), INDEX, st.integers(1, 1024), st.integers(2, 20)),
    st.tuples(
        st.just("splice"), INDEX, st.integers(0, len(BODIES) - 1), INDEX, st.integers(1, 4096)
    ),
)


def mutate(body: bytes, mutations: list[tuple[Any, ...]]) -> bytes:
    data = bytearray(body)
    for mutation in mutations:
        kind, where = mutation[0], mutation[1] % (len(data) + 1)
        if kind == "flip" and data:
            data[where % len(data)] = mutation[2]
        elif kind == "insert":
            data[where:where] = mutation[2]
        elif kind == "delete":
            del data[where : where + mutation[2]]
        elif kind == "truncate":
            del data[where:]
        elif kind == "duplicate":
            data[where:where] = bytes(data[where : where + mutation[2]]) * mutation[3]
        elif kind == "splice":
            other = BODIES[mutation[2]]
            start = mutation[3] % (len(other) + 1)
            data[where:where] = other[start : start + mutation[4]]
    return bytes(data)


class Fuzzer:
    def __init__(self) -> None:
        self.crawler = get_crawler(ReviewsSpider, {})
        self.executions = 0
        self.parsed: collections.Counter[str] = collections.Counter()
        self.items: collections.Counter[str] = collections.Counter()
        self.rejected = 0

    def run_one(self, body: bytes, url: str, content_type: str | None) -> None:
        self.executions += 1
        headers = Headers({"Content-Type": content_type} if content_type else {})
        response_class = responsetypes.from_args(headers=headers, url=url, body=body)
        page = Page.from_response(response_class(url=url, body=body, headers=headers))
        for fmt in FORMATS:
            fmt.matches(page)
        fmt = detect(page)
        if fmt is None:
            self.parsed["(none)"] += 1
            return
        self.parsed[fmt.NAME] += 1
        for output in fmt.parse(page):
            if isinstance(output, ReviewItem | FilmSummaryItem):
                self.items[fmt.NAME] += 1
                if isinstance(output, ReviewItem):
                    try:
                        normalize_review(output, Findings())
                    except RejectedReview:
                        self.rejected += 1


def fuzz(minutes: float, examples_per_round: int) -> int:
    # Unreadable fields are logged per review as warnings: millions of lines here.
    logging.disable(logging.WARNING)
    fuzzer = Fuzzer()
    findings: list[str] = []
    deadline = time.monotonic() + minutes * 60
    rounds = 0

    @settings(
        max_examples=examples_per_round,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(
        fixture=st.integers(0, len(BODIES) - 1),
        mutations=st.lists(MUTATION, max_size=8),
        url=st.sampled_from(URLS),
        content_type=st.sampled_from(CONTENT_TYPES),
    )
    def one_round(
        fixture: int, mutations: list[tuple[Any, ...]], url: str, content_type: str | None
    ) -> None:
        fuzzer.run_one(mutate(BODIES[fixture], mutations), url, content_type)

    started = time.monotonic()
    while time.monotonic() < deadline:
        rounds += 1
        try:
            one_round()
        except Exception as exc:  # a finding, already shrunk by Hypothesis
            findings.append("".join(traceback.format_exception(exc)))
            print(f"FINDING in round {rounds}:\n{findings[-1]}", file=sys.stderr, flush=True)
    elapsed = time.monotonic() - started

    print(f"fuzzed {elapsed / 60:.1f} min: {fuzzer.executions} executions "
          f"({fuzzer.executions / elapsed:.0f}/s) in {rounds} rounds, "
          f"{len(FIXTURES)} fixtures, {len(findings)} finding(s)")  # fmt: skip
    print(
        "pages by detected format: " + ", ".join(f"{k} {v}" for k, v in fuzzer.parsed.most_common())
    )
    print("items by format: " + ", ".join(f"{k} {v}" for k, v in fuzzer.items.most_common()))
    print(f"reviews rejected by normalization: {fuzzer.rejected}")
    return 1 if findings else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--examples-per-round", type=int, default=2000)
    arguments = parser.parse_args()
    sys.exit(fuzz(arguments.minutes, arguments.examples_per_round))


if __name__ == "__main__":
    main()
