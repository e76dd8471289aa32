"""The move from the old system in one place: what came over, and what still needs a person.

Read from the database as it is now (the migration leaves its traces in typed places: each
converted row's `legacy` block, `setup_missing` / `setup_review` lists, a composite's
`served_by_group`, held outgoing rows), so the summary is the same whenever it is opened and
shrinks as the engineer finishes each item. docs/old-system.md §12 says what the migration does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core import legacy_triggers, permissions
from app.core.legacy_triggers import GROUP_KEY, LEGACY_KEY, REVIEW_KEY, SETUP_KEY, OldSettings
from app.core.timefmt import parse_ts
from app.db.models import (
    AiTrigger,
    Contact,
    DataSource,
    Message,
    OutgoingMessage,
    QueryPreset,
    Trigger,
    TriggerGroup,
    User,
)
from app.services import audit, events
from app.services.context import Actor
from app.services.outbox import CANCELLED_PREFIX, CLEARED_MARKS


@dataclass(frozen=True)
class TriggerToFinish:
    trigger_id: str
    name: str
    why: list[str]  # the migration's sentences: what is missing
    old: OldSettings
    suggested_source_id: str | None  # the connection that serves the old address, if one does
    suggested_source: str  # its name ("" when none)


@dataclass(frozen=True)
class TriggerToReview:
    trigger_id: str
    name: str
    notes: list[str]


@dataclass(frozen=True)
class UntestedSource:
    source_id: str
    name: str
    old_status: str  # what the old system said: "connected", "error", …
    old_tested_at: datetime | None


@dataclass(frozen=True)
class Composite:
    old_trigger: str
    group: str


@dataclass(frozen=True)
class HeldMessage:
    outbox_id: int
    recipient: str
    text: str
    queued_at: datetime | None


@dataclass
class Summary:
    came_over: dict[str, int] = field(default_factory=dict)  # what → how many rows
    to_finish: list[TriggerToFinish] = field(default_factory=list)
    sources_to_finish: list[tuple[str, str, list[str]]] = field(default_factory=list)
    to_review: list[TriggerToReview] = field(default_factory=list)
    untested: list[UntestedSource] = field(default_factory=list)
    composites: list[Composite] = field(default_factory=list)
    held: list[HeldMessage] = field(default_factory=list)

    @property
    def needs_a_person(self) -> bool:
        return bool(self.to_finish or self.sources_to_finish or self.held)

    @property
    def empty(self) -> bool:
        return not (self.needs_a_person or self.to_review or self.untested or self.composites)


def _config(row: Any) -> dict[str, Any]:
    return row.config if isinstance(row.config, dict) else {}


def _suggest(old: OldSettings, sources: list[DataSource]) -> DataSource | None:
    """The connection that would serve the old trigger: the one at the old address's gateway,
    else, for PI data, the only PI connection there is."""
    pi = [s for s in sources if s.plugin == "pi"]
    if old.gateway:
        for source in pi:
            config = _config(source)
            legacy = config.get(LEGACY_KEY) or {}
            addresses = [config.get("base_url"), legacy.get("url"), legacy.get("endpoint")]
            if any(a and legacy_triggers.gateway_base(str(a)) == old.gateway
                   for a in addresses):
                return source
    if old.reads_pi and len(pi) == 1:
        return pi[0]
    return None


def summary() -> Summary:
    result = Summary()
    result.came_over = {
        "connections": DataSource.select().count(), "triggers": Trigger.select().count(),
        "groups": TriggerGroup.select().count(), "saved queries": QueryPreset.select().count(),
        "AI prefixes": AiTrigger.select().count(), "contacts": Contact.select().count(),
        "users": User.select().count(), "messages received": Message.select().count(),
        "messages sent or waiting": OutgoingMessage.select().count(),
    }
    sources = list(DataSource.select().order_by(DataSource.name))
    for source in sources:
        config = _config(source)
        missing = list(config.get(SETUP_KEY) or [])
        if missing:
            result.sources_to_finish.append((source.id, source.name, missing))
        old_test = (config.get(LEGACY_KEY) or {}).get("test")
        if isinstance(old_test, dict) and source.test_status is None:
            result.untested.append(UntestedSource(
                source.id, source.name,
                str(old_test.get("test_status") or old_test.get("connection_status") or ""),
                parse_ts(old_test.get("last_tested_at"))))
    groups = {g.name.casefold(): g.name for g in TriggerGroup.select(TriggerGroup.name)}
    for trigger in Trigger.select().order_by(Trigger.name):
        config = _config(trigger)
        if config.get(GROUP_KEY):
            served = str(config[GROUP_KEY])
            result.composites.append(Composite(
                trigger.name, groups.get(served.casefold(),
                                         groups.get(f"{served} (old composite)".casefold(),
                                                    served))))
            continue
        missing = list(config.get(SETUP_KEY) or [])
        if missing:
            old = legacy_triggers.old_settings(config.get(LEGACY_KEY))
            suggested = _suggest(old, sources)
            result.to_finish.append(TriggerToFinish(
                trigger.id, trigger.name, missing, old,
                suggested.id if suggested else None, suggested.name if suggested else ""))
        elif config.get(REVIEW_KEY):
            result.to_review.append(TriggerToReview(trigger.id, trigger.name,
                                                    list(config[REVIEW_KEY])))
    for row in (OutgoingMessage.select().where(OutgoingMessage.held
                                                & (OutgoingMessage.status == "pending"))
                .order_by(OutgoingMessage.id)):
        result.held.append(HeldMessage(row.id, row.recipient, row.message, row.created_at))
    return result


def finish_proposal(trigger_id: str) -> dict[str, Any] | None:
    """What the trigger editor fills in for an old trigger the migration could not convert:
    the suggested connection and the trigger as the migration would have made it with that
    connection (None when nothing can be proposed)."""
    trigger = Trigger.get_or_none(Trigger.id == trigger_id)
    if trigger is None:
        return None
    config = _config(trigger)
    legacy = config.get(LEGACY_KEY)
    if not isinstance(legacy, dict):
        return None
    sources = list(DataSource.select().order_by(DataSource.name))
    suggested = _suggest(legacy_triggers.old_settings(legacy), sources)
    if suggested is None:
        return None
    old_config = {k: v for k, v in legacy.items() if k != "type"}
    converted = legacy_triggers.convert(
        {"id": trigger.id, "name": trigger.name, "type": legacy.get("type") or trigger.type,
         "config": old_config, "data_source_id": suggested.id},
        {suggested.id: (suggested.plugin, {k: v for k, v in _config(suggested).items()
                                           if k != LEGACY_KEY})},
        [t.name for t in Trigger.select(Trigger.name)])
    if converted is None or converted.missing:
        return None
    proposal = {k: v for k, v in converted.config.items() if k not in (LEGACY_KEY,)}
    return {"kind": converted.type, "data_source_id": suggested.id,
            "data_source": suggested.name, "config": proposal}


def send_held(actor: Actor) -> int:
    """The old system's waiting messages go out after all, at the next chance to send."""
    actor.require(permissions.MESSAGES_SEND)
    with events.unit_of_work():
        ids = [r.id for r in OutgoingMessage.select(OutgoingMessage.id).where(
            OutgoingMessage.held & (OutgoingMessage.status == "pending"))]
        if ids:
            OutgoingMessage.update(held=False, next_attempt_at=None).where(
                OutgoingMessage.id.in_(ids)).execute()
            audit.record(actor, "old_messages_released", {"outbox_ids": ids})
            events.changed("outgoing_messages")
    return len(ids)


def discard_held(actor: Actor) -> int:
    """The old system's waiting messages are not sent; each stays listed as cancelled."""
    actor.require(permissions.MESSAGES_SEND)
    with events.unit_of_work():
        ids = [r.id for r in OutgoingMessage.select(OutgoingMessage.id).where(
            OutgoingMessage.held & (OutgoingMessage.status == "pending"))]
        if ids:
            OutgoingMessage.update(
                status="failed", held=False, next_attempt_at=None,
                **{**CLEARED_MARKS, "cancelled_by": actor.username},
                error_message=f"{CANCELLED_PREFIX}{actor.username}: queued by the old system "
                              "before the move, not sent").where(
                OutgoingMessage.id.in_(ids)).execute()
            audit.record(actor, "old_messages_discarded", {"outbox_ids": ids})
            events.changed("outgoing_messages")
    return len(ids)
