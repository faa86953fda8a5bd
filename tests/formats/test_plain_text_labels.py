"""The plain-text rendering: header labels with or without "reviews", one critic or many.

Pure: each page is read by the format and normalized as the crawl does
(``normalize_page``); the seed (../shared/reference) must still give every field.
"""

from __future__ import annotations

import pytest

from reviewcrawler.formats import detect
from reviewcrawler.formats.page import Page
from reviewcrawler.items import FilmSummaryItem, ReviewItem
from reviewcrawler.normalize.items import normalize_page
from tests.conftest import FIXTURES, reference

PAGES = FIXTURES / "formats" / "plain_text"


def read(text: str, url: str = "file:///srv/pages/some-film-critic-reviews.txt") -> Page:
    return Page(url=url, text=text)


def parsed(page: Page) -> tuple[list[FilmSummaryItem], list[ReviewItem]]:
    fmt = detect(page)
    assert fmt is not None and fmt.NAME == "plain_text"
    outputs = list(fmt.parse(page))
    return (
        [o for o in outputs if isinstance(o, FilmSummaryItem)],
        [o for o in outputs if isinstance(o, ReviewItem)],
    )


@pytest.mark.parametrize(
    ("header", "label", "count"),
    [
        ("Generally favorable reviews - based on 11 Critics", "Generally favorable", 11),
        ("Universal acclaim - based on 1 Critic", "Universal acclaim", 1),
        ("Overwhelming dislike - based on 5 Critics", "Overwhelming dislike", 5),
        ("Mixed or average reviews - based on 1,204 Critics", "Mixed or average", 1204),
        ("Generally unfavorable Reviews – based on 2 Critics", "Generally unfavorable", 2),
    ],
)
def test_header_label_with_or_without_reviews(header: str, label: str, count: int) -> None:
    (summary,), _ = parsed(read(f"{header}\n\nCritic Reviews\n\n  1. 70\n    Fine.\n"))
    assert (summary.stated_label, summary.stated_critic_count) == (label, count)


def test_text_without_a_summary_line_is_not_plain_text() -> None:
    assert detect(read("Universal acclaim\nbased on nothing in particular\n")) is None


def test_one_critic_page_stores_its_review_and_label() -> None:
    page = read((PAGES / "quiet-mooring-critic-reviews.txt").read_text(encoding="utf-8"))
    summaries, reviews = parsed(page)
    (summary,), (review,), findings = normalize_page(summaries, reviews)
    assert (summary.stated_label, summary.stated_critic_count) == ("Universal acclaim", 1)
    # One bucket stated, and it makes the count: the two missing ones can only be 0.
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (1, 0, 0)
    assert (review.critic, review.published_on) == ("Odalys Fenn", "2024-08-22")
    assert review.quote == (
        "A small film that knows exactly how long to hold a silence -- and when to break it."
    )
    assert not findings.stats.get("normalize/unknown/stated_label")


def test_overwhelming_dislike_page_with_placeholders() -> None:
    page = read((PAGES / "the-grey-tally-critic-reviews.txt").read_text(encoding="utf-8"))
    summaries, reviews = parsed(page)
    assert len(reviews) == 5
    (summary,), kept, findings = normalize_page(summaries, reviews)
    assert (summary.title, summary.year, summary.film_key) == (
        "The Grey Tally",
        2023,
        "film:the-grey-tally-2023",
    )
    assert (summary.stated_label, summary.stated_critic_count) == ("Overwhelming dislike", 5)
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (0, 0, 5)
    # Entry 1 is "Staff (Not Credited)" with "Quotation forthcoming.": no critic, no
    # quote, no score: nothing left of it, so it is rejected and counted.
    assert findings.stats["normalize/rejected/empty_review"] == 1
    assert [(r.critic, r.score, r.quote is None) for r in kept] == [
        (None, 10, False),
        ("Piet Achterberg", None, False),
        ("Rosalind Okafor", None, False),
        (None, 0, True),  # a score of 0 with "Quotation forthcoming."
    ]
    assert kept[1].quote == "The tally is grey; so is everything else… including the jokes."
    assert kept[2].quote == "It’s not bad so much as absent — a film that forgot to arrive."


def test_seed_still_gives_every_field() -> None:
    text = reference("seed/pusher-1996-critic-reviews.txt").read_text(encoding="utf-8")
    page = read(text, "https://www.metacritic.com/movie/pusher/critic-reviews")
    summaries, reviews = parsed(page)
    (summary,), kept, _ = normalize_page(summaries, reviews)
    assert (summary.stated_label, summary.stated_critic_count) == ("Generally favorable", 11)
    assert (summary.stated_positive, summary.stated_mixed, summary.stated_negative) == (9, 2, 0)
    assert len(kept) == 11
    assert all(r.quote for r in kept)
    named = [r for r in kept if r.original_score is None]
    assert all(r.published_on == "2013-07-15" for r in named)
    assert [r.score for r in kept if r.original_score is not None] == [80]
    # "Staff [Not Credited]" is no critic; " Gunnar Rehlin" loses its doubled space.
    assert sum(r.critic is None for r in kept) == 2
    assert "Gunnar Rehlin" in {r.critic for r in kept}
