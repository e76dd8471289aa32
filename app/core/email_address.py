"""Checking an e-mail address before it is stored or mailed to, with a plain sentence when it
is not one.

The check is deliberately narrower than everything RFC 5321 allows: one bare address
(name@domain, no display name, no comments, no quoted local part), ASCII before the @ (a
non-ASCII name needs the server's SMTPUTF8, which plant mail servers rarely offer), a domain
of letters, digits and hyphens in dotted parts (an international domain is turned into its
xn-- form). Line breaks and control characters are refused first of all: an address ends up
in a mail header, where a line break would let it add headers of its own.
"""

from __future__ import annotations

import re

from app.errors import UserError

__all__ = ["AddressError", "address_problem", "check_address"]

_LOCAL_CHARS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_MAX_LENGTH = 254  # the longest address a mail server must accept in a command
_MAX_LOCAL = 64


class AddressError(UserError):
    """Not an e-mail address; `message` says what is wrong with it."""


def check_address(text: object) -> str:
    """The address, trimmed and with its domain in lower case; AddressError when it is not one."""
    problem, address = _examine(text)
    if problem:
        raise AddressError(problem)
    return address


def address_problem(text: object) -> str | None:
    """The sentence saying what is wrong with `text` as an e-mail address, or None."""
    return _examine(text)[0]


def _examine(text: object) -> tuple[str | None, str]:
    raw = "" if text is None else str(text)
    address = raw.strip()
    shown = _shown(address)
    if not address:
        return "The e-mail address is empty.", ""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in address):
        return (f"The e-mail address {shown} contains a line break or another control "
                "character.", "")
    if any(ch.isspace() for ch in address):
        return f"The e-mail address {shown} contains a space.", ""
    if address.count("@") != 1:
        what = "has no @" if "@" not in address else "has more than one @"
        return f"{shown} is not an e-mail address: it {what} (write it as name@example.com).", ""
    local, domain = address.split("@")
    if not local:
        return f"{shown} is not an e-mail address: the name before the @ is missing.", ""
    if not domain:
        return f"{shown} is not an e-mail address: the domain after the @ is missing.", ""
    if not local.isascii():
        return (f"The e-mail address {shown} has letters outside plain ASCII before the @, "
                "which most mail servers do not accept.", "")
    if not _LOCAL_CHARS.match(local) or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        return (f"{shown} is not an e-mail address: the name before the @ may hold letters, "
                "digits and . _ - + (no dot at its start or end, no two dots together).", "")
    if len(local) > _MAX_LOCAL:
        return (f"The e-mail address {shown} is too long before the @ (at most "
                f"{_MAX_LOCAL} characters).", "")
    try:
        ascii_domain = (domain if domain.isascii() else
                        domain.encode("idna").decode("ascii")).lower()
    except UnicodeError:
        return (f"{shown} is not an e-mail address: its domain {_shown(domain)} is not "
                "valid.", "")
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return (f"{shown} is not an e-mail address: the domain after the @ must be like "
                "plant.example.com (letters, digits and hyphens between dots).", "")
    if labels[-1].isdigit():
        return (f"{shown} is not an e-mail address: the domain after the @ ends in a number, "
                "not a name.", "")
    address = f"{local}@{ascii_domain}"
    if len(address) > _MAX_LENGTH:
        return (f"The e-mail address {shown} is too long (at most {_MAX_LENGTH} "
                "characters).", "")
    return None, address


def _shown(address: str) -> str:
    """The address quoted for a sentence, its control characters made visible, cut when long."""
    text = repr(address[:80] + ("…" if len(address) > 80 else ""))
    return text
