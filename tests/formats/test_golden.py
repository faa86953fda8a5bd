"""Every fixture page under fixtures/formats/<format>/ against its golden file.

Adding a format's case is adding two files (see tests/formats/golden.py for the
layout and for how to regenerate): the page, detected as the format its folder
names, must yield exactly the items its golden file records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewcrawler.formats import FORMATS, detect
from tests.formats.golden import (
    FORMAT_FIXTURES,
    UPDATE,
    as_record,
    fixture_pages,
    page_for,
    read_golden,
    write_golden,
)

PAGES = fixture_pages()


@pytest.mark.parametrize("fixture", PAGES, ids=lambda p: str(p.relative_to(FORMAT_FIXTURES)))
def test_fixture_matches_golden(fixture: Path) -> None:
    golden = read_golden(fixture)
    page = page_for(fixture, golden)
    fmt = detect(page)
    assert fmt is not None, f"no format recognises {fixture}"
    assert fixture.parent.name == fmt.NAME, "the page is detected as another format"
    records = [as_record(output) for output in fmt.parse(page)]
    if UPDATE:
        write_golden(fixture, page, records)
        return
    assert golden is not None, f"no golden file beside {fixture}: regenerate (see golden.py)"
    assert records == golden["items"]


def test_every_format_has_a_fixture() -> None:
    covered = {page.parent.name for page in PAGES}
    assert {fmt.NAME for fmt in FORMATS} <= covered
