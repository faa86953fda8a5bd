"""``reviewcrawler critics`` and ``critic NAME``: one critic across films and sites.

The identity rules and the figures (works, mean score, leniency) are in store/critics.py.
"""

from __future__ import annotations

import click

from reviewcrawler.cli.options import database_url_option, reading
from reviewcrawler.cli.render import echo_json, shorten, table
from reviewcrawler.store.critics import SORTS, all_critics, find_critic, sort_critics

json_option = click.option("--json", "as_json", is_flag=True, help="JSON for machines.")


@click.command()
@click.option("--min-reviews", default=1, show_default=True, help="Only critics with N+ reviews.")
@click.option(
    "--sort",
    "sort_by",
    type=click.Choice(SORTS),
    default="reviews",
    show_default=True,
    help="Order: name ascending, the figures descending.",
)
@database_url_option
@json_option
def critics(min_reviews: int, sort_by: str, database_url: str, as_json: bool) -> None:
    """Every critic: publications, sites, reviews, films (works), mean score, leniency.

    Leniency is the mean, over the critic's scored reviews, of the score minus its
    film's mean without that review (films with no other scored review left out).
    """
    rows = sort_critics(
        [c for c in all_critics(reading(database_url)) if c.reviews >= min_reviews], sort_by
    )
    if as_json:
        echo_json([critic.figures() for critic in rows])
        return
    if not rows:
        click.echo("No critics stored.")
        return
    click.echo(
        table(
            ("critic", "id", "publications", "sites", "reviews", "films", "mean", "leniency"),
            [
                (
                    c.name,
                    c.id,
                    shorten(", ".join(c.publications), 40),
                    ", ".join(c.sites),
                    c.reviews,
                    c.films,
                    c.mean_score,
                    c.leniency,
                )
                for c in rows
            ],
        )
    )


@click.command()
@click.argument("name")
@database_url_option
@json_option
def critic(name: str, database_url: str, as_json: bool) -> None:
    """One critic's figures and reviews; NAME is a name, an id or a site's critic slug."""
    found = find_critic(all_critics(reading(database_url), detail=True), name)
    if as_json:
        echo_json({**found.figures(), "review_list": found.review_rows})
        return
    click.echo(
        f"{found.name} [{found.id}]: {found.reviews} reviews of {found.films} films on "
        f"{', '.join(found.sites) or 'saved pages'}; mean score {found.mean_score}, "
        f"leniency {found.leniency}"
    )
    click.echo(f"publications: {', '.join(found.publications) or '-'}")
    review_rows = found.review_rows
    click.echo(
        table(
            ("film", "site", "publication", "score", "sentiment", "film mean without", "diff"),
            [
                (
                    f"{r['title'] or r['film']} ({r['year']})" if r["year"] else r["title"],
                    r["site"],
                    r["publication"],
                    r["score"] if r["score"] is not None else r["original_score"],
                    r["sentiment"],
                    r["film_mean_without"],
                    r["difference"],
                )
                for r in review_rows
            ],
        )
    )


COMMANDS = (critics, critic)
