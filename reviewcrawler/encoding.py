"""Bodies to text when their stated charset is wrong, missing or mixed.

Sites label latin-1 pages as UTF-8, serve UTF-8 as ``iso-8859-1``, send no
charset at all, or paste latin-1 quotes into UTF-8 pages. Decoding by the label
alone turns those into replacement characters or mojibake. The rule here:

1. a byte-order mark, or a declared UTF-16/32, is believed;
2. a body that is valid UTF-8 is UTF-8, whatever the label says (other
   encodings almost never produce valid multi-byte UTF-8 by accident);
3. else a declared encoding (header, then ``<meta>``) other than UTF-8 that
   decodes the body cleanly is used;
4. else UTF-8, with each invalid byte read as Windows-1252 (the superset of
   latin-1 that such pages really use), so a mixed page keeps both halves.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

_FALLBACK_ERRORS = "reviewcrawler-cp1252"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


def declared_encoding(body: bytes, content_type: str | None) -> str | None:
    """The encoding the response states: its Content-Type header, else its ``<meta>``."""
    declared = http_content_type_encoding(content_type) if content_type else None
    declared = declared or html_body_declared_encoding(body[:4096])
    return resolve_encoding(declared) if declared else None


def decode_body(body: bytes, content_type: str | None = None) -> str:
    bom_encoding, bom = read_bom(body)
    if bom_encoding:
        return body[len(bom) :].decode(bom_encoding, errors="replace")
    declared = declared_encoding(body, content_type)
    if declared and declared.replace("_", "-").startswith(("utf-16", "utf-32")):
        return body.decode(declared, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and codecs.lookup(declared).name != "utf-8":
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return body.decode("utf-8", errors=_FALLBACK_ERRORS)
