"""Generated legacy-Metacritic critic-review pages, for crawls too large to hand-write.

Used by the distributed, scheduling and incremental tests and by
benchmarks/crawl_throughput.py. Film ``i`` has slug ``gen-film-<i>``, its page
lives at ``/movie/gen-film-<i>/critic-reviews`` and states exactly the reviews
it lists.
"""

from __future__ import annotations

from pathlib import Path

PUBLICATIONS = (
    "Northern Ledger", "The Daily Frame", "Cinema Weekly", "Harbourside Gazette",
    "Reel Talk", "The Coastal Review", "Screen Notes", "The Evening Post",
)  # fmt: skip


def band(score: int) -> str:
    return "positive" if score >= 61 else "mixed" if score >= 40 else "negative"


def review_score(film: int, number: int) -> int:
    return (film * 7 + number * 13) % 101


def page_path(film: int) -> str:
    return f"/movie/gen-film-{film}/critic-reviews"


def page_html(film: int, reviews: int, *, edition: int = 0) -> str:
    """A critic-reviews page; a different ``edition`` changes every quote (a site edit)."""
    slug = f"gen-film-{film}"
    blocks = []
    scores = [review_score(film, number) for number in range(reviews)]
    for number, score in enumerate(scores):
        publication = f"{PUBLICATIONS[number % len(PUBLICATIONS)]} {number // len(PUBLICATIONS)}"
        edited = f" (edition {edition})" if edition else ""
        blocks.append(
            f'<div class="review pad_top1 pad_btm1"><div class="left fl">'
            f'<div class="metascore_w larger movie {band(score)} indiv">{score}</div></div>'
            f'<div class="right fl"><div class="title pad_btm_half"><span class="source">'
            f'<a href="/publication/p{number}">{publication}</a></span><span class="author">'
            f'<a href="/critic/c{number}">Critic  Number {number}</a></span>'
            f'<span class="date">Jan  {1 + number % 28}, 2020</span></div>'
            f'<div class="summary"><a class="no_hover" href="https://example.org/{slug}/{number}">'
            f"Review {number} of film {film}{edited}: a verdict of some length, written to weigh"
            f" about what a real quote weighs on a real page, with punctuation — and “quotes”.</a>"
            f'<a class="read_full" href="https://example.org/{slug}/{number}">Read full review</a>'
            f"</div></div></div>"
        )
    positive = sum(band(s) == "positive" for s in scores)
    mixed = sum(band(s) == "mixed" for s in scores)
    negative = reviews - positive - mixed
    return (
        f"<!DOCTYPE html><html><head><title>Generated film {film}</title></head><body>"
        f'<div class="product_page_title oswald"><h1>Generated Film {film}</h1>'
        f'<span class="release_year">2020</span></div>'
        f'<span class="score_description"><a class="data" href="/movie/{slug}/critic-reviews">'
        f'<span>Mixed or average</span><span class="based_on">based on {reviews} Critics'
        f'</span></a></span><a class="metascore_anchor" href="/movie/{slug}/critic-reviews">'
        f'<span class="metascore_w larger movie mixed">55</span></a>'
        f'<div class="distribution">'
        f'<a class="metascore_anchor" href="/movie/{slug}/critic-reviews">'
        f'<div class="metascore_w larger movie mixed">55</div></a>'
        f'<div class="chart positive"><div class="count">{positive}</div></div>'
        f'<div class="chart mixed"><div class="count">{mixed}</div></div>'
        f'<div class="chart negative"><div class="count">{negative}</div></div></div>'
        f'<div class="critic_reviews">{"".join(blocks)}</div></body></html>'
    )


def write_site(root: Path, films: int, reviews: int) -> list[str]:
    """Writes ``films`` pages under ``root`` (served as folder/index.html); returns their paths."""
    paths = []
    for film in range(films):
        folder = root / page_path(film).lstrip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(page_html(film, reviews), encoding="utf-8")
        paths.append(page_path(film))
    return paths
