"""The project's own settings (reviewcrawler/settings.py) as a dict, for in-process crawlers."""

from __future__ import annotations

from typing import Any

from reviewcrawler import settings as project


def project_settings(**overrides: Any) -> dict[str, Any]:
    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    return {**values, **overrides}
