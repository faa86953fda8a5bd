"""fixtures/bad/: pages written to break the parsers. Each yields normalized items, or
rejections counted in stats with a reason; none crashes anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewcrawler.monitors.schemas import MAX_QUOTE_LENGTH
from tests.bad_input.harness import Outcome, process
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


def run(name: str, content_type: str | None = "by suffix") -> Outcome:
    path = BAD / name
    if content_type == "by suffix":
        content_type = CONTENT_TYPES.get(path.suffix)
    return process(path.read_bytes(), f"http://127.0.0.1:8/bad/{name}", content_type)


def plain_page(entries: list[tuple[str, list[str]]]) -> bytes:
    lines = [f"Mixed or average reviews - based on {len(entries)} Critics", "", "Critic Reviews"]
    for number, (first, rest) in enumerate(entries, start=1):
        lines.append(f"  {number}. {first}")
        lines.extend(f"    {line}" for line in rest)
    return "\n".join(lines).encode("utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir()))
@pytest.mark.parametrize("content_type", ["by suffix", None, "application/octet-stream"])
def test_no_page_crashes_whatever_it_is_served_as(name: str, content_type: str | None) -> None:
    outcome = run(name, content_type)
    for review in outcome.reviews:
        assert review.fingerprint and (review.score is None or 0 <= review.score <= 100)
        for text in (review.critic, review.publication, review.quote):
            assert text is None or ("\x00" not in text and text == text.strip())


@pytest.mark.parametrize("name", ["empty.txt", "binary.bin"])
def test_empty_and_binary_pages_match_no_format(name: str) -> None:
    outcome = run(name, None)
    assert outcome.format is None and not outcome.reviews and not outcome.summaries


def test_truncated_mid_tag_keeps_the_whole_reviews_and_rejects_the_stub() -> None:
    outcome = run("truncated-mid-tag.html")
    assert [r.critic for r in outcome.reviews] == ["Ivy Stone", "Jon Frost"]
    assert outcome.stats["normalize/rejected/empty_review"] == 1
    assert outcome.rejected == [
        "Review with no critic, publication, score or quote on "
        "http://127.0.0.1:8/bad/truncated-mid-tag.html"
    ]


def test_scores_out_of_range_or_unreadable_become_none_and_are_counted() -> None:
    outcome = run("scores.txt")
    scores = {r.original_score: r.score for r in outcome.reviews}
    assert scores == {
        "120": None,
        "-5": None,
        "N/A": None,
        "4.5/5": 90,
        "★★★½": 70,
        "B+": 83,
        "7/0": None,
        "99999999999999999999999999": None,
    }
    assert outcome.stats["normalize/unreadable/score"] == 5
    assert {r.sentiment for r in outcome.reviews if r.score is None} == {None}


def test_impossible_relative_and_far_future_dates_become_none_and_are_counted() -> None:
    outcome = run("dates.html")
    dates = {r.critic: r.published_on for r in outcome.reviews}
    assert dates == {
        "Ada Marsh": None,  # Feb 30, 2019
        "Ben Okafor": None,  # tomorrow
        "Cleo Park": None,  # Jan 1, 2999
        "Dev Rana": None,  # 00/00/0000
        "Eve Lund": "2019-03-03",
    }
    assert outcome.stats["normalize/unreadable/date"] == 4


def test_markup_in_names_is_dropped() -> None:
    outcome = run("names-with-markup.html")
    assert [(r.critic, r.publication) for r in outcome.reviews] == [
        ("Nora Quill", "The Bold Review"),
        ("Owen Pike", "Escaped Tags Monthly"),
        ("Rosa Vale", "Whitespace Times"),
    ]


def test_scripts_and_styles_never_reach_a_quote() -> None:
    quotes = [r.quote for r in run("script-in-quotes.html").reviews]
    assert quotes == [
        "Charming enough but slight.",
        "A handsome film with nothing to say.",
        "Quietly effective.",
    ]


def test_sql_metacharacters_are_kept_verbatim() -> None:
    outcome = run("sql-metacharacters.txt")
    assert [r.critic for r in outcome.reviews] == [
        "Robert'); DROP TABLE reviews;--",
        'O\'Brien "The Critic" %_',
        "x'; DELETE FROM films WHERE '1'='1",
    ]
    assert outcome.reviews[1].quote == "' OR '1'='1"


def test_right_to_left_text_and_emoji_survive_nfc() -> None:
    reviews = run("rtl-and-emoji.txt").reviews
    assert reviews[0].critic == "דנה לוי"
    assert reviews[1].critic == "سارة خليل"  # the layout's direction marks at the ends go
    assert "\u200fعن البحر\u200f" in reviews[1].quote  # inside the text they stay
    assert reviews[2].critic == "Kai 🎬 Moreno" and "👨\u200d👩\u200d👧" in reviews[2].quote
    assert reviews[3].critic == "Zo\u00eb \u00c5ngstr\u00f6m"  # composed (NFC)
    assert "Zo\u00eb and \u00c5ngstr\u00f6m" in reviews[3].quote


def test_nul_bytes_and_terminal_escapes_are_removed() -> None:
    reviews = run("nul-bytes.txt").reviews
    assert [(r.critic, r.quote) for r in reviews] == [
        ("Nul Hypothesis", "A quote with NUL bytes inside."),
        ("Bell Ringer", "Control characters in red."),
    ]


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "text/plain", None])
def test_mixed_encodings_decode_both_halves(content_type: str | None) -> None:
    reviews = run("mixed-encodings.txt", content_type).reviews
    assert [r.critic for r in reviews] == ["Tomás Ferreira", "Françoise Dubé"]
    assert reviews[0].quote == "Written in UTF-8: “curly quotes” and café."
    assert reviews[1].quote == "Written in latin-1: déjà vu, naïve, façade."


def test_a_page_stating_critics_with_drifted_markup_yields_no_review() -> None:
    outcome = run("drifted-critic-reviews.html")
    assert outcome.format == "metacritic_legacy"
    assert outcome.summaries[0].stated_critic_count == 12 and outcome.reviews == []


def test_ten_thousand_reviews_on_one_page() -> None:
    entries = [
        (f"Reviewed by: Critic Number {n}", ["Jan  9, 2014", f"Quote {n}: it was fine."])
        for n in range(1, 10_001)
    ]
    outcome = process(plain_page(entries), "http://127.0.0.1:8/many.txt", "text/plain")
    assert len(outcome.reviews) == 10_000
    assert len({r.fingerprint for r in outcome.reviews}) == 10_000
    assert outcome.reviews[-1].critic == "Critic Number 10000"
    assert outcome.summaries[0].stated_critic_count == 10_000


def test_a_100_kb_quote_is_cut_to_its_documented_length_and_counted() -> None:
    huge = "word " * 20_000
    entries = [
        ("Reviewed by: Long Winded", ["Jan  9, 2014", huge]),
        ("Reviewed by: Brief", ["Jan  9, 2014", "Short and sweet."]),
    ]
    outcome = process(plain_page(entries), "http://127.0.0.1:8/long.txt", "text/plain")
    assert [r.critic for r in outcome.reviews] == ["Long Winded", "Brief"]
    assert not outcome.rejected
    cut = outcome.reviews[0].quote
    assert cut is not None and len(cut) <= MAX_QUOTE_LENGTH and cut.endswith("…")
    assert cut.startswith("word word")
    assert outcome.stats["normalize/truncated/quote"] == 1
    assert len(huge.strip()) > MAX_QUOTE_LENGTH


def test_every_fixture_is_covered_here() -> None:
    covered = {
        "empty.txt", "binary.bin", "truncated-mid-tag.html", "scores.txt", "dates.html",
        "names-with-markup.html", "script-in-quotes.html", "sql-metacharacters.txt",
        "rtl-and-emoji.txt", "nul-bytes.txt", "mixed-encodings.txt",
        "drifted-critic-reviews.html",
    }  # fmt: skip
    assert {p.name for p in Path(BAD).iterdir()} == covered
