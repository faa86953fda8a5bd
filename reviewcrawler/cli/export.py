"""``reviewcrawler export``: reviews or summaries as CSV, JSON or JSON lines, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import json_default
from reviewcrawler.store.export import WHAT, stream

FORMATS = ("csv", "json", "jsonl")


def _csv_value(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def write_rows(out: IO[str], fmt: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """Write every row as it arrives (nothing is collected); return how many."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(value) for value in row])
            count += 1
        return count
    encode = json.JSONEncoder(default=json_default, ensure_ascii=False).encode
    if fmt == "jsonl":
        for row in rows:
            out.write(encode(dict(zip(columns, row, strict=True))) + "\n")
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(("," if count else "") + "\n" + encode(dict(zip(columns, row, strict=True))))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


@click.command()
@click.option("--what", type=click.Choice(WHAT), default="reviews", show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write [default: standard output].",
)
@database_url_option
def export(what: str, fmt: str, out: Path | None, database_url: str) -> None:
    """Every stored review (or film summary), streamed: memory stays flat at any size."""
    engine = reading(database_url)
    columns, rows = stream(engine, what)
    if out is None:
        write_rows(sys.stdout, fmt, columns, rows)
        sys.stdout.flush()
        return
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        count = write_rows(handle, fmt, columns, rows)
    # The file appears complete or not at all.
    partial.replace(out)
    click.echo(f"Exported {count} {what} to {out}", err=True)


COMMANDS = (export,)
