"""Who is acting: every service call that changes something names its actor."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from app.core import permissions
from app.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    user_id: str | None
    username: str
    role: str
    via: str = "gui"  # gui, cli or system

    def can(self, permission: str) -> bool:
        return permissions.can(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(permissions.refusal(self.role, permission))


SYSTEM = Actor(None, "system", "admin", "system")


def cli_actor() -> Actor:
    """The workstation's operator at a terminal: whoever can open the file may administer it."""
    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service environments
        name = "operator"
    return Actor(None, f"{name} (command line)", "admin", "cli")
