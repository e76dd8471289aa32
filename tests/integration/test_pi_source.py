"""PiSource against a local PI Web API / gateway double: values, errors and sentences people see."""

from __future__ import annotations

import re
import socket
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app.sources.base import Historian, PiValue, SourceError
from app.sources.pi import PiSource
from tests.pi_server import PiServer, fixture_body

MakeSource = Callable[..., PiSource]
T0 = datetime(2025, 10, 30, 6, 0, tzinfo=UTC)


@pytest.fixture
def make_source() -> Iterator[MakeSource]:
    made: list[PiSource] = []

    def make(config: dict[str, Any], secrets: dict[str, str] | None = None) -> PiSource:
        source = PiSource(config, secrets or {})
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()


@pytest.fixture
def plant(pi_server: PiServer) -> PiServer:
    """A data server with the kinds of points a plant has."""
    pi_server.add_tag("DRUM.PRESS", 41.7, units="bar", descriptor="Drum pressure")
    pi_server.add_tag("DRUM.LEVEL", 52, units="%")
    pi_server.add_tag("PUMP1.STATE", ("On", 1))
    pi_server.add_tag("FEED.FLOW", 0.0, system_state="I/O Timeout", units="t/h")
    pi_server.add_tag("STEAM.TEMP", 512.3, units="degC", questionable=True)
    pi_server.add_tag("O2.TRIM", 3.1, units="%", substituted=True)
    pi_server.add_tag("SHIFT.NOTE", "Boiler 2 on standby")
    return pi_server


@pytest.fixture
def source(plant: PiServer, make_source: MakeSource) -> PiSource:
    return make_source({"base_url": plant.base_url, "data_server": "PISRV01"})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def by_tag(values: list[PiValue]) -> dict[str, PiValue]:
    return {value.tag: value for value in values}


def query_of(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


# -- connection test ----------------------------------------------------------------------------


def test_connection_test_names_the_product_and_the_time(source: PiSource):
    result = source.test_blocking(2)
    assert result.ok
    assert re.fullmatch(r"Connected in \d+ ms \(PI Web API 2019 SP1\)", result.message)
    assert result.server == "PI Web API 2019 SP1 1.13.0.6298"
    assert 0 < result.latency_ms < 1000


def test_connection_test_falls_back_to_the_home_page_when_system_is_refused(
        plant: PiServer, source: PiSource):
    plant.system_status = 403
    result = source.test_blocking(2)
    assert result.ok, result.message
    assert re.fullmatch(r"Connected in \d+ ms \(PI Web API\)", result.message)
    assert plant.paths()[:2] == ["/piwebapi/system", "/piwebapi/"]


def test_connection_test_says_when_the_data_server_is_unknown(plant: PiServer,
                                                              make_source: MakeSource):
    result = make_source({"base_url": plant.base_url, "data_server": "PISRV09"}).test_blocking(2)
    assert not result.ok
    assert "knows no PI data server 'PISRV09' (it knows: PISRV01)" in result.message


def test_a_base_url_without_piwebapi_gets_a_hint(plant: PiServer, make_source: MakeSource):
    result = make_source({"base_url": plant.origin}).test_blocking(2)
    assert not result.ok
    assert result.message == ("PI Web API has no such address: check that the base URL ends in "
                              "/piwebapi.")
    assert result.code == "404"


def test_the_source_is_a_historian(source: PiSource):
    assert isinstance(source, Historian)


# -- current values -----------------------------------------------------------------------------


def test_current_values_of_every_shape(source: PiSource):
    tags = ["DRUM.PRESS", "DRUM.LEVEL", "PUMP1.STATE", "FEED.FLOW", "STEAM.TEMP", "O2.TRIM",
            "SHIFT.NOTE"]
    values = by_tag(source.current_blocking(tags, 2))
    drum = values["DRUM.PRESS"]
    assert (drum.value, drum.units, drum.good, drum.is_bad) == (41.7, "bar", True, False)
    assert drum.timestamp is not None and drum.timestamp.tzinfo is not None
    assert abs(datetime.now(UTC) - drum.timestamp) < timedelta(minutes=1)
    assert values["DRUM.LEVEL"].value == 52
    pump = values["PUMP1.STATE"]
    assert (pump.value, pump.digital, pump.is_bad) == ("On", True, False)
    flow = values["FEED.FLOW"]
    assert (flow.value, flow.system_state, flow.is_bad) == (None, "I/O Timeout", True)
    assert values["STEAM.TEMP"].questionable and values["STEAM.TEMP"].value == 512.3
    assert values["O2.TRIM"].substituted
    assert values["SHIFT.NOTE"].value == "Boiler 2 on standby"
    assert all(v.error is None for v in values.values())


def test_twenty_tags_cold_take_one_batch_round_trip_and_warm_one_stream_set(
        plant: PiServer, source: PiSource):
    tags = [f"UNIT{i:02d}.TEMP" for i in range(20)]
    for number, tag in enumerate(tags):
        plant.add_tag(tag, float(number))
    cold = source.current_blocking(tags, 2)
    assert [v.value for v in cold] == [float(n) for n in range(20)]
    assert plant.log == [("POST", "/piwebapi/batch")]
    plant.reset_log()
    warm = source.current_blocking(tags, 2)
    assert [v.value for v in warm] == [float(n) for n in range(20)]
    assert len(plant.log) == 1
    method, path = plant.log[0]
    assert method == "GET" and path.startswith("/piwebapi/streamsets/value?")
    assert len(query_of(path)["webId"]) == 20


def test_many_long_tag_names_are_split_but_still_one_round_trip(plant: PiServer,
                                                                source: PiSource):
    tags = [f"AREA7.BOILER{i:03d}.SUPERHEATER.OUTLET.STEAM.TEMPERATURE" for i in range(120)]
    for number, tag in enumerate(tags):
        plant.add_tag(tag, float(number))
    assert [v.value for v in source.current_blocking(tags, 3)] == [float(n) for n in range(120)]
    plant.reset_log()
    assert [v.value for v in source.current_blocking(tags, 3)] == [float(n) for n in range(120)]
    assert plant.log == [("POST", "/piwebapi/batch")]  # several stream sets inside one batch


def test_an_unknown_tag_fails_alone_and_the_others_answer(source: PiSource):
    values = source.current_blocking(["DRUM.PRESS", "NO.SUCH.TAG", "DRUM.LEVEL"], 2)
    assert [v.tag for v in values] == ["DRUM.PRESS", "NO.SUCH.TAG", "DRUM.LEVEL"]
    assert values[0].value == 41.7 and values[2].value == 52
    assert values[1].error == "Unknown PI tag 'NO.SUCH.TAG' on PISRV01."
    assert values[1].value is None and values[1].is_bad


def test_a_tag_path_with_the_wrong_server_names_the_server(source: PiSource):
    wrong, right = source.current_blocking(["\\\\PISRV99\\DRUM.PRESS",
                                            "\\\\PISRV01\\DRUM.PRESS"], 2)
    assert wrong.error == ("Tag '\\\\PISRV99\\DRUM.PRESS' names PI server 'PISRV99', which is "
                           "not known to PI Web API (it knows: PISRV01).")
    assert right.value == 41.7


def test_a_full_path_and_a_bare_name_of_one_tag_read_once(plant: PiServer, source: PiSource):
    values = source.current_blocking(["DRUM.PRESS", "\\\\pisrv01\\drum.press", "DRUM.PRESS"], 2)
    assert [v.value for v in values] == [41.7, 41.7, 41.7]
    assert plant.log == [("POST", "/piwebapi/batch")]


def test_af_attribute_paths_are_read_like_tags(plant: PiServer, source: PiSource):
    plant.add_attribute("\\\\PIAF01\\Plant\\Boiler 2|Drum Pressure", 40.2, units="bar")
    good, missing = source.current_blocking(["\\\\PIAF01\\Plant\\Boiler 2|Drum Pressure",
                                             "\\\\PIAF01\\Plant\\Boiler 2|Nothing"], 2)
    assert (good.value, good.units, good.error) == (40.2, "bar", None)
    assert missing.error == "Unknown AF attribute '\\\\PIAF01\\Plant\\Boiler 2|Nothing'."


def test_an_attribute_found_whose_values_are_missing_is_not_called_unknown(plant: PiServer,
                                                                            source: PiSource):
    path = "\\\\PIAF01\\Plant\\Boiler 2|Design Pressure"
    plant.add_attribute(path, 40.0, units="bar").readable = False
    [value] = source.current_blocking([path], 2)
    assert "Unknown" not in value.error
    assert value.error == (f"The AF attribute '{path}' exists, but PI Web API has no values "
                           "for it (404): check its data reference in PI System Explorer.")


def test_a_server_without_a_data_server_list_says_so_and_full_paths_still_read(
        plant: PiServer, make_source: MakeSource):
    plant.lists_data_servers = False
    bare = make_source({"base_url": plant.base_url})
    assert bare.test_blocking(5).ok, "the connection itself is fine"
    with pytest.raises(SourceError) as refused:
        bare.current_blocking(["DRUM.PRESS"], 2)  # a bare name needs the list, or a default
    assert "does not list its PI data servers (/dataservers answered 404)" in refused.value.message
    assert "ends in /piwebapi" not in refused.value.message
    [full] = bare.current_blocking(["\\\\PISRV01\\DRUM.PRESS"], 2)
    assert full.value == 41.7


def test_malformed_tags_get_their_own_sentence_without_asking_the_server(plant: PiServer,
                                                                         source: PiSource):
    values = source.current_blocking(["\\\\PISRV01", "DRUM.*", "Boiler|Level", " "], 2)
    assert "is not a PI point path" in values[0].error
    assert "contains a wildcard" in values[1].error
    assert "is not a full AF attribute path" in values[2].error
    assert values[3].error == "An empty tag name was given."
    assert plant.count == 0


def test_a_value_with_field_errors_is_shown_as_an_error(plant: PiServer, source: PiSource):
    plant.add_tag("GHOST", 1.0, error="PI Point not found.")
    ghost, drum = source.current_blocking(["GHOST", "DRUM.PRESS"], 2)
    assert ghost.error == "Unknown PI tag 'GHOST'."
    assert drum.value == 41.7


def test_the_documented_field_error_fixture_decodes_to_an_error():
    from app.sources.pi import decode_value

    body = fixture_body("docs_error_value_with_field_errors.json")
    value = decode_value("TAG", body)
    assert value.error == "Unknown PI tag 'TAG'." and value.is_bad


def test_the_documented_value_fixture_decodes_with_units():
    from app.sources.pi import decode_value

    body = fixture_body("docs_stream_getend_value.json")
    value = decode_value("TAG", body)
    assert (value.value, value.units, value.good) == (12.3, "m", True)
    assert value.timestamp == datetime(2014, 7, 22, 14, tzinfo=UTC)


def test_quality_flags_written_as_strings_are_understood():
    from app.sources.pi import decode_value

    value = decode_value("TAG", {"Timestamp": "2014-07-22T14:00:00Z", "Value": 1.5,
                                 "Good": "false", "Questionable": "true"})
    assert value.is_bad and value.questionable


def test_a_deleted_point_with_a_cached_web_id_says_unknown_tag(plant: PiServer,
                                                                source: PiSource):
    source.current_blocking(["DRUM.PRESS", "DRUM.LEVEL"], 2)
    plant.remove_tag("DRUM.LEVEL")
    drum, level = source.current_blocking(["DRUM.PRESS", "DRUM.LEVEL"], 2)
    assert drum.value == 41.7
    assert level.error == "Unknown PI tag 'DRUM.LEVEL' on PISRV01."


def test_bare_tags_use_the_only_data_server_when_none_is_set(plant: PiServer,
                                                             make_source: MakeSource):
    source = make_source({"base_url": plant.base_url})
    assert source.current_blocking(["DRUM.PRESS"], 2)[0].value == 41.7


def test_bare_tags_with_several_data_servers_ask_for_one(make_source: MakeSource):
    with PiServer(data_servers=("PISRV01", "PISRV02")) as server:
        source = make_source({"base_url": server.base_url})
        with pytest.raises(SourceError) as caught:
            source.current_blocking(["DRUM.PRESS"], 2)
    assert "several PI data servers (PISRV01, PISRV02)" in caught.value.message
    assert "set data_server" in caught.value.message


def test_no_tags_means_no_request(plant: PiServer, source: PiSource):
    assert source.current_blocking([], 2) == []
    assert plant.count == 0


# -- time ranges ----------------------------------------------------------------------------------


@pytest.fixture
def trend(plant: PiServer) -> PiServer:
    history = [(T0 + timedelta(hours=h), 10.0 + h) for h in range(6)]
    plant.add_tag("TREND", 16.0, units="bar", history=history, at=T0 + timedelta(hours=6))
    plant.add_tag("MODE", ("Auto", 2), history=[(T0, ("Manual", 1))],
                  at=T0 + timedelta(hours=3))
    return plant


def test_recorded_values_in_order_and_limited(trend: PiServer, source: PiSource):
    series, empty = source.recorded_blocking(["TREND", "DRUM.PRESS"], "2025-10-30T06:00:00Z",
                                             "2025-10-30T09:00:00Z", 3, 2)
    assert [v.value for v in series.values] == [10.0, 11.0, 12.0]
    assert series.units == "bar" and series.error is None
    assert series.values[0].timestamp == T0
    assert empty.values == [] and empty.error is None  # no values in the range is not an error


def test_recorded_values_of_a_digital_point_are_state_names(trend: PiServer, source: PiSource):
    (series,) = source.recorded_blocking(["MODE"], "2025-10-30T05:00:00Z",
                                         "2025-10-30T12:00:00Z", 10, 2)
    assert [v.value for v in series.values] == ["Manual", "Auto"]
    assert all(v.digital for v in series.values)


def test_interpolated_values_at_the_interval(trend: PiServer, source: PiSource):
    series, missing = source.interpolated_blocking(["TREND", "NOPE"], "2025-10-30T06:00:00Z",
                                                   "2025-10-30T08:00:00Z", "30m", 2)
    assert [v.value for v in series.values] == [10.0, 10.5, 11.0, 11.5, 12.0]
    assert missing.error == "Unknown PI tag 'NOPE' on PISRV01."


def test_plot_values_for_a_chart(trend: PiServer, source: PiSource):
    (series,) = source.plot_blocking(["TREND"], "2025-10-30T06:00:00Z",
                                     "2025-10-30T12:00:00Z", 3, 2)
    # Per interval the first, last, smallest and largest value: 15.0 adds nothing to a chart.
    assert [v.value for v in series.values] == [10.0, 11.0, 12.0, 13.0, 14.0, 16.0]


def test_summaries_by_pi_name_with_friendly_aliases(trend: PiServer, source: PiSource):
    summary = source.summary_blocking(["TREND", "NOPE"], "2025-10-30T06:00:00Z",
                                      "2025-10-30T12:00:00Z", ["avg", "Maximum", "count"], 2)
    trend_summary = summary["TREND"]
    assert set(trend_summary) == {"Average", "Maximum", "Count"}
    assert trend_summary["Average"].value == pytest.approx(13.0)
    assert trend_summary["Maximum"].value == 16.0
    assert trend_summary["Maximum"].timestamp == T0 + timedelta(hours=6)
    assert trend_summary["Count"].value == 7
    assert {v.error for v in summary["NOPE"].values()} == {"Unknown PI tag 'NOPE' on PISRV01."}


def test_summary_types_pi_does_not_know_are_refused(source: PiSource):
    with pytest.raises(SourceError, match="'Median' is not a PI summary type"):
        source.summary_blocking(["TREND"], "*-1d", "*", ["Median"], 2)


def test_range_reads_repeat_in_one_stream_set_call_once_cached(trend: PiServer,
                                                               source: PiSource):
    source.recorded_blocking(["TREND", "MODE"], "*-1d", "*", 10, 2)
    trend.reset_log()
    source.interpolated_blocking(["TREND", "MODE"], "*-1d", "*", "1h", 2)
    assert len(trend.log) == 1 and trend.log[0][1].startswith("/piwebapi/streamsets/"
                                                              "interpolated?")


def test_the_plant_time_zone_is_sent_with_range_reads(trend: PiServer,
                                                      make_source: MakeSource):
    source = make_source({"base_url": trend.base_url, "data_server": "PISRV01",
                          "time_zone": "Asia/Jakarta"})
    source.recorded_blocking(["TREND"], "t", "*", 10, 2)
    source.recorded_blocking(["TREND"], "t", "*", 10, 2)
    assert query_of(trend.log[-1][1])["timeZone"] == ["Asia/Jakarta"]


def test_a_garbage_pi_time_is_refused_before_any_request(plant: PiServer, source: PiSource):
    with pytest.raises(SourceError) as caught:
        source.recorded_blocking(["DRUM.PRESS"], "last tuesday", "*", 100, 2)
    assert caught.value.message == ("'last tuesday' is not a PI time: use *-8h, t, y or "
                                    "2025-10-30T06:00")
    with pytest.raises(SourceError, match="'fortnight' is not a PI interval"):
        source.interpolated_blocking(["DRUM.PRESS"], "*-1d", "*", "fortnight", 2)
    assert plant.count == 0


# -- search -----------------------------------------------------------------------------------


def test_search_with_wildcards_and_parts_of_names(source: PiSource):
    found = source.search_blocking("DRUM*", 10, 2)
    assert [t.path for t in found] == ["\\\\PISRV01\\DRUM.LEVEL", "\\\\PISRV01\\DRUM.PRESS"]
    assert found[1].descriptor == "Drum pressure" and found[1].units == "bar"
    assert [t.name for t in source.search_blocking("press", 10, 2)] == ["DRUM.PRESS"]
    assert len(source.search_blocking("*", 3, 2)) == 3


def test_search_on_a_named_server_and_on_an_unknown_one(source: PiSource):
    assert [t.name for t in source.search_blocking("\\\\PISRV01\\PUMP*", 10, 2)] == [
        "PUMP1.STATE"]
    with pytest.raises(SourceError, match="PI server 'NOWHERE' is not known to PI Web API"):
        source.search_blocking("\\\\NOWHERE\\*", 10, 2)


def test_a_searched_tag_reads_in_one_round_trip(plant: PiServer, source: PiSource):
    (found,) = source.search_blocking("DRUM.PRESS", 10, 2)
    plant.reset_log()
    assert source.current_blocking([found.path], 2)[0].value == 41.7
    assert plant.paths()[0].startswith("/piwebapi/streamsets/value?")


# -- sign-in ------------------------------------------------------------------------------------


def test_basic_sign_in(plant: PiServer, make_source: MakeSource):
    plant.auth = ("basic", "PLANT\\svc-bot", "s3cret")
    config = {"base_url": plant.base_url, "data_server": "PISRV01", "auth": "basic",
              "username": "PLANT\\svc-bot"}
    assert make_source(config, {"password": "s3cret"}).current_blocking(
        ["DRUM.PRESS"], 2)[0].value == 41.7
    wrong = make_source(config, {"password": "guess"})
    with pytest.raises(SourceError) as caught:
        wrong.current_blocking(["DRUM.PRESS"], 2)
    assert (caught.value.message, caught.value.code) == (
        "Wrong user name or password for PI Web API.", "401")
    result = wrong.test_blocking(2)
    assert (result.ok, result.message, result.code) == (
        False, "Wrong user name or password for PI Web API.", "401")


def test_bearer_sign_in(plant: PiServer, make_source: MakeSource):
    plant.auth = ("bearer", "token-123")
    plant.system_status = 403  # /system is closed to bearer tokens
    config = {"base_url": plant.base_url, "data_server": "PISRV01", "auth": "bearer"}
    good = make_source(config, {"token": "token-123"})
    assert good.test_blocking(2).ok
    assert good.current_blocking(["DRUM.PRESS"], 2)[0].value == 41.7
    with pytest.raises(SourceError, match="refused the access token"):
        make_source(config, {"token": "expired"}).current_blocking(["DRUM.PRESS"], 2)


def test_a_missing_password_is_named_before_any_request(plant: PiServer,
                                                        make_source: MakeSource):
    source = make_source({"base_url": plant.base_url, "auth": "basic", "username": "svc"})
    result = source.test_blocking(2)
    assert not result.ok
    assert result.message == ("No password is stored for PI Web API user 'svc': enter it in the "
                              "source settings.")
    assert plant.count == 0


@pytest.mark.parametrize("mode, module, extra", [("kerberos", "requests_kerberos", "kerberos"),
                                                 ("ntlm", "requests_ntlm", "ntlm")])
def test_windows_sign_in_without_its_package_says_what_to_install(
        plant: PiServer, make_source: MakeSource, monkeypatch, mode, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # as on a machine without the extra
    source = make_source({"base_url": plant.base_url, "auth": mode, "username": "PLANT\\svc"},
                         {"password": "pw"})
    result = source.test_blocking(2)
    assert not result.ok and result.code == "ImportError"
    assert f"pip install wa-integration[{extra}]" in result.message
    with pytest.raises(SourceError, match=rf"pip install wa-integration\[{extra}\]"):
        source.current_blocking(["DRUM.PRESS"], 2)


def test_the_double_refuses_a_batch_without_the_csrf_header(plant: PiServer):
    answer = requests.post(f"{plant.base_url}/batch", json={}, timeout=2)
    assert answer.status_code == 403


def test_the_double_fans_out_a_request_template_as_documented(plant: PiServer):
    server_id = requests.get(f"{plant.base_url}/dataservers", timeout=2).json()["Items"][0]
    batch = {
        "find": {"Method": "GET", "Resource": f"{plant.base_url}/dataservers/"
                 f"{server_id['WebId']}/points?nameFilter=DRUM*"},
        "read": {"Method": "GET", "RequestTemplate": {
            "Resource": f"{plant.base_url}/streams/{{0}}/value"},
            "Parameters": ["$.find.Content.Items[*].WebId"], "ParentIds": ["find"]},
        "orphan": {"Method": "GET", "Resource": f"{plant.base_url}/streams/{{0}}/value",
                   "Parameters": ["$.gone.Content.WebId"], "ParentIds": ["gone"]},
        "gone": {"Method": "GET", "Resource": f"{plant.base_url}/points?path=%5C%5CPISRV01%5CX"},
    }
    answer = requests.post(f"{plant.base_url}/batch", json=batch, timeout=2,
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert answer.status_code == 207
    body = answer.json()
    assert body["read"]["Status"] == 207
    assert [item["Content"]["Value"] for item in body["read"]["Content"]["Items"]] == [52, 41.7]
    assert body["gone"]["Status"] == 404
    assert body["orphan"]["Status"] == 409
    assert body["orphan"]["Content"].startswith("The following ParentIds did not complete")


# -- HTTP failures ------------------------------------------------------------------------------


def test_rate_limit_is_retried_after_the_time_the_server_asks(plant: PiServer,
                                                              source: PiSource):
    plant.force(429, {"Errors": ["Rate limit was reached"]}, {"Retry-After": "1"})
    started = time.monotonic()
    assert source.current_blocking(["DRUM.PRESS"], 3)[0].value == 41.7
    assert time.monotonic() - started >= 0.95
    assert plant.count == 2


def test_rate_limit_longer_than_the_deadline_fails_at_once(plant: PiServer, source: PiSource):
    plant.force(429, {"Errors": ["Rate limit was reached"]}, {"Retry-After": "30"})
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["DRUM.PRESS"], 2)
    assert time.monotonic() - started < 1
    assert caught.value.code == "429"
    assert caught.value.message == ("PI Web API is limiting requests from this workstation: try "
                                    "again in a minute.")


def test_service_unavailable_is_retried_with_backoff(plant: PiServer, source: PiSource):
    plant.force(503, times=2)
    assert source.current_blocking(["DRUM.PRESS"], 3)[0].value == 41.7
    assert plant.count == 3


def test_a_server_error_is_not_retried_and_quotes_pi(plant: PiServer, source: PiSource):
    plant.force(500, {"Errors": ["The PI Data Archive is not connected."]})
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["DRUM.PRESS"], 2)
    assert str(caught.value) == ("PI Web API had an internal error: The PI Data Archive is not "
                                 "connected. (500)")
    assert plant.count == 1


@pytest.mark.parametrize("status, sentence", [
    (403, "PI Web API refused access: the account has no permission: Access denied."),
    (413, "The request was too large for PI Web API: ask for fewer tags at once."),
    (400, "PI Web API rejected the request: Access denied."),
])
def test_other_statuses_become_sentences(plant: PiServer, source: PiSource, status, sentence):
    plant.force(status, {"Errors": ["Access denied."]})
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["DRUM.PRESS"], 2)
    assert (caught.value.message, caught.value.code) == (sentence, str(status))


def test_a_web_exception_after_200_is_an_error(plant: PiServer, source: PiSource):
    body = fixture_body("piwebasync_webexception_body.json")
    plant.force(207, body)
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["DRUM.PRESS"], 2)
    assert caught.value.message == ("PI Web API failed while sending the answer: Error occurred "
                                    "during writing of the output stream.")
    assert caught.value.code == "500"


def test_a_server_that_never_answers_gives_a_sentence_within_the_deadline(
        plant: PiServer, source: PiSource):
    plant.hang = True
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["DRUM.PRESS"], 1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 1.2  # the source stops at its deadline, not at requests' 30 s habit
    assert caught.value.code == "ReadTimeout"
    assert caught.value.message.startswith(f"PI Web API at 127.0.0.1:{plant.port} accepted the "
                                           "connection but did not answer within")
    result = source.test_blocking(0.5)
    assert not result.ok and "did not answer" in result.message


def test_a_wrong_port(make_source: MakeSource):
    port = free_port()
    source = make_source({"base_url": f"http://127.0.0.1:{port}/piwebapi"})
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["\\\\PISRV01\\DRUM.PRESS"], 2)
    assert caught.value.message == f"Cannot reach 127.0.0.1:{port} — server down or firewall."
    assert caught.value.code == "ConnectionRefusedError"
    result = source.test_blocking(2)
    assert (result.ok, result.message) == (False, caught.value.message)


def test_an_unresolvable_host(make_source: MakeSource):
    source = make_source({"base_url": "https://pi-server.plant.invalid/piwebapi"})
    result = source.test_blocking(2)
    assert not result.ok
    assert result.message.startswith("Unknown host name 'pi-server.plant.invalid'")
    assert result.code == "gaierror"


def test_bad_settings_are_named_on_use(make_source: MakeSource):
    assert make_source({"base_url": ""}).test_blocking(1).message.startswith(
        "The PI source has no address")
    assert "Unknown PI interface 'opc'" in make_source(
        {"api": "opc", "base_url": "http://x"}).test_blocking(1).message
    with pytest.raises(SourceError, match="Unknown time zone 'Mars/Olympus'"):
        make_source({"base_url": "http://127.0.0.1:1/piwebapi",
                     "time_zone": "Mars/Olympus"}).current_blocking(["A"], 1)


# -- TLS ----------------------------------------------------------------------------------------


def test_a_self_signed_certificate_is_not_trusted_by_default(pi_tls_server: PiServer,
                                                             make_source: MakeSource):
    pi_tls_server.add_tag("DRUM.PRESS", 41.7)
    source = make_source({"base_url": pi_tls_server.base_url, "verify_tls": True})
    result = source.test_blocking(2)
    assert not result.ok
    assert result.message == "Certificate not trusted — set a CA bundle or turn off verification."
    assert result.code == "SSLCertVerificationError"


def test_verification_turned_off_works(pi_tls_server: PiServer, make_source: MakeSource):
    pi_tls_server.add_tag("DRUM.PRESS", 41.7)
    source = make_source({"base_url": pi_tls_server.base_url, "verify_tls": False,
                          "data_server": "PISRV01"})
    assert source.test_blocking(2).ok
    assert source.current_blocking(["DRUM.PRESS"], 2)[0].value == 41.7


def test_a_ca_bundle_path_works(pi_tls_server: PiServer, pi_tls_files, make_source: MakeSource):
    pi_tls_server.add_tag("DRUM.PRESS", 41.7)
    source = make_source({"base_url": pi_tls_server.base_url, "verify_tls": pi_tls_files.ca,
                          "data_server": "PISRV01"})
    assert source.test_blocking(2).ok
    assert source.current_blocking(["DRUM.PRESS"], 2)[0].value == 41.7


def test_a_missing_ca_bundle_is_named(pi_tls_server: PiServer, make_source: MakeSource):
    result = make_source({"base_url": pi_tls_server.base_url,
                          "verify_tls": "/nowhere/plant-ca.pem"}).test_blocking(2)
    assert result.message == ("The CA bundle file '/nowhere/plant-ca.pem' does not exist: fix the "
                              "path or turn off certificate verification.")


def test_plain_http_to_a_tls_port_gets_a_hint(pi_tls_server: PiServer, make_source: MakeSource):
    base = pi_tls_server.base_url.replace("https://", "http://")
    result = make_source({"base_url": base}).test_blocking(2)
    assert not result.ok and "write https:// in the address" in result.message


# -- the old gateway ----------------------------------------------------------------------------


@pytest.fixture
def gateway(pi_server: PiServer) -> PiServer:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    pi_server.add_tag("DRUM.PRESS", 41.7, at=now - timedelta(minutes=10),
                      history=[(now - timedelta(minutes=40), 40.0)])
    # The newest samples are "No Data": the current value is the newest real one.
    pi_server.add_tag("FEED.FLOW", "No Data", at=now - timedelta(minutes=5),
                      history=[(now - timedelta(minutes=30), 12.5)])
    pi_server.add_tag("FAN.STATE", 0, system_state="Shutdown", at=now - timedelta(minutes=20))
    return pi_server


@pytest.fixture
def gateway_source(gateway: PiServer, make_source: MakeSource) -> PiSource:
    # Migrated sources hold the whole old URL; only scheme, host and port may be used.
    return make_source({"api": "gateway",
                        "base_url": f"{gateway.origin}/pi/trn?tag=OLD&interval=30m&start="
                                    "01/Oct/2025&end=02/Oct/2025"})


def test_gateway_current_value_is_the_newest_valid_row(gateway: PiServer,
                                                      gateway_source: PiSource):
    drum, flow, fan, missing = gateway_source.current_blocking(
        ["DRUM.PRESS", "FEED.FLOW", "FAN.STATE", "NO.SUCH.TAG"], 2)
    assert drum.value == 41.7 and drum.error is None
    assert flow.value == 12.5  # the "No Data" rows after it were skipped
    assert flow.timestamp is not None
    assert fan.system_state == "Shutdown" and fan.is_bad
    assert missing.error == "No data for 'NO.SUCH.TAG' in the last hour."
    assert all(path.startswith("/pi/trn?") for path in gateway.paths())
    assert query_of(gateway.paths()[0])["tag"][0] in {"DRUM.PRESS", "FEED.FLOW", "FAN.STATE",
                                                      "NO.SUCH.TAG"}


def test_gateway_times_without_a_zone_are_read_in_the_plant_zone(gateway: PiServer,
                                                                  make_source: MakeSource):
    from zoneinfo import ZoneInfo

    gateway.gateway_zone = ZoneInfo("Asia/Jakarta")  # it writes "2025-10-30 13:00:00"
    gateway.add_tag("CLOCK", 1.0, at=T0)
    in_zone = make_source({"api": "gateway", "base_url": gateway.origin,
                           "time_zone": "Asia/Jakarta"})
    as_utc = make_source({"api": "gateway", "base_url": gateway.origin})
    moment = "2025-10-30T06:00:00Z"
    (series,) = in_zone.interpolated_blocking(["CLOCK"], moment, moment, "1h", 2)
    assert series.values[0].timestamp == T0
    (series,) = as_utc.interpolated_blocking(["CLOCK"], moment, moment, "1h", 2)
    assert series.values[0].timestamp == T0 + timedelta(hours=7)


def test_gateway_series_and_summary(gateway: PiServer, make_source: MakeSource):
    history = [(T0 + timedelta(hours=h), 10.0 + h) for h in range(6)]
    gateway.add_tag("TREND", 16.0, history=history, at=T0 + timedelta(hours=6))
    source = make_source({"api": "gateway", "base_url": gateway.origin})
    (series,) = source.interpolated_blocking(["TREND"], "2025-10-30T06:00:00Z",
                                             "2025-10-30T08:00:00Z", "1h", 2)
    assert [v.value for v in series.values] == [10.0, 11.0, 12.0]
    assert query_of(gateway.paths()[-1])["interval"] == ["1h"]
    (recorded,) = source.recorded_blocking(["TREND"], "2025-10-30T06:00:00Z",
                                           "2025-10-30T12:00:00Z", 7, 2)
    assert [v.value for v in recorded.values] == [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
    summary = source.summary_blocking(["TREND"], "2025-10-30T06:00:00Z",
                                      "2025-10-30T12:00:00Z", ["Average", "Minimum", "Maximum"],
                                      2)["TREND"]
    assert summary["Average"].value == pytest.approx(13.0)
    assert (summary["Minimum"].value, summary["Maximum"].value) == (10.0, 16.0)
    assert summary["Maximum"].timestamp == T0 + timedelta(hours=6)
    (plot,) = source.plot_blocking(["TREND"], "2025-10-30T06:00:00Z",
                                   "2025-10-30T12:00:00Z", 6, 2)
    assert plot.values[0].value == 10.0 and plot.values[-1].value == 16.0


def test_gateway_connection_test_and_what_it_cannot_do(gateway: PiServer,
                                                       gateway_source: PiSource):
    result = gateway_source.test_blocking(2)
    assert result.ok and re.fullmatch(r"Connected in \d+ ms \(old PI gateway\)", result.message)
    with pytest.raises(SourceError, match="The old PI gateway cannot search for tags"):
        gateway_source.search_blocking("DRUM*", 10, 2)
    gateway.force(404, {"error": "not found"})
    result = gateway_source.test_blocking(2)
    assert not result.ok and "has no /pi/trn: is this the old PI gateway?" in result.message


def test_gateway_down_is_one_sentence_not_one_per_tag(make_source: MakeSource):
    port = free_port()
    source = make_source({"api": "gateway", "base_url": f"http://127.0.0.1:{port}"})
    with pytest.raises(SourceError) as caught:
        source.current_blocking(["A", "B", "C"], 2)
    assert caught.value.message == f"Cannot reach 127.0.0.1:{port} — server down or firewall."


def test_gateway_reads_tags_side_by_side(gateway: PiServer, gateway_source: PiSource):
    gateway.latency = 0.2
    started = time.monotonic()
    values = gateway_source.current_blocking(["DRUM.PRESS", "FEED.FLOW", "FAN.STATE"], 3)
    assert time.monotonic() - started < 0.5
    assert [v.tag for v in values] == ["DRUM.PRESS", "FEED.FLOW", "FAN.STATE"]
