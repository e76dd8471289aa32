"""Who may get data: allowed contacts, one notice for strangers, audience tags; and where it
may be posted: a group chat is an audience of its own, approved and tagged like a contact,
because everyone in the group reads what the bot answers there."""

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


def _shown(audience: Iterable[Any] | None) -> str:
    return ", ".join(sorted({str(a).strip() for a in audience or () if str(a).strip()}))


def decide_group(group: Mapping[str, Any] | None) -> AccessDecision:
    """May the bot post anything in this group chat at all?

    `group` is the group's contact row (keys allowed, blocked and notified, as the contacts
    service gives them); None is a group nobody has seen yet. Until an administrator approves
    it in Contacts the group hears once that it waits for approval (`notify`), then nothing;
    a blocked group hears nothing.
    """
    if group is not None and group.get("blocked"):
        return AccessDecision(False, "blocked",
                              "This group chat is blocked in Contacts, so nothing is posted "
                              "in it.")
    if group is None or not group.get("allowed"):
        if group is not None and _already_notified(group):
            return AccessDecision(False, "waiting",
                                  "This group chat waits for approval in Contacts; the group "
                                  "was told before, so nothing was sent.")
        return AccessDecision(False, "waiting",
                              "This group chat waits for approval in Contacts; the group is "
                              "told once that an administrator must approve it.", notify=True)
    return AccessDecision(True, "ok", "")


@dataclass(frozen=True)
class AudienceCheck:
    allowed: bool
    refused_by: str = ""  # "group" (the chat lacks the tags) or "sender"; "" when allowed
    reason: str = ""  # a sentence for the Messages tab
    wanted: str = ""  # the audience's tags as people read them ("ops, shift-a")


def check_audience(audience: Iterable[Any] | None, sender_tags: Iterable[Any] | None,
                   group_tags: Iterable[Any] | None = None) -> AudienceCheck:
    """May a trigger limited to `audience` be answered here?

    `sender_tags` None is the workstation operator (who may use everything); `group_tags` None
    means a private chat. In a group both must have one of the audience's tags: the group,
    because everyone in it reads the answer, and the sender, who asked. The group is named
    first when both lack them: no one may have that answer posted there.
    """
    wanted = _shown(audience)
    if group_tags is not None and not may_use(group_tags, audience):
        return AudienceCheck(False, "group",
                             f"This command is limited to groups tagged {wanted}; this group "
                             "has none of these tags.", wanted)
    if sender_tags is not None and not may_use(sender_tags, audience):
        return AudienceCheck(False, "sender",
                             f"This command is limited to contacts tagged {wanted}, and the "
                             "sender has none of these tags.", wanted)
    return AudienceCheck(True)


def group_may_receive(group: Mapping[str, Any] | None,
                      audiences: Iterable[Iterable[Any] | None] = ()) -> str | None:
    """None when an alarm or a schedule may be posted in this group, else why not (a sentence).

    `audiences` are the tags each trigger behind the message is limited to (one for a trigger,
    one per member for a trigger group): the group must have one tag of every one of them.
    """
    if group is None:
        return "is not approved in Contacts (the bot has not seen it yet)"
    if group.get("blocked"):
        return "is blocked in Contacts"
    if not group.get("allowed"):
        return "is not approved in Contacts"
    for audience in audiences:
        if not may_use(group.get("tags"), audience):
            return f"has none of the tags {_shown(audience)} its trigger is limited to"
    return None
