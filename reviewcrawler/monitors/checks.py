"""The monitors' judgements, as pure functions of a crawl's stats.

Each returns the problems it found (empty when the crawl passes), so that they
can be tested without a crawl and reported in plain words. monitors/suite.py
runs them as Spidermon monitors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Stats = Mapping[str, Any]


def markup_drift(stats: Stats, max_unrecognised: int) -> list[str]:
    """Pages that say they list reviews but yielded none, and pages no format knew."""
    problems = []
    drifted = stats.get("pages/suspected_markup_drift", 0)
    if drifted:
        problems.append(
            f"{drifted} page(s) state a critic count but yielded no review (markup changed? "
            "see the 'Suspected markup drift' warnings for their URLs)"
        )
    unrecognised = stats.get("pages/unrecognised", 0)
    if unrecognised > max_unrecognised:
        problems.append(
            f"{unrecognised} page(s) matched no format "
            f"(MONITOR_MAX_UNRECOGNISED_PAGES={max_unrecognised})"
        )
    parse_errors = stats.get("pages/parse_errors", 0)
    if parse_errors:
        problems.append(f"a format raised on {parse_errors} page(s)")
    return problems


def field_coverage(
    stats: Stats,
    thresholds: Mapping[str, float],
    exempt: Mapping[str, Iterable[str]],
    min_reviews: int,
) -> list[str]:
    """Fields filled in fewer reviews than their threshold, per format."""
    problems = []
    formats = sorted(
        key.split("/")[1]
        for key in stats
        if key.startswith("coverage/") and key.endswith("/reviews") and key.count("/") == 2
    )
    for format_name in formats:
        reviews = stats.get(f"coverage/{format_name}/reviews", 0)
        if reviews < min_reviews:
            continue
        skipped = set(exempt.get(format_name, ()))
        for field, threshold in thresholds.items():
            if field in skipped:
                continue
            share = stats.get(f"coverage/{format_name}/{field}", 0) / reviews
            if share < float(threshold):
                problems.append(
                    f"{format_name}: {field} in {share:.0%} of {reviews} reviews, "
                    f"below {float(threshold):.0%}"
                )
    return problems


def errors_and_retries(
    stats: Stats, max_errors: int, max_retries: int, max_given_up: int
) -> list[str]:
    problems = []
    errors = stats.get("log_count/ERROR", 0)
    if errors > max_errors:
        problems.append(f"{errors} error(s) logged (MONITOR_MAX_ERRORS={max_errors})")
    retries = stats.get("retry/count", 0)
    if retries > max_retries:
        problems.append(f"{retries} retries (MONITOR_MAX_RETRIES={max_retries})")
    given_up = stats.get("retry/max_reached", 0) + stats.get("retry/retry_after_too_long", 0)
    if given_up > max_given_up:
        problems.append(
            f"{given_up} request(s) given up after retrying (MONITOR_MAX_GIVEN_UP={max_given_up})"
        )
    return problems


def finish_reason(stats: Stats, expected: Iterable[str]) -> list[str]:
    reason = stats.get("finish_reason")
    allowed = list(expected)
    if reason not in allowed:
        return [f"finished with reason {reason!r}, expected one of {allowed}"]
    return []


def bans(stats: Stats, max_banned: int) -> list[str]:
    banned = {
        key.removeprefix("bans/"): value
        for key, value in stats.items()
        if key.startswith("bans/") and isinstance(value, int)
    }
    total = sum(banned.values())
    if total > max_banned:
        detail = ", ".join(f"{name}: {count}" for name, count in sorted(banned.items()))
        return [f"{total} blocked or rate-limited response(s) ({detail})"]
    return []


def invalid_items(stats: Stats, max_invalid: int) -> list[str]:
    invalid = stats.get("spidermon/validation/items/errors", 0)
    if invalid <= max_invalid:
        return []
    prefix = "spidermon/validation/fields/errors/"
    reasons = sorted(
        f"{key.removeprefix(prefix)}: {value}"
        for key, value in stats.items()
        if key.startswith(prefix) and key.count("/") >= 5
    )
    return [f"{invalid} item(s) failed the JSON schema ({'; '.join(reasons)})"]


def path_disagreements(stats: Stats, max_disagreements: int) -> list[str]:
    """Values two paths of one page or film (API, page data, JSON-LD, HTML) state
    differently (pipelines/dedupe.py ``paths/disagree/<field>``), beyond the limit."""
    prefix = "paths/disagree/"
    by_field = {
        key.removeprefix(prefix): value
        for key, value in stats.items()
        if key.startswith(prefix) and isinstance(value, int)
    }
    total = sum(by_field.values())
    if total <= max_disagreements:
        return []
    detail = ", ".join(f"{name}: {count}" for name, count in sorted(by_field.items()))
    return [
        f"{total} value(s) differ between a page's data paths ({detail}; "
        f"MONITOR_MAX_PATH_DISAGREEMENTS={max_disagreements}; see the 'Paths disagree' "
        "warnings)"
    ]
