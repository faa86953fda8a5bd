from __future__ import annotations

from pathlib import Path

import pytest

from reviewcrawler.targets import TargetError, read_targets_file, resolve_targets


def test_targets_file_skips_comments_and_reports_bad_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("x")
    targets = tmp_path / "targets.txt"
    targets.write_text(
        "# nightly list\n"
        "https://www.metacritic.com/movie/her  # the legacy one\n"
        "\n"
        "https://www.metacritic.com/movie/arrival/critic-reviews#top\n"
        f"{page}\n"
        "ftp://example.org/x\n"
        "not a url\n"
    )
    result = read_targets_file(str(targets))
    assert result.urls == [
        "https://www.metacritic.com/movie/her",
        "https://www.metacritic.com/movie/arrival/critic-reviews#top",
        page.resolve().as_uri(),
    ]
    assert [(number, text) for number, text, _ in result.rejected] == [
        (6, "ftp://example.org/x"),
        (7, "not a url"),
    ]


def test_missing_targets_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="Cannot read targets file"):
        resolve_targets(None, str(tmp_path / "absent.txt"), str(tmp_path))


def test_bad_url_argument_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="Cannot crawl"):
        resolve_targets("mailto:someone", None, str(tmp_path))
