"""neonize in tests: importing it without the pipe its import leaves open."""

from __future__ import annotations

import io
import os
import subprocess


def import_neonize_without_leaking_a_pipe() -> None:
    """neonize 0.5.2 reads `uname -a` through os.popen while it imports (utils/platform.py) and
    never closes the pipe; the leaked pipe warns later, in whichever test happens to reap it.
    Run that one command to completion instead. Every test module that imports neonize calls
    this before it does."""
    real_popen = os.popen

    def popen(cmd: str, mode: str = "r", buffering: int = -1) -> io.StringIO:
        done = subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False)
        return io.StringIO(done.stdout)

    os.popen = popen
    try:
        import neonize.aioze.client  # noqa: F401
    finally:
        os.popen = real_popen
