"""The monitors run when a crawl closes, as a Spidermon suite, and what a failure does.

Each monitor wraps one check from monitors/checks.py, its thresholds read from
settings (MONITOR_*). When any fails, ``FailCrawl`` logs one report naming every
failed monitor and its problems, records the result in stats
(``monitors/failed``, ``monitors/passed``, ``monitors/report``: copied into the
crawl's run record) and marks the crawl failed, so ``scrapy crawl`` exits 1.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite, monitors
from spidermon import settings as spidermon_settings
from spidermon.core.actions import Action

from reviewcrawler.monitors import checks
from reviewcrawler.outcome import mark_failed

logger = logging.getLogger(__name__)

# Spidermon 1.27 logs through Spider.log(), which Scrapy 2.19 deprecates; the
# warning would repeat once per report line.
warnings.filterwarnings(
    "ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning
)

FAILED_STAT = "monitors/failed"
PASSED_STAT = "monitors/passed"
REPORT_STAT = "monitors/report"


class _CheckMonitor(Monitor):
    def problems(self) -> list[str]:
        raise NotImplementedError

    @property
    def settings(self) -> Any:
        return self.data.crawler.settings

    def _check(self) -> None:
        problems = self.problems()
        if problems:
            self.fail("; ".join(problems))


@monitors.name("Markup drift")
class MarkupDriftMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.markup_drift(
            self.data.stats, self.settings.getint("MONITOR_MAX_UNRECOGNISED_PAGES")
        )

    @monitors.name("pages stating reviews yield them")
    def test_markup_drift(self) -> None:
        self._check()


@monitors.name("Field coverage")
class FieldCoverageMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.field_coverage(
            self.data.stats,
            self.settings.getdict("MONITOR_FIELD_COVERAGE"),
            self.settings.getdict("MONITOR_FIELD_COVERAGE_EXEMPT"),
            self.settings.getint("MONITOR_FIELD_COVERAGE_MIN_REVIEWS"),
        )

    @monitors.name("fields filled above thresholds")
    def test_field_coverage(self) -> None:
        self._check()


@monitors.name("Errors and retries")
class ErrorsMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.errors_and_retries(
            self.data.stats,
            self.settings.getint("MONITOR_MAX_ERRORS"),
            self.settings.getint("MONITOR_MAX_RETRIES"),
            self.settings.getint("MONITOR_MAX_GIVEN_UP"),
        )

    @monitors.name("errors and retries within limits")
    def test_errors_and_retries(self) -> None:
        self._check()


@monitors.name("Finish reason")
class FinishReasonMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.finish_reason(
            self.data.stats, self.settings.getlist("MONITOR_EXPECTED_FINISH_REASONS")
        )

    @monitors.name("crawl finished normally")
    def test_finish_reason(self) -> None:
        self._check()


@monitors.name("Bans")
class BansMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.bans(self.data.stats, self.settings.getint("MONITOR_MAX_BANNED"))

    @monitors.name("no blocked responses")
    def test_bans(self) -> None:
        self._check()


@monitors.name("Item validation")
class InvalidItemsMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.invalid_items(
            self.data.stats, self.settings.getint("MONITOR_MAX_INVALID_ITEMS")
        )

    @monitors.name("items meet the JSON schema")
    def test_invalid_items(self) -> None:
        self._check()


@monitors.name("Path agreement")
class PathDisagreementsMonitor(_CheckMonitor):
    def problems(self) -> list[str]:
        return checks.path_disagreements(
            self.data.stats, self.settings.getint("MONITOR_MAX_PATH_DISAGREEMENTS")
        )

    @monitors.name("the API, page data and HTML agree")
    def test_path_disagreements(self) -> None:
        self._check()


def _passed(result: Any) -> bool:
    return result.status in spidermon_settings.MONITOR.STATUSES.SUCCESSFUL


class RecordMonitorResults(Action):
    """Always: which monitors passed and failed, in stats, for the crawl's run record."""

    def run_action(self) -> None:
        stats = self.data.crawler.stats
        failed, passed = [], []
        for result in self.result.monitor_results:
            names = passed if _passed(result) else failed
            names.append(result.monitor.monitor_name)
        stats.set_value(FAILED_STAT, failed)
        stats.set_value(PASSED_STAT, passed)


class FailCrawl(Action):
    """On failure: one readable report in the log, and a non-zero exit status."""

    def run_action(self) -> None:
        stats = self.data.crawler.stats
        lines = []
        for result in self.result.monitor_results:
            if not _passed(result):
                reason = (result.reason or "").strip().splitlines()
                detail = reason[-1] if reason else result.status
                detail = detail.removeprefix("AssertionError: ")
                lines.append(f"  - {result.monitor.monitor_name}: {detail}")
        report = "Crawl monitors failed:\n" + "\n".join(lines)
        stats.set_value(REPORT_STAT, report)
        logger.error("%s", report)
        names = [line.split(":", 1)[0].removeprefix("  - ") for line in lines]
        mark_failed(stats, f"monitors failed: {', '.join(names)}")


class CloseSuite(MonitorSuite):
    monitors = [
        MarkupDriftMonitor,
        FieldCoverageMonitor,
        ErrorsMonitor,
        FinishReasonMonitor,
        BansMonitor,
        InvalidItemsMonitor,
        PathDisagreementsMonitor,
    ]
    monitors_finished_actions = [RecordMonitorResults]
    monitors_failed_actions = [FailCrawl]
