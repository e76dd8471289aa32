"""Who may get data: allowed contacts, one notice for strangers, audience tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("ok", "unauthorized", "waiting", "blocked")


@dataclass(frozen=True)
class AccessDecision:
    allowed: bool
    status: str  # one of STATUSES
    reason: str  # a sentence for the Messages tab
    notify: bool = False  # send the "not authorised" notice (strangers: once, until approved)


def _tags(values: Iterable[Any] | None) -> set[str]:
    return {str(v).strip().casefold() for v in values or () if str(v).strip()}


def may_use(tags: Iterable[Any] | None, audience: Iterable[Any] | None) -> bool:
    """True when a trigger with this audience is open to a contact with these tags.

    An empty audience is open to every allowed contact; tags compare without case.
    """
    wanted = _tags(audience)
    return not wanted or bool(wanted & _tags(tags))


def _already_notified(contact: Mapping[str, Any]) -> bool:
    notified = contact.get("notified")
    return isinstance(notified, Mapping) and notified.get("access") is not None


def decide(
    contact: Mapping[str, Any] | None, operator: bool, audience: Iterable[Any] | None = None,
) -> AccessDecision:
    """May this sender use what they asked for?

    `contact` is the sender's contact (keys allowed, blocked, waiting, tags and notified as the
    contacts service gives them); `operator` is the workstation's own user (simulate without
    --sender), who may use everything; `audience` is the tags a trigger is limited to.
    """
    if operator:
        return AccessDecision(True, "ok", "The workstation operator may use everything.")
    if contact is None:
        return AccessDecision(False, "waiting",
                              "The sender is unknown and waits for approval in Contacts.",
                              notify=True)
    if contact.get("blocked"):
        return AccessDecision(False, "blocked", "The sender is blocked in Contacts.")
    if not contact.get("allowed"):
        notify = not _already_notified(contact)
        if contact.get("waiting"):
            reason = ("The sender waits for approval in Contacts and is told once that they "
                      "are not authorised." if notify else
                      "The sender still waits for approval in Contacts; they were told "
                      "before, so nothing was sent.")
            return AccessDecision(False, "waiting", reason, notify=notify)
        return AccessDecision(False, "unauthorized",
                              "The sender is not allowed to get data (see Contacts).",
                              notify=notify)
    if not may_use(contact.get("tags"), audience):
        wanted = ", ".join(sorted({str(a).strip() for a in audience or () if str(a).strip()}))
        # A known person is told every time: they are allowed, just not for this command.
        return AccessDecision(
            False, "unauthorized",
            f"This command is limited to contacts tagged {wanted}, and the sender has none "
            "of these tags.",
            notify=True,
        )
    return AccessDecision(True, "ok", "")
