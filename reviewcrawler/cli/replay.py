"""``reviewcrawler replay FILE``: store what a crawl that lost its database spooled."""

from __future__ import annotations

from pathlib import Path

import click

from reviewcrawler.cli.options import database_url_option
from reviewcrawler.store.deadletter import SpoolError, read_spool
from reviewcrawler.store.engine import mask_url
from reviewcrawler.store.open import open_store
from reviewcrawler.store.replay import ReplayRefused, replay


@click.command("replay")
@click.argument("spool_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@database_url_option
def replay_command(spool_file: str, database_url: str) -> None:
    """Write a dead-letter FILE (STORE_DEAD_LETTER_DIR) into the database the crawl used.

    Idempotent: replaying a file again changes nothing. The summaries of every film
    in the file are recomputed. Lines that cannot be read and rows the database
    refuses are reported one by one on stderr; everything else is stored.
    """
    try:
        spool = read_spool(Path(spool_file))
    except SpoolError as exc:
        raise click.ClickException(str(exc)) from None
    engine = open_store(database_url, must_exist=True)
    try:
        result = replay(engine, spool)
    except ReplayRefused as exc:
        raise click.ClickException(str(exc)) from None
    films = len(result.films or [])
    click.echo(
        f"{spool_file} -> {mask_url(database_url)} (crawl run {spool.run_id}): "
        f"{result.batches} batches, {result.reviews_new} reviews new, "
        f"{result.reviews_changed} changed, {result.reviews_unchanged} unchanged, "
        f"{result.summaries} stated summaries; summaries of {films} films recomputed"
    )
    for where, why in result.refused:
        click.echo(f"refused: {spool_file}: {where}: {why}", err=True)
    if result.refused:
        click.echo(f"{len(result.refused)} lines or rows were not stored (above)", err=True)


COMMANDS = (replay_command,)
