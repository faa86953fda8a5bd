"""``reviewcrawler enqueue TARGETS``: hand a targets file to distributed workers through Redis."""

from __future__ import annotations

import os

import click

from reviewcrawler.store.engine import mask_url
from reviewcrawler.targets import TargetError, read_targets_file

REDIS_URL_ENV = "REVIEWCRAWLER_REDIS_URL"


@click.command("enqueue")
@click.argument("targets", type=click.Path(dir_okay=False))
@click.option(
    "--redis-url",
    metavar="URL",
    default=None,
    help=f"Redis the workers share [default: ${REDIS_URL_ENV}]",
)
@click.option("--film", default=None, help="Film of pages whose URL names none: 'Title (Year)'.")
@click.option(
    "--fresh/--keep-seen",
    default=True,
    show_default=True,
    help="Start a new job: forget the previous job's queue and fetched-page fingerprints.",
)
@click.option("--spider", default="reviews", show_default=True, hidden=True)
def enqueue_command(
    targets: str, redis_url: str | None, film: str | None, fresh: bool, spider: str
) -> None:
    """Push the URLs of a targets file (one per line, # comments) for workers to crawl.

    Workers are `scrapy crawl reviews -s REDIS_URL=...` processes; they stop once
    the queue has been empty for MAX_IDLE_TIME_BEFORE_CLOSE seconds.
    """
    url = redis_url or os.environ.get(REDIS_URL_ENV)
    if not url:
        raise click.ClickException(
            f"no Redis to enqueue into: pass --redis-url or set {REDIS_URL_ENV}"
        )
    try:
        parsed = read_targets_file(targets)
    except TargetError as exc:
        raise click.ClickException(str(exc)) from None
    for number, text, why in parsed.rejected:
        click.echo(f"{targets}:{number}: skipped {text!r}: {why}", err=True)
    if not parsed.urls:
        raise click.ClickException(f"{targets} names no URL to crawl")
    # Imported here: Scrapy and redis are heavy, and every other command starts without them.
    from reviewcrawler.distributed import enqueue, redis_client

    try:
        count = enqueue(redis_client(url), parsed.urls, spider, film=film, fresh=fresh)
    except Exception as exc:  # redis raises its own family of connection errors
        raise click.ClickException(f"cannot reach Redis at {mask_url(url)}: {exc}") from None
    click.echo(f"enqueued {count} start URLs for '{spider}' workers at {mask_url(url)}")


COMMANDS = (enqueue_command,)
