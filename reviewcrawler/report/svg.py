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
