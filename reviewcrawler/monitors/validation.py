"""Spidermon's JSON-schema item validation, adapted to this project.

Runs after normalization, so it checks what the store would receive. Invalid
items are dropped with their errors in the log (with the page's URL) and in
``spidermon/validation/*`` stats, which the invalid-items monitor reads. A
page's items travelling together (PageItems: ``summaries`` and ``reviews``
lists) are checked one by one, and only the invalid ones leave the page.

Spidermon builds a jsonschema validator per item (about 100 us a review, as much
as the rest of the pipelines together), so valid items are first checked by the
same schemas compiled with fastjsonschema (about 2 us); only an item that fails
goes through Spidermon, for its error messages and stats.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonValidation

logger = logging.getLogger(__name__)


class ItemValidationPipeline(SpidermonValidation):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[type, list[Callable[[Any], Any]]] = {}
        # Spidermon's own counters, named as it names them (it slugifies on every call).
        self._items_stat = f"{self.stats.prefix}/items"
        self._fields_stat = f"{self.stats.prefix}/fields"

    # Scrapy 2.19 no longer passes the spider; Spidermon's signature still takes it.
    def process_item(self, item: Any) -> Any:  # type: ignore[override]
        if isinstance(getattr(item, "reviews", None), list) and isinstance(
            getattr(item, "summaries", None), list
        ):
            self._passed = self._fields = 0
            item.summaries = [summary for summary in item.summaries if self._valid(summary)]
            item.reviews = [review for review in item.reviews if self._valid(review)]
            self._count_passed()
            return item
        self._passed = self._fields = 0
        passed = self._passes_compiled(item)
        self._count_passed()
        return item if passed else super().process_item(item)

    def _count_passed(self) -> None:
        if self._passed:
            self.stats.stats.inc_value(self._items_stat, count=self._passed)
            self.stats.stats.inc_value(self._fields_stat, count=self._fields)

    def _passes_compiled(self, item: Any) -> bool:
        """Whether the item meets its schemas (tallied, for Spidermon's counters)."""
        checks = self._compiled.get(type(item))
        if checks is None:
            schemas = [validator._schema for validator in self.find_validators(item)]
            checks = self._compiled[type(item)] = [fastjsonschema.compile(s) for s in schemas]
        if not checks:
            return False
        data = vars(item) if dataclasses.is_dataclass(item) else ItemAdapter(item).asdict()
        try:
            for check in checks:
                check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        self._passed += 1
        self._fields += len(data)
        return True

    def _valid(self, item: Any) -> bool:
        if self._passes_compiled(item):
            return True
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
