from __future__ import annotations

import pytest

from reviewcrawler.formats.links import absolute

BASE = "https://www.metacritic.com/movie/her/critic-reviews"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://ledger.example/a", "https://ledger.example/a"),
        (
            "  /movie/her/critic-reviews?page=1 ",
            "https://www.metacritic.com/movie/her/critic-reviews?page=1",
        ),
        ("http://[broken", None),
        ("//[broken", None),
        ("", None),
        (None, None),
    ],
)
def test_absolute(href: str | None, expected: str | None) -> None:
    assert absolute(BASE, href) == expected
