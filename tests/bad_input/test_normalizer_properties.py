"""Hypothesis properties of every normalizer: never raises, scores in 0..100 or None,
and normalizing twice changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewcrawler.encoding import decode_body
from reviewcrawler.findings import Findings
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.dates import EARLIEST, iso_date
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.items import RejectedReview, normalize_review, normalize_summary
from reviewcrawler.normalize.scores import (
    label_for_score,
    score_from_original,
    sentiment_for_score,
    sentiment_from_text,
)
from reviewcrawler.normalize.text import (
    _CONTROL,
    _EDGE_MARKS,
    _NOT_TEXT,
    clean_critic,
    clean_name,
    clean_text,
    comparable,
)

# Text as pages deliver it: any code point, plus the troublemakers made likely.
TRICKY = st.sampled_from(
    ["\x00", "\x1b[31m", "\u200f", "\u202e", "\ufeff", "\u0301", "\u0308", "\r\n", "\t", " ",
     "<b>", "</i>", "<", ">", "by ", "Staff", "½", "★", "/", "-", "'", '"', ";--", "%", "😀"]
)  # fmt: skip
TEXT = st.lists(st.one_of(st.text(max_size=8), TRICKY), max_size=12).map("".join)
SCORE_TEXT = st.one_of(
    TEXT,
    st.from_regex(r"\A[-−]?\d{1,4}([.,]\d{1,2})?\s*(%|/\s*\d{1,3}|\s*stars?)?\Z"),
    st.from_regex(r"\A[A-F][+-−]?\Z"),
    st.from_regex(r"\A★{0,6}½?☆{0,6}\Z"),
)
DATE_TEXT = st.one_of(
    TEXT,
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(3000, 1, 1)).map(
        lambda d: d.strftime("%b %d, %Y")
    ),
    st.from_regex(r"\A(Jan|Feb|Mar|Apr|Sept?)\.? \d{1,2}, \d{4}\Z"),
    st.sampled_from(["tomorrow", "yesterday", "3 days ago", "Feb 30, 2019", "1700000000"]),
)
MANY = settings(max_examples=300, deadline=None)


@MANY
@given(TEXT)
def test_clean_text(value: str) -> None:
    cleaned = clean_text(value)
    assert cleaned is None or (cleaned and cleaned == cleaned.strip())
    assert clean_text(cleaned) == cleaned


@MANY
@given(TEXT)
def test_clean_texts_shortcut_for_plain_text_changes_nothing(value: str) -> None:
    # Every step in full, as clean_text would take them without its shortcuts.
    full = unicodedata.normalize("NFC", _CONTROL.sub("", _NOT_TEXT.sub("", value)))
    full = " ".join(full.split()).strip(_EDGE_MARKS + " ")
    assert clean_text(value) == (full or None)


@MANY
@given(TEXT)
def test_clean_name_and_critic(value: str) -> None:
    for clean in (clean_name, clean_critic):
        cleaned = clean(value)
        assert clean(cleaned) == cleaned
        assert cleaned is None or re.search(r"</?[A-Za-z][^<>]*>", cleaned) is None


@MANY
@given(TEXT)
def test_comparable(value: str) -> None:
    assert comparable(comparable(value)) == comparable(value)


@MANY
@given(SCORE_TEXT)
def test_scores(original: str) -> None:
    score = score_from_original(original)
    assert score is None or (isinstance(score, int) and 0 <= score <= 100)
    if score is not None:
        # The score is its own original score: normalizing twice changes nothing.
        assert score_from_original(str(score)) == score
        assert sentiment_for_score(score) in ("positive", "mixed", "negative")
        assert label_for_score(score) is not None
    assert score_from_original(clean_text(original)) == score_from_original(
        clean_text(clean_text(original))
    )


@MANY
@given(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=0,
                                       max_value=100), st.integers(0, 100)))  # fmt: skip
def test_bands(score: float | None) -> None:
    label = label_for_score(score)
    assert (label is None) == (score is None)


@MANY
@given(TEXT)
def test_sentiment_words(text: str) -> None:
    assert sentiment_from_text(text) in (None, "positive", "mixed", "negative")


@settings(max_examples=200, deadline=None)
@given(DATE_TEXT)
def test_dates(text: str) -> None:
    today = dt.date(2026, 6, 1)
    iso = iso_date(text, today=today)
    if iso is not None:
        day = dt.date.fromisoformat(iso)
        assert EARLIEST <= day <= today + dt.timedelta(days=1)
        assert iso_date(iso, today=today) == iso


@MANY
@given(TEXT, st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT), st.one_of(st.none(), TEXT))
def test_fingerprint(
    film: str, publication: str | None, critic: str | None, quote: str | None
) -> None:
    first = review_fingerprint(film, publication, critic, quote)
    again = review_fingerprint(
        film, clean_name(publication), clean_critic(critic), clean_text(quote)
    )
    assert len(first) == 40
    # What normalization does to the fields does not move the review's identity
    # (the names' extra rules aside).
    if clean_name(publication) == clean_text(publication) and clean_critic(critic) == clean_text(
        critic
    ):
        assert first == again


@MANY
@given(
    st.binary(max_size=300),
    st.sampled_from([None, "text/plain; charset=utf-8", "text/html; charset=iso-8859-1"]),
)
def test_decode_body(body: bytes, content_type: str | None) -> None:
    assert isinstance(decode_body(body, content_type), str)


REVIEWS = st.builds(
    ReviewItem,
    film_key=st.just("film:x"),
    source_url=st.just("http://127.0.0.1/x"),
    critic=st.one_of(st.none(), TEXT),
    publication=st.one_of(st.none(), TEXT),
    original_score=st.one_of(st.none(), SCORE_TEXT),
    sentiment=st.one_of(st.none(), st.sampled_from(["fresh", "ROTTEN", "meh"])),
    published_on=st.one_of(st.none(), DATE_TEXT),
    quote=st.one_of(st.none(), TEXT),
    review_url=st.one_of(st.none(), TEXT),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    REVIEWS,
    st.builds(
        FilmSummaryItem,
        film_key=st.just("film:x"),
        source_url=st.just("http://x"),
        title=TEXT,
        stated_label=TEXT,
    ),
)
def test_normalization_is_idempotent(review: ReviewItem, summary: FilmSummaryItem) -> None:
    try:
        once = normalize_review(review, Findings())
    except RejectedReview:
        return
    once = dataclasses.replace(once)
    twice = normalize_review(dataclasses.replace(once), Findings())
    assert twice == once
    assert once.score is None or 0 <= once.score <= 100
    summary_once = dataclasses.replace(normalize_summary(summary))
    assert normalize_summary(dataclasses.replace(summary_once)) == summary_once
