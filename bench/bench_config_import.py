"""`config import` of 1,000 triggers (goal: under 2 s), first import and a repeat import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    return {"version": 1,
            "data_sources": [{"name": "Plant PI", "plugin": "pi", "active": True,
                              "config": {"base_url": "https://pi.plant/piwebapi",
                                         "auth": "basic", "username": "svc"},
                              "secrets": {"password": "bench-secret"}}],
            "triggers": triggers,
            "trigger_groups": [{"name": "unit0", "execution_mode": "parallel",
                                "members": [t["name"] for t in triggers[:20]]}]}


def run(data_dir: str, config: Path) -> float:
    env = dict(os.environ, WA_INTEGRATION_SECRETS="file")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), "--data-dir", data_dir, "config",
                    "import", str(config)], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.json"
        config.write_text(json.dumps(make_config(1000)))
        data = str(Path(tmp) / "data")
        first = run(data, config)
        again = run(data, config)
        empty = Path(tmp) / "empty.json"
        empty.write_text('{"version": 1}')
        baseline = run(str(Path(tmp) / "data2"), empty)
    print(f"config import, 1,000 triggers into a new database: {first:.2f} s "
          "(whole command, budget 2 s)")
    print(f"same file again (nothing changes): {again:.2f} s")
    print(f"command overhead with an empty file: {baseline:.2f} s")


if __name__ == "__main__":
    main()
