"""Fixtures of the alarm tests: a clock the test moves, and a plant behind the PI double."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import config_io, settings
from tests.helpers.alarms import BUDI, SARI, TONO
from tests.helpers.clock import Clock
from tests.helpers.sources import pi_source
from tests.pi_server import PiServer

UTC = dt.UTC


@pytest.fixture
def clock() -> Clock:
    # Real time, to the second: values the double serves carry real timestamps.
    return Clock(dt.datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def plant(db, admin, pi_server: PiServer):
    pi_server.add_tag("DRUM.PRESS", 41.0, units="bar")
    pi_server.add_tag("DRUM.LEVEL", 50.0, units="%")
    pi_server.add_tag("FEED.FLOW", 120.0, units="t/h")
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops"]},
        {"name": "Sari", "phone": SARI, "allowed": True, "tags": ["shift-lead"]},
        {"name": "Tono", "phone": TONO, "allowed": True, "tags": ["lab"]},
    ]})
    settings.update(admin, {"general": {"language": "en", "time_zone": "UTC"}})
    return pi_source(admin, pi_server)
