"""A clock the test moves by hand, for code that takes `clock=` (the alarm engine, schedules)."""

from __future__ import annotations

import datetime as dt


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now
