"""The real neonize bridge against a proxy that accepts connections and never answers.

A real local TCP server on 127.0.0.1 plays the proxy (what a plant firewall that swallows
packets looks like); neonize's Go library really dials it. The run happens in a child process
(tests/whatsapp_network_child.py), because Go's abandoned dial goes on for up to a minute after
the stop. The loop-gap figure is printed; bench/bench_whatsapp_network.py prints it too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.bridge.neonize_bridge import NO_ANSWER_DETAIL

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("scheme", ["http"])
def test_a_proxy_that_never_answers_is_reported_and_the_bot_stops(tmp_path, scheme):
    done = subprocess.run([sys.executable, "-m", "tests.whatsapp_network_child", scheme,
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\nlongest event-loop gap: {outcome['max_gap_starting_ms']} ms while connecting, "
          f"{outcome['max_gap_stopping_ms']} ms while stopping; stop took {outcome['stop_s']} s")

    assert outcome["connections_to_proxy"] >= 2  # neonize really went through the proxy, twice
    details = [s["detail"] for s in outcome["states"]]
    assert details[0] == "Connecting to WhatsApp…"
    # The sentence, within the 20 s promised, instead of whatsmeow's error chain after 60 s.
    assert outcome["reported_at_s"] is not None and outcome["reported_at_s"] < 20
    assert sum(NO_ANSWER_DETAIL in d for d in details) == 1  # once for the one failed attempt
    assert not any("dial" in d or "deadline" in d for d in details)
    # Stopped during the next dial: neither the 34 s freeze nor a stop that waits for Go.
    assert outcome["final_state"] == "stopped" and outcome["states"][-1]["state"] == "stopped"
    assert "left to end by itself" in details[-1]
    assert outcome["stop_s"] < 10
    assert outcome["max_gap_stopping_ms"] < 2000 and outcome["max_gap_starting_ms"] < 2000
    assert not any("ffmpeg" in line for line in outcome["warnings"])
