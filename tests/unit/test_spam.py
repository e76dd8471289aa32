"""Spam policy: floods mute with one notice, repeats are ignored, long texts refused once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from app.core import spam
from app.core.spam import SpamSettings, SpamVerdict, check

T0 = datetime(2025, 11, 3, 7, 0, 0, tzinfo=UTC)
DEFAULTS = SpamSettings()


class Sender:
    """What the pipeline keeps for one sender: its messages with their statuses, mute, notice."""

    def __init__(self, settings: SpamSettings = DEFAULTS) -> None:
        self.settings = settings
        self.history: list[tuple[datetime, str, str]] = []
        self.muted_until: datetime | None = None
        self.notified: datetime | None = None
        self.blocked = False
        self.notices = 0

    def send(self, text: str, now: datetime) -> SpamVerdict:
        since = now - timedelta(seconds=self.settings.history_s)
        recent = [h for h in self.history if h[0] >= since]
        verdict = check(text, now, recent, self.muted_until, self.blocked, self.settings,
                        self.notified)
        if verdict.mute_until:
            self.muted_until = verdict.mute_until
        if verdict.notify:
            self.notices += 1
            self.notified = now
        self.history.append((now, text, "answered" if verdict.allowed else verdict.status))
        return verdict


def test_a_flood_mutes_after_the_limit_with_exactly_one_notice():
    sender = Sender()
    verdicts = [sender.send(f"demo {i}", T0 + timedelta(seconds=i * 0.2)) for i in range(50)]
    assert [v.allowed for v in verdicts[:5]] == [True] * 5
    assert verdicts[5].status == "spam"
    assert verdicts[5].mute_until == T0 + timedelta(seconds=1, minutes=5)
    assert "muted for 5 minutes" in verdicts[5].reason
    assert {v.status for v in verdicts[6:]} == {"muted"}
    assert sender.notices == 1 and verdicts[5].notify
    assert all(v.reason for v in verdicts[5:])


def test_the_sender_is_heard_again_once_the_mute_is_over():
    sender = Sender()
    for i in range(7):
        sender.send(f"demo {i}", T0 + timedelta(seconds=i))
    assert sender.send("demo", sender.muted_until - timedelta(seconds=1)).status == "muted"
    # The text sent while muted was never answered, so sending it again is no repeat.
    after = sender.send("demo", sender.muted_until + timedelta(seconds=1))
    assert after.allowed
    assert sender.notices == 1


def test_a_served_mute_wipes_the_slate_even_with_a_long_window():
    sender = Sender(SpamSettings(max_commands=2, window_s=3600, mute_minutes=1))
    for i in range(3):
        sender.send(f"q{i}", T0 + timedelta(seconds=i))
    assert sender.muted_until is not None
    assert sender.send("q again", sender.muted_until + timedelta(seconds=5)).allowed


def test_commands_spread_over_more_than_the_window_are_fine():
    sender = Sender()
    verdicts = [sender.send(f"demo {i}", T0 + timedelta(seconds=13 * i)) for i in range(30)]
    assert all(v.allowed for v in verdicts)


def test_the_same_text_ten_times_is_ignored_after_the_first_without_a_notice():
    sender = Sender()
    verdicts = [sender.send("demo" if i % 2 else " Demo ", T0 + timedelta(seconds=i))
                for i in range(10)]
    assert verdicts[0].allowed
    assert {v.status for v in verdicts[1:]} == {"repeat"}
    assert sender.notices == 0 and sender.muted_until is None
    assert "repeats within 10 s" in verdicts[1].reason
    # Repeats are no commands: the sender is not muted, and asks again after the pause.
    assert sender.send("demo", T0 + timedelta(seconds=20)).allowed


def test_a_repeat_window_of_zero_turns_the_rule_off():
    sender = Sender(SpamSettings(repeat_window_s=0))
    assert sender.send("demo", T0).allowed
    assert sender.send("demo", T0 + timedelta(seconds=1)).allowed


def test_a_100_kb_message_is_refused_with_one_notice_per_window():
    sender = Sender()
    huge = "x" * 100 * 1024
    first = sender.send(huge, T0)
    assert (first.allowed, first.status, first.notify) == (False, "too_long", True)
    assert "102,400 characters" in first.reason and "2,000" in first.reason
    second = sender.send(huge + "y", T0 + timedelta(seconds=20))
    assert (second.status, second.notify) == ("too_long", False)
    later = sender.send(huge + "z", T0 + timedelta(seconds=90))
    assert (later.status, later.notify) == ("too_long", True)
    assert sender.send("x" * 2000, T0 + timedelta(seconds=100)).allowed


def test_a_blocked_sender_gets_nothing_whatever_they_send():
    sender = Sender()
    sender.blocked = True
    verdicts = [sender.send("x" * 5000 if i == 3 else f"demo {i}", T0 + timedelta(seconds=i))
                for i in range(20)]
    assert {(v.status, v.notify, v.allowed) for v in verdicts} == {("blocked", False, False)}
    assert sender.muted_until is None


def test_emoji_rtl_and_zero_width_text_count_as_characters():
    text = "🔥 الضغط\u200b" * 250  # 8 characters each: 2,000 in all
    assert len(text) == 2000
    assert check(text, T0, [], None, False, DEFAULTS, None).allowed


def test_stored_history_gives_the_same_verdict_as_memory():
    # The database keeps whole seconds; a restart must not turn a mute into a second notice.
    sender = Sender()
    for i in range(6):
        sender.send(f"demo {i}", T0 + timedelta(seconds=i, microseconds=400_000))
    stored = [(when.replace(microsecond=0), text, status) for when, text, status in
              sender.history]
    now = T0 + timedelta(seconds=7, microseconds=100_000)
    from_memory = check("demo 7", now, sender.history, sender.muted_until, False, DEFAULTS,
                        sender.notified)
    from_disk = check("demo 7", now, stored, sender.muted_until.replace(microsecond=0), False,
                      DEFAULTS, sender.notified.replace(microsecond=0))
    # The mute as the pipeline got it, the notice time as the database gave it back.
    mixed = check("demo 7", now, stored, sender.muted_until, False, DEFAULTS,
                  sender.notified.replace(microsecond=0))
    assert from_memory == from_disk == mixed
    assert (from_disk.status, from_disk.notify) == ("muted", False)


def test_a_mute_whose_notice_was_sent_but_not_stored_is_not_announced_twice():
    # Stopped after the notice went out but before the mute was stored: the history still shows
    # the burst, so the sender is muted again, silently.
    history = [(T0 + timedelta(seconds=i), f"demo {i}", "answered") for i in range(5)]
    history.append((T0 + timedelta(seconds=5), "demo 5", "spam"))
    verdict = check("demo 6", T0 + timedelta(seconds=6), history, None, False, DEFAULTS,
                    T0 + timedelta(seconds=5))
    assert (verdict.status, verdict.notify) == ("spam", False)


def test_a_stored_mute_whose_notice_never_went_out_is_announced_once():
    until = T0 + timedelta(minutes=5)
    verdict = check("demo", T0 + timedelta(seconds=30), [], until, False, DEFAULTS, None)
    assert (verdict.status, verdict.notify) == ("muted", True)
    told = check("demo", T0 + timedelta(seconds=31), [], until, False, DEFAULTS,
                 T0 + timedelta(seconds=30))
    assert (told.status, told.notify) == ("muted", False)


def test_a_notice_about_a_long_text_does_not_swallow_the_mute_notice():
    sender = Sender()
    assert sender.send("x" * 3000, T0).notify
    verdicts = [sender.send(f"demo {i}", T0 + timedelta(seconds=1 + i)) for i in range(6)]
    assert verdicts[-1].status == "spam" and verdicts[-1].notify
    assert sender.notices == 2


def test_refused_messages_do_not_count_towards_the_limit():
    history = [(T0 + timedelta(seconds=i), f"t{i}", status) for i, status in
               enumerate(["repeat", "too_long", "muted", "spam", "blocked", "answered"])]
    assert check("next", T0 + timedelta(seconds=10), history, None, False, DEFAULTS,
                 None).allowed


def test_old_rows_and_undecided_messages_count_as_commands():
    # Rows of the old system say "sent"; a message a crash left undecided says "received".
    history = [(T0 + timedelta(seconds=i), f"t{i}", s) for i, s in
               enumerate(["sent", "received", "unauthorized", "answered", "unknown_command"])]
    assert check("next", T0 + timedelta(seconds=10), history, None, False, DEFAULTS,
                 None).status == "spam"


def test_settings_come_from_the_spam_category_or_from_all_settings():
    assert SpamSettings.from_settings(None) == DEFAULTS
    flat = SpamSettings.from_settings({"max_commands": "3", "window_s": 30, "mute_minutes": 2,
                                       "repeat_window_s": "0", "max_length": 500})
    assert (flat.max_commands, flat.window_s, flat.mute_minutes, flat.repeat_window_s,
            flat.max_length) == (3, 30, 2, 0, 500)
    nested = SpamSettings.from_settings({"spam": {"max_commands": 7}, "outbox": {}})
    assert nested.max_commands == 7 and nested.window_s == 60
    # A bad value never switches protection off: it falls back to the default.
    broken = SpamSettings.from_settings({"max_commands": "lots", "window_s": 0})
    assert (broken.max_commands, broken.window_s) == (5, 60)
    assert SpamSettings.from_settings({"notice_text": " Pelan-pelan. "}).notice_text == \
        "Pelan-pelan."
    assert SpamSettings(window_s=5, repeat_window_s=30).history_s == 30


OLD = {
    "windowSeconds": "6", "maxMessagesPerWindow": "1", "warningThreshold": "3",
    "warningMessage": "⚠️ Mohon jangan mengirim pesan terlalu cepat.", "cooldownMinutes": "1",
    "enabled": "true", "lastUpdated": "2025-10-25T04:12:55.321Z",
}


def test_the_old_thresholds_are_described_not_applied():
    note = spam.legacy_settings_note(OLD)
    assert "more than 1 message within 6 seconds" in note
    assert "from message 3 on" in note
    assert "not applied" in note
    assert "5 commands in 60 seconds" in note
    assert "Mohon jangan mengirim pesan terlalu cepat." in note
    assert spam.legacy_notice_text(OLD) == "⚠️ Mohon jangan mengirim pesan terlalu cepat."


@pytest.mark.parametrize("old, expected", [
    ({}, ""),
    ({"windowSeconds": "ten"}, "'ten' seconds"),
    ({"maxMessagesPerWindow": "2"}, "more than 2 messages within 6 seconds"),
    ({"enabled": "false"}, "detection was off"),
])
def test_odd_old_settings_still_give_a_readable_note(old, expected):
    note = spam.legacy_settings_note(old)
    assert expected in note
    assert spam.legacy_notice_text(old) is None


def test_a_mute_notice_uses_the_sites_own_text_when_there_is_one():
    muted = check("x", T0, [(T0 - timedelta(seconds=i + 1), f"t{i}", "answered")
                            for i in range(5)], None, False, DEFAULTS, None)
    assert muted.status == "spam" and muted.notify
    site = SpamSettings(notice_text=spam.legacy_notice_text(OLD) or "")
    assert spam.notice_text(muted, "id", site) == "⚠️ Mohon jangan mengirim pesan terlalu cepat."


@pytest.mark.parametrize("lang", ["id", "en"])
def test_notices_come_in_the_reply_language(lang):
    from app.core.i18n import TEXTS

    if not {"spam_muted", "spam_too_long"} <= set(TEXTS["en"]):
        pytest.skip("app/core/i18n.py has no spam_muted / spam_too_long sentences yet")
    too_long = check("x" * 3000, T0, [], None, False, DEFAULTS, None)
    assert "2,000" in spam.notice_text(too_long, lang)
    muted = SpamVerdict(False, "spam", "r", T0, True)
    assert "5" in spam.notice_text(muted, lang, SpamSettings())


def test_a_refusal_for_access_does_not_make_the_same_command_a_repeat():
    # Approved right after the "not authorised" notice, the person sends "demo" again at once.
    history = [(T0, "demo", "waiting")]
    assert check("demo", T0 + timedelta(seconds=3), history, None, False, DEFAULTS,
                 None).allowed


# -- the edges of each window, to the second --------------------------------------------------


def test_a_flood_is_refused_not_answered():
    sender = Sender()
    verdicts = [sender.send(f"demo {i}", T0 + timedelta(seconds=i)) for i in range(6)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False]


def test_commands_in_the_same_second_count_and_the_window_start_does_not():
    sender = Sender()
    for i in range(5):
        assert sender.send(f"demo {i}", T0).allowed
    assert sender.send("demo 5", T0).status == "spam"  # six in one second
    calm = Sender()
    for i in range(5):
        calm.send(f"demo {i}", T0)
    # Exactly a window later the first five have left it.
    assert calm.send("demo 5", T0 + timedelta(seconds=DEFAULTS.window_s)).allowed


def test_at_the_end_of_a_mute_the_sender_is_heard():
    end = T0 + timedelta(minutes=5)
    assert check("demo", end, [], end, False, DEFAULTS, T0).allowed
    assert check("demo", end - timedelta(seconds=1), [], end, False, DEFAULTS, T0).status \
        == "muted"


def test_a_repeat_counts_from_the_same_second_to_the_edge_of_its_window():
    same_second = Sender()
    assert same_second.send("demo", T0).allowed
    assert same_second.send("demo", T0).status == "repeat"
    edge = Sender()
    edge.send("demo", T0)
    assert edge.send("demo", T0 + timedelta(seconds=DEFAULTS.repeat_window_s)).status == "repeat"
    assert edge.send("demo", T0 + timedelta(seconds=2 * DEFAULTS.repeat_window_s + 1)).allowed


def test_a_repeat_window_of_zero_is_off_even_within_one_second_and_one_second_is_on():
    off = Sender(SpamSettings(repeat_window_s=0))
    assert off.send("demo", T0).allowed and off.send("demo", T0).allowed
    short = Sender(SpamSettings(repeat_window_s=1))
    short.send("demo", T0)
    assert short.send("demo", T0 + timedelta(seconds=1)).status == "repeat"


def test_a_long_text_notice_comes_again_exactly_a_window_later():
    huge = "x" * (DEFAULTS.max_length + 1)
    later = T0 + timedelta(seconds=DEFAULTS.window_s)
    assert check(huge, later, [], None, False, DEFAULTS, T0).notify
    assert not check(huge, later - timedelta(seconds=1), [], None, False, DEFAULTS, T0).notify


def test_a_notice_sent_during_the_burst_is_not_sent_again_with_the_mute():
    burst = [(T0 + timedelta(seconds=s), f"demo {s}", "answered") for s in (1, 3, 4, 5, 6)]
    now = T0 + timedelta(seconds=7)
    for notified in (T0 + timedelta(seconds=1), T0 + timedelta(seconds=2)):
        verdict = check("demo 7", now, burst, None, False, DEFAULTS, notified)
        assert (verdict.status, verdict.notify) == ("spam", False)
    verdict = check("demo 7", now, burst, None, False, DEFAULTS, T0)
    assert (verdict.status, verdict.notify) == ("spam", True)


def test_old_settings_without_numbers_are_described_with_the_old_defaults():
    note = spam.legacy_settings_note({"enabled": "true"})
    assert "more than 1 message within 6 seconds" in note
    assert "from message 3 on (cooldown 1 minute;" in note


def test_settings_and_verdicts_cannot_be_changed_by_whoever_receives_them():
    verdict = check("demo", T0, [], None, True, DEFAULTS, None)
    for value, field in ((DEFAULTS, "max_commands"), (verdict, "allowed")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, field, 1)
