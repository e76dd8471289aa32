"""The WhatsApp proxy: what a person may type, the system's proxy as the default, and refusals."""

from __future__ import annotations

import pytest

from app.bridge.base import BridgeError
from app.bridge.neonize_bridge import NeonizeBridge
from app.core import settings_spec
from app.core.proxy import effective_proxy, proxy_problem, system_proxy


@pytest.mark.parametrize("url", ["http://proxy.plant.local:8080", "https://10.0.0.5:3128",
                                 "socks5://10.0.0.5:1080", "socks5://user:secret@gw:1080",
                                 "http://[fd00::1]:8080/", "", "direct", "DIRECT"])
def test_usable_proxies_pass(url):
    assert proxy_problem(url) is None


@pytest.mark.parametrize(("url", "says"), [
    ("proxy.plant.local:8080", "needs its kind in front"),
    ("ftp://proxy:21", "http://, https:// or socks5://"),
    ("socks4://proxy:1080", "http://, https:// or socks5://"),
    ("http://:8080", "names no computer"),
    ("http://proxy.plant.local", "needs a port"),
    ("http://proxy:80a", "not a number from 1 to 65535"),
    ("http://proxy:99999", "not a number from 1 to 65535"),
    ("http://proxy:8080/path", "only an address and a port"),
])
def test_malformed_proxies_get_a_sentence(url, says):
    problem = proxy_problem(url)
    assert problem is not None and says in problem and problem.endswith(".")


def test_the_systems_proxy_is_the_default():
    assert system_proxy({"HTTPS_PROXY": "http://corp:3128", "ALL_PROXY": "socks5://x:1"}) \
        == "http://corp:3128"
    assert system_proxy({"all_proxy": "socks5://gw:1080"}) == "socks5://gw:1080"
    assert system_proxy({"https_proxy": "corp:3128"}) == "http://corp:3128"  # curl's shorthand
    assert system_proxy({"HTTP_PROXY": "http://only-plain-http:80"}) == ""  # WhatsApp is https
    assert effective_proxy("", {"HTTPS_PROXY": "http://corp:3128"}) == "http://corp:3128"
    assert effective_proxy(None, {}) == ""
    assert effective_proxy("socks5://gw:1080", {"HTTPS_PROXY": "http://corp:3128"}) \
        == "socks5://gw:1080"
    assert effective_proxy("direct", {"HTTPS_PROXY": "http://corp:3128"}) == ""
    with pytest.raises(ValueError, match="HTTPS_PROXY or ALL_PROXY"):
        effective_proxy("", {"HTTPS_PROXY": "ftp://corp:21"})


def test_the_setting_refuses_a_malformed_proxy_with_a_sentence():
    spec = settings_spec.find("whatsapp", "proxy")
    assert spec is not None and spec.default == "" and "proxy" in spec.label
    assert spec.parse("socks5://10.0.0.5:1080") == "socks5://10.0.0.5:1080"
    with pytest.raises(ValueError, match="needs a port"):
        spec.parse("http://proxy.plant.local")


def test_the_bridge_refuses_a_malformed_proxy_and_passes_a_good_one(tmp_path, monkeypatch):
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(BridgeError, match="needs its kind in front") as refused:
        NeonizeBridge(tmp_path / "s.db", proxy="proxy:8080")
    assert refused.value.retry is False
    assert NeonizeBridge(tmp_path / "s.db").proxy == ""
    monkeypatch.setenv("ALL_PROXY", "socks5://gw:1080")
    assert NeonizeBridge(tmp_path / "s.db").proxy == "socks5://gw:1080"
    assert NeonizeBridge(tmp_path / "s.db", proxy="direct").proxy == ""
    # What neonize is then given is checked in test_neonize_bridge.py, which imports neonize.


def test_serve_refuses_a_malformed_proxy_with_a_sentence(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(tmp_path), "serve",
                           "--proxy", "socks4://gw:1080"], cwd=root, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "http://, https:// or socks5://" in done.stderr and "Traceback" not in done.stderr
