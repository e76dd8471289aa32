"""A large PI Web API answer read in slices, so the event loop is not held while it is read.

json.loads reads a whole answer in one call that keeps Python's interpreter lock: for the 2.8 MB
a first alarm cycle of 5,000 tags brings back (their points looked up in one batch), 25 to
120 ms during which the window and the bot, on another thread, cannot run. Here the answer's
outer objects and arrays are walked in Python and each of their items read by one call of the
same decoder: between two items the interpreter may hand the lock to the loop. The result is
exactly what json.loads gives (the same decoder reads every value), errors included.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests
from requests.utils import guess_json_utf

SLICED_FROM = 64 * 1024  # characters: below this an answer is read in one call
_DEPTH = 4  # containers walked: a batch, its answer, its content, their Items
_WALKED_MEMBERS = 8  # an object's first members whose objects are walked too
_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def response_json(response: requests.Response) -> Any:
    """response.json(), a large answer read in slices; ValueError when it is not JSON."""
    content = response.content
    if len(content) < SLICED_FROM:
        return response.json()
    encoding = response.encoding or guess_json_utf(content) or "utf-8"
    try:
        text = content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return response.json()  # as requests reads it then
    return loads(text)


def loads(text: str) -> Any:
    """json.loads(text), reading a large text in slices (see the module's docstring)."""
    if len(text) < SLICED_FROM:
        return json.loads(text)
    start = _SPACE.match(text, 0).end()
    value, end = _value(text, start, _DEPTH, False)
    end = _SPACE.match(text, end).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _value(text: str, at: int, depth: int, whole_objects: bool) -> tuple[Any, int]:
    """The value at `at` (no space before it) and where it ends. An array is walked; an object
    only where it may hold a large one (a batch's answer, its content), not where objects are
    many and small (the items of an array, a batch's thousands of answers past its first few):
    walking those would cost more than it saves."""
    first = text[at:at + 1]
    if depth and first == "[":
        return _array(text, at + 1, depth - 1)
    if depth and first == "{" and not whole_objects:
        return _object(text, at + 1, depth - 1)
    return _DECODER.raw_decode(text, at)


def _array(text: str, at: int, depth: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    at = _SPACE.match(text, at).end()
    if text[at:at + 1] == "]":
        return items, at + 1
    while True:
        item, at = _value(text, at, depth, True)
        items.append(item)
        closed, at = _after_item(text, at, "]")
        if closed:
            return items, at


def _object(text: str, at: int, depth: int) -> tuple[dict[str, Any], int]:
    members: dict[str, Any] = {}
    at = _SPACE.match(text, at).end()
    if text[at:at + 1] == "}":
        return members, at + 1
    while True:
        if text[at:at + 1] != '"':
            raise json.JSONDecodeError(
                "Expecting property name enclosed in double quotes", text, at)
        key, at = _DECODER.raw_decode(text, at)
        at = _SPACE.match(text, at).end()
        if text[at:at + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()
        members[key], at = _value(text, at, depth, len(members) >= _WALKED_MEMBERS)
        closed, at = _after_item(text, at, "}")
        if closed:
            return members, at


def _after_item(text: str, at: int, close: str) -> tuple[bool, int]:
    """After an item of an array or object: whether `close` ends it, and where the next
    thing begins (past the closing mark, or past the comma and the space after it)."""
    at = _SPACE.match(text, at).end()
    mark = text[at:at + 1]
    if mark == close:
        return True, at + 1
    if mark != ",":
        raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
    return False, _SPACE.match(text, at + 1).end()
