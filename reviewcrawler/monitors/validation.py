"""Spidermon's JSON-schema item validation, adapted to this project.

Runs after normalization, so it checks what the store would receive. Invalid
items are dropped with their errors in the log (with the page's URL) and in
``spidermon/validation/*`` stats, which the invalid-items monitor reads. A
page's items travelling together (PageItems: ``summaries`` and ``reviews``
lists) are checked one by one, and only the invalid ones leave the page.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonValidation

logger = logging.getLogger(__name__)


class ItemValidationPipeline(SpidermonValidation):
    # Scrapy 2.19 no longer passes the spider; Spidermon's signature still takes it.
    def process_item(self, item: Any) -> Any:  # type: ignore[override]
        if isinstance(getattr(item, "reviews", None), list) and isinstance(
            getattr(item, "summaries", None), list
        ):
            item.summaries = [summary for summary in item.summaries if self._valid(summary)]
            item.reviews = [review for review in item.reviews if self._valid(review)]
            return item
        return super().process_item(item)

    def _valid(self, item: Any) -> bool:
        try:
            super().process_item(item)
        except DropItem as exc:
            logger.warning("%s", exc)
            return False
        return True

    def _drop_item(self, item: Any, errors: dict[str, list[str]]) -> None:
        self.stats.add_dropped_item()
        summary = "; ".join(f"{field}: {', '.join(messages)}" for field, messages in errors.items())
        url = getattr(item, "source_url", "?")
        raise DropItem(f"Invalid {type(item).__name__} on {url}: {summary}")
