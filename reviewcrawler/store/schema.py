"""Alembic owns the schema: where a database stands, and bringing it to head.

Policy (see README "Store"): a crawl upgrades a SQLite database by itself (it is
the embedded, single-user default, created on first use); any other database is
upgraded only by ``reviewcrawler db upgrade``, and a crawl against one that is
behind stops before its first request, naming that command.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from reviewcrawler.store.engine import write_transaction

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The revision whose tables the first release created with ``create_all``.
BACKBONE_REVISION = "0001_backbone"
UPGRADE_COMMAND = "reviewcrawler db upgrade"


@functools.cache
def migrations_folder() -> Path:
    """The migrations as a real folder, which Alembic needs.

    Installed packages have one; a Scrapyd egg is a zip file, so its migrations
    are copied out once per process into a temporary folder.
    """
    if MIGRATIONS.is_dir():
        return MIGRATIONS
    copy = Path(tempfile.mkdtemp(prefix="reviewcrawler-migrations-")) / "migrations"

    def extract(source: Traversable, target: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)
        for entry in source.iterdir():
            if entry.is_dir():
                if entry.name != "__pycache__":
                    extract(entry, target / entry.name)
            elif entry.name.endswith((".py", ".mako")):
                (target / entry.name).write_bytes(entry.read_bytes())

    extract(resources.files("reviewcrawler.store.migrations"), copy)
    return copy


def alembic_config() -> Config:
    """Alembic's configuration, built in code so that it works from any folder or install."""
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class SchemaState:
    #: The database's revision; None for an empty database or a pre-Alembic one.
    current: str | None
    head: str
    #: Tables from before Alembic owned the schema, with no revision recorded.
    unversioned_tables: bool

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_known(self) -> bool:
        """The revision is one this code knows (not from a newer reviewcrawler)."""
        if self.current is None:
            return True
        script = ScriptDirectory.from_config(alembic_config())
        return self.current in {revision.revision for revision in script.walk_revisions()}

    def describe(self) -> str:
        if self.current is not None:
            return f"revision {self.current}"
        return "tables from before migrations" if self.unversioned_tables else "empty"


def _state(connection: Connection) -> SchemaState:
    current = MigrationContext.configure(connection).get_current_revision()
    unversioned = current is None and inspect(connection).has_table("films")
    return SchemaState(current=current, head=head_revision(), unversioned_tables=unversioned)


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        return _state(connection)


def upgrade(engine: Engine, revision: str = "head") -> SchemaState:
    """Bring the database to ``revision``; safe to run from two processes at once.

    The write lock (store/engine.py) serialises concurrent upgrades: the second one
    finds the schema current and does nothing.
    """
    config = alembic_config()
    with write_transaction(engine) as connection:
        state = _state(connection)
        if not state.is_known:
            raise SchemaTooNew(state)
        config.attributes["connection"] = connection
        if state.unversioned_tables:
            command.stamp(config, BACKBONE_REVISION)
        command.upgrade(config, revision)
    return schema_state(engine)


class SchemaTooNew(Exception):
    def __init__(self, state: SchemaState) -> None:
        super().__init__(
            f"the database is at {state.describe()}, newer than this reviewcrawler "
            f"(head {state.head}): upgrade reviewcrawler"
        )
