"""One human-readable line per film summary, as printed at the end of a crawl."""

from __future__ import annotations

from reviewcrawler.store.summaries import SummaryRow


def _counts(positive: int | None, mixed: int | None, negative: int | None) -> str:
    return "/".join("?" if n is None else str(n) for n in (positive, mixed, negative))


def summary_line(row: SummaryRow) -> str:
    name = row.title or row.key
    if row.year:
        name = f"{name} ({row.year})"
    stated = (
        f"stated: {row.stated_label or '-'}"
        f", metascore {row.stated_metascore if row.stated_metascore is not None else '-'}"
        f", {row.stated_critic_count if row.stated_critic_count is not None else '?'} critics"
        f" {_counts(row.stated_positive, row.stated_mixed, row.stated_negative)}"
    )
    mean = f"{row.mean_score:g}" if row.mean_score is not None else "-"
    stored = (
        f"stored: {row.review_count} reviews ({row.scored_count} scored)"
        f", mean {mean} {row.computed_label or '-'}"
        f", {_counts(row.positive_count, row.mixed_count, row.negative_count)}"
    )
    if row.consistent is None:
        verdict = "no stated count"
    elif row.consistent:
        verdict = "consistent"
    else:
        listed = (
            f"{row.stated_listed_count} listed"
            if row.stated_listed_count is not None
            else f"{row.stated_critic_count} stated"
        )
        verdict = f"INCONSISTENT: {row.review_count} stored vs {listed}"
    return f"{name} [{row.key}] | {stated} | {stored} | {verdict}"
