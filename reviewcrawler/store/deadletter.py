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
- ``{"kind": "rejected", "batch": B, "type": "review" | "summary", "reason": R,
  "error": first line, "item": {...}}``: a row the database refused as data (not
  for a lost connection: store/resilient.py), quarantined here while the crawl
  kept writing the others. ``item`` is absent, and ``repr`` holds a cut
  ``repr()``, when the row could not be written as JSON.

The file is written whatever the data holds: text is written with JSON escapes
(a lone surrogate becomes ``\ud83d``, which reads back as it was), and a record
that still cannot be serialized is replaced by a ``rejected`` record saying why.
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
        self.rejected = 0
        #: Rows that could not even be spooled (the spool's folder unwritable).
        self.lost_reviews = 0
        self.lost_summaries = 0

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
        text = "".join(_line(record) for record in records)
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

    def add_rejected(
        self, batch: int, item: FilmSummaryItem | ReviewItem, reason: str, error: str
    ) -> None:
        """A row the database refused as data, with why."""
        self._append(
            [
                {
                    "kind": "rejected",
                    "batch": batch,
                    "type": "summary" if isinstance(item, FilmSummaryItem) else "review",
                    "reason": reason,
                    "error": error,
                    "item": dataclasses.asdict(item),
                }
            ]
        )
        self.rejected += 1


#: Characters of ``repr()`` kept for a row that cannot be written as JSON.
_REPR_LIMIT = 10_000


def _line(record: dict[str, Any]) -> str:
    """One JSON line; a record that cannot be serialized becomes a ``rejected`` one saying why."""
    try:
        return json.dumps(record, ensure_ascii=True, allow_nan=False) + "\n"
    except (TypeError, ValueError) as exc:
        fallback = {
            "kind": "rejected",
            "batch": record.get("batch"),
            "type": record.get("type") or record.get("kind"),
            "reason": "unserializable",
            "error": f"{type(exc).__name__}: {exc}"[:500],
            "repr": repr(record.get("item", record))[:_REPR_LIMIT],
        }
        return json.dumps(fallback, ensure_ascii=True, default=repr) + "\n"


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
    #: Rows the crawl's database refused as data, as batches of their own (to try again).
    rejected: list[SpooledBatch] = field(default_factory=list)
    #: ``(line number, why)`` of each line that could not be read; the others are kept.
    refused: list[tuple[int, str]] = field(default_factory=list)


def _records(path: Path, refused: list[tuple[int, str]]) -> Iterator[tuple[int, dict[str, Any]]]:
    # errors="replace": a corrupt byte costs its line (not JSON any more), never the file.
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                if line.endswith("\n"):
                    refused.append((number, f"not JSON ({exc.msg})"))
                # else: a last line cut short by a crash: its batch never counted as spooled
                continue
            if not isinstance(record, dict):
                refused.append((number, "not a spool record"))
                continue
            yield number, record


def _item(record: dict[str, Any], kind: str) -> FilmSummaryItem | ReviewItem:
    fields = record.get("item")
    if not isinstance(fields, dict):
        raise SpoolError(f"no item ({record.get('reason', 'unknown')})")
    cls = FilmSummaryItem if kind == "summary" else ReviewItem
    try:
        return cls(**fields)
    except TypeError as exc:
        raise SpoolError(str(exc)) from None


def read_spool(path: Path) -> Spool:
    """The spool's batches; lines that cannot be read are listed in ``refused``, not fatal.
    Only a file without a readable header is refused whole (SpoolError)."""
    refused: list[tuple[int, str]] = []
    records = _records(path, refused)
    first = next(records, None)
    if first is None or first[1].get("kind") != "header":
        raise SpoolError(f"{path} is not a reviewcrawler dead-letter file (no header line)")
    header = first[1]
    if header.get("version") != VERSION:
        raise SpoolError(f"{path}: spool version {header.get('version')!r}, expected {VERSION}")
    try:
        run_id = int(header["run_id"])
    except (KeyError, TypeError, ValueError):
        raise SpoolError(f"{path}: the header names no crawl run") from None
    spool = Spool(path, run_id, str(header.get("database", "")), [], refused=refused)
    for number, record in records:
        kind = record.get("kind")
        try:
            if kind == "refresh":
                spool.refresh_run |= bool(record.get("run"))
                keys = record.get("film_keys", ())
                spool.refresh_keys.update(k for k in keys if isinstance(k, str))
            elif kind in ("summary", "review"):
                _add(spool.batches, record.get("batch"), _item(record, kind))
            elif kind == "rejected":
                item = _item(record, str(record.get("type")))
                _add(spool.rejected, record.get("batch"), item)
            else:
                refused.append((number, f"unknown record kind {kind!r}"))
        except SpoolError as exc:
            refused.append((number, str(exc)))
    return spool


def _add(batches: list[SpooledBatch], number: object, item: FilmSummaryItem | ReviewItem) -> None:
    number = number if isinstance(number, int) else -1
    if not batches or batches[-1].number != number:
        batches.append(SpooledBatch(number))
    if isinstance(item, FilmSummaryItem):
        batches[-1].summaries.append(item)
    else:
        batches[-1].reviews.append(item)
