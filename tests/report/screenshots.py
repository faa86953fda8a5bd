"""Redraw docs/report-index.png and docs/report-film.png from the bundled samples.

Run by hand (not a test): ``.venv/bin/python -m tests.report.screenshots``. Crawls
``fixtures/sample`` into a temporary SQLite store, writes its report and
screenshots the index and The Quiet Harbour's page in Debian's Chromium.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from reviewcrawler.cli import main as cli
from reviewcrawler.report.values import page_name
from tests.report.test_browser import BROWSER_ARGS, CHROMIUM
from tests.support.crawl import PROJECT, run_crawl

FILM = "metacritic:the-quiet-harbour"


def main() -> None:
    from playwright.sync_api import sync_playwright

    docs = PROJECT / "docs"
    with tempfile.TemporaryDirectory(prefix="report-shots-") as folder:
        url = f"sqlite:///{Path(folder) / 'reviews.db'}"
        for _ in range(2):  # two runs, so the history has a line to draw
            crawl = run_crawl(database_url=url)
            if crawl.returncode != 0:
                sys.exit(crawl.stderr[-2000:])
        out = Path(folder) / "report"
        os.chdir(folder)  # the page names its store; a relative URL keeps tmp paths out
        result = CliRunner().invoke(
            cli, ["report", "--out", str(out), "--database-url", "sqlite:///reviews.db"]
        )
        if result.exit_code != 0:
            sys.exit(result.output)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto((out / "index.html").as_uri())
            page.screenshot(path=str(docs / "report-index.png"))
            page.goto((out / "films" / page_name(FILM)).as_uri())
            page.screenshot(path=str(docs / "report-film.png"), full_page=True)
            browser.close()
    print(f"wrote {docs / 'report-index.png'} and {docs / 'report-film.png'}")


if __name__ == "__main__":
    main()
