"""``-a url=<folder>``: every file under it is a start page; the files no format
recognises are counted and named in one warning, not one warning each (issue 15)."""

from __future__ import annotations

import re

from tests.exports.conftest import JUNK_FILES, FolderCrawl
from tests.support.tables import table_rows


def test_every_file_of_the_folder_is_a_start_page(folder_crawl: FolderCrawl) -> None:
    stats = folder_crawl.stats
    assert stats["targets/accepted"] == len(folder_crawl.pages) + JUNK_FILES  # not the hidden one
    assert ".hidden-page.html" not in folder_crawl.result.stderr
    reviews = table_rows(folder_crawl.engine, "reviews")
    assert reviews and stats["store/reviews_new"] == len(reviews)


def test_unrecognised_files_are_counted_and_listed_once(folder_crawl: FolderCrawl) -> None:
    log = folder_crawl.result.stderr
    assert folder_crawl.stats["pages/unrecognised"] == JUNK_FILES
    (warning,) = [line for line in log.splitlines() if "No format recognises" in line]
    assert "WARNING" in warning
    assert f"No format recognises {JUNK_FILES} pages" in warning
    named = re.findall(r"note-\d\d\.txt", warning)
    # The first twenty in path order, then a count of the rest.
    assert named == [f"note-{n:02d}.txt" for n in range(20)]
    assert warning.endswith(f"and {JUNK_FILES - 20} more")


def test_a_folder_crawl_with_expected_junk_succeeds(folder_crawl: FolderCrawl) -> None:
    assert folder_crawl.result.returncode == 0, folder_crawl.result.stderr[-3000:]


def test_a_scrapyd_job_argument_is_accepted_and_recorded(folder_crawl: FolderCrawl) -> None:
    (run,) = table_rows(folder_crawl.engine, "crawl_runs")
    assert run["arguments"]["spider"]["_job"] == "nightly-42"
