"""New row ids: UUID4 strings (the old system's own id shapes stay valid and are kept)."""

from __future__ import annotations

import uuid


def new_uuid() -> str:
    return str(uuid.uuid4())
