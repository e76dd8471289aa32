"""When a schedule runs: readable expressions ("every shift at 06:00, 14:00, 22:00",
"weekdays at 07:30", "every 2h") and five-field cron, on the workstation's wall clock.

Times are wall-clock times in a zone, so a run at 06:00 stays at 06:00 across a change of
daylight-saving time: a time that does not exist that night (the clock jumps over it) runs when
the clock lands after the jump; a time that happens twice (the clock goes back) runs once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from cronsim import CronSim, CronSimError

MIN_EVERY = timedelta(minutes=5)
# A cron field: numbers, * / , - and month or weekday names (jan, mon-fri); "06.00" is a time.
_CRON_FIELD = re.compile(r"^(?:[0-9*/,\-?]+|[a-z]{3}(?:[-,][a-z]{3})*)$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_EVERY = re.compile(r"^(?:every|setiap)\s+(\d+)\s*(m|min|mins|minutes?|menit|h|hours?|jam)$")
_DAYS = {"daily": None, "every day": None, "setiap hari": None, "every shift": None,
         "setiap shift": None, "weekdays": frozenset(range(5)), "hari kerja": frozenset(range(5)),
         "": None}
EXAMPLES = ("every shift at 06:00, 14:00, 22:00", "weekdays at 07:30", "every 2h",
            "cron 0 6 * * 1-5")


@dataclass(frozen=True)
class Plan:
    text: str
    times: tuple[time, ...] = ()  # wall-clock times of a day, sorted
    weekdays: frozenset[int] | None = None  # Monday = 0; None: every day
    cron: str | None = None

    def describe(self) -> str:
        if self.cron:
            return f"cron {self.cron}"
        days = "weekdays" if self.weekdays == frozenset(range(5)) else "every day"
        shown = ", ".join(t.strftime("%H:%M") for t in self.times)
        return f"{days} at {shown}" if len(self.times) <= 8 else \
            f"{days}, {len(self.times)} times a day from {self.times[0]:%H:%M}"


def _problem(text: str) -> ValueError:
    return ValueError(f"“{text}” is not a schedule this app understands. Write, for example, "
                      + "; ".join(f"“{e}”" for e in EXAMPLES) + ".")


def parse(text: str) -> Plan:
    """A Plan from what the engineer typed; ValueError with a sentence when it cannot run."""
    raw = " ".join((text or "").split())
    lowered = raw.lower()
    if not lowered:
        raise ValueError("Type when the schedule runs, for example “every shift at 06:00, "
                         "14:00, 22:00”.")
    fields = lowered.removeprefix("cron ").split()
    if lowered.startswith("cron ") or (len(fields) == 5 and all(_CRON_FIELD.match(f)
                                                                 for f in fields)):
        expression = " ".join(fields)
        problem = "" if len(fields) == 5 else f"{len(fields)} fields"
        if not problem:
            try:
                sim = CronSim(expression, datetime(2026, 1, 5, tzinfo=UTC))
                runs = [next(sim) for _ in range(4)]
            except (CronSimError, ValueError, StopIteration) as exc:
                problem = str(exc) or "it never runs"
            else:
                if min(b - a for a, b in zip(runs, runs[1:], strict=False)) < MIN_EVERY:
                    raise ValueError(f"“{expression}” runs more often than every 5 minutes; "
                                     "a schedule may run at most every 5 minutes.")
        if problem:
            raise ValueError(f"The cron expression “{expression}” is not valid ({problem}): "
                             "five fields, minute hour day month weekday, such as "
                             "“0 6 * * 1-5”.")
        return Plan(raw, cron=expression)
    every = _EVERY.match(lowered)
    if every:
        amount = int(every.group(1))
        step = timedelta(hours=amount) if every.group(2)[0] in "hj" else \
            timedelta(minutes=amount)
        if step < MIN_EVERY:
            raise ValueError("A schedule may run at most every 5 minutes.")
        if step > timedelta(hours=24):
            raise ValueError("For less than once a day, write a cron expression such as "
                             "“cron 0 7 * * 1” (Mondays at 07:00).")
        times, moment = [], timedelta(0)
        while moment < timedelta(hours=24):
            times.append((datetime.min + moment).time())
            moment += step
        return Plan(raw, times=tuple(times))
    match = re.match(r"^(.*?)\s*\b(?:at|jam|pukul)\s+(.+)$", lowered)
    if not match:
        raise _problem(raw)
    days, listed = match.group(1).strip(), match.group(2)
    if days not in _DAYS:
        raise _problem(raw)
    times = set()
    for item in re.split(r"[,\s]+(?:and\s+|dan\s+)?", listed.strip()):
        if not item:
            continue
        found = _TIME.match(item)
        if not found:
            raise ValueError(f"“{item}” is not a time of day; write times as HH:MM, such as "
                             "06:00 or 14:30.")
        times.add(time(int(found.group(1)), int(found.group(2))))
    if not times:
        raise _problem(raw)
    return Plan(raw, times=tuple(sorted(times)), weekdays=_DAYS[days])


def _wall(day: date, at: time, zone: tzinfo) -> datetime:
    """The instant a wall clock in `zone` shows `at` on `day` (first time if it shows it twice;
    just after the jump if it never shows it)."""
    moment = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        # Not on the clock that night: the same number of minutes after the jump begins.
        return back.astimezone(UTC)
    return moment.astimezone(UTC)


def next_runs(plan: Plan, after: datetime, zone: tzinfo, count: int = 1) -> list[datetime]:
    """The next `count` run times strictly after `after`, as aware UTC datetimes."""
    if after.tzinfo is None:
        raise ValueError("`after` must be an aware datetime")
    out: list[datetime] = []
    if plan.cron:
        sim = CronSim(plan.cron, after.astimezone(zone))
        while len(out) < count:
            moment = next(sim).astimezone(UTC)
            if moment > after and (not out or moment > out[-1]):
                out.append(moment)
        return out
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(count * 8 + 400):  # weekdays only: never more than 3 days without a run
        if plan.weekdays is None or day.weekday() in plan.weekdays:
            for at in plan.times:
                moment = _wall(day, at, zone)
                if moment > after and (not out or moment > out[-1]):
                    out.append(moment)
                    if len(out) == count:
                        return out
        day += timedelta(days=1)
    return out


def next_run(plan: Plan, after: datetime, zone: tzinfo) -> datetime:
    return next_runs(plan, after, zone, 1)[0]


def in_window(now: datetime, window: dict | None, zone: tzinfo) -> bool:
    """Whether `now` falls in a daily wall-clock window {"start": "22:00", "end": "06:00"}
    (quiet hours); a window may run past midnight. No window, or a malformed one: False."""
    if not window or not window.get("start") or not window.get("end"):
        return False
    start, end = parse_clock(str(window["start"])), parse_clock(str(window["end"]))
    if start is None or end is None or start == end:
        return False
    local = now.astimezone(zone).time().replace(second=0, microsecond=0)
    return start <= local < end if start < end else (local >= start or local < end)


def window_end(now: datetime, window: dict, zone: tzinfo) -> datetime:
    """When the window `now` is in ends (aware UTC)."""
    end = parse_clock(str(window["end"])) or time(0)
    local = now.astimezone(zone)
    candidate = _wall(local.date(), end, zone)
    return candidate if candidate > now else _wall(local.date() + timedelta(days=1), end, zone)


def parse_clock(text: str) -> time | None:
    found = _TIME.match(text.strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None
