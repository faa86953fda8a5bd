"""Feed exporters that write a PageItems as its reviews and summaries, one record each.

Registered for every built-in feed format in FEED_EXPORTERS (settings.py), so
``scrapy crawl reviews -O reviews.jsonl`` writes one line per review and per
stated summary, as if pages had never been batched.
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import (
    BaseItemExporter,
    CsvItemExporter,
    JsonItemExporter,
    JsonLinesItemExporter,
    MarshalItemExporter,
    PickleItemExporter,
    XmlItemExporter,
)

from reviewcrawler.items import PageItems


class _Unbatching(BaseItemExporter):
    def export_item(self, item: Any) -> None:
        if isinstance(item, PageItems):
            for each in item:
                super().export_item(each)
        else:
            super().export_item(item)


class JsonExporter(_Unbatching, JsonItemExporter):
    pass


class JsonLinesExporter(_Unbatching, JsonLinesItemExporter):
    pass


class CsvExporter(_Unbatching, CsvItemExporter):
    pass


class XmlExporter(_Unbatching, XmlItemExporter):
    pass


class MarshalExporter(_Unbatching, MarshalItemExporter):
    pass


class PickleExporter(_Unbatching, PickleItemExporter):
    pass
