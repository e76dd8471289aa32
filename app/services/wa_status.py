"""The single whatsapp_status row (id 1): what the bridge is doing, for the Dashboard."""

from __future__ import annotations

from typing import Any

from app.core.messages import BridgeState, StateChange
from app.core.timefmt import format_ts
from app.db.models import WhatsappStatus
from app.services import events, writable
from app.services.writable import writes

_BUSY = {BridgeState.STARTING, BridgeState.WAITING_FOR_QR, BridgeState.RECONNECTING}


def _row() -> WhatsappStatus:
    row = WhatsappStatus.get_or_none(WhatsappStatus.id == 1)
    if row is None:
        WhatsappStatus.insert(id=1, is_ready=False, is_initializing=False,
                              last_update=format_ts()).execute()
        row = WhatsappStatus.get_by_id(1)
    return row


@writes
def apply(change: StateChange) -> None:
    _row()
    now = format_ts()
    values: dict[str, Any] = {
        "is_ready": change.state is BridgeState.CONNECTED,
        "is_initializing": change.state in _BUSY,
        "state": change.state.value, "state_detail": change.detail or None,
        "reconnect_attempts": change.reconnect_attempts, "last_update": now, "updated_at": now,
        "banned_until": format_ts(change.until) if change.until else None,
    }
    if change.bot_number:
        values["bot_number"] = change.bot_number
        values["phone_number"] = change.bot_number
    if change.bot_id:
        values["bot_id"] = change.bot_id
    if change.state is BridgeState.CONNECTED or change.state is BridgeState.LOGGED_OUT:
        values["qr_data"] = None
    WhatsappStatus.update(**values).where(WhatsappStatus.id == 1).execute()
    events.changed("whatsapp_status", state=change.state.value)


@writes
def set_qr(data: str | None) -> None:
    _row()
    now = format_ts()
    WhatsappStatus.update(qr_data=data, last_update=now, updated_at=now,
                          state=BridgeState.WAITING_FOR_QR.value,
                          is_initializing=True).where(WhatsappStatus.id == 1).execute()
    events.changed("whatsapp_status", state=BridgeState.WAITING_FOR_QR.value)


def get() -> dict[str, Any]:
    # Read only: the Dashboard asks every few seconds, also while the database is locked.
    row = WhatsappStatus.get_or_none(WhatsappStatus.id == 1) or WhatsappStatus(
        id=1, is_ready=False, is_initializing=False)
    return {"state": row.state or ("connected" if row.is_ready else "stopped"),
            "detail": row.state_detail or "", "ready": bool(row.is_ready),
            "bot_number": row.bot_number or "", "bot_id": row.bot_id or "",
            "qr_data": row.qr_data, "reconnect_attempts": row.reconnect_attempts or 0,
            "banned_until": row.banned_until, "last_update": row.last_update,
            # Why incoming messages wait in memory (None: they do not), and how many wait.
            "database_not_writable": writable.incoming_refusal(),
            "messages_waiting": writable.incoming_waiting()}
