"""Text and name cleaning: NFC, collapsed whitespace, anonymous critics as none.

Characters that are not text are dropped before anything else: C0/C1 controls
(NUL among them), lone surrogates (a JSON API that cut an emoji in half writes
``"\ud83d"``, which no UTF-8 database or file can hold) and Unicode
non-characters (U+FFFE, U+FDD0 ...). ``invalid_characters`` counts them, so the
normalizer can report what it dropped.
"""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters other than whitespace never belong in a review; nor do
# terminal escape sequences (whose ESC alone would leave "[31m" behind) or BOMs.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
# Not text at all: lone surrogates and the 66 non-characters.
_NOT_TEXT = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "\x00]"
)
# Invisible direction and joiner marks are meaningful inside right-to-left text, but
# at either end of a value they are leftovers of the page's layout.
_EDGE_MARKS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
)
# Markup that reached a name as text (an escaped tag on the page).
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Placeholders Metacritic and others print where no critic is named.
_ANONYMOUS = re.compile(
    r"^(?:staff(?:\s*[\[(]not credited[\])])?|[\[(]?not credited[\])]?|anonymous|unknown|n/?a"
    r"|none|-+)$",
    re.IGNORECASE,
)
# Placeholders printed where a review has no quote yet.
_NO_QUOTE = re.compile(r"^(?:quotation forthcoming|quote forthcoming|no quote available)\.?$", re.I)
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
    printable = text.isprintable()
    if not printable:
        text = _CONTROL.sub("", _NOT_TEXT.sub("", text))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # Printable text holds no whitespace but the ASCII space, and no edge mark (both
    # are "Other" or "Separator" characters): with single spaces inside it is clean.
    if printable and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    text = " ".join(text.split()).strip(_EDGE_MARKS + " ")
    return text or None


def invalid_characters(value: str | None) -> int:
    """How many characters of ``value`` are not text (NUL, lone surrogates, non-characters)."""
    if value is None:
        return 0
    text = str(value)
    if text.isprintable():
        return 0
    return len(_NOT_TEXT.findall(text))


def truncate(text: str | None, length: int, mark: str) -> tuple[str | None, bool]:
    """``text`` cut to at most ``length`` characters, ending with ``mark``; whether it was cut."""
    if text is None or len(text) <= length:
        return text, False
    return text[: length - len(mark)].rstrip() + mark, True


def clean_quote(value: str | None) -> str | None:
    """A quote, or None for a placeholder (``Quotation forthcoming.``)."""
    text = clean_text(value)
    if text is not None and _NO_QUOTE.match(text):
        return None
    return text


def clean_name(value: str | None) -> str | None:
    """A person's or publication's name: clean text without any markup it carried."""
    name = clean_text(value)
    while name is not None and "<" in name and (stripped := _TAG.sub(" ", name)) != name:
        name = clean_text(stripped)
    return name


def clean_critic(value: str | None) -> str | None:
    """A critic's name, or None when the page names nobody (``Staff [Not Credited]``)."""
    name = clean_name(value)
    if name is None:
        return None
    # Until stable: dropping "By " can bare an edge mark that hid another "By ".
    # (A name not starting with "by" is already stable: clean_name is idempotent.)
    while (
        name is not None
        and name[:2].lower() == "by"
        and (stripped := clean_name(_BY_PREFIX.sub("", name))) != name
    ):
        name = stripped
    if name is None or _ANONYMOUS.match(name):
        return None
    return name


def comparable(value: str | None) -> str:
    """The form used to compare two texts for identity: cleaned and case-folded."""
    return (clean_text(value) or "").casefold()
