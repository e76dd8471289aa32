"""A hundred tags and more read from the PI Web API double: the same values every time, whether
the names were seen before or not, and the read's range and summary types kept when its WebIds
go in several stream sets of one batch."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.sources.pi import PiSource
from tests.pi_server import PiServer

T0 = datetime(2025, 10, 30, 6, 0, tzinfo=UTC)
# Long names, so that their WebIds need several stream sets inside the one batch request.
TAGS = [f"AREA7.BOILER{i:03d}.SUPERHEATER.OUTLET.STEAM.TEMPERATURE" for i in range(120)]


@pytest.fixture
def source(pi_server: PiServer) -> Iterator[PiSource]:
    for number, tag in enumerate(TAGS):
        history = [(T0 + timedelta(hours=h), float(number + h)) for h in range(6)]
        pi_server.add_tag(tag, float(number + 6), units="degC", history=history,
                          at=T0 + timedelta(hours=6))
    made = PiSource({"base_url": pi_server.base_url, "data_server": "PISRV01"})
    yield made
    made.close()


def test_summaries_of_many_tags_keep_their_range_once_the_webids_are_known(
        pi_server: PiServer, source: PiSource):
    start, end = "2025-10-30T06:00:00Z", "2025-10-30T08:00:00Z"
    for _ in range(2):  # cold: found by name; warm: read by their WebIds
        pi_server.reset_log()
        summary = source.summary_blocking(TAGS, start, end, ["Maximum", "count"], 3)
        assert pi_server.log == [("POST", "/piwebapi/batch")]
        assert [summary[t]["Maximum"].value for t in TAGS] == [float(n + 2) for n in range(120)]
        assert {summary[t]["Count"].value for t in TAGS} == {3}
        assert summary[TAGS[7]]["Maximum"].timestamp == T0 + timedelta(hours=2)


def test_the_same_names_read_again_name_the_same_tags(pi_server: PiServer, source: PiSource):
    asked = [TAGS[3], "  ", "\\\\PISRV01\\" + TAGS[3], TAGS[5] + "*", TAGS[4], "  "]
    first = source.current_blocking(asked, 3)
    again = source.current_blocking(asked, 3)
    assert first == again
    assert [v.value for v in again] == [9.0, None, 9.0, None, 10.0, None]
    assert [v.units for v in again] == ["degC", "", "degC", "", "degC", ""]
    assert again[1].error == again[5].error == "An empty tag name was given."
    assert "contains a wildcard" in again[3].error
    assert again[0].timestamp == T0 + timedelta(hours=6)
