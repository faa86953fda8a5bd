"""Every change in a scope, newest first: the one list the CLI, alerts and feeds read."""

from __future__ import annotations

from sqlalchemy import Engine

from reviewcrawler.changes.model import Change
from reviewcrawler.changes.reviews import review_changes
from reviewcrawler.changes.scope import Scope
from reviewcrawler.changes.scores import score_changes


def list_changes(engine: Engine, scope: Scope | None = None) -> list[Change]:
    """The changes in ``scope`` (all of them when None), newest run first, then by film
    key, kind (model.KINDS order), field and review.

    Blocking, read-only. With ``scope.limit`` each source reads at most that many of
    its newest rows, in the same order, so the merged list's first ``limit`` are right.
    """
    scope = scope or Scope()
    found = score_changes(engine, scope) + review_changes(engine, scope)
    found.sort(key=Change.sort_key)
    return found if scope.limit is None else found[: scope.limit]
