from __future__ import annotations

import pytest

from reviewcrawler.identity import (
    canonical_film_key,
    film_identity,
    parse_film_argument,
    platform_slug,
)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.metacritic.com/movie/pusher/critic-reviews", "metacritic:pusher"),
        ("https://www.metacritic.com/movie/her", "metacritic:her"),
        (
            "https://backend.metacritic.com/reviews/metacritic/critic/movies/her/web?offset=10",
            "metacritic:her",
        ),
        ("https://www.rottentomatoes.com/m/arrival_2016/reviews", "rottentomatoes:arrival_2016"),
        ("http://127.0.0.1:8080/movie/the-quiet-harbour", "metacritic:the-quiet-harbour"),
        ("file:///tmp/pusher-1996-critic-reviews.txt", "file:pusher-1996"),
        ("file:///tmp/movie/her/index.html", "file:index"),
    ],
)
def test_key_from_url(url: str, key: str) -> None:
    assert film_identity(url, "metacritic").key == key


def test_url_slug_wins_then_argument_then_canonical_then_file_name() -> None:
    page = "file:///tmp/saved.html"
    canonical = "http://www.metacritic.com/movie/her"
    assert film_identity("https://www.metacritic.com/movie/her", "metacritic", "X (2000)").key == (
        "metacritic:her"
    )
    assert film_identity(page, "metacritic", "Her (2013)", canonical).key == "film:her-2013"
    assert film_identity(page, "metacritic", None, canonical).key == "metacritic:her"
    assert film_identity(page, "metacritic").key == "file:saved"


def test_film_argument_gives_title_and_year() -> None:
    identity = parse_film_argument("  Pusher   (1996) ")
    assert (identity.key, identity.title, identity.year) == ("film:pusher-1996", "Pusher", 1996)
    assert parse_film_argument("Amélie").key == "film:amelie"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.metacritic.com/game/switch/ember-tide",
        "https://www.metacritic.com/game/switch/ember-tide/critic-reviews",
        "https://www.metacritic.com/game/ember-tide/critic-reviews/?platform=switch",
        "https://www.metacritic.com/game/ember-tide/?platform=nintendo-switch",
    ],
)
def test_a_legacy_platform_slug_and_today_s_give_one_key(url: str) -> None:
    assert film_identity(url, "metacritic").key == "metacritic:game:ember-tide:nintendo-switch"


def test_canonical_film_key_touches_only_aliased_game_platforms() -> None:
    assert canonical_film_key("metacritic:game:x:switch") == "metacritic:game:x:nintendo-switch"
    assert canonical_film_key("metacritic:game:x:ios") == "metacritic:game:x:ios-iphoneipad"
    for key in (
        "metacritic:game:x:pc",
        "metacritic:game:switch",
        "metacritic:switch",
        "file:switch",
    ):
        assert canonical_film_key(key) == key
    assert platform_slug("Switch") == "nintendo-switch"
    assert platform_slug("Nintendo Switch") == "nintendo-switch"
