"""`config import` through the whole command (`main.py config import`), as a user runs it:
1,000 triggers (goal: under 2 s) and 5,000 alarms (goal: a few seconds, taken as 5 s), each
into a new database and again (nothing changes), with the command's own cost (an empty file).
Prints each time, its ratio to the goal, and whether it meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIGGER_GOAL_S = 2.0
ALARM_GOAL_S = 5.0
SOURCE = {"name": "Plant PI", "plugin": "pi", "active": True,
          "config": {"base_url": "https://pi.plant/piwebapi", "auth": "basic",
                     "username": "svc"},
          "secrets": {"password": "bench-secret"}}


def make_config(count: int) -> dict:
    triggers = []
    for i in range(count):
        if i % 2:
            triggers.append({"name": f"tag{i:04d}", "type": "pi", "data_source": "Plant PI",
                             "config": {"description": f"Tag {i}",
                                        "tags": [f"\\\\PISRV01\\UNIT{i % 7}.TAG{i:04d}"],
                                        "mode": "current"}})
        else:
            triggers.append({"name": f"proc{i:04d}", "type": "text",
                             "config": {"description": f"Procedure {i}",
                                        "text": f"Step {i}: check the valve line-up."}})
    return {"version": 1, "data_sources": [SOURCE], "triggers": triggers,
            "trigger_groups": [{"name": "unit0", "execution_mode": "parallel",
                                "members": [t["name"] for t in triggers[:20]]}]}


def make_alarms(count: int) -> dict:
    # The group the alarms go to, approved: an alarm nobody can receive is refused.
    return {"version": 1, "data_sources": [SOURCE], "contacts": [
        {"name": "Boiler", "jid": "120363000000000000@g.us", "allowed": True, "tags": []}],
        "alarms": [
        {"name": f"Alarm {n:04d}", "kind": "pi", "data_source": "Plant PI",
         "tag": f"UNIT{n // 20:03d}.TAG{n:04d}",
         "config": {"condition": "above", "high": 100.0, "units": "bar", "interval_s": 10,
                    "recipients": [{"groups": ["120363000000000000@g.us"]}]}}
        for n in range(count)]}


def run(data_dir: str, config: Path) -> float:
    env = dict(os.environ, WA_INTEGRATION_SECRETS="file")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", data_dir, "config",
                    "import", str(config)], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def line(what: str, seconds: float, goal: float) -> str:
    ratio = seconds / goal
    return (f"{what}: {seconds:.2f} s, {ratio:.2f} x the goal of {goal:g} s "
            f"({'meets' if ratio < 1 else 'MISSES'})")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.json"
        empty.write_text('{"version": 1}')
        baseline = run(str(Path(tmp) / "data0"), empty)
        rows = []
        for label, data, goal in (("1,000 triggers", make_config(1000), TRIGGER_GOAL_S),
                                  ("5,000 alarms", make_alarms(5000), ALARM_GOAL_S)):
            config = Path(tmp) / f"{label.split()[1]}.json"
            config.write_text(json.dumps(data))
            target = str(Path(tmp) / f"data-{label.split()[1]}")
            first = run(target, config)
            again = run(target, config)
            rows += [line(f"config import, {label} into a new database", first, goal),
                     line(f"same file again (nothing changes), {label}", again, goal)]
    print("Whole command, `main.py config import` (start, open the database, import, exit):")
    for row in rows:
        print(row)
    print(f"command overhead with an empty file: {baseline:.2f} s")


if __name__ == "__main__":
    main()
