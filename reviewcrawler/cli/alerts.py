"""``reviewcrawler alerts``: the alert messages still pending, and sending them.

``alerts send`` is what a cron job runs when a receiver was down during crawls
(docs/alerts.md); it exits 1 while any message stays pending.
"""

from __future__ import annotations

import dataclasses

import click

from reviewcrawler.alerts import outbox
from reviewcrawler.alerts.config import AlertConfig, default_webhook_url, project_settings
from reviewcrawler.alerts.delivery import send_pending
from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import echo_json, shorten, table

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


@click.group("alerts")
def alerts_group() -> None:
    """Alert messages: those pending, and sending them."""


@alerts_group.command("list")
@click.option("--all", "everything", is_flag=True, help="Also the messages delivered.")
@json_option
@database_url_option
def list_(everything: bool, as_json: bool, database_url: str) -> None:
    """The pending messages (with --all, every message), oldest first."""
    rows = outbox.messages(reading(database_url), include_delivered=everything)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("No alert message is pending." if not everything else "No alert message.")
        return
    click.echo(
        table(
            ("id", "run", "created", "changes", "attempts", "delivered", "last error"),
            [
                (
                    row["id"],
                    row["run_id"],
                    row["created_at"].strftime("%Y-%m-%d %H:%M"),
                    len(row["body"].get("changes", [])),
                    row["attempts"],
                    row["delivered_at"].strftime("%Y-%m-%d %H:%M") if row["delivered_at"] else None,
                    shorten(row["last_error"], 60),
                )
                for row in rows
            ],
        )
    )


@alerts_group.command("send")
@click.option(
    "--url",
    metavar="URL",
    help="Where to POST them [default: ALERT_WEBHOOK_URL, from $REVIEWCRAWLER_ALERT_WEBHOOK_URL].",
)
@click.option("--timeout", type=float, help="Seconds per attempt [default: ALERT_TIMEOUT].")
@click.option("--retry-times", type=click.IntRange(min=0), help="[default: ALERT_RETRY_TIMES].")
@database_url_option
def send(
    url: str | None, timeout: float | None, retry_times: int | None, database_url: str
) -> None:
    """Send the pending messages, oldest first, as a crawl's close does; exits 1 while
    any stays pending."""
    config = AlertConfig.from_settings(project_settings())
    # The environment is read now, not when settings.py was first imported.
    url = url or default_webhook_url() or None
    overrides = {"webhook_url": url, "timeout": timeout, "retry_times": retry_times}
    config = dataclasses.replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if not config.enabled:
        raise click.UsageError("no receiver: give --url or set REVIEWCRAWLER_ALERT_WEBHOOK_URL")
    report = send_pending(reading(database_url), config)
    click.echo(
        f"Sent {report.sent}, pending {report.pending}"
        + (f" (last error: {report.last_error})" if report.last_error else "")
    )
    if report.pending:
        raise SystemExit(1)


COMMANDS = (alerts_group,)
