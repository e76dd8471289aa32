"""Live source objects, one per data source, kept while its settings stay the same.

PI sources remember tag → WebId; keeping the object is what makes the second read of a trigger
one round trip. An edit, a deletion or a new secret drops the object.
"""

from __future__ import annotations

import logging
from typing import Any

from app.runtime import executor
from app.services import events, sources
from app.sources import registry
from app.sources.base import Fault, Historian, Source, SourceError, SqlDatabase

log = logging.getLogger(__name__)

# Whether a source class has a protocol's methods, worked out once per class: checking a
# protocol walks all of its methods, and a reply asks for its source once or more.
_kinds: dict[tuple[type, type], bool] = {}


def _is(cls: type, protocol: type) -> bool:
    known = _kinds.get((cls, protocol))
    if known is None:
        known = _kinds[(cls, protocol)] = issubclass(cls, protocol)
    return known


class SourcePool:
    def __init__(self) -> None:
        self._live: dict[str, tuple[Any, Source]] = {}
        self._unsubscribe = events.subscribe("data_sources", self._on_changed)

    def _on_changed(self, payload: dict) -> None:
        # Test outcomes also emit this topic; only a change of settings matters here.
        for source_id in list(self._live):
            try:
                stamp = sources.get_source(source_id)["updated_at"]
            except Exception:  # noqa: BLE001 - deleted
                stamp = None
            if stamp != self._live[source_id][0]:
                self.drop(source_id)

    def get(self, source_id: str, current: dict[str, Any] | None = None) -> Source:
        """The live source; `current` is its settings when the caller has just read them."""
        if current is None or current.get("id") != source_id:
            current = sources.get_source(source_id)
        if not current["active"]:
            raise SourceError(f"The connection {current['name']} is switched off.",
                              kind=Fault.OFF)
        if current["setup_missing"]:
            raise SourceError(f"The connection {current['name']} is not set up yet: "
                              + " ".join(current["setup_missing"]), kind=Fault.SETUP)
        live = self._live.get(source_id)
        if live is not None and live[0] == current["updated_at"]:
            return live[1]
        self.drop(source_id)
        source = registry.create(*sources.connection_settings(source_id))
        self._live[source_id] = (current["updated_at"], source)
        return source

    def historian(self, source_id: str, current: dict[str, Any] | None = None) -> Historian:
        source = self.get(source_id, current)
        if not _is(type(source), Historian):
            raise SourceError("That connection is not a historian (PI or demo).",
                              kind=Fault.SETUP)
        return source

    def database(self, source_id: str, current: dict[str, Any] | None = None) -> SqlDatabase:
        source = self.get(source_id, current)
        if not _is(type(source), SqlDatabase):
            raise SourceError("That connection is not a MySQL or Oracle database.",
                              kind=Fault.SETUP)
        return source

    def drop(self, source_id: str) -> None:
        live = self._live.pop(source_id, None)
        if live is not None:
            try:
                live[1].close()
            except Exception:  # noqa: BLE001 - closing must never fail a caller
                log.exception("Closing a source failed")

    def close(self) -> None:
        self._unsubscribe()
        for source_id in list(self._live):
            self.drop(source_id)


async def search_tags(pool: SourcePool, source_id: str, pattern: str, max_results: int = 100,
                      timeout: float = 20.0) -> list[dict[str, Any]]:
    """Tags matching `pattern` with their current value, for the tag picker."""
    historian = pool.historian(source_id)
    found = await executor.run_blocking(historian.search_blocking, pattern, max_results,
                                        timeout, timeout=timeout + 2)
    if not found:
        return []
    values = await executor.run_blocking(historian.current_blocking, [t.path for t in found],
                                         timeout, timeout=timeout + 2)
    return [{"path": t.path, "name": t.name, "descriptor": t.descriptor,
             "units": t.units or v.units, "type": t.point_type, "value": v}
            for t, v in zip(found, values, strict=True)]


async def run_query(pool: SourcePool, source_id: str, sql: str, params: dict[str, Any],
                    max_rows: int = 20, timeout: float = 30.0):
    """One checked read-only query on a MySQL or Oracle source (the SQL preview box)."""
    database = pool.database(source_id)
    return await executor.run_blocking(database.query_blocking, sql, params, max_rows, timeout,
                                       timeout=timeout + 5)
