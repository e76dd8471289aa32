"""Access: allowed contacts get data, strangers wait and hear once, tags limit triggers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from app.core.access import decide, may_use

STRANGER = {"allowed": False, "blocked": False, "waiting": True, "tags": [], "notified": {}}
FRIEND = {"allowed": True, "blocked": False, "waiting": False, "tags": ["Boiler", "shift-a"],
          "notified": {}}


def test_the_operator_may_use_everything():
    for contact in (None, STRANGER, {**FRIEND, "blocked": True}):
        decision = decide(contact, operator=True, audience=["management"])
        assert (decision.allowed, decision.status, decision.notify) == (True, "ok", False)


def test_an_unknown_sender_waits_and_is_told_once():
    first = decide(STRANGER, operator=False, audience=[])
    assert (first.allowed, first.status, first.notify) == (False, "waiting", True)
    assert "approval" in first.reason
    told = {**STRANGER, "notified": {"access": datetime(2025, 11, 3, tzinfo=UTC)}}
    again = decide(told, operator=False, audience=[])
    assert (again.allowed, again.status, again.notify) == (False, "waiting", False)
    assert "nothing was sent" in again.reason


def test_a_sender_without_a_contact_row_is_a_stranger():
    decision = decide(None, operator=False)
    assert (decision.status, decision.notify) == ("waiting", True)


def test_a_contact_neither_allowed_nor_waiting_is_unauthorised_once():
    contact = {**STRANGER, "waiting": False}
    assert (decide(contact, False).status, decide(contact, False).notify) == (
        "unauthorized", True)
    told = {**contact, "notified": {"access": datetime(2025, 11, 3, tzinfo=UTC)}}
    assert decide(told, False).notify is False


def test_a_blocked_contact_gets_nothing_even_when_allowed():
    decision = decide({**FRIEND, "blocked": True}, operator=False)
    assert (decision.allowed, decision.status, decision.notify) == (False, "blocked", False)


@pytest.mark.parametrize("audience, allowed", [
    ([], True), (None, True), (["boiler"], True), ([" SHIFT-A "], True),
    (["management", "boiler"], True), (["management"], False), (["", " "], True),
])
def test_audience_tags_limit_a_trigger(audience, allowed):
    decision = decide(FRIEND, operator=False, audience=audience)
    assert decision.allowed is allowed
    if not allowed:
        assert decision.status == "unauthorized" and decision.notify
        assert "management" in decision.reason


def test_audience_never_opens_a_trigger_to_a_stranger_with_the_tag():
    decision = decide({**STRANGER, "tags": ["boiler"]}, operator=False, audience=["boiler"])
    assert not decision.allowed and decision.status == "waiting"


def test_may_use_compares_tags_without_case():
    assert may_use(["Boiler"], ["boiler"])
    assert may_use([], [])
    assert not may_use([], ["boiler"])
    assert not may_use(["turbine"], ["boiler"])


def test_no_one_but_an_allowed_contact_gets_data():
    not_allowed = {**STRANGER, "waiting": False}
    for contact in (None, STRANGER, not_allowed, {**FRIEND, "blocked": True}):
        assert decide(contact, operator=False).allowed is False
    assert decide(None, operator=False).status == "waiting"
    assert decide(not_allowed, operator=False).status == "unauthorized"


def test_a_decision_cannot_be_changed_by_whoever_receives_it():
    decision = decide(None, operator=False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.allowed = True
