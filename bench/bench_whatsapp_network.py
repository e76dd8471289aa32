"""The event loop while WhatsApp connects and stops through a proxy that never answers.

Goal: the longest gap between heartbeats on the loop under 50 ms, the sentence within 20 s.
Runs the real neonize bridge against a local TCP server on 127.0.0.1 that accepts and never
answers, once as an HTTP proxy and once as a SOCKS5 proxy (tests/whatsapp_network_child.py,
about 25 s each).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for scheme in ("http", "socks5"):
        with tempfile.TemporaryDirectory() as data_dir:
            done = subprocess.run([sys.executable, "-m", "tests.whatsapp_network_child", scheme,
                                   data_dir], cwd=ROOT, capture_output=True, text=True,
                                  timeout=120, check=True)
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{scheme:>6} proxy: sentence after {outcome['reported_at_s']} s; stop took "
              f"{outcome['stop_s']} s; longest loop gap {outcome['max_gap_starting_ms']} ms "
              f"while connecting, {outcome['max_gap_stopping_ms']} ms while stopping")


if __name__ == "__main__":
    main()
