"""Who can be told, for 5,000 alarms: what the Alarms tab and the Dashboard pay to flag the
alarms nobody can be told of (services/recipients.unreachable_alarms), against its floor,
reading Contacts once (1,000 people, a third of them waiting for approval), and next to the
tab's own read of the alarms (services/alarms.list_alarms). The alarms share a group at level
1 and one of 50 second levels (a person and a tag), as a plant's do. Three runs each, in one
process, alternating; best and range printed. Nothing else: no Qt, no engine."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db.database import close_database, open_database  # noqa: E402
from app.services import alarms, config_io, contacts, recipients, secrets  # noqa: E402
from app.services.context import Actor  # noqa: E402

ALARMS, PEOPLE, RUNS = 5000, 1000, 3
GROUP = "120363000000000000@g.us"
GOAL_RATIO = 3.0  # the flag may cost a few readings of Contacts, not one per alarm


def plant(count: int, people: int) -> dict:
    return {
        "version": 1,
        "data_sources": [{"name": "PI", "plugin": "pi", "config": {
            "api": "piwebapi", "base_url": "http://127.0.0.1:9/piwebapi", "auth": "anonymous",
            "data_server": "PISRV01"}}],
        "contacts": [{"name": f"Person {i}", "phone": f"+62812{i:07d}",
                      "allowed": i % 3 != 0, "tags": [f"shift{i % 10}"]}
                     for i in range(people)]
        + [{"name": "Boiler", "jid": GROUP, "allowed": True, "tags": []}],
        "alarms": [{"name": f"Alarm {n:04d}", "kind": "pi", "data_source": "PI",
                    "tag": f"UNIT{n // 20:03d}.TAG{n:04d}",
                    "config": {"condition": "above", "high": 100.0, "recipients": [
                        {"groups": [GROUP]},
                        {"after_min": 15, "contacts": [f"+62812{(n % 50) + 1:07d}"],
                         "tags": [f"shift{n % 10}"]}]}}
                   for n in range(count)]}


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        secrets.configure(Path(tmp))
        opened = open_database(Path(tmp) / "app.db")
        try:
            config_io.import_config(Actor(None, "bench", "admin", "cli"),
                                    plant(ALARMS, PEOPLE))
            every = alarms.list_alarms()
            flagged = recipients.unreachable_alarms(every)
            floor, flag, listing = [], [], []
            for _ in range(RUNS):
                floor.append(timed(contacts.list_contacts))
                flag.append(timed(lambda: recipients.unreachable_alarms(every)))
                listing.append(timed(alarms.list_alarms))
        finally:
            close_database(opened.db)
    best = min(flag) / min(floor)
    print(f"{ALARMS:,} alarms, {PEOPLE:,} contacts, {len(flagged)} flagged "
          f"(best of {RUNS}; range in brackets)")
    for label, runs in (("reading Contacts once (the floor)", floor),
                        ("flagging who cannot be told", flag),
                        ("the Alarms tab's own read of the alarms", listing)):
        print(f"  {label}: {min(runs) * 1000:.0f} ms "
              f"[{min(runs) * 1000:.0f}-{max(runs) * 1000:.0f}]")
    print(f"flag / floor: {best:.2f} (goal under {GOAL_RATIO:g}: "
          f"{'meets' if best < GOAL_RATIO else 'MISSES'})")


if __name__ == "__main__":
    main()
