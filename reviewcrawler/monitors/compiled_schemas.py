"""The item schemas compiled with fastjsonschema, checked where a page is read.

The validation pipeline (validation.py) runs in the crawl's process, where one
interpreter lock is shared by Scrapy, the other pipelines and the store writer,
while a parse worker has time to spare. So reading.py checks a page's normalized
items here, in whichever process reads the page, and a page whose items all pass
reaches the pipeline marked ``PageItems.schemas_passed``: the pipeline only counts
it. A page with any failing item is checked item by item in the pipeline, which
reports the failures through Spidermon, as it does every item not marked.

The schemas are the ones Spidermon's pipeline loads, from the same setting
(``SPIDERMON_VALIDATION_SCHEMAS``) with Spidermon's own loader, and picked per
item the way Spidermon picks them: by the item's class name, else those given
for every item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import fastjsonschema
from scrapy.settings import BaseSettings
from spidermon.contrib.validation.jsonschema.tools import get_schema_from

#: Schemas by the name of the item class they apply to ("Item": to every item).
SchemaSources = dict[str, list[dict[str, Any]]]

#: Spidermon's key for schemas given as a list: they apply to every item.
EVERY_ITEM = "Item"


def schema_sources(settings: BaseSettings) -> SchemaSources:
    """The schemas Spidermon's validation pipeline would load from ``settings`` (none
    when Spidermon is off), as plain dicts a worker process can receive."""
    if not settings.getbool("SPIDERMON_ENABLED", True):
        return {}
    configured = settings.get("SPIDERMON_VALIDATION_SCHEMAS")
    if not configured:
        return {}
    by_class = configured if isinstance(configured, Mapping) else {EVERY_ITEM: configured}
    sources: SchemaSources = {}
    for item_class, given in by_class.items():
        name = item_class if isinstance(item_class, str) else item_class.__name__
        schemas = given if isinstance(given, list | tuple) else [given]
        loaded = [get_schema_from(s) if isinstance(s, str) else s for s in schemas]
        sources.setdefault(name, []).extend(s for s in loaded if isinstance(s, dict))
    return sources


class CompiledSchemas:
    """Checks items against their compiled schemas."""

    def __init__(self, sources: SchemaSources) -> None:
        self._checks: dict[str, list[Callable[[Any], Any]]] = {
            name: [fastjsonschema.compile(schema) for schema in schemas]
            for name, schemas in sources.items()
        }

    def passes(self, items: Iterable[Any]) -> bool:
        """Whether every item meets its schemas; False as soon as one does not, or when
        an item has no schema (the pipeline then decides, as it always did)."""
        checks_by_name = self._checks
        for item in items:
            checks = checks_by_name.get(type(item).__name__) or checks_by_name.get(EVERY_ITEM)
            if not checks:
                return False
            data = vars(item)
            try:
                for check in checks:
                    check(data)
            except fastjsonschema.JsonSchemaException:
                return False
        return True
