"""Running ``scrapy crawl reviews`` the way a user does: a subprocess in the project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def run_crawl(
    *arguments: str,
    database_url: str | None = None,
    settings: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    spider: str = "reviews",
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl SPIDER ARGUMENTS -s ...``; returns the finished process (text output)."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, *arguments]
    all_settings = {"LOG_LEVEL": "INFO", **(settings or {})}
    if database_url is not None:
        all_settings["DATABASE_URL"] = database_url
    for name, value in all_settings.items():
        command += ["-s", f"{name}={value}"]
    environment = {**os.environ, **(env or {})}
    environment.pop("REVIEWCRAWLER_DATABASE_URL", None)
    return subprocess.run(
        command,
        cwd=cwd or PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
