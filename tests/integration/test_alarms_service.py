"""Alarms saved through the services, here by import: bad numbers are refused before anything
is written."""

from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.services import alarms, config_io
from tests.helpers.alarms import GROUP


def test_nan_and_infinity_are_refused_before_anything_is_imported(plant, admin):
    entry = {"name": "Drum", "kind": "pi", "data_source": "PI Plant", "tag": "DRUM.PRESS",
             "config": {"condition": "above", "high": "nan", "interval_s": "inf",
                        "recipients": [{"groups": [GROUP]}]}}
    with pytest.raises(ValidationError) as raised:
        config_io.import_config(admin, {"version": 1, "alarms": [entry]})
    assert "alarms[1] 'Drum': high must be a number, not “nan”." in raised.value.problems
    assert "alarms[1] 'Drum': interval s must be a number, not “inf”." in raised.value.problems
    assert alarms.list_alarms() == []
