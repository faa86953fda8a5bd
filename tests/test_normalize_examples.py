"""Normalizers on the examples the issues and FORMATS.md state."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewcrawler.normalize.dates import iso_date
from reviewcrawler.normalize.fingerprint import review_fingerprint
from reviewcrawler.normalize.scores import label_for_score, sentiment_for_score
from reviewcrawler.normalize.text import clean_critic, clean_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan  9, 2014", "2014-01-09"),
        ("Jul 15, 2013", "2013-07-15"),
        ("September 1, 2016", "2016-09-01"),
        ("2022-02-23", "2022-02-23"),
        ("2022-02-23T10:00:00Z", "2022-02-23"),
        ("07/13/2023", "2023-07-13"),
        ("Feb 30, 2019", None),
        ("", None),
        (None, None),
        ("sometime", None),
    ],
)
def test_iso_date(text: str | None, expected: str | None) -> None:
    assert iso_date(text, today=dt.date(2026, 11, 23)) == expected


def test_dates_after_tomorrow_are_rejected() -> None:
    assert iso_date("Jan 1, 2099", today=dt.date(2026, 11, 23)) is None
    assert iso_date("Nov 24, 2026", today=dt.date(2026, 11, 23)) == "2026-11-24"


@pytest.mark.parametrize(
    ("score", "sentiment"),
    [
        (100, "positive"),
        (61, "positive"),
        (60, "mixed"),
        (40, "mixed"),
        (39, "negative"),
        (0, "negative"),
        (None, None),
    ],
)
def test_review_bands(score: int | None, sentiment: str | None) -> None:
    assert sentiment_for_score(score) == sentiment


@pytest.mark.parametrize(
    ("mean", "label"),
    [
        (90, "Universal acclaim"),
        (81, "Universal acclaim"),
        (80.4, "Generally favorable"),
        (80.5, "Universal acclaim"),
        (61, "Generally favorable"),
        (60, "Mixed or average"),
        (40, "Mixed or average"),
        (39, "Generally unfavorable"),
        (20, "Generally unfavorable"),
        (19, "Overwhelming dislike"),
        (0, "Overwhelming dislike"),
        (None, None),
    ],
)
def test_metascore_bands(mean: float | None, label: str | None) -> None:
    assert label_for_score(mean) == label


def test_text_is_nfc_with_whitespace_collapsed_and_punctuation_kept() -> None:
    decomposed = "Cafe\u0301  society\n\t— “quoted” [sic] ... -- it’s"
    assert clean_text(decomposed) == "Café society — “quoted” [sic] ... -- it’s"
    assert clean_text("   ") is None


@pytest.mark.parametrize(
    ("raw", "critic"),
    [
        (" Gunnar  Rehlin", "Gunnar Rehlin"),
        ("Staff [Not Credited]", None),
        ("Staff", None),
        ("By Robbie Collin", "Robbie Collin"),
        ("", None),
        ("Andrew O'Hehir", "Andrew O'Hehir"),
    ],
)
def test_critic_names(raw: str, critic: str | None) -> None:
    assert clean_critic(raw) == critic


def test_fingerprint_ignores_case_spacing_and_quote_edits_for_named_reviews() -> None:
    one = review_fingerprint("metacritic:her", "The New Yorker", "Anthony Lane", "Sad, kooky.")
    two = review_fingerprint("metacritic:her", "the new  yorker", "ANTHONY LANE", "Edited quote.")
    assert one == two
    assert one != review_fingerprint("metacritic:arrival", "The New Yorker", "Anthony Lane", "x")


def test_fingerprint_keeps_anonymous_reviews_apart_by_quote() -> None:
    first = review_fingerprint("file:pusher", None, None, "Each film in the trilogy...")
    second = review_fingerprint("file:pusher", None, None, "There's something rotten...")
    assert first != second
