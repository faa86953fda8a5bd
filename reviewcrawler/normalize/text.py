"""Text and name cleaning: NFC, collapsed whitespace, anonymous critics as none."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters other than whitespace never belong in a review; nor do
# terminal escape sequences (whose ESC alone would leave "[31m" behind) or BOMs.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
# Invisible direction and joiner marks are meaningful inside right-to-left text, but
# at either end of a value they are leftovers of the page's layout.
_EDGE_MARKS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
)
# Markup that reached a name as text (an escaped tag on the page).
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Placeholders Metacritic and others print where no critic is named.
_ANONYMOUS = re.compile(
    r"^(?:staff(?:\s*\[not credited\])?|\[?not credited\]?|anonymous|unknown|n/?a|none|-+)$",
    re.IGNORECASE,
)
_BY_PREFIX = re.compile(r"^(?:by\s+)+", re.IGNORECASE)


def clean_text(value: str | None) -> str | None:
    """Drop control characters, NFC-normalize and collapse runs of whitespace.

    Quotes, brackets, dashes and ellipses are kept exactly as written.
    Returns None for a value that is empty once cleaned. Idempotent: controls go
    before NFC, so that removing one never leaves a pair NFC would compose later.
    """
    if value is None:
        return None
    text = str(value)
    # The checks before each step spare the common case (printable ASCII) its cost:
    # this runs several times for every review of a crawl.
    if not text.isprintable():
        text = _CONTROL.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split()).strip(_EDGE_MARKS + " ")
    return text or None


def clean_name(value: str | None) -> str | None:
    """A person's or publication's name: clean text without any markup it carried."""
    name = clean_text(value)
    while name is not None and (stripped := _TAG.sub(" ", name)) != name:
        name = clean_text(stripped)
    return name


def clean_critic(value: str | None) -> str | None:
    """A critic's name, or None when the page names nobody (``Staff [Not Credited]``)."""
    name = clean_name(value)
    if name is None:
        return None
    name = clean_name(_BY_PREFIX.sub("", name))
    if name is None or _ANONYMOUS.match(name):
        return None
    return name


def comparable(value: str | None) -> str:
    """The form used to compare two texts for identity: cleaned and case-folded."""
    return (clean_text(value) or "").casefold()
