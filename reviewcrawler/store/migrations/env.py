"""Alembic's environment, driven from code (store/schema.py) rather than an alembic.ini.

store/schema.py hands over an open connection in ``config.attributes["connection"]``;
``alembic -x url=...`` style use from a shell is served by ``reviewcrawler db``.
"""

from __future__ import annotations

from alembic import context

from reviewcrawler.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
