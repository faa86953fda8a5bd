"""Original scores to 0-100, exactly as the table in reviewcrawler/normalize/scores.py documents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviewcrawler.normalize.scores import score_from_original, sentiment_for_score

TABLE = {
    # the shapes the issue names
    "3/4": 75,
    "2.5/5": 50,
    "B+": 83,
    "7/10": 70,
    "A-": 92,
    "4 stars": 80,
    # letters, A = 100 to F = 0 in thirds
    "A+": 100,
    "A": 100,
    "B": 75,
    "B-": 67,
    "C+": 58,
    "C": 50,
    "C-": 42,
    "D+": 33,
    "D": 25,
    "D-": 17,
    "F+": 8,
    "F": 0,
    "F-": 0,
    "b+": 83,
    "A−": 92,  # Unicode minus, as Rotten Tomatoes writes it
    "C –": 42,
    # x/y linear, and its spellings
    "2.5/4": 63,
    "3.5 out of 5": 70,
    "4/5 stars": 80,
    "8,5/10": 85,
    "3½/5": 70,
    "3 1/2 stars": 70,
    "Rated: 3/4": 75,
    "Original Score: B+": 83,
    # Metacritic's own scale, stars
    "80": 80,
    "0": 0,
    "85%": 85,
    "4.5 stars": 90,
    "★★★½": 70,
    "★★★★☆": 80,
}

UNREADABLE = ["", "N/A", "11/10", "0/0", "101", "E", "great", "3/", "-3/4", "tbd"]


@pytest.mark.parametrize(("original", "expected"), TABLE.items())
def test_documented_conversions(original: str, expected: int) -> None:
    assert score_from_original(original) == expected


@pytest.mark.parametrize("original", UNREADABLE)
def test_unreadable_scores_are_none(original: str) -> None:
    assert score_from_original(original) is None


def test_review_bands() -> None:
    assert [sentiment_for_score(s) for s in (100, 61, 60, 40, 39, 0, None)] == [
        "positive",
        "positive",
        "mixed",
        "mixed",
        "negative",
        "negative",
        None,
    ]


SCORE_LIKE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789./ ,%★☆½+-−–ABCDFabcdf", max_size=12),
    st.builds(
        lambda x, y, unit: f"{x}/{y}{unit}",
        st.one_of(st.floats(), st.integers(min_value=-5, max_value=10**40)),
        st.one_of(st.floats(), st.integers(min_value=-5, max_value=10**40)),
        st.sampled_from(["", " stars", "stars", " out of 5"]),
    ),
    st.builds(
        lambda g, m: g + m,
        st.sampled_from("ABCDEFGabcdf"),
        st.sampled_from(["", "+", "-", "−", "++"]),
    ),
)


@given(SCORE_LIKE)
def test_conversion_never_raises_and_stays_in_range(original: str) -> None:
    score = score_from_original(original)
    assert score is None or (isinstance(score, int) and 0 <= score <= 100)
