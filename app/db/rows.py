"""Statements the app runs thousands of times, their SQL made by peewee once.

Building a peewee query costs about a millisecond (1.6 ms for a SELECT of every column of the
outbox on a loaded 2-core machine), many times SQLite's own work (0.05 ms). A message passes a
dozen statements, and the outbox sends hundreds a minute: their text is compiled once and only
their values are given each time.

- `insert_row`: one row written with a plain INSERT, each value converted by its field as peewee
  would (a configuration file's triggers and their audit entries, a message's log row).
- `Prepared`: any query built with `slot(name)` where a value goes; each run gives the values
  by name, already in the column's stored form (a time as text, a flag as 0/1).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

import peewee

from app.db.models import database_proxy

M = TypeVar("M")


@lru_cache(maxsize=64)
def _statement(model: type, names: tuple[str, ...], verb: str) -> tuple[str, tuple[Any, ...]]:
    fields = tuple(model._meta.fields[name] for name in names)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" * len(fields))
    return f'{verb} INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})', fields


def insert_row(model: type, values: dict[str, Any], or_ignore: bool = False,
               defaults: bool = False) -> int | None:
    """INSERT one row of `model`; `values` by field name (a foreign key by its field's name,
    with the id as value), and with `defaults` every other field's default as peewee gives it.
    With `or_ignore` a row whose key is taken already is left as it is. Returns the new row's
    rowid, or None when nothing was written."""
    if defaults:
        values = {**model._meta.get_default_dict(), **values}
    sql, fields = _statement(model, tuple(values), "INSERT OR IGNORE" if or_ignore else "INSERT")
    cursor = database_proxy.execute_sql(
        sql, [f.db_value(v) for f, v in zip(fields, values.values(), strict=True)])
    return cursor.lastrowid if cursor.rowcount == 1 else None


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def slot(name: str) -> peewee.Value:
    """Where a prepared statement's value `name` goes (given as stored: never converted)."""
    return peewee.Value(_Slot(name), converter=False)


class Prepared:
    """A query compiled by peewee at its first run; later runs only bind their values."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build
        self._compiled: tuple[str, tuple[Any, ...]] | None = None

    def _bound(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        if self._compiled is None:
            sql, params = self._build().sql()
            self._compiled = sql, tuple(params)
        sql, params = self._compiled
        return sql, [values[p.name] if isinstance(p, _Slot) else p for p in params]

    def execute(self, **values: Any) -> sqlite3.Cursor:
        """Run it; the cursor (rows of a SELECT, rowcount of a write)."""
        return database_proxy.execute_sql(*self._bound(values))

    def rows(self, model: type[M], **values: Any) -> list[M]:
        """A SELECT's rows as instances of `model`, each column converted by its field."""
        cursor = self.execute(**values)
        columns = model._meta.columns
        fields = [columns[d[0]] for d in cursor.description]
        found = []
        for row in cursor:
            instance = model(__no_default__=1)
            instance.__data__ = {f.name: None if v is None else f.python_value(v)
                                 for f, v in zip(fields, row, strict=True)}
            found.append(instance)
        return found
