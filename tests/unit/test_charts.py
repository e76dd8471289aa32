"""Trend charts: real PNGs of the asked size, readable axes, bad stretches in red, thread-safe."""

from __future__ import annotations

import io
import math
import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

from app.core.values import PiSeries, PiValue
from app.runtime.charts import (
    BAD_COLOUR,
    Limit,
    chart_available,
    render_trend_png,
    trend_figure,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIB = timezone(timedelta(hours=7), "WIB")
START = datetime(2025, 10, 30, 0, 0, tzinfo=UTC)  # 07:00 in WIB


def _series(tag: str, units: str, shape, hole: range = range(0), count: int = 97) -> PiSeries:
    values = []
    for i in range(count):
        moment = START + timedelta(minutes=5 * i)
        if i in hole:
            values.append(PiValue(tag, moment, None, units, good=False,
                                  system_state="I/O Timeout"))
        else:
            values.append(PiValue(tag, moment, shape(i), units))
    return PiSeries(tag, units, values)


def _pressure(hole: range = range(0)) -> PiSeries:
    return _series("BOILER1.DRUM.PRESS", "bar", lambda i: 40 + 2 * math.sin(i / 10), hole)


def _temperature() -> PiSeries:
    return _series("BOILER1.TEMP", "°C", lambda i: 300 + 10 * math.cos(i / 7))


def _pump() -> PiSeries:
    states = ["On", "Off", "Tripped"]
    values = [PiValue("PUMP", START + timedelta(minutes=20 * i), states[(i // 5) % 3],
                      digital=True) for i in range(30)]
    return PiSeries("PUMP", "", values)


def _size(png: bytes) -> tuple[int, int]:
    # The first chunk of every PNG is IHDR: width and height as big-endian 32-bit integers.
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _pixels(png: bytes):
    from matplotlib import image

    return image.imread(io.BytesIO(png), format="png")


def _red_marker_pixels(png: bytes) -> int:
    rgb = _pixels(png)[:, :, :3]
    r, g, b = (int(BAD_COLOUR[i:i + 2], 16) / 255 for i in (1, 3, 5))
    close = (abs(rgb[:, :, 0] - r) < 0.06) & (abs(rgb[:, :, 1] - g) < 0.06) & (
        abs(rgb[:, :, 2] - b) < 0.06)
    return int(close.sum())


def _texts(figure) -> list[str]:
    return [t.get_text() for ax in figure.axes for t in ax.texts]


def test_matplotlib_is_there():
    assert chart_available()


def test_two_tag_chart_is_a_real_png_of_the_asked_size():
    png = render_trend_png([_pressure(), _temperature()], {"BOILER1.DRUM.PRESS": "Drum pressure"},
                           "Boiler 1", WIB)
    assert png.startswith(PNG_SIGNATURE)
    assert _size(png) == (1080, 720)
    assert len(png) > 10_000
    assert _pixels(png).shape[:2] == (720, 1080)
    assert _size(render_trend_png([_pressure()], {}, "Small", WIB, width_px=600,
                                  height_px=400)) == (600, 400)


def _axis_of(figure, label: str):
    return next(ax for ax in figure.axes if ax.get_ylabel() == label)


def test_each_unit_gets_its_own_axis_and_a_third_unit_its_own_panel():
    labels = {"BOILER1.DRUM.PRESS": "Drum pressure"}
    two = trend_figure([_pressure(), _temperature()], labels, "Boiler", WIB)
    assert [ax.get_ylabel() for ax in two.axes] == ["bar", "°C"]
    legend = [t.get_text() for t in two.legends[0].get_texts()]
    assert legend == ["Drum pressure (bar)", "BOILER1.TEMP (°C)"]
    # Neither line is flattened: each axis spans its own line, 38–42 bar and 290–310 °C.
    low, high = _axis_of(two, "bar").get_ylim()
    assert 36 < low < 38.5 and 41.5 < high < 44
    low, high = _axis_of(two, "°C").get_ylim()
    assert 285 < low < 291 and 309 < high < 315

    flow = _series("FLOW", "t/h", lambda i: 100 + i)
    three = trend_figure([_pressure(), _temperature(), flow], labels, "Boiler", WIB)
    assert sorted(ax.get_ylabel() for ax in three.axes) == ["bar", "t/h", "°C"]
    assert all(" / " not in ax.get_ylabel() for ax in three.axes), "one unit per axis"
    three.canvas.draw()
    top, below = _axis_of(three, "bar").get_position(), _axis_of(three, "t/h").get_position()
    assert below.y1 <= top.y0, "the third unit is drawn in a panel under the first two"
    assert "FLOW (t/h)" in [t.get_text() for t in three.legends[0].get_texts()]


def test_tags_without_units_keep_their_own_scales_and_names_are_short():
    drum = _series("\\\\PISRV01\\BOILER1.DRUM.PRESS", "", lambda i: 40 + math.sin(i / 9))
    steam = _series("\\\\PISRV01\\BOILER1.STEAM.TEMP", "", lambda i: 480 + math.cos(i / 9))
    figure = trend_figure([drum, steam], {}, "Boiler", WIB)
    assert len(figure.axes) == 2, "the gateway gives no units: no shared scale is assumed"
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert legend == ["BOILER1.DRUM.PRESS", "BOILER1.STEAM.TEMP"]


def test_an_alarms_limit_is_drawn_on_its_tags_axis():
    figure = trend_figure([_pressure(), _temperature()], {}, "Boiler", WIB,
                          limits=[Limit("BOILER1.DRUM.PRESS", 41.5, "High 41.5 bar")])
    bar = _axis_of(figure, "bar")
    dashed = [line for line in bar.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and list(dashed[0].get_ydata()) == [41.5, 41.5]
    assert "High 41.5 bar" in [t.get_text() for t in figure.legends[0].get_texts()]
    assert not [line for line in _axis_of(figure, "°C").lines if line.get_linestyle() == "--"]


def test_times_are_shown_in_the_given_zone():
    figure = trend_figure([_pressure()], {}, "Boiler", WIB)
    figure.canvas.draw()
    ticks = {t.get_text() for t in figure.axes[0].get_xticklabels()}
    # The data run 00:00–08:00 UTC, which is 07:00–15:00 in WIB.
    assert "14:00" in ticks and "02:00" not in ticks
    assert "WIB" in figure.axes[0].get_xlabel()


def test_a_bad_stretch_is_drawn_in_red():
    clean = render_trend_png([_pressure()], {}, "Boiler", WIB)
    holed = render_trend_png([_pressure(hole=range(40, 50))], {}, "Boiler", WIB)
    assert _red_marker_pixels(clean) == 0
    assert _red_marker_pixels(holed) > 200
    figure = trend_figure([_pressure(hole=range(40, 50))], {}, "Boiler", WIB, lang="id")
    ys = figure.axes[0].lines[0].get_ydata()
    assert all(math.isnan(y) for y in ys[40:50]) and not math.isnan(ys[39])  # a gap, not zero
    assert "Nilai buruk atau tidak ada" in [t.get_text() for t in figure.legends[0].get_texts()]


def test_a_digital_tag_alone_is_a_step_line_with_state_names():
    figure = trend_figure([_pump()], {"PUMP": "Feed pump"}, "Feed pump", WIB)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Off", "On", "Tripped"]
    assert ax.lines[0].get_drawstyle() == "steps-post"
    png = render_trend_png([_pump()], {"PUMP": "Feed pump"}, "Feed pump", WIB)
    assert png.startswith(PNG_SIGNATURE) and _size(png) == (1080, 720)


def test_a_digital_tag_beside_numbers_names_its_state_codes():
    figure = trend_figure([_pressure(), _pump()], {"PUMP": "Feed pump"}, "Boiler", WIB)
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert "Feed pump (0 Off, 1 On, 2 Tripped)" in legend


def test_nothing_to_draw_says_no_data():
    unreadable = PiSeries("A", error="The tag A was not found.")
    for series in ([], [unreadable], [PiSeries("B", "bar", [])]):
        assert "No data" in _texts(trend_figure(series, {}, "Empty", WIB))
        png = render_trend_png(series, {}, "Empty", WIB)
        assert png.startswith(PNG_SIGNATURE) and _size(png) == (1080, 720)
    assert "Tidak ada data" in _texts(trend_figure([], {}, "Kosong", WIB, lang="id"))
    assert "No data" not in _texts(trend_figure([_pressure()], {}, "Full", WIB))


def test_dollar_signs_and_naive_times_do_not_break_a_chart():
    naive = PiSeries("COST", "US$", [PiValue("COST", datetime(2025, 10, 30, h), 1.5 * h, "US$")
                                     for h in range(6)])
    png = render_trend_png([naive], {"COST": "Cost $ per t"}, "Cost in $", None)
    assert png.startswith(PNG_SIGNATURE)


def test_charts_render_on_worker_threads():
    inputs = [([_pressure(hole=range(10, 20)), _temperature()], "Boiler"), ([_pump()], "Pump"),
              ([], "Empty"), ([_pressure()], "Pressure")] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: render_trend_png(job[0], {}, job[1], WIB), inputs))
    for png in results:
        assert png.startswith(PNG_SIGNATURE) and _size(png) == (1080, 720)
    alone = render_trend_png(inputs[0][0], {}, "Boiler", WIB)
    assert abs(len(results[0]) - len(alone)) <= len(alone) * 0.02


def test_the_same_input_gives_the_same_size_of_image():
    first = render_trend_png([_pressure(hole=range(5, 9)), _temperature()], {}, "Boiler", WIB)
    second = render_trend_png([_pressure(hole=range(5, 9)), _temperature()], {}, "Boiler", WIB)
    assert abs(len(first) - len(second)) <= len(first) * 0.02


def test_an_alarms_limits_and_deadband_become_lines_with_their_names():
    from app.runtime.alarms.trend import limits_of

    assert limits_of({"high": 45.0, "deadband": 1.5}, "DRUM", "bar") == [
        Limit("DRUM", 45.0, "High 45 bar"), Limit("DRUM", 43.5, "High: clears at 43.5 bar")]
    assert limits_of({"low": 10, "high": 90}, "LEVEL", "%") == [
        Limit("LEVEL", 90.0, "High 90 %"), Limit("LEVEL", 10.0, "Low 10 %")]
    assert limits_of({"state_name": "Tripped"}, "PUMP") == []


def test_an_alarms_limits_are_named_in_the_windows_language():
    from app.runtime.alarms.trend import limits_of

    names = [limit.name for limit in limits_of({"high": 45.0, "deadband": 1.5}, "DRUM", "bar",
                                               "id")]
    assert names == ["Atas 45 bar", "Atas: normal lagi di 43.5 bar"]
