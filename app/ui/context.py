"""What every tab needs: the logged-in session, the async runner and the message bridge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core import permissions
from app.runtime.source_pool import SourcePool
from app.services import auth
from app.services.context import Actor
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner

if TYPE_CHECKING:
    from app.ui.bot_host import BotHost


@dataclass
class UiContext:
    session: auth.SessionInfo
    runner: AsyncRunner
    messages: MessageBridge
    pool: SourcePool  # the process's one source pool, from the composition root
    bot: BotHost | None = None  # the running bots; None where a window is shown without them

    @property
    def actor(self) -> Actor:
        return self.session.actor

    def can(self, permission: str) -> bool:
        return permissions.can(self.actor.role, permission)
