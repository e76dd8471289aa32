"""Group chats as audiences: approval, the one notice, and the group's own tags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.access import check_audience, decide_group, group_may_receive

NEW = {"allowed": False, "blocked": False, "waiting": False, "tags": [], "notified": {}}
OPS_ROOM = {"allowed": True, "blocked": False, "waiting": False, "tags": ["Ops"],
            "notified": {}}
TOLD = datetime(2026, 12, 1, tzinfo=UTC)


def test_a_group_nobody_approved_is_told_once_then_nothing():
    first = decide_group(NEW)
    assert (first.allowed, first.status, first.notify) == (False, "waiting", True)
    assert "waits for approval in Contacts" in first.reason
    again = decide_group({**NEW, "waiting": True, "notified": {"access": TOLD}})
    assert (again.allowed, again.status, again.notify) == (False, "waiting", False)
    assert "nothing was sent" in again.reason


def test_an_unknown_group_waits_too():
    assert (decide_group(None).allowed, decide_group(None).status) == (False, "waiting")


def test_a_blocked_group_gets_nothing_not_even_the_notice():
    for group in ({**OPS_ROOM, "blocked": True}, {**NEW, "blocked": True}):
        decision = decide_group(group)
        assert (decision.allowed, decision.status, decision.notify) == (False, "blocked", False)
        assert "blocked in Contacts" in decision.reason


def test_an_approved_group_may_be_answered():
    assert decide_group(OPS_ROOM).allowed


@pytest.mark.parametrize("audience, sender, group, refused_by", [
    ([], [], [], ""),  # nothing limits the trigger
    (["ops"], ["ops"], ["OPS"], ""),  # both have it (tags compare without case)
    (["ops", "lab"], ["ops"], ["lab"], ""),  # each has one of the audience's tags
    (["ops"], ["ops"], [], "group"),  # everyone in the group would read it
    (["ops"], [], ["ops"], "sender"),  # the group may read it, but the sender may not ask
    (["ops"], [], [], "group"),  # the group is named first
    (["ops"], None, [], "group"),  # not even the operator posts it into that group
    (["ops"], ["lab"], None, "sender"),  # a private chat: the sender alone decides
    (["ops"], None, None, ""),  # the operator outside any group
])
def test_a_trigger_limited_to_tags_needs_the_group_and_the_sender(audience, sender, group,
                                                                   refused_by):
    check = check_audience(audience, sender, group)
    assert (check.allowed, check.refused_by) == (not refused_by, refused_by)
    if refused_by == "group":
        assert check.reason == ("This command is limited to groups tagged ops; this group has "
                                "none of these tags.")
    if refused_by == "sender":
        assert "the sender has none of these tags" in check.reason


def test_alarms_and_schedules_reach_only_an_approved_group_with_the_triggers_tags():
    assert group_may_receive(OPS_ROOM) is None
    assert group_may_receive(OPS_ROOM, [["ops"], ["ops", "lab"]]) is None
    assert group_may_receive(OPS_ROOM, [["ops"], ["lab"]]) == (
        "has none of the tags lab its trigger is limited to")
    assert group_may_receive(NEW) == "is not approved in Contacts"
    assert group_may_receive(None) == "is not approved in Contacts (the bot has not seen it yet)"
    assert group_may_receive({**OPS_ROOM, "blocked": True}) == "is blocked in Contacts"
