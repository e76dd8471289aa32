"""describe(): one sentence for whatever went wrong, also for errors that arrive unexpectedly."""

from __future__ import annotations

import sqlite3

import peewee

from app.errors import describe, sqlite_code


def _sqlite(cls, message: str, code: int) -> sqlite3.Error:
    exc = cls(message)
    exc.sqlite_errorcode = code
    return exc


def test_a_full_disk_says_so_and_that_the_database_is_not_damaged():
    full = _sqlite(sqlite3.OperationalError, "database or disk is full", sqlite3.SQLITE_FULL)
    for exc in (full, peewee.OperationalError(full)):
        assert describe(exc).startswith("The disk is full")
        assert "not damaged" in describe(exc)


def test_damaged_pages_say_so_however_the_error_is_wrapped():
    bad = _sqlite(sqlite3.DatabaseError, "database disk image is malformed",
                  sqlite3.SQLITE_CORRUPT | (1 << 8))  # an extended code of SQLITE_CORRUPT
    wrapped = RuntimeError("while saving")
    wrapped.__cause__ = bad
    for exc in (bad, peewee.DatabaseError(bad), wrapped):
        assert sqlite_code(exc) == sqlite3.SQLITE_CORRUPT
        assert describe(exc).startswith("The database file has damaged pages")


def test_nesting_and_lone_surrogates_get_sentences():
    assert "nested too deeply" in describe(RecursionError("maximum recursion depth exceeded"))
    try:
        "a\ud800".encode("utf-8")
    except UnicodeEncodeError as exc:
        assert "lone surrogate" in describe(exc)


def test_other_errors_are_unchanged():
    assert sqlite_code(ValueError("x")) is None
    assert describe(ValueError("x")) == "Unexpected error (ValueError); details are in the log."
    locked = _sqlite(sqlite3.OperationalError, "database is locked", sqlite3.SQLITE_BUSY)
    assert describe(locked) == "Unexpected error (OperationalError); details are in the log."
