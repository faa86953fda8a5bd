"""Where a crawl starts: ``-a url=`` (a page or a folder), ``-a urls_file=``, or the samples."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

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


def folder_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted by path so every crawl starts in the same
    order; hidden files and folders (``.DS_Store``, ``.git/``) are left out."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def folder_targets(folder: Path) -> Targets:
    """Every file under a folder of saved pages, as file:// URLs, in path order."""
    return Targets(urls=[path.resolve().as_uri() for path in folder_files(folder)])


def sample_targets(folder: str) -> Targets:
    """Every page under the bundled sample folder, as file:// URLs, in path order."""
    directory = Path(folder)
    if not directory.is_dir():
        raise TargetError(
            f"No URL given and the sample pages folder {folder} does not exist: "
            "pass -a url=... or -a urls_file=..."
        )
    return folder_targets(directory)


def local_folder(text: str) -> Path | None:
    """The folder ``text`` names (a local path or a file:// URL), or None."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path))
    elif not parts.scheme or len(parts.scheme) == 1:  # plain or Windows-style path
        path = Path(text).expanduser()
    else:
        return None
    return path if path.is_dir() else None


def url_targets(url: str) -> Targets:
    """The start pages ``-a url=`` names: one page, or every file of a folder."""
    folder = local_folder(url)
    if folder is not None:
        targets = folder_targets(folder)
        if not targets.urls:
            raise TargetError(f"No file to crawl under the folder {url}")
        return targets
    resolved = as_url(url)
    if resolved is None:
        raise TargetError(f"Cannot crawl {url!r}: not an http(s) or file URL, nor a file or folder")
    return Targets(urls=[resolved])


def resolve_targets(url: str | None, urls_file: str | None, sample_folder: str) -> Targets:
    if url is not None:
        targets = url_targets(url)
    elif urls_file is not None:
        targets = read_targets_file(urls_file)
    else:
        targets = sample_targets(sample_folder)
    if not targets.urls:
        raise TargetError("No URL to crawl")
    return targets
