"""Data sources saved through the services, pointing at the test doubles."""

from __future__ import annotations

from app.services import sources
from tests.pi_server import PiServer


def pi_source(admin, server: PiServer, name: str = "PI Plant", **config) -> str:
    base = {"api": "piwebapi", "base_url": server.base_url, "auth": "anonymous",
            "data_server": "PISRV01", "timeout_s": 5}
    base.update(config)
    return sources.save_source(admin, None, name=name, plugin="pi", active=True,
                               config=base)["id"]
