"""Start-up as a user waits for it: whole commands in fresh processes, on a warm machine.

Measures, each over several runs after one discarded warm-up run (the goals are for "a machine
that has run the app once": byte code compiled, files in the page cache):

- `python main.py` (the desktop app) from the moment the process is started to the login window
  shown (goal: under 1 s), and from the login accepted to the main window shown;
- `python main.py simulate demo`, the whole command until it exits (goal: under 0.4 s);
- `python -c pass`, the floor every Python command pays.

The desktop app runs unchanged under tests/startup_child.py, a hook that notes the moments the
login window and the main window are shown, logs in the moment the login window appears (so
"login to main window" includes whatever is still loading in the background), and ends the
process once the main window is up. The clock is the wall clock, read by this process before
starting the child and by the child at each moment. Byte code is written to a temporary folder
(PYTHONDONTWRITEBYTECODE is dropped for the children), as an installed app has it.

    python bench/bench_startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "tests" / "startup_child.py"
LOGIN_GOAL_S = 1.0
SIMULATE_GOAL_S = 0.4
PASSWORD = "bench-password"

def _env(pycache: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=pycache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _whole(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _desktop(data: str, env: dict[str, str]) -> tuple[float, float]:
    started = time.time()
    done = subprocess.run([sys.executable, str(CHILD), "desktop", data, PASSWORD], env=env,
                          cwd=ROOT, text=True, capture_output=True, timeout=120)
    marks = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()
             if line.startswith(("login ", "main "))}
    if "login" not in marks or "main" not in marks:
        raise SystemExit(f"the desktop app did not show its windows:\n{done.stderr[-2000:]}")
    login = float(marks["login"])
    return login - started, float(marks["main"]) - login


def _line(what: str, values: list[float], floor: float, goal: float | None) -> str:
    median = statistics.median(values)
    text = (f"{what}: median {median:.3f} s (min {min(values):.3f}, max {max(values):.3f}, "
            f"{len(values)} runs) = {median / floor:.1f}x a bare Python start")
    if goal is not None:
        verdict = "meets" if median <= goal else "misses"
        text += f"; goal {goal:g} s: {verdict} it ({median / goal:.2f}x the goal)"
    return text


def main(runs: int = 7) -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as pycache:
        env = _env(pycache)
        subprocess.run([python, str(ROOT / "main.py"), "--data-dir", data, "user", "create",
                        "--username", "bench", "--password-stdin"], input=PASSWORD + "\n",
                       text=True, check=True, env=env, capture_output=True)
        simulate = [python, str(ROOT / "main.py"), "--data-dir", data, "simulate", "demo"]
        # The machine "has run the app once": byte code written, the font cache built.
        _desktop(data, env)
        _whole(simulate, env)
        bare, login, main_window, demo = [], [], [], []
        for _ in range(runs):
            bare.append(_whole([python, "-c", "pass"], env))
            to_login, to_main = _desktop(data, env)
            login.append(to_login)
            main_window.append(to_main)
            demo.append(_whole(simulate, env))
    floor = statistics.median(bare)
    print(f"bare `python -c pass`: median {floor:.3f} s ({runs} runs)")
    print(_line("start to the login window", login, floor, LOGIN_GOAL_S))
    print(_line("`simulate demo`, whole command", demo, floor, SIMULATE_GOAL_S))
    print(_line("login accepted at once to the main window shown", main_window, floor, None))
    whole = [a + b for a, b in zip(login, main_window, strict=True)]
    print(_line("start to the main window, nobody typing", whole, floor, None))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
