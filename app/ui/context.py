"""What every tab needs: the logged-in session, the async runner and the message bridge."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import permissions
from app.runtime.source_pool import SourcePool
from app.services import auth
from app.services.context import Actor
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner


@dataclass
class UiContext:
    session: auth.SessionInfo
    runner: AsyncRunner
    messages: MessageBridge
    pool: SourcePool

    @property
    def actor(self) -> Actor:
        return self.session.actor

    def can(self, permission: str) -> bool:
        return permissions.can(self.actor.role, permission)
