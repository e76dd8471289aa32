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


@pytest.mark.parametrize(("first", "second"), [("Drum pressure", "DRUM  Pressure"),
                                               ("Tekanan Ünit 2", "tekanan ünit 2")])
def test_two_alarms_cannot_share_a_name_whatever_the_case(plant, admin, first, second):
    from tests.helpers.alarms import make_alarm

    make_alarm(admin, plant, first)
    make_alarm(admin, plant, "Another", "DRUM.LEVEL")
    with pytest.raises(ValidationError) as refused:
        make_alarm(admin, plant, second)
    assert f"Another alarm is already called {first}." in str(refused.value)
    saved = alarms.find_alarm(first)
    renamed = alarms.save_alarm(admin, saved["id"], name=first, active=True, kind="pi",
                                data_source_id=saved["data_source_id"], tag=saved["tag"],
                                trigger_id=None, config=saved["config"])
    assert renamed["name"] == first, "saving an alarm under its own name is no clash"
