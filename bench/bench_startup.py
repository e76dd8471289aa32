"""Start-up as a user waits for it: whole commands in fresh processes, on a warm machine.

Measures, each over several runs after one discarded warm-up run (the goals are for "a machine
that has run the app once": byte code compiled, files in the page cache):

- `python main.py` (the desktop app) from the moment the process is started to the login window
  shown (goal: under 1 s), and from the login accepted to the main window shown;
- `python main.py simulate demo`, the whole command until it exits (goal: under 0.4 s);
- `python -c pass`, the floor every Python command pays.

On a shared machine the wall clock swings with the neighbours' load; the processor time the
command used (user + system, its own and its children's) swings much less, so it is printed too,
with its ratio to a bare start's. `--against CHECKOUT` times another checkout's login window and
`simulate demo` in the same runs, interleaved, each with its own data folder: a before and after
on the same load, printed last with each one's ratio to its goal, MET or MISSED.

The desktop app runs unchanged under tests/startup_child.py, a hook that notes the moments the
login window and the main window are shown, logs in the moment the login window appears (so
"login to main window" includes whatever is still loading in the background), and ends the
process once the main window is up. The clock is the wall clock, read by this process before
starting the child and by the child at each moment. Byte code is written to a temporary folder
(PYTHONDONTWRITEBYTECODE is dropped for the children), as an installed app has it.

    python bench/bench_startup.py [RUNS] [--against CHECKOUT]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _whole(command: list[str], env: dict[str, str], cpu: list[float] | None = None,
           cwd: Path = ROOT) -> float:
    before = _cpu()
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    took = time.perf_counter() - started
    if cpu is not None:
        cpu.append(_cpu() - before)
    return took


def _desktop(data: str, env: dict[str, str], root: Path = ROOT) -> tuple[float, float]:
    started = time.time()
    done = subprocess.run([sys.executable, str(root / CHILD.relative_to(ROOT)), "desktop", data,
                           PASSWORD], env=env, cwd=root, text=True, capture_output=True,
                          timeout=120)
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
        text += f"; {_verdict(median, goal)}"
    return text


def _verdict(median: float, goal: float) -> str:
    return f"{median / goal:.2f}x the {goal:g} s goal, {'MET' if median <= goal else 'MISSED'}"


def _before_after(what: str, before: list[float], after: list[float], goal: float) -> str:
    old, new = statistics.median(before), statistics.median(after)
    return (f"{what}: {old:.3f} s -> {new:.3f} s (medians, {new / old:.2f}x); before "
            f"{_verdict(old, goal)}; after {_verdict(new, goal)}")


def _cpu_line(what: str, values: list[float], floor: float) -> str:
    median = statistics.median(values)
    return (f"{what}: processor time median {median:.3f} s (min {min(values):.3f}) = "
            f"{median / floor:.1f}x a bare Python start's")


def main(runs: int = 7, against: Path | None = None) -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryDirectory() as pycache, \
            tempfile.TemporaryDirectory() as other_data:
        env = _env(pycache)
        other_env = dict(env, PYTHONPATH=str(against)) if against else None
        other = ([python, str(against / "main.py"), "--data-dir", other_data, "simulate", "demo"]
                 if against else None)
        for root, folder, its_env in [(ROOT, data, env)] + (
                [(against, other_data, other_env)] if against else []):
            subprocess.run([python, str(root / "main.py"), "--data-dir", folder, "user",
                            "create", "--username", "bench", "--password-stdin"],
                           input=PASSWORD + "\n", text=True, check=True, env=its_env,
                           capture_output=True, cwd=root)
        simulate = [python, str(ROOT / "main.py"), "--data-dir", data, "simulate", "demo"]
        # The machine "has run the app once": byte code written, the font cache built.
        _desktop(data, env)
        _whole(simulate, env)
        if other:
            _desktop(other_data, other_env, against)
            _whole(other, other_env, cwd=against)
            _whole(other, other_env, cwd=against)
        bare, login, main_window, demo, other_demo, other_login = [], [], [], [], [], []
        bare_cpu, demo_cpu, other_cpu = [], [], []
        for _ in range(runs):
            bare.append(_whole([python, "-c", "pass"], env, bare_cpu))
            to_login, to_main = _desktop(data, env)
            login.append(to_login)
            main_window.append(to_main)
            demo.append(_whole(simulate, env, demo_cpu))
            if other:
                other_login.append(_desktop(other_data, other_env, against)[0])
                other_demo.append(_whole(other, other_env, other_cpu, cwd=against))
    floor = statistics.median(bare)
    print(f"bare `python -c pass`: median {floor:.3f} s ({runs} runs), processor time "
          f"{statistics.median(bare_cpu):.3f} s")
    print(_line("start to the login window", login, floor, LOGIN_GOAL_S))
    print(_line("`simulate demo`, whole command", demo, floor, SIMULATE_GOAL_S))
    print(_cpu_line("`simulate demo`", demo_cpu, statistics.median(bare_cpu)))
    print(_line("login accepted at once to the main window shown", main_window, floor, None))
    whole = [a + b for a, b in zip(login, main_window, strict=True)]
    print(_line("start to the main window, nobody typing", whole, floor, None))
    if other:
        print(_line(f"start to the login window of {against}", other_login, floor,
                    LOGIN_GOAL_S))
        print(_line(f"`simulate demo` of {against}", other_demo, floor, SIMULATE_GOAL_S))
        print(_cpu_line(f"`simulate demo` of {against}", other_cpu,
                        statistics.median(bare_cpu)))
        print(f"Before ({against}) -> after (this checkout), the same runs interleaved:")
        print("  " + _before_after("`simulate demo`, whole command", other_demo, demo,
                                   SIMULATE_GOAL_S))
        print(f"  `simulate demo`, processor time: {statistics.median(other_cpu):.3f} s -> "
              f"{statistics.median(demo_cpu):.3f} s "
              f"({statistics.median(demo_cpu) / statistics.median(other_cpu):.2f}x)")
        print("  " + _before_after("start to the login window", other_login, login,
                                   LOGIN_GOAL_S))


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description="Start-up as a user waits for it.")
    cli.add_argument("runs", nargs="?", type=int, default=7)
    cli.add_argument("--against", type=Path, metavar="CHECKOUT",
                     help="another checkout of the app whose `simulate demo` is timed too")
    given = cli.parse_args()
    main(given.runs, given.against.resolve() if given.against else None)
