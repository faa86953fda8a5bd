"""docs/settings.md, generated from reviewcrawler/settings.py so that the two never disagree.

settings.py documents each setting in the ``#:`` comment above it and groups them
under ``# --- Section ---`` lines; this module reads those (the source, not the
values: a default taken from the environment is shown as the code that reads it)
and renders one Markdown table per section. Regenerate after changing settings.py::

    .venv/bin/python -m reviewcrawler.settings_doc > docs/settings.md

tests/docs/test_settings_doc.py fails when the page is stale or a project setting
has no comment.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = Path(__file__).with_name("settings.py")
_SECTION = re.compile(r"^# -{2,}\s*(?P<title>.*?)\s*-*\s*$")
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
#: Longest default shown in the table; longer ones point at settings.py.
_DEFAULT_WIDTH = 60
SCRAPY_SETTINGS_URL = "https://docs.scrapy.org/en/latest/topics/settings.html"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    #: The ``#:`` comment above it, joined into one paragraph; "" when it has none.
    meaning: str
    section: str
    #: The setting whose comment this one shares: it follows it, without a comment of
    #: its own, and is of its family (the same first word: RETRY_BACKOFF_MAX).
    shares: str | None = None


def read_settings(source: str) -> list[Setting]:
    """Every upper-case top-level assignment of ``source`` with its comment and section."""
    lines = source.splitlines()
    settings: list[Setting] = []
    for node in ast.parse(source).body:
        target = _target(node)
        if target is None or node.value is None:  # type: ignore[attr-defined]
            continue
        comment, section = _comment_above(lines, node.lineno - 1)
        shares = None
        previous = settings[-1] if settings else None
        if (
            not comment
            and previous is not None
            and _follows(lines, node.lineno - 1)
            and _prefix(previous.name) == _prefix(target)
        ):
            shares = previous.shares or previous.name
        settings.append(
            Setting(
                name=target,
                default=_default(ast.get_source_segment(source, node.value) or ""),  # type: ignore[attr-defined]
                meaning=comment,
                section=section,
                shares=shares,
            )
        )
    return settings


def _target(node: ast.stmt) -> str | None:
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
    elif isinstance(node, ast.AnnAssign):
        target = node.target
    else:
        return None
    if isinstance(target, ast.Name) and _NAME.match(target.id):
        return target.id
    return None


def _comment_above(lines: list[str], index: int) -> tuple[str, str]:
    """The ``#:`` block right above line ``index``, and the section the line is in."""
    block: list[str] = []
    row = index - 1
    while row >= 0 and lines[row].startswith("#:"):
        block.insert(0, lines[row][2:].strip())
        row -= 1
    section = "General"
    for row in range(index, -1, -1):
        if match := _SECTION.match(lines[row]):
            section = match.group("title")
            break
    return " ".join(block), section


def _follows(lines: list[str], index: int) -> bool:
    """Whether the line above ``index`` ends another assignment (no blank line, no comment)."""
    above = lines[index - 1] if index > 0 else ""
    return bool(above.strip()) and not above.lstrip().startswith("#")


def _prefix(name: str) -> str:
    """``AUTOTHROTTLE`` of ``AUTOTHROTTLE_MAX_DELAY``: settings of one family."""
    return name.split("_", 1)[0]


def _default(code: str) -> str:
    code = " ".join(code.split())
    if len(code) > _DEFAULT_WIDTH:
        return "see settings.py"
    return f"`{code}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(settings: list[Setting], scrapy_defaults: set[str]) -> str:
    """The Markdown page: one table per section, in settings.py's order."""
    out = [
        "# Settings",
        "",
        "Every setting the project defines or changes, as `reviewcrawler/settings.py` defines",
        "and documents it (this page is generated from that file: "
        "`.venv/bin/python -m reviewcrawler.settings_doc > docs/settings.md`).",
        "Override any with `-s NAME=value` on the command line (JSON for lists and dicts);",
        "`DATABASE_URL` and `REDIS_URL` are better set by environment variable, as below.",
        "Settings marked *Scrapy* are Scrapy's own, set here to another value than",
        f"Scrapy's default; their full meaning is in [Scrapy's settings]({SCRAPY_SETTINGS_URL}).",
        "A default shown as code is the expression settings.py evaluates.",
    ]
    section = None
    for setting in settings:
        if setting.section != section:
            section = setting.section
            out += [
                "",
                f"## {section}",
                "",
                "| setting | default | meaning |",
                "| --- | --- | --- |",
            ]
        text = _cell(meaning(setting, scrapy_defaults))
        out.append(f"| `{setting.name}` | {_cell(setting.default)} | {text} |")
    return "\n".join(out) + "\n"


def meaning(setting: Setting, scrapy_defaults: set[str]) -> str:
    scrapy = setting.name in scrapy_defaults
    text = setting.meaning or (f"See `{setting.shares}`." if setting.shares else "")
    return f"*Scrapy*. {text}".strip() if scrapy else text


def scrapy_setting_names() -> set[str]:
    from scrapy.settings import default_settings

    return {name for name in dir(default_settings) if _NAME.match(name)}


def settings_page() -> str:
    return render(read_settings(SETTINGS_FILE.read_text(encoding="utf-8")), scrapy_setting_names())


if __name__ == "__main__":
    print(settings_page(), end="")
