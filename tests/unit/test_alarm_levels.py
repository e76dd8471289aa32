"""An alarm level's channels and delivery timeout as the alarm services read and check them."""

from __future__ import annotations

import math

from app.services.alarm_config import clean_config, config_problems, levels_of

BASE = {"condition": "above", "high": 45}


def test_a_level_without_channels_is_whatsapp_and_both_timeouts_are_kept():
    levels = levels_of({"recipients": [
        {"tags": ["ops"]},
        {"after_min": 15, "undelivered_min": 5, "tags": ["leads"],
         "channels": ["email", "whatsapp"]},
        {"undelivered_min": 10, "tags": ["manager"], "channels": ["email"]}]})
    assert [lv["channels"] for lv in levels] == [["whatsapp"], ["whatsapp", "email"], ["email"]]
    assert [lv["undelivered_min"] for lv in levels] == [None, 5.0, 10.0]
    # A level told only when not delivered never waits for an acknowledgement timeout.
    assert levels[1]["after_min"] == 15.0 and math.isinf(levels[2]["after_min"])


def test_the_checks_refuse_unknown_channels_and_a_level_with_no_timeout():
    problems = config_problems({**BASE, "recipients": [
        {"tags": ["ops"], "channels": ["sms"]},
        {"tags": ["leads"]},
        {"tags": ["manager"], "undelivered_min": -1}]}, lambda _phone: True)
    assert "Level 1: channels are whatsapp, email or both." in problems
    assert ("Level 2: give after how many minutes without acknowledgement it is told."
            in problems)
    assert "Level 3: the delivery timeout must be a number of minutes above 0." in problems
    assert config_problems({**BASE, "recipients": [
        {"tags": ["ops"], "channels": ["email"]},
        {"tags": ["leads"], "undelivered_min": 5}]}, lambda _phone: True) == []


def test_saving_keeps_what_was_chosen_and_leaves_the_default_out():
    cleaned = clean_config({**BASE, "recipients": [
        {"tags": ["ops"], "channels": ["whatsapp"]},
        {"tags": ["leads"], "undelivered_min": "5", "channels": ["email", "whatsapp"]}]})
    assert cleaned["recipients"] == [
        {"contacts": [], "tags": ["ops"], "groups": []},
        {"undelivered_min": 5.0, "contacts": [], "tags": ["leads"], "groups": [],
         "channels": ["whatsapp", "email"]}]
