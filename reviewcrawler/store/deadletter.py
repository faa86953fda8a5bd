"""The dead-letter spool: items a crawl could not write, kept as JSON lines for a later replay.

When the database is lost mid-crawl (pipelines/store.py gives up after its
retries), every unwritten batch is appended here exactly as the writer received
it, and the crawl goes on; ``reviewcrawler replay FILE`` (store/replay.py) writes
them afterwards. One file per crawl run. Lines, in order:

- ``{"kind": "header", "version": 1, "run_id": N, "database": URL (masked), ...}``
- ``{"kind": "summary" | "review", "batch": B, "item": {the item's fields}}``
- ``{"kind": "refresh", "run": true}``: the crawl could not recompute its films'
  summaries when it closed (the database was still gone); the replay recomputes
  those of every film the run touched (``crawl_run_films``). Files from before
  that table name the films instead: ``{"kind": "refresh", "film_keys": [...]}``.

Each append is flushed and fsynced before the batch counts as spooled.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewcrawler.items import FilmSummaryItem, ReviewItem

VERSION = 1
REPLAY_COMMAND = "reviewcrawler replay"


class SpoolError(Exception):
    """The file is not a dead-letter spool this reviewcrawler can read."""


def spool_path(folder: Path, run_id: int, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return folder.expanduser().resolve() / f"reviewcrawler-run-{run_id}-{stamp}.jsonl"


class DeadLetterSpool:
    """Appends batches to one run's spool file (created, with its header, on first use)."""

    def __init__(self, path: Path, run_id: int, database: str) -> None:
        self.path = path
        self.run_id = run_id
        self.database = database
        self.reviews = 0
        self.summaries = 0

    def _append(self, records: list[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        if new:
            header = {
                "kind": "header",
                "version": VERSION,
                "run_id": self.run_id,
                "database": self.database,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
            }
            records = [header, *records]
        text = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def add_batch(
        self, batch: int, summaries: list[FilmSummaryItem], reviews: list[ReviewItem]
    ) -> None:
        self._append(
            [
                {"kind": "summary", "batch": batch, "item": dataclasses.asdict(item)}
                for item in summaries
            ]
            + [
                {"kind": "review", "batch": batch, "item": dataclasses.asdict(item)}
                for item in reviews
            ]
        )
        self.summaries += len(summaries)
        self.reviews += len(reviews)

    def add_refresh(self) -> None:
        """The run's summaries still need recomputing."""
        self._append([{"kind": "refresh", "run": True}])


@dataclass
class SpooledBatch:
    number: int
    summaries: list[FilmSummaryItem] = field(default_factory=list)
    reviews: list[ReviewItem] = field(default_factory=list)


@dataclass
class Spool:
    """A spool file as read back: its run, its batches in order, the films to refresh."""

    path: Path
    run_id: int
    database: str
    batches: list[SpooledBatch]
    #: Recompute the summaries of every film the run touched.
    refresh_run: bool = False
    #: Films to recompute, by key (spools written before ``crawl_run_films``).
    refresh_keys: set[str] = field(default_factory=set)


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if line.endswith("\n"):
                    raise SpoolError(f"{path}:{number}: not JSON") from None
                continue  # a last line cut short by a crash: its batch never counted as spooled
            if not isinstance(record, dict):
                raise SpoolError(f"{path}:{number}: not a spool record")
            yield number, record


def read_spool(path: Path) -> Spool:
    records = _records(path)
    first = next(records, None)
    if first is None or first[1].get("kind") != "header":
        raise SpoolError(f"{path} is not a reviewcrawler dead-letter file (no header line)")
    header = first[1]
    if header.get("version") != VERSION:
        raise SpoolError(f"{path}: spool version {header.get('version')!r}, expected {VERSION}")
    batches: list[SpooledBatch] = []
    spool = Spool(path, int(header["run_id"]), str(header.get("database", "")), batches)
    for number, record in records:
        kind = record.get("kind")
        if kind == "refresh":
            spool.refresh_run |= bool(record.get("run"))
            spool.refresh_keys.update(record.get("film_keys", ()))
            continue
        if kind not in ("summary", "review"):
            raise SpoolError(f"{path}:{number}: unknown record kind {kind!r}")
        if not batches or batches[-1].number != record["batch"]:
            batches.append(SpooledBatch(record["batch"]))
        try:
            if kind == "summary":
                batches[-1].summaries.append(FilmSummaryItem(**record["item"]))
            else:
                batches[-1].reviews.append(ReviewItem(**record["item"]))
        except TypeError as exc:
            raise SpoolError(f"{path}:{number}: {exc}") from None
    return spool
