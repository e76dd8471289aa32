"""The rows a crash caught mid-send, at the next start: sent again, counted, or given up.

WhatsApp may already have such a row (the crash fell after it took the message and before the
row said so); the bridge cannot resend under the same WhatsApp id (see app.services.outbox), so
the count of interruptions on the row tells a reader the recipient may have it twice.
"""

from __future__ import annotations

from app.core.timefmt import utc_now
from app.db.models import OutgoingMessage
from app.services import events
from app.services.outbox import CLEARED_MARKS, mark_sent
from app.services.writable import writes

GAVE_UP_INTERRUPTED = ("Not sent again automatically: sending it was cut short {n} times (the app "
                       "stopped each time). Press Retry in Messages if it did not arrive.")


@writes
def send_again_after_interruption(outbox_id: int, give_up_after: int) -> str:
    """A row a crash caught mid-send: "sent" when WhatsApp's id was recorded (WhatsApp has
    it), "failed" once its sends were cut short `give_up_after` times (it may be what stops
    the app), else "again": queued again at once, counting the interruption, no retry spent."""
    row = OutgoingMessage.get_or_none(OutgoingMessage.id == outbox_id)
    if row is None or row.status != "pending" or row.in_flight_since is None:
        return "gone"
    if row.whatsapp_id:
        mark_sent(outbox_id, row.whatsapp_id, utc_now())
        return "sent"
    times = (row.interrupted_sends or 0) + 1
    if times >= give_up_after:
        OutgoingMessage.update(status="failed", interrupted_sends=times, in_flight_since=None,
                               next_attempt_at=None,
                               error_message=GAVE_UP_INTERRUPTED.format(n=times),
                               **CLEARED_MARKS).where(OutgoingMessage.id == outbox_id).execute()
        events.changed("outgoing_messages")
        return "failed"
    OutgoingMessage.update(in_flight_since=None, interrupted_sends=times).where(
        OutgoingMessage.id == outbox_id).execute()
    events.changed("outgoing_messages")
    return "again"
