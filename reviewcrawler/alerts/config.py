"""The alert settings (settings.py ``ALERT_*``), read once into one value."""

from __future__ import annotations

import os
from dataclasses import dataclass

from scrapy.settings import BaseSettings, Settings

from reviewcrawler.middlewares.user_agent import user_agent

#: Sets ALERT_WEBHOOK_URL when no ``-s`` does, for the crawl and ``reviewcrawler
#: alerts send`` alike (a webhook URL often holds a token: better kept out of files).
WEBHOOK_URL_ENV = "REVIEWCRAWLER_ALERT_WEBHOOK_URL"


def default_webhook_url() -> str:
    return os.environ.get(WEBHOOK_URL_ENV, "")


@dataclass(frozen=True)
class AlertConfig:
    #: Where messages are POSTed; empty: alerts are off.
    webhook_url: str
    on_score_moved: bool = True
    min_score_delta: float = 3.0
    on_band_crossed: bool = True
    on_first_score: bool = True
    on_watched_reviews: bool = True
    watched_only: bool = False
    timeout: float = 10.0
    retry_times: int = 2
    retry_backoff: float = 1.0
    retry_backoff_max: float = 30.0
    user_agent: str = "reviewcrawler alerts"

    @property
    def enabled(self) -> bool:
        return bool(self.webhook_url)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> AlertConfig:
        return cls(
            webhook_url=(settings.get("ALERT_WEBHOOK_URL") or "").strip(),
            on_score_moved=settings.getbool("ALERT_ON_SCORE_MOVED"),
            min_score_delta=max(0.0, settings.getfloat("ALERT_MIN_SCORE_DELTA")),
            on_band_crossed=settings.getbool("ALERT_ON_BAND_CROSSED"),
            on_first_score=settings.getbool("ALERT_ON_FIRST_SCORE"),
            on_watched_reviews=settings.getbool("ALERT_ON_WATCHED_REVIEWS"),
            watched_only=settings.getbool("ALERT_WATCHED_ONLY"),
            timeout=max(0.001, settings.getfloat("ALERT_TIMEOUT")),
            retry_times=max(0, settings.getint("ALERT_RETRY_TIMES")),
            retry_backoff=max(0.0, settings.getfloat("ALERT_RETRY_BACKOFF")),
            retry_backoff_max=max(0.0, settings.getfloat("ALERT_RETRY_BACKOFF_MAX")),
            # The crawl's own User-Agent, which names the project and its operator.
            user_agent=user_agent(settings) + " alerts",
        )


def project_settings() -> Settings:
    """The project's settings as a crawl starts from them, for commands run outside one."""
    settings = Settings()
    settings.setmodule("reviewcrawler.settings", priority="project")
    return settings
