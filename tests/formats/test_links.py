from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.parametrize(
    "href",
    ["http://[::1]/a", "https://a]b.example/", "http://exa\u2100mple.com/", "https://ü.example/x"],
)
def test_an_absolute_link_is_refused_exactly_when_urlsplit_refuses_it(href: str) -> None:
    try:
        urlsplit(href)
    except ValueError:
        assert absolute(BASE, href) is None
    else:
        assert absolute(BASE, href) == href


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_the_fast_path_for_plain_links_agrees_with_urlsplit(rest: str) -> None:
    href = "https://" + rest
    try:
        urlsplit(href.strip())
    except ValueError:
        assert absolute(BASE, href) is None
    else:
        assert absolute(BASE, href) == (href.strip() or None)
