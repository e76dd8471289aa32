"""When schedules run: the readable forms and cron, the sentences for what cannot run, wall-clock
times across daylight-saving changes, and quiet-hour windows across midnight."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.core import schedule_expr
from app.core.schedule_expr import in_window, next_run, next_runs, parse, window_end

BERLIN = ZoneInfo("Europe/Berlin")
JAKARTA = ZoneInfo("Asia/Jakarta")
SHIFTS = "every shift at 06:00, 14:00, 22:00"
# 2026: Berlin springs forward on Sunday 29 March (02:00 → 03:00) and falls back on
# Sunday 25 October (03:00 → 02:00).
SPRING = datetime(2026, 3, 29).date()
AUTUMN = datetime(2026, 10, 25).date()


def local(moments: list[datetime], zone=BERLIN) -> list[str]:
    return [m.astimezone(zone).strftime("%a %d %b %H:%M %Z") for m in moments]


def at(zone, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=zone)


# -- the forms people type ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "times", "weekdays_only", "shown"), [
    (SHIFTS, ["06:00", "14:00", "22:00"], False, "every day at 06:00, 14:00, 22:00"),
    ("Every Shift at 22:00, 06:00,14:00", ["06:00", "14:00", "22:00"], False,
     "every day at 06:00, 14:00, 22:00"),
    ("every shift at 06:00 14:00 22:00", ["06:00", "14:00", "22:00"], False,
     "every day at 06:00, 14:00, 22:00"),
    ("setiap shift jam 06.00, 14.00, 22.00", ["06:00", "14:00", "22:00"], False,
     "every day at 06:00, 14:00, 22:00"),
    ("weekdays at 07:30", ["07:30"], True, "weekdays at 07:30"),
    ("hari kerja pukul 7.30", ["07:30"], True, "weekdays at 07:30"),
    ("daily at 6:00 and 18:00", ["06:00", "18:00"], False, "every day at 06:00, 18:00"),
    ("every day at 12:00", ["12:00"], False, "every day at 12:00"),
    ("setiap hari jam 07:00 dan 19:00", ["07:00", "19:00"], False,
     "every day at 07:00, 19:00"),
    ("at 05:45", ["05:45"], False, "every day at 05:45"),
    ("every 2h", [f"{h:02d}:00" for h in range(0, 24, 2)], False,
     "every day, 12 times a day from 00:00"),
    ("setiap 8 jam", ["00:00", "08:00", "16:00"], False, "every day at 00:00, 08:00, 16:00"),
    ("every 6 hours", ["00:00", "06:00", "12:00", "18:00"], False,
     "every day at 00:00, 06:00, 12:00, 18:00"),
    ("every 90 minutes", [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 90)], False,
     "every day, 16 times a day from 00:00"),
    ("every 5 min", [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 5)], False,
     "every day, 288 times a day from 00:00"),
    ("setiap 30 menit", [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 30)], False,
     "every day, 48 times a day from 00:00"),
])
def test_every_readable_form_gives_its_times_of_day(text, times, weekdays_only, shown):
    plan = parse(text)
    assert [t.strftime("%H:%M") for t in plan.times] == times
    assert (plan.weekdays == frozenset(range(5))) is weekdays_only
    assert plan.cron is None
    assert plan.describe() == shown


def test_every_2h_runs_every_two_hours_of_the_wall_clock():
    runs = next_runs(parse("every 2h"), at(JAKARTA, 2026, 5, 4, 9, 15), JAKARTA, 4)
    assert local(runs, JAKARTA) == ["Mon 04 May 10:00 WIB", "Mon 04 May 12:00 WIB",
                                    "Mon 04 May 14:00 WIB", "Mon 04 May 16:00 WIB"]


@pytest.mark.parametrize("text", ["cron 0 6 * * 1-5", "CRON 0 6 * * 1-5", "0 6 * * 1-5",
                                  "cron  0  6 * *   1-5"])
def test_cron_with_or_without_the_word(text):
    plan = parse(text)
    assert plan.cron == "0 6 * * 1-5"
    assert plan.describe() == "cron 0 6 * * 1-5"
    # Friday 08:00 → Monday 06:00, then Tuesday 06:00 (UTC here, no zone games).
    runs = next_runs(plan, at(UTC, 2026, 5, 8, 8, 0), UTC, 2)
    assert local(runs, UTC) == ["Mon 11 May 06:00 UTC", "Tue 12 May 06:00 UTC"]


def test_next_runs_are_strictly_after_the_moment_given():
    plan = parse(SHIFTS)
    six = at(JAKARTA, 2026, 5, 4, 6, 0)
    assert next_run(plan, six, JAKARTA) == at(JAKARTA, 2026, 5, 4, 14, 0)
    assert next_run(plan, six - timedelta(seconds=1), JAKARTA) == six
    cron = parse("cron 0 6 * * *")
    assert next_run(cron, six, JAKARTA) == at(JAKARTA, 2026, 5, 5, 6, 0)


# -- what cannot run: the sentence people see ------------------------------------------------------

EXAMPLES = ("“every shift at 06:00, 14:00, 22:00”; “weekdays at 07:30”; “every 2h”; "
            "“cron 0 6 * * 1-5”.")


@pytest.mark.parametrize("text", ["whenever the shift changes", "monthly at 06:00",
                                  "weekends at 09:00", "06:00", "every shift", "at"])
def test_what_is_not_a_schedule_is_answered_with_examples(text):
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert str(caught.value) == (f"“{text}” is not a schedule this app understands. Write, for "
                                 f"example, {EXAMPLES}")


@pytest.mark.parametrize(("text", "sentence"), [
    ("", "Type when the schedule runs, for example “every shift at 06:00, 14:00, 22:00”."),
    ("   ", "Type when the schedule runs, for example “every shift at 06:00, 14:00, 22:00”."),
    ("every shift at 06:00, 25:00", "“25:00” is not a time of day; write times as HH:MM, such "
                                    "as 06:00 or 14:30."),
    ("weekdays at 7:75", "“7:75” is not a time of day; write times as HH:MM, such as 06:00 "
                         "or 14:30."),
    ("daily at noon", "“noon” is not a time of day; write times as HH:MM, such as 06:00 or "
                      "14:30."),
    ("every 2m", "A schedule may run at most every 5 minutes."),
    ("every 4 minutes", "A schedule may run at most every 5 minutes."),
    ("every 48h", "For less than once a day, write a cron expression such as “cron 0 7 * * 1” "
                  "(Mondays at 07:00)."),
])
def test_a_schedule_that_cannot_run_says_why(text, sentence):
    with pytest.raises(ValueError) as caught:
        parse(text)
    assert str(caught.value) == sentence


@pytest.mark.parametrize("expression", ["61 * * * *", "0 6 * * 1-9", "0 6 * *",
                                        "0 24 * * *", "0 6 32 * *"])
def test_a_bad_cron_expression_names_the_five_fields(expression):
    with pytest.raises(ValueError) as caught:
        parse(f"cron {expression}")
    message = str(caught.value)
    assert message.startswith(f"The cron expression “{expression}” is not valid (")
    assert message.endswith("five fields, minute hour day month weekday, such as "
                            "“0 6 * * 1-5”.")


@pytest.mark.parametrize("text", ["every day at 06.00, 18.00", "setiap hari jam 06.00 18.00"])
def test_dotted_times_in_five_words_are_still_a_readable_schedule(text):
    assert [t.strftime("%H:%M") for t in parse(text).times] == ["06:00", "18:00"]


# -- daylight-saving time -----------------------------------------------------------------------


def test_shift_times_stay_on_the_wall_clock_across_the_spring_change():
    runs = next_runs(parse(SHIFTS), at(BERLIN, 2026, 3, 28, 0, 0), BERLIN, 9)
    assert local(runs) == [
        "Sat 28 Mar 06:00 CET", "Sat 28 Mar 14:00 CET", "Sat 28 Mar 22:00 CET",
        "Sun 29 Mar 06:00 CEST", "Sun 29 Mar 14:00 CEST", "Sun 29 Mar 22:00 CEST",
        "Mon 30 Mar 06:00 CEST", "Mon 30 Mar 14:00 CEST", "Mon 30 Mar 22:00 CEST"]
    # The same wall-clock time is an hour earlier in UTC once summer time starts.
    assert runs[0].astimezone(UTC).hour == 5 and runs[3].astimezone(UTC).hour == 4
    # The night shift is 7 hours after the 22:00 run, not 8, on the night the clock jumps.
    assert runs[3] - runs[2] == timedelta(hours=7)


def test_shift_times_stay_on_the_wall_clock_across_the_autumn_change():
    runs = next_runs(parse(SHIFTS), at(BERLIN, 2026, 10, 24, 0, 0), BERLIN, 9)
    assert local(runs) == [
        "Sat 24 Oct 06:00 CEST", "Sat 24 Oct 14:00 CEST", "Sat 24 Oct 22:00 CEST",
        "Sun 25 Oct 06:00 CET", "Sun 25 Oct 14:00 CET", "Sun 25 Oct 22:00 CET",
        "Mon 26 Oct 06:00 CET", "Mon 26 Oct 14:00 CET", "Mon 26 Oct 22:00 CET"]
    assert runs[3] - runs[2] == timedelta(hours=9)


def test_a_time_the_spring_night_skips_runs_once_after_the_jump():
    runs = next_runs(parse("daily at 02:30"), at(BERLIN, 2026, 3, 28, 12, 0), BERLIN, 3)
    assert local(runs) == ["Sun 29 Mar 03:30 CEST", "Mon 30 Mar 02:30 CEST",
                           "Tue 31 Mar 02:30 CEST"]
    assert runs[0] == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # after 02:00 CET = 01:00 UTC


def test_a_time_the_autumn_night_shows_twice_runs_exactly_once():
    plan = parse("daily at 02:30")
    runs = next_runs(plan, at(BERLIN, 2026, 10, 24, 12, 0), BERLIN, 3)
    assert local(runs) == ["Sun 25 Oct 02:30 CEST", "Mon 26 Oct 02:30 CET",
                           "Tue 27 Oct 02:30 CET"]
    assert [r.astimezone(BERLIN).date() for r in runs].count(AUTUMN) == 1
    # Right after the first 02:30 has run, the second 02:30 (an hour later) is not a run:
    # the scheduler asks for the next run from the one it just did.
    assert next_run(plan, runs[0], BERLIN) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_hourly_runs_have_no_duplicate_and_no_gap_beyond_the_change():
    plan = parse("every 1h")
    spring = next_runs(plan, at(BERLIN, 2026, 3, 28, 23, 30), BERLIN, 24)
    on_the_day = [r for r in spring if r.astimezone(BERLIN).date() == SPRING]
    assert len(on_the_day) == 23  # 02:00 does not exist that night
    assert len(set(spring)) == len(spring)
    assert "Sun 29 Mar 03:00 CEST" in local(spring)
    assert all(r.astimezone(BERLIN).hour != 2 for r in on_the_day)
    autumn = next_runs(plan, at(BERLIN, 2026, 10, 24, 23, 30), BERLIN, 25)
    on_the_day = [r for r in autumn if r.astimezone(BERLIN).date() == AUTUMN]
    assert len(on_the_day) == 24  # 02:00 once, though the clock shows it twice
    assert local(on_the_day).count("Sun 25 Oct 02:00 CEST") == 1
    assert "Sun 25 Oct 02:00 CET" not in local(on_the_day)


def test_weekdays_skip_the_weekend_across_a_change():
    runs = next_runs(parse("weekdays at 07:30"), at(BERLIN, 2026, 3, 27, 8, 0), BERLIN, 3)
    assert local(runs) == ["Mon 30 Mar 07:30 CEST", "Tue 31 Mar 07:30 CEST",
                           "Wed 01 Apr 07:30 CEST"]


def test_cron_in_a_daylight_saving_zone_keeps_its_local_time():
    plan = parse("cron 0 6 * * *")
    runs = next_runs(plan, at(BERLIN, 2026, 3, 28, 0, 0), BERLIN, 3)
    assert local(runs) == ["Sat 28 Mar 06:00 CET", "Sun 29 Mar 06:00 CEST",
                           "Mon 30 Mar 06:00 CEST"]
    assert [r.astimezone(UTC).hour for r in runs] == [5, 4, 4]
    autumn = next_runs(plan, at(BERLIN, 2026, 10, 24, 0, 0), BERLIN, 3)
    assert [r.astimezone(UTC).hour for r in autumn] == [4, 5, 5]
    assert {r.astimezone(BERLIN).time() for r in autumn} == {time(6, 0)}


def test_cron_at_a_skipped_or_doubled_time_runs_once_that_night():
    plan = parse("cron 30 2 * * *")
    spring = next_runs(plan, at(BERLIN, 2026, 3, 28, 12, 0), BERLIN, 2)
    assert [r.astimezone(BERLIN).date() for r in spring] == [SPRING, SPRING + timedelta(1)]
    assert spring[0] >= datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # after the jump
    autumn = next_runs(plan, at(BERLIN, 2026, 10, 24, 12, 0), BERLIN, 2)
    assert [r.astimezone(BERLIN).date() for r in autumn] == [AUTUMN, AUTUMN + timedelta(1)]


def test_jakarta_has_no_daylight_saving_so_utc_times_never_move():
    plan = parse(SHIFTS)
    for start in (at(JAKARTA, 2026, 3, 28, 0, 0), at(JAKARTA, 2026, 10, 24, 0, 0),
                  at(JAKARTA, 2026, 12, 31, 0, 0)):
        runs = next_runs(plan, start, JAKARTA, 9)
        assert [r.astimezone(UTC).strftime("%H:%M") for r in runs] == [
            "23:00", "07:00", "15:00"] * 3
        assert {r.astimezone(JAKARTA).strftime("%H:%M") for r in runs} == {
            "06:00", "14:00", "22:00"}
        assert all(b - a == timedelta(hours=8) for a, b in zip(runs, runs[1:], strict=False))


# -- quiet hours -------------------------------------------------------------------------------

NIGHT = {"start": "22:00", "end": "06:00"}


@pytest.mark.parametrize(("clock", "inside"), [
    ("21:59", False), ("22:00", True), ("23:30", True), ("00:00", True), ("03:15", True),
    ("05:59", True), ("06:00", False), ("12:00", False),
])
def test_a_window_across_midnight(clock, inside):
    hour, minute = map(int, clock.split(":"))
    now = at(JAKARTA, 2026, 5, 4, hour, minute)
    assert in_window(now, NIGHT, JAKARTA) is inside
    # The same instant seen from UTC: the window is the Jakarta wall clock, not UTC's.
    assert in_window(now.astimezone(UTC), NIGHT, JAKARTA) is inside


def test_a_daytime_window_and_windows_that_are_no_window():
    lunch = {"start": "12:00", "end": "13:00"}
    assert in_window(at(JAKARTA, 2026, 5, 4, 12, 30), lunch, JAKARTA)
    assert not in_window(at(JAKARTA, 2026, 5, 4, 13, 0), lunch, JAKARTA)
    assert not in_window(at(JAKARTA, 2026, 5, 4, 23, 0), lunch, JAKARTA)
    for window in (None, {}, {"start": "22:00"}, {"start": "22:00", "end": "22:00"},
                   {"start": "late", "end": "06:00"}):
        assert not in_window(at(JAKARTA, 2026, 5, 4, 23, 0), window, JAKARTA)


def test_a_window_across_midnight_ends_the_next_morning():
    assert window_end(at(JAKARTA, 2026, 5, 4, 23, 0), NIGHT, JAKARTA) == at(
        JAKARTA, 2026, 5, 5, 6, 0)
    assert window_end(at(JAKARTA, 2026, 5, 5, 2, 0), NIGHT, JAKARTA) == at(
        JAKARTA, 2026, 5, 5, 6, 0)


def test_cron_cannot_run_more_often_than_every_five_minutes():
    for text in ("cron * * * * *", "cron */2 * * * *"):
        with pytest.raises(ValueError, match="at most every 5 minutes"):
            schedule_expr.parse(text)
    with pytest.raises(ValueError, match="6 fields"):
        schedule_expr.parse("cron * * * * * *")
    assert schedule_expr.parse("cron */5 * * * *").cron == "*/5 * * * *"
