"""Chart layout for the report: pure functions from figures to SVG coordinates.

The templates draw what these functions lay out (rectangles, polylines, ticks), so
every number a chart shows is computed here, once, and can be tested without a
browser. Coordinates are in SVG user units of a fixed ``viewBox``; the page scales
the chart with CSS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reviewcrawler.normalize.scores import MIXED, NEGATIVE, POSITIVE

#: Score bins aligned to Metacritic's review bands (negative 0-39, mixed 40-60,
#: positive 61-100), so that no bar straddles two bands.
BINS: tuple[tuple[int, int], ...] = (
    (0, 9),
    (10, 19),
    (20, 29),
    (30, 39),
    (40, 49),
    (50, 60),
    (61, 70),
    (71, 80),
    (81, 90),
    (91, 100),
)

#: Stacking order of a bar, bottom first; None is a review stored without a sentiment.
SENTIMENTS: tuple[str | None, ...] = (POSITIVE, MIXED, NEGATIVE, None)


def bin_of(score: int) -> int:
    """Index in BINS of a 0-100 score (scores outside are clamped: the store keeps 0-100)."""
    for index, (_, high) in enumerate(BINS):
        if score <= high:
            return index
    return len(BINS) - 1


@dataclass(frozen=True)
class Bin:
    low: int
    high: int
    #: Reviews in the bin by stored sentiment, in SENTIMENTS order.
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def label(self) -> str:
        return f"{self.low}-{self.high}"


def distribution(scored: Iterable[tuple[int, str | None]]) -> list[Bin]:
    """Scored reviews ``(score, sentiment)`` counted per bin and sentiment.

    Bars are stacked by the review's stored sentiment, not by its score's band, so a
    Rotten Tomatoes 2.5/5 that the site calls fresh shows as fresh.
    """
    counts = [[0] * len(SENTIMENTS) for _ in BINS]
    slot = {sentiment: index for index, sentiment in enumerate(SENTIMENTS)}
    for score, sentiment in scored:
        counts[bin_of(score)][slot.get(sentiment, slot[None])] += 1
    return [Bin(low, high, tuple(row)) for (low, high), row in zip(BINS, counts, strict=True)]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    #: The sentiment the segment counts (a CSS class picks its colour).
    sentiment: str
    count: int
    bin_label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: float
    plot_bottom: float
    plot_top: float
    rects: list[Rect]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def _nice_top(maximum: int) -> int:
    """The y axis's top: the smallest of 1, 2, 5 x 10^n that holds ``maximum``."""
    if maximum <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= maximum:
                return step * factor
        step *= 10


def _y_ticks(top: int) -> list[int]:
    step = top / 5 if top >= 5 and top % 5 == 0 else (top / 2 if top % 2 == 0 else top)
    values, value = [], 0.0
    while value <= top + 1e-9:
        values.append(int(round(value)))
        value += step
    return sorted(set(values))


def bar_chart(bins: Sequence[Bin], width: int = 640, height: int = 260) -> BarChart:
    """The stacked bars of a score distribution, one bar per bin."""
    left, right, top, bottom = 40.0, 10.0, 12.0, 34.0
    plot_width, plot_height = width - left - right, height - top - bottom
    scale_top = _nice_top(max((b.total for b in bins), default=0))
    slot_width = plot_width / max(len(bins), 1)
    bar_width = slot_width * 0.78
    rects: list[Rect] = []
    x_ticks: list[Tick] = []
    for index, chart_bin in enumerate(bins):
        x = left + index * slot_width + (slot_width - bar_width) / 2
        base = top + plot_height
        for sentiment, count in zip(SENTIMENTS, chart_bin.counts, strict=True):
            if not count:
                continue
            segment = plot_height * count / scale_top
            base -= segment
            rects.append(
                Rect(
                    round(x, 1),
                    round(base, 1),
                    round(bar_width, 1),
                    round(segment, 1),
                    sentiment or "none",
                    count,
                    chart_bin.label,
                )
            )
        x_ticks.append(Tick(round(left + (index + 0.5) * slot_width, 1), chart_bin.label))
    y_ticks = [
        Tick(round(top + plot_height * (1 - value / scale_top), 1), str(value))
        for value in _y_ticks(scale_top)
    ]
    return BarChart(width, height, left, top + plot_height, top, rects, x_ticks, y_ticks)


@dataclass(frozen=True)
class Series:
    name: str
    #: A CSS class for the line's colour.
    css: str
    #: ``x,y`` pairs for an SVG ``points`` attribute; runs without a value break the line.
    segments: list[str]
    dots: list[tuple[float, float, float]]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def line_chart(
    labels: Sequence[str],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    width: int = 640,
    height: int = 220,
) -> LineChart:
    """Lines on a 0-100 axis over evenly spaced runs (``labels``); each line is
    ``(name, css class, values)`` with one value (or None) per run."""
    left, right, top, bottom = 40.0, 30.0, 12.0, 30.0
    plot_width, plot_height = width - left - right, height - top - bottom
    count = len(labels)

    def x_of(index: int) -> float:
        if count <= 1:
            return left + plot_width / 2
        return left + plot_width * index / (count - 1)

    def y_of(value: float) -> float:
        return top + plot_height * (1 - max(0.0, min(100.0, value)) / 100)

    series = []
    for name, css, values in lines:
        segments: list[str] = []
        current: list[str] = []
        dots = []
        for index, value in enumerate(values):
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = round(x_of(index), 1), round(y_of(value), 1)
            current.append(f"{x},{y}")
            dots.append((x, y, value))
        if current:
            segments.append(" ".join(current))
        series.append(Series(name, css, segments, dots))
    # Label at most ~8 runs so that dates never overlap.
    every = max(1, -(-count // 8))
    x_ticks = [Tick(round(x_of(i), 1), label) for i, label in enumerate(labels) if i % every == 0]
    y_ticks = [Tick(round(y_of(v), 1), str(v)) for v in (0, 20, 40, 60, 80, 100)]
    return LineChart(
        width, height, left, left + plot_width, top, top + plot_height, series, x_ticks, y_ticks
    )


def trend_range(*series: Sequence[float | None]) -> tuple[float, float]:
    """The y range of a sparkline: the values' own, padded, so that small moves show
    (a 0-100 axis draws 64 and 66 as one line)."""
    known = [value for values in series for value in values if value is not None]
    if not known:
        return 0.0, 100.0
    low, high = min(known), max(known)
    pad = max(2.0, (high - low) * 0.15)
    return low - pad, high + pad


def sparkline(
    values: Sequence[float | None],
    low: float = 0.0,
    high: float = 100.0,
    width: int = 80,
    height: int = 20,
) -> str:
    """SVG ``points`` of a small trend between ``low`` and ``high``; empty when fewer
    than two runs have a value."""
    known = [(index, value) for index, value in enumerate(values) if value is not None]
    if len(known) < 2 or high <= low:
        return ""
    last = len(values) - 1
    return " ".join(
        f"{round(2 + (width - 4) * index / last, 1)},"
        f"{round(2 + (height - 4) * (1 - (min(high, max(low, value)) - low) / (high - low)), 1)}"
        for index, value in known
    )


#: The order of a share bar's segments, left first.
SPLIT: tuple[str, ...] = (POSITIVE, MIXED, NEGATIVE)


@dataclass(frozen=True)
class ShareSegment:
    x: float
    width: float
    #: positive / mixed / negative: a CSS class picks the colour.
    sentiment: str
    count: int
    #: The segment's share of its row, in percent.
    share: float


@dataclass(frozen=True)
class ShareRow:
    #: ``critics`` or ``audience``: which group the row counts (a CSS class).
    group: str
    y: float
    height: float
    total: int
    segments: list[ShareSegment]
    #: Every count of the split is known. A site may state only some (a legacy
    #: Metacritic page: the positive ratings alone), and shares of a part would be
    #: false, so such a row draws no segments.
    complete: bool = True


@dataclass(frozen=True)
class ShareChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    rows: list[ShareRow]
    x_ticks: list[Tick]


def share_chart(
    groups: Sequence[tuple[str, Sequence[int | None]]], width: int = 640, bar_height: float = 26
) -> ShareChart:
    """One horizontal bar per group (``(group, counts)`` with counts in SPLIT order),
    each split into its positive, mixed and negative shares.

    Every bar is scaled to its own total: the critics are tens of reviews and the
    audience often thousands of ratings, so on one count axis one bar would vanish.
    The shares are what compares; the counts stay in each segment and in the table.
    """
    left, right, top, gap = 78.0, 92.0, 8.0, 14.0
    plot_right = width - right
    plot_width = plot_right - left
    rows: list[ShareRow] = []
    for index, (group, counts) in enumerate(groups):
        known = [count or 0 for count in counts]
        total = sum(known)
        complete = all(count is not None for count in counts)
        y = top + index * (bar_height + gap)
        segments: list[ShareSegment] = []
        x = left
        for sentiment, count in zip(SPLIT, known, strict=True):
            if not count or not complete:
                continue
            share = 100 * count / total
            segment = plot_width * count / total
            segments.append(
                ShareSegment(round(x, 1), round(segment, 1), sentiment, count, round(share, 1))
            )
            x += segment
        rows.append(ShareRow(group, round(y, 1), bar_height, total, segments, complete))
    axis = top + len(groups) * (bar_height + gap) - gap + 6
    x_ticks = [Tick(round(left + plot_width * v / 100, 1), f"{v}%") for v in (0, 25, 50, 75, 100)]
    return ShareChart(width, int(axis + 24), left, plot_right, rows, x_ticks)
