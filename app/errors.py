"""Errors meant for people (UserError) as opposed to bugs."""

from __future__ import annotations

import sqlite3


class UserError(Exception):
    """A problem the user can understand and fix; its message is a complete sentence."""

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class PermissionDenied(UserError):
    """The acting user's role does not allow this action."""


class ValidationError(UserError):
    """Input failed validation; `problems` lists one sentence per bad entry or field."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message, "\n".join(problems or []))
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {p}" for p in self.problems)


def describe(exc: BaseException) -> str:
    """One sentence for the status bar or stderr, whatever the exception."""
    if isinstance(exc, UserError):
        return str(exc)
    code = sqlite_code(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return ("The database file has damaged pages that SQLite cannot read; restore it from "
                "a backup.")
    if code == sqlite3.SQLITE_FULL:
        return ("The disk is full, so the database could not be written; it is not damaged. "
                "Free some space and try again.")
    if isinstance(exc, RecursionError):
        return "The data is nested too deeply (brackets inside brackets) to be read."
    if isinstance(exc, UnicodeEncodeError) and "surrogate" in (exc.reason or ""):
        return ("The text holds an invalid character (a lone surrogate, such as the escape "
                "\\ud800), which cannot be stored.")
    if isinstance(exc, TimeoutError):
        return "The operation took too long and was stopped."
    if isinstance(exc, PermissionError):
        return f"No permission to access {getattr(exc, 'filename', None) or 'a file'}."
    if isinstance(exc, OSError):
        return f"A file or network operation failed: {exc.strerror or exc}."
    return f"Unexpected error ({type(exc).__name__}); details are in the log."


def sqlite_code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code (sqlite3.SQLITE_FULL, SQLITE_CORRUPT…) behind `exc`, also
    when a library wrapped the sqlite3 error (as `orig`, its first argument or its cause);
    else None."""
    seen = 0
    while exc is not None and seen < 5:
        seen += 1
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(exc, sqlite3.Error) and isinstance(code, int):
            return code & 0xFF
        inner = getattr(exc, "orig", None)  # peewee keeps the driver's error there
        if not isinstance(inner, BaseException):
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        exc = inner or exc.__cause__ or exc.__context__
    return None
