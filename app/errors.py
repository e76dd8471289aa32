"""Errors meant for people (UserError) as opposed to bugs."""

from __future__ import annotations


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
    if isinstance(exc, TimeoutError):
        return "The operation took too long and was stopped."
    if isinstance(exc, PermissionError):
        return f"No permission to access {getattr(exc, 'filename', None) or 'a file'}."
    if isinstance(exc, OSError):
        return f"A file or network operation failed: {exc.strerror or exc}."
    return f"Unexpected error ({type(exc).__name__}); details are in the log."
