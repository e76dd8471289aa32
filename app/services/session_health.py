"""The bot's own health alarm as data: since when its WhatsApp session is down, how, and
whether the administrators were told (the session_health table, migration 14).

Each change is one unit of work with the e-mails it makes (app/services/email_queue.py), so
"told" and the e-mails queued are never apart, and a restart neither forgets that the
administrators were told nor tells them twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.email_address import address_problem
from app.core.timefmt import format_ts
from app.db.models import SessionHealth, User
from app.services import email_queue, events
from app.services.writable import writes

__all__ = ["Health", "Mail", "admin_addresses", "came_up", "get", "stopped", "told_down",
           "went_down"]

KIND = "health"  # the kind of the e-mails


@dataclass(frozen=True)
class Health:
    down_since: datetime | None
    down_state: str | None  # logged_out, banned, disconnected
    told_down_at: datetime | None


@dataclass(frozen=True)
class Mail:
    address: str
    subject: str
    body: str


def get(channel: str = "whatsapp") -> Health:
    row = SessionHealth.get_or_none(SessionHealth.channel == channel)
    if row is None:
        return Health(None, None, None)
    return Health(row.down_since, row.down_state, row.told_down_at)


def admin_addresses() -> list[str]:
    """The e-mail addresses of the active administrators who have a usable one."""
    found: dict[str, None] = {}
    for user in User.select().where((User.role == "admin") & User.is_active):
        address = (user.email or "").strip()
        if address and not address_problem(address):
            found[address] = None
    return list(found)


def _upsert(channel: str, **fields: object) -> None:
    if SessionHealth.get_or_none(SessionHealth.channel == channel) is None:
        SessionHealth.insert(channel=channel, **fields).execute()
    else:
        SessionHealth.update(**fields).where(SessionHealth.channel == channel).execute()
    events.changed("session_health")


@writes
def went_down(channel: str, state: str, at: datetime) -> Health:
    """The session is down (`state`); the time it went down is kept from the first report.
    A logout after a disconnection says so (a disconnection never hides a logout)."""
    with events.unit_of_work():
        now = get(channel)
        if now.down_since is None:
            _upsert(channel, down_since=format_ts(at), down_state=state)
        elif now.down_state != state and state != "disconnected":
            _upsert(channel, down_state=state)
    return get(channel)


@writes
def stopped(channel: str) -> None:
    """The app stops its session: a disconnection nobody was told of is forgotten (the next
    start sees afresh); a logout, or one the administrators heard of, is kept."""
    with events.unit_of_work():
        now = get(channel)
        if now.down_state == "disconnected" and now.told_down_at is None:
            _upsert(channel, down_since=None, down_state=None)


@writes
def told_down(channel: str, at: datetime, mails: list[Mail]) -> bool:
    """Queue the "session is down" e-mails once; False when they were queued already."""
    with events.unit_of_work():
        if get(channel).told_down_at is not None:
            return False
        _upsert(channel, told_down_at=format_ts(at))
        for mail in mails:
            email_queue.enqueue_email(mail.address, mail.subject, mail.body, kind=KIND,
                                      channel=channel, created_at=at)
    return True


@writes
def came_up(channel: str, at: datetime, mails: list[Mail]) -> Health:
    """The session is connected again: down no more; the "it is back" e-mails are queued only
    when the administrators had been told it was down. Returns the state before."""
    with events.unit_of_work():
        before = get(channel)
        if before.down_since is None and before.told_down_at is None:
            return before
        _upsert(channel, down_since=None, down_state=None, told_down_at=None,
                **({"told_up_at": format_ts(at)} if before.told_down_at else {}))
        if before.told_down_at is not None:
            for mail in mails:
                email_queue.enqueue_email(mail.address, mail.subject, mail.body, kind=KIND,
                                          channel=channel, created_at=at)
    return before
