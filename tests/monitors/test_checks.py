"""Each monitor's judgement, driven to pass and to fail from crawl stats."""

from __future__ import annotations

from reviewcrawler.monitors import checks

COVERAGE = {"quote": 0.8, "publication": 0.5, "published_on": 0.5}
EXEMPT = {"plain_text": ["publication"]}


def test_markup_drift() -> None:
    healthy = {"pages/stating_reviews": 3, "pages/format/metacritic_legacy": 3}
    assert checks.markup_drift(healthy, max_unrecognised=0) == []
    drifted = {
        **healthy,
        "pages/suspected_markup_drift": 1,
    }
    (problem,) = checks.markup_drift(drifted, max_unrecognised=0)
    assert "1 page(s) state a critic count but yielded no review" in problem
    assert checks.markup_drift({"pages/unrecognised": 2}, max_unrecognised=2) == []
    assert checks.markup_drift({"pages/unrecognised": 3}, max_unrecognised=2)
    assert checks.markup_drift({"pages/parse_errors": 1}, max_unrecognised=0)


def test_field_coverage() -> None:
    stats = {
        "coverage/metacritic_legacy/reviews": 20,
        "coverage/metacritic_legacy/quote": 20,
        "coverage/metacritic_legacy/publication": 19,
        "coverage/metacritic_legacy/published_on": 10,
        "coverage/plain_text/reviews": 10,
        "coverage/plain_text/quote": 9,
        "coverage/plain_text/published_on": 9,
    }
    assert checks.field_coverage(stats, COVERAGE, EXEMPT, min_reviews=10) == []
    stats["coverage/metacritic_legacy/quote"] = 3
    (problem,) = checks.field_coverage(stats, COVERAGE, EXEMPT, min_reviews=10)
    assert problem == "metacritic_legacy: quote in 15% of 20 reviews, below 80%"
    # Without the exemption, the plain-text format has no publication at all.
    problems = checks.field_coverage(stats, COVERAGE, {}, min_reviews=10)
    assert "plain_text: publication in 0% of 10 reviews, below 50%" in problems
    # Too few reviews to judge.
    assert checks.field_coverage(stats, COVERAGE, {}, min_reviews=21) == []


def test_errors_and_retries() -> None:
    assert checks.errors_and_retries({"retry/count": 5}, 0, 10, 0) == []
    assert checks.errors_and_retries({"log_count/ERROR": 1}, 0, 10, 0) == [
        "1 error(s) logged (MONITOR_MAX_ERRORS=0)"
    ]
    assert checks.errors_and_retries({"retry/count": 11}, 0, 10, 0) == [
        "11 retries (MONITOR_MAX_RETRIES=10)"
    ]
    assert checks.errors_and_retries({"retry/max_reached": 1}, 0, 10, 0)
    assert checks.errors_and_retries({"retry/retry_after_too_long": 1}, 0, 10, 0)


def test_finish_reason() -> None:
    assert checks.finish_reason({"finish_reason": "finished"}, ["finished"]) == []
    assert checks.finish_reason({"finish_reason": "shutdown"}, ["finished"]) == [
        "finished with reason 'shutdown', expected one of ['finished']"
    ]
    assert checks.finish_reason({}, ["finished"])


def test_bans() -> None:
    assert checks.bans({"bans/status/429": 1}, max_banned=1) == []
    (problem,) = checks.bans({"bans/status/403": 2, "bans/challenge": 1}, max_banned=0)
    assert problem == "3 blocked or rate-limited response(s) (challenge: 1, status/403: 2)"


def test_invalid_items() -> None:
    assert checks.invalid_items({"spidermon/validation/items": 9}, 0) == []
    stats = {
        "spidermon/validation/items/errors": 2,
        "spidermon/validation/fields/errors/invalid_string/quote": 2,
    }
    (problem,) = checks.invalid_items(stats, 0)
    assert problem == "2 item(s) failed the JSON schema (invalid_string/quote: 2)"
