"""The audit log: one append-only row per change, login, logout and failed login."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.ids import new_uuid
from app.core.redact import redact
from app.core.timefmt import format_ts, parse_ts
from app.db.models import AuditLog, User, database_proxy
from app.db.rows import insert_row
from app.services import events
from app.services.context import Actor


def record(
    actor: Actor | None,
    action: str,
    details: dict[str, Any] | None = None,
    user_id: str | None = None,
) -> str:
    """Append one entry; `user_id` overrides the actor's (e.g. a failed login of a known user)."""
    row = _row(actor, action, details, user_id)
    insert_row(AuditLog, row)
    events.changed("audit_logs", action=action)
    return row["id"]


def record_many(actor: Actor | None, action: str, details: list[dict[str, Any]]) -> None:
    """Append one entry per item of `details`, as `record` would, in a few statements (a
    configuration file that creates thousands of entries)."""
    rows = [_row(actor, action, item, None) for item in details]
    for start in range(0, len(rows), 100):
        AuditLog.insert_many(rows[start:start + 100]).execute()
    if rows:
        events.changed("audit_logs", action=action)


def _row(actor: Actor | None, action: str, details: dict[str, Any] | None,
         user_id: str | None) -> dict[str, Any]:
    payload = dict(redact(details or {}))
    if actor is not None and actor.user_id is None and actor.via != "gui":
        payload.setdefault("by", actor.username)
    return {
        "id": new_uuid(),
        "user": user_id if user_id is not None else (actor.user_id if actor else None),
        "action": action,
        "details": json.dumps(payload, ensure_ascii=False, default=str) if payload else None,
        "user_agent": f"WA-Integration {actor.via}" if actor else "WA-Integration",
        "timestamp": format_ts(),
    }


@dataclass(frozen=True)
class AuditFilter:
    user_id: str | None = None  # "" means entries without a user
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None


_COLUMNS = (
    "a.rowid, a.id, a.timestamp, a.action, a.user_id, u.username, a.details, "
    "a.ip_address, a.user_agent"
)


def _where(flt: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.user_id == "":
        clauses.append("a.user_id IS NULL")
    elif flt.user_id:
        clauses.append("a.user_id = ?")
        params.append(flt.user_id)
    if flt.action:
        clauses.append("a.action = ?")
        params.append(flt.action)
    # julianday() reads both the SQLite and the ISO-with-Z forms, so old and new rows compare.
    if flt.since:
        clauses.append("julianday(a.timestamp) >= julianday(?)")
        params.append(format_ts(flt.since))
    if flt.until:
        clauses.append("julianday(a.timestamp) < julianday(?)")
        params.append(format_ts(flt.until))
    if flt.text:
        clauses.append("(a.details LIKE ? OR a.action LIKE ?)")
        params += [f"%{flt.text}%", f"%{flt.text}%"]
    return (" AND ".join(clauses) or "1"), params


def page(flt: AuditFilter, before_rowid: int | None, limit: int) -> list[dict[str, Any]]:
    """Newest first, `limit` entries older than `before_rowid` (keyset paging)."""
    where, params = _where(flt)
    if before_rowid is not None:
        where += " AND a.rowid < ?"
        params.append(before_rowid)
    sql = (
        f"SELECT {_COLUMNS} FROM audit_logs a LEFT JOIN users u ON u.id = a.user_id "
        f"WHERE {where} ORDER BY a.rowid DESC LIMIT ?"
    )
    params.append(limit)
    rows = []
    for rowid, id_, ts, action, user_id, username, details, ip, agent in database_proxy.execute_sql(
        sql, params
    ):
        rows.append(
            {
                "rowid": rowid, "id": id_, "timestamp": parse_ts(ts), "action": action,
                "user_id": user_id, "username": username or "", "details": details or "",
                "ip_address": ip or "", "user_agent": agent or "",
            }
        )
    return rows


def count(flt: AuditFilter) -> int:
    where, params = _where(flt)
    sql = f"SELECT COUNT(*) FROM audit_logs a WHERE {where}"
    return database_proxy.execute_sql(sql, params).fetchone()[0]


def actions() -> list[str]:
    return [r[0] for r in database_proxy.execute_sql(
        "SELECT DISTINCT action FROM audit_logs ORDER BY action")]


def users_seen() -> list[tuple[str, str]]:
    return [(u.id, u.username) for u in User.select(User.id, User.username).order_by(User.username)]
