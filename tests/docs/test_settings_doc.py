"""docs/settings.md stays complete and current: every setting of settings.py, with its
default and meaning. Regenerate with
``.venv/bin/python -m reviewcrawler.settings_doc > docs/settings.md``."""

from __future__ import annotations

from reviewcrawler import settings
from reviewcrawler.settings_doc import SETTINGS_FILE, read_settings, settings_page
from tests.support.crawl import PROJECT

PAGE = PROJECT / "docs" / "settings.md"


def test_every_setting_has_a_meaning() -> None:
    documented = read_settings(SETTINGS_FILE.read_text(encoding="utf-8"))
    assert {s.name for s in documented} == {n for n in dir(settings) if n.isupper()}
    assert [s.name for s in documented if not (s.meaning or s.shares)] == []


def test_the_settings_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == settings_page(), (
        "docs/settings.md is stale: regenerate it with "
        "`.venv/bin/python -m reviewcrawler.settings_doc > docs/settings.md`"
    )


def test_a_setting_sharing_a_comment_is_of_the_same_family() -> None:
    source = (
        "# --- Retries ---\n"
        "#: Seconds before retry n, at most RETRY_BACKOFF_MAX.\n"
        "RETRY_BACKOFF_BASE = 1.0\n"
        "RETRY_BACKOFF_MAX = 30.0\n"
        "LOG_LEVEL = 'INFO'\n"
    )
    base, top, log = read_settings(source)
    assert (base.section, base.meaning, base.default) == (
        "Retries",
        "Seconds before retry n, at most RETRY_BACKOFF_MAX.",
        "`1.0`",
    )
    assert (top.shares, log.shares, log.meaning) == ("RETRY_BACKOFF_BASE", None, "")


def test_the_scheduling_page_lists_every_spider_argument() -> None:
    from reviewcrawler.spiders.reviews import ReviewsSpider

    page = (PROJECT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    for name in ReviewsSpider.arguments:
        assert f"| `{name}` |" in page
