"""Short pauses of Python's garbage collector while thousands of alarms run.

A full collection walks every object the collector tracks and holds every thread while it does
(the event loop too, whichever thread set it off). The alarms' kept definitions, rules and
states (app.services.alarm_cycle), and the PI client's per-tag records, are tens of thousands
of objects at 5,000 alarms: walked by each full collection, they made it a pause of 30 to 90 ms
on a small machine, several times in a cold cycle and now and then in a warm one. They live
until the alarms are edited, so once a cycle has made many of them they are moved out of the
collector's sight (`gc.freeze`, as the app does with start-up's objects): a full collection
then walks only what was made since.

Freezing keeps whatever is garbage at that moment, in a reference cycle, for good. So the
young generations are collected just before (a pause of a few milliseconds); after a cycle
that could not read a source (an error leaves tracebacks in reference cycles behind) nothing
is frozen until the collector has run a full collection of its own, which frees them; and
freezing happens only after many new copies (the first cycle, an edit of the alarms), not
every cycle. An object frozen and later dropped is still freed as usual, by its reference
count.
"""

from __future__ import annotations

import gc
import logging

from app.services import alarm_cycle as cycle_store

log = logging.getLogger(__name__)

# New kept definitions and states since the last freeze above which the next clean point of a
# cycle freezes: fewer are not worth it (a small plant never freezes on their account).
MANY = 1_000


class LongLived:
    """`settle()` at the points of a cycle where what it made is either kept or about to be
    dropped; `settle(clean=False)` where a source could not be read."""

    def __init__(self, many: int = MANY) -> None:
        self.many = many
        self._seen = cycle_store.copies_made()
        self._dirty: int | None = None  # full collections when a cycle last failed a read
        self.frozen = 0  # times this engine has frozen

    def settle(self, clean: bool = True) -> bool:
        """Freeze the collector's objects if many copies were kept since the last time and
        no failed read's leftovers can be among them; returns whether it did."""
        full = _full_collections()
        if not clean:
            self._dirty = full
            return False
        made = cycle_store.copies_made()
        if made - self._seen < self.many or (self._dirty is not None and full <= self._dirty):
            return False
        self._dirty = None
        self._seen = made
        gc.collect(1)  # the young generations' garbage is freed, not frozen
        gc.freeze()
        self.frozen += 1
        log.debug("Alarm cycle: %d kept copies since the last time; %d objects frozen",
                  made, gc.get_freeze_count())
        return True


def _full_collections() -> int:
    """How many full collections the collector has run in this process."""
    return gc.get_stats()[-1]["collections"]
