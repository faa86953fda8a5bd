"""Where a crawl starts: ``-a url=``, ``-a urls_file=``, or the bundled sample pages."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

SCHEMES = ("http", "https", "file")
# A comment starts at a "#" at the start of a line or after whitespace, so that
# a URL's own "#fragment" survives.
_COMMENT = re.compile(r"(?:^|\s)#.*$")


class TargetError(Exception):
    """The crawl's start arguments name nothing that can be crawled."""


@dataclass
class Targets:
    urls: list[str] = field(default_factory=list)
    #: (line number, text, why) of each line that was skipped.
    rejected: list[tuple[int, str, str]] = field(default_factory=list)


def as_url(text: str) -> str | None:
    """A crawlable URL for ``text``: an http(s)/file URL, or an existing local path."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        return text if parts.hostname else None
    if parts.scheme == "file":
        return text
    if not parts.scheme or len(parts.scheme) == 1:  # plain or Windows-style path
        path = Path(text).expanduser()
        return path.resolve().as_uri() if path.is_file() else None
    return None


def read_targets_file(path: str) -> Targets:
    """URLs from a targets file: one per line; blank lines and ``#`` comments ignored."""
    file = Path(path).expanduser()
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"Cannot read targets file {path}: {exc}") from None
    targets = Targets()
    for number, line in enumerate(lines, start=1):
        text = _COMMENT.sub("", line).strip()
        if not text:
            continue
        url = as_url(text)
        if url is None:
            targets.rejected.append((number, text, "not an http(s) or file URL, nor a file"))
        else:
            targets.urls.append(url)
    return targets


def sample_targets(folder: str) -> Targets:
    """Every page under the bundled sample folder, as file:// URLs, in path order."""
    directory = Path(folder)
    if not directory.is_dir():
        raise TargetError(
            f"No URL given and the sample pages folder {folder} does not exist: "
            "pass -a url=... or -a urls_file=..."
        )
    files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))
    return Targets(urls=[p.resolve().as_uri() for p in files])


def resolve_targets(url: str | None, urls_file: str | None, sample_folder: str) -> Targets:
    if url is not None:
        resolved = as_url(url)
        if resolved is None:
            raise TargetError(f"Cannot crawl {url!r}: not an http(s) or file URL, nor a file")
        targets = Targets(urls=[resolved])
    elif urls_file is not None:
        targets = read_targets_file(urls_file)
    else:
        targets = sample_targets(sample_folder)
    if not targets.urls:
        raise TargetError("No URL to crawl")
    return targets
