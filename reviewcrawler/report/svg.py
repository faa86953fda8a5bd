"""The charts' SVG markup, written from ``charts.py`` layouts.

Rendered in Python rather than in the template: a chart is a few hundred numeric
attributes, and through Jinja2 each costs a lookup and an escape per page, which
over 10,000 pages was a third of the report's time. Coordinates and counts are
numbers; every text (labels, titles) still goes through ``markupsafe.escape``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from reviewcrawler.report import charts
from reviewcrawler.report.values import figure


def _y_grid(ticks: list[charts.Tick], left: float, right: float) -> str:
    return "".join(
        f'<line class="grid" x1="{left}" x2="{right}" y1="{t.position}" y2="{t.position}"/>'
        f'<text x="{left - 6}" y="{round(t.position + 4, 1)}" text-anchor="end">'
        f"{escape(t.label)}</text>"
        for t in ticks
    )


def _x_labels(ticks: list[charts.Tick], y: float) -> str:
    return "".join(
        f'<text x="{t.position}" y="{y}" text-anchor="middle">{escape(t.label)}</text>'
        for t in ticks
    )


def bar_chart(chart: charts.BarChart, labels: dict[str, str], title: str, title_id: str) -> Markup:
    """The score distribution: stacked bars, each with its count in ``data-count``."""
    right = chart.width - 10
    bars = "".join(
        f'<rect class="bar s-{r.sentiment}" x="{r.x}" y="{r.y}" width="{r.width}" '
        f'height="{r.height}" data-bin="{r.bin_label}" data-count="{r.count}">'
        f"<title>{r.bin_label}: {r.count} {escape(labels.get(r.sentiment, r.sentiment))}"
        "</title></rect>"
        for r in chart.rects
    )
    middle = round(chart.plot_left + (right - chart.plot_left) / 2, 1)
    return Markup(
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
        + _y_grid(chart.y_ticks, chart.plot_left, right)
        + f'<line class="axis" x1="{chart.plot_left}" x2="{right}" y1="{chart.plot_bottom}" '
        f'y2="{chart.plot_bottom}"/>'
        + bars
        + _x_labels(chart.x_ticks, chart.plot_bottom + 16)
        + f'<text x="{middle}" y="{chart.height - 2}" text-anchor="middle">score (0-100)</text>'
        + "</svg>"
    )


def line_chart(chart: charts.LineChart, title: str, title_id: str) -> Markup:
    """The history: one polyline per series (broken where a run has no value), dots."""
    parts = []
    for series in chart.series:
        name = escape(series.name)
        parts += [f'<polyline class="{series.css}" points="{p}"/>' for p in series.segments]
        parts += [
            f'<circle class="dot-{series.css.removeprefix("line-")}" cx="{x}" cy="{y}" r="3.2">'
            f"<title>{name}: {escape(figure(value))}</title></circle>"
            for x, y, value in series.dots
        ]
    return Markup(
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
        + _y_grid(chart.y_ticks, chart.plot_left, chart.plot_right)
        + "".join(parts)
        + _x_labels(chart.x_ticks, chart.plot_bottom + 18)
        + "</svg>"
    )


def share_chart(
    chart: charts.ShareChart,
    names: dict[str, str],
    words: dict[str, dict[str, str]],
    units: dict[str, str],
    empty: dict[str, str],
    title: str,
    title_id: str,
) -> Markup:
    """The critics' and the audience's splits, one labelled bar each, never stacked
    together: ``names`` labels each group's bar, ``words`` its sentiments (a site's
    fresh/rotten are the critics' words only), ``units`` what its total counts and
    ``empty`` what an empty bar says."""
    parts = []
    bottom = chart.rows[-1].y + chart.rows[-1].height if chart.rows else 0
    for row in chart.rows:
        group = escape(row.group)
        name = escape(names.get(row.group, row.group))
        middle = round(row.y + row.height / 2 + 4, 1)
        parts.append(
            f'<text class="group" x="{chart.plot_left - 8}" y="{middle}" text-anchor="end">'
            f"{name}</text>"
        )
        if not row.segments:
            said_of_empty = (
                "split not stated in full"
                if not row.complete and row.total
                else empty.get(row.group, "none")
            )
            parts.append(
                f'<rect class="share-empty" x="{chart.plot_left}" y="{row.y}" '
                f'width="{round(chart.plot_right - chart.plot_left, 1)}" height="{row.height}" '
                f'data-group="{group}"/>'
                f'<text x="{round((chart.plot_left + chart.plot_right) / 2, 1)}" y="{middle}" '
                f'text-anchor="middle">{escape(said_of_empty)}</text>'
            )
            # Nothing stated: no total beside the bar, which would read as zero.
            continue
        for s in row.segments:
            said = escape(words.get(row.group, {}).get(s.sentiment, s.sentiment))
            parts.append(
                f'<rect class="share {"s" if row.group == "critics" else "a"}-{s.sentiment}" '
                f'x="{s.x}" y="{row.y}" width="{s.width}" height="{row.height}" '
                f'data-group="{group}" data-sentiment="{s.sentiment}" data-count="{s.count}">'
                f"<title>{name}: {s.count} {said} ({escape(figure(s.share))}%)</title></rect>"
            )
        parts.append(
            f'<text x="{chart.plot_right + 8}" y="{middle}">'
            f"{row.total} {escape(units.get(row.group, ''))}</text>"
        )
    return Markup(
        f'<svg class="chart share-chart" viewBox="0 0 {chart.width} {chart.height}" role="img" '
        f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
        + "".join(parts)
        + f'<line class="axis" x1="{chart.plot_left}" x2="{chart.plot_right}" '
        f'y1="{bottom + 6}" y2="{bottom + 6}"/>' + _x_labels(chart.x_ticks, bottom + 20) + "</svg>"
    )
