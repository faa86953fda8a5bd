"""The stats a ``scrapy crawl`` subprocess dumped at its end, as a dict."""

from __future__ import annotations

import datetime
import re
import subprocess
from typing import Any

_DUMP = re.compile(r"Dumping Scrapy stats:\n(\{.*?\n?\})\n", re.S)


def crawl_stats(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    match = _DUMP.search(result.stderr)
    assert match, f"no stats dump in the crawl's log:\n{result.stderr[-3000:]}"
    # The dump is a pprint of plain values and datetimes, written by the crawl itself.
    return eval(match.group(1), {"datetime": datetime, "__builtins__": {}})  # noqa: S307
