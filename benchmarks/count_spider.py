"""Baseline for benchmarks/crawl_throughput.py: fetches the targets and only counts responses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Request, Response


class CountSpider(scrapy.Spider):
    name = "count"
    # Only the download path is measured: no pipelines, no store.
    custom_settings = {"ITEM_PIPELINES": {}, "STORE_ENABLED": False}

    def __init__(self, urls_file: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls = Path(urls_file).read_text().split()

    async def start(self) -> AsyncIterator[Request]:
        for url in self.urls:
            yield Request(url, callback=self.parse)

    def parse(self, response: Response) -> None:
        self.crawler.stats.inc_value("count/pages")
