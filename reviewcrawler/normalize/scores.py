"""Scores: any original score shape to an integer 0-100, and the bands over it.

Conversion table (documented in the README):

=====================  =======================================================
original               0-100
=====================  =======================================================
``80``, ``85%``        already on the 0-100 scale (Metacritic): 80, 85
``x/y``                linear: ``3/4`` = 75, ``2.5/5`` = 50, ``7/10`` = 70,
                       ``2.5/4`` = 63; also ``x out of y`` and ``x/y stars``
letter grades          A = 100 to F = 0 in thirds of a letter (25 / 3):
                       A+ = A = 100, A- = 92, B+ = 83, B = 75, B- = 67,
                       C+ = 58, C = 50, C- = 42, D+ = 33, D = 25, D- = 17,
                       F+ = 8, F = F- = 0
stars, no scale        out of 5: ``4 stars`` = 80, ``4.5 stars`` = 90,
                       ``★★★½`` = 70 (a glyph row longer than 5 is its own scale)
=====================  =======================================================

Before matching: whitespace is collapsed, a ``Rated:`` / ``Original score:``
label is dropped, ``½`` and ``3 1/2`` read as ``.5`` (``3½/5`` = 70), and the
Unicode minus and dashes in grades read as ``-`` (``A−`` = 92). Anything else,
or a value outside its scale (``11/10``, ``0/0``, ``101``), is no score (None).
Halves round up (62.5 becomes 63).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

POSITIVE, MIXED, NEGATIVE = "positive", "mixed", "negative"

_LETTER_BASE = {"A": 100, "B": 75, "C": 50, "D": 25}
_NUMBER = r"\d+(?:[.,]\d+)?"
_PLAIN = re.compile(rf"^({_NUMBER})\s*%?$")
_FRACTION = re.compile(rf"^({_NUMBER})\s*(?:/|out of)\s*({_NUMBER})(?:\s*stars?)?$", re.I)
_STARS = re.compile(rf"^({_NUMBER})\s*stars?$", re.I)
_LETTER = re.compile(r"^([A-DF])\s*([+-]?)$", re.I)
_STAR_GLYPHS = re.compile(r"^(★*)\s*(½?)\s*(☆*)$")
_LABEL = re.compile(r"^(?:original\s+score|rated|score|grade|rating)\s*:\s*", re.I)
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2010": "-", "\u2011": "-"})
_HALF_WORDS = re.compile(r"(\d)\s*(?:½|\s1/2(?=\s*(?:$|stars?\b|/|out of)))", re.I)
_BARE_HALF = re.compile(r"^½")
_DEFAULT_STAR_SCALE = Decimal(5)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def _scaled(value: Decimal | None, scale: Decimal | None) -> int | None:
    if value is None or scale is None or scale <= 0 or value < 0 or value > scale:
        return None
    return _round(value * 100 / scale)


def _letter(letter: str, modifier: str) -> int:
    letter = letter.upper()
    score = Decimal(_LETTER_BASE.get(letter, 0))
    if modifier == "+":
        score += Decimal(25) / 3
    elif modifier == "-":
        score -= Decimal(25) / 3
    return max(0, min(100, _round(score)))


# Cached: a crawl meets the same few score shapes over and over.
@lru_cache(maxsize=4096)
def score_from_original(original: str | None) -> int | None:
    """The 0-100 score an original score stands for, or None. Never raises."""
    if original is None:
        return None
    text = " ".join(str(original).split())
    if not text or len(text) > 32:
        return None
    text = _LABEL.sub("", text).translate(_DASHES)
    if not (match := _STAR_GLYPHS.match(text)) or not match.group(2):
        text = _BARE_HALF.sub("0.5", _HALF_WORDS.sub(r"\1.5", text))
    if match := _PLAIN.match(text):
        return _scaled(_number(match.group(1)), Decimal(100))
    if match := _FRACTION.match(text):
        return _scaled(_number(match.group(1)), _number(match.group(2)))
    if match := _STARS.match(text):
        return _scaled(_number(match.group(1)), _DEFAULT_STAR_SCALE)
    if match := _LETTER.match(text):
        return _letter(match.group(1), match.group(2))
    if (match := _STAR_GLYPHS.match(text)) and (match.group(1) or match.group(2)):
        stars = Decimal(len(match.group(1))) + (Decimal("0.5") if match.group(2) else 0)
        scale = Decimal(len(match.group(1)) + len(match.group(3))) + (1 if match.group(2) else 0)
        return _scaled(stars, max(scale, _DEFAULT_STAR_SCALE))
    return None


def sentiment_for_score(score: int | None) -> str | None:
    """Metacritic's movie bands for one review: positive 61-100, mixed 40-60, negative 0-39."""
    if score is None:
        return None
    if score >= 61:
        return POSITIVE
    if score >= 40:
        return MIXED
    return NEGATIVE


_SENTIMENT_WORDS = {
    "positive": POSITIVE,
    "fresh": POSITIVE,
    "mixed": MIXED,
    "neutral": MIXED,
    "negative": NEGATIVE,
    "rotten": NEGATIVE,
}


def sentiment_from_text(text: str | None) -> str | None:
    """A sentiment the page states in words (``POSITIVE``, ``fresh``, ``rotten``)."""
    if not text:
        return None
    return _SENTIMENT_WORDS.get(str(text).strip().casefold())


#: Metacritic's metascore bands, highest first: (lowest score of the band, label).
LABEL_BANDS: tuple[tuple[int, str], ...] = (
    (81, "Universal acclaim"),
    (61, "Generally favorable"),
    (40, "Mixed or average"),
    (20, "Generally unfavorable"),
    (0, "Overwhelming dislike"),
)


_LABELS_BY_WORDS = {label.casefold(): label for _, label in LABEL_BANDS}
_LABEL_SUFFIX = re.compile(r"\s+reviews?$", re.IGNORECASE)


def canonical_label(text: str | None) -> str | None:
    """A stated label spelled as ``label_for_score`` spells it (``Generally favorable
    reviews`` and ``Universal Acclaim`` become ``Generally favorable``, ``Universal
    acclaim``); None when it is no Metacritic label."""
    if not text:
        return None
    words = _LABEL_SUFFIX.sub("", " ".join(str(text).split())).casefold()
    return _LABELS_BY_WORDS.get(words)


def label_for_score(score: float | None) -> str | None:
    """The metascore band a (mean) score falls in; a fractional mean rounds half up first."""
    if score is None:
        return None
    rounded = _round(Decimal(str(score)))
    for lowest, label in LABEL_BANDS:
        if rounded >= lowest:
            return label
    return None
