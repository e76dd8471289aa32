"""What strangers may cost: how many contacts senders nobody approved may create per hour.

Past the cap a new sender gets no contact and their message is not stored; the hour's row
counts them (`contacts_refused`), so the operator can see that more tried
(docs/architecture.md, "One message's path", step 2)."""

from __future__ import annotations

from datetime import datetime

from app.core.timefmt import utc_now
from app.db.models import StrangerHour

CONTACTS_PER_HOUR = 100  # new contacts that senders nobody approved may create in one hour


def _hour(now: datetime | None) -> str:
    return (now or utc_now()).strftime("%Y-%m-%dT%H")


def admit(now: datetime | None = None, cap: int | None = None) -> bool:
    """Count one new stranger in this hour: True when they may get a contact (created counts
    one up), False past the cap (refused counts one up). Call inside the contact's unit."""
    hour = _hour(now)
    limit = CONTACTS_PER_HOUR if cap is None else cap
    StrangerHour.insert(hour=hour).on_conflict_ignore().execute()
    row = StrangerHour.get_by_id(hour)
    if row.contacts_created < limit:
        StrangerHour.update(contacts_created=StrangerHour.contacts_created + 1).where(
            StrangerHour.hour == hour).execute()
        return True
    StrangerHour.update(contacts_refused=StrangerHour.contacts_refused + 1).where(
        StrangerHour.hour == hour).execute()
    return False


def counts(now: datetime | None = None) -> tuple[int, int]:
    """(contacts created, contacts refused) by strangers in the hour of `now`."""
    row = StrangerHour.get_or_none(StrangerHour.hour == _hour(now))
    return (row.contacts_created, row.contacts_refused) if row else (0, 0)
