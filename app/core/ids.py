"""New row ids in the old system's shapes (`t-<epoch ms>-<random>`, `conn-…`, `group-…`)."""

from __future__ import annotations

import secrets
import string
import time
import uuid

_ALPHABET = string.ascii_lowercase + string.digits


def new_id(prefix: str, length: int = 9) -> str:
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(length))
    return f"{prefix}-{int(time.time() * 1000)}-{suffix}"


def new_uuid() -> str:
    return str(uuid.uuid4())
