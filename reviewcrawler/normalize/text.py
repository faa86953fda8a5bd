"""Text and name cleaning: NFC, collapsed whitespace, anonymous critics as none."""

from __future__ import annotations

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")
# C0/C1 control characters other than whitespace never belong in a review.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Placeholders Metacritic and others print where no critic is named.
_ANONYMOUS = re.compile(
    r"^(?:staff(?:\s*\[not credited\])?|\[?not credited\]?|anonymous|unknown|n/?a|none|-+)$",
    re.IGNORECASE,
)
_BY_PREFIX = re.compile(r"^by\s+", re.IGNORECASE)


def clean_text(value: str | None) -> str | None:
    """NFC-normalize, drop control characters and collapse runs of whitespace.

    Quotes, brackets, dashes and ellipses are kept exactly as written.
    Returns None for a value that is empty once cleaned.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _CONTROL.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


def clean_critic(value: str | None) -> str | None:
    """A critic's name, or None when the page names nobody (``Staff [Not Credited]``)."""
    name = clean_text(value)
    if name is None:
        return None
    name = _BY_PREFIX.sub("", name)
    if _ANONYMOUS.match(name):
        return None
    return name


def comparable(value: str | None) -> str:
    """The form used to compare two texts for identity: cleaned and case-folded."""
    return (clean_text(value) or "").casefold()
