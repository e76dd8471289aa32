"""Trend charts as PNG images for WhatsApp: readable on a phone, honest about bad values."""

from __future__ import annotations

import functools
import io
import logging
import math
import os
import shutil
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.render import label_for
from app.core.values import PiSeries, PiValue

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
LINE_WIDTH = 3.0
BAD_COLOUR = "#d62728"
# Tableau colours without their red, which is kept for bad values only.
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22")
# Points: at 100 dpi a point is 1.39 px, and a 1080 px image is shown about 360 px wide on a phone.
TITLE_PT = 22
LABEL_PT = 16
TICK_PT = 15
LEGEND_PT = 14
NO_DATA_PT = 30
_STATE_GROUP = "\x00state"  # the unit group of digital tags drawn beside numeric ones

_TEXTS = {
    "en": {"no_data": "No data", "bad": "Bad or missing value", "time": "Time",
           "state": "State", "unreadable": "no data"},
    "id": {"no_data": "Tidak ada data", "bad": "Nilai buruk atau tidak ada", "time": "Waktu",
           "state": "Status", "unreadable": "tidak ada data"},
}
# Numbers only: month names would follow the machine's locale, not the reply language.
_FORMATS = ["%Y", "%d/%m", "%d/%m", "%H:%M", "%H:%M", "%H:%M:%S"]
_ZERO_FORMATS = ["", "%Y", "%d/%m", "%d/%m", "%H:%M", "%H:%M"]
_OFFSET_FORMATS = ["", "%Y", "%m/%Y", "%d/%m/%Y", "%d/%m/%Y", "%d/%m/%Y %H:%M"]


# Where the .deb's postinst builds the font list once for every user of the machine
# (packaging/build_deb.sh); a user's first start copies it instead of building its own.
SHARED_FONT_CACHE = Path("/var/cache/wa-integration/fonts")
_FONT_LIST = "fontlist-v*.json"
FONT_CACHE_VARIABLE = "WA_INTEGRATION_FONT_CACHE"  # the folder to build the font list in
log = logging.getLogger(__name__)


def _keep_font_cache() -> None:
    """An installed bundle points matplotlib at a new temporary folder on every start (the
    bundler's start-up hook sets MPLCONFIGDIR so), so it would rebuild its font list before
    each first chart; keep that list with the user's cache instead, seeded from the machine's.
    The postinst names the machine's folder itself in WA_INTEGRATION_FONT_CACHE."""
    chosen = os.environ.get(FONT_CACHE_VARIABLE)
    if not chosen and not getattr(sys, "frozen", False):
        return  # from a checkout: matplotlib's own cache, or the MPLCONFIGDIR given
    if chosen:
        folder = Path(chosen)
    else:
        import platformdirs

        folder = Path(platformdirs.user_cache_dir("WA-Integration", appauthor=False)) / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    if not chosen:
        seed_font_cache(folder, SHARED_FONT_CACHE)
    os.environ["MPLCONFIGDIR"] = str(folder)


def seed_font_cache(folder: Path, shared: Path) -> bool:
    """Copies the machine's shared font list into `folder` when it has none; True if copied."""
    if any(folder.glob(_FONT_LIST)):
        return False
    copied = False
    for built in shared.glob(_FONT_LIST) if shared.is_dir() else ():
        try:
            shutil.copyfile(built, folder / built.name)
            copied = True
        except OSError as exc:
            log.debug("Could not copy the shared font list %s: %s", built, exc)
    return copied


def font_cache_dir() -> Path:
    """Where matplotlib keeps its font list, worked out without importing it."""
    chosen = os.environ.get("MPLCONFIGDIR")
    if chosen:
        return Path(chosen)
    if sys.platform.startswith(("linux", "freebsd")):
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "matplotlib"
    return Path.home() / ".matplotlib"


def font_cache_ready() -> bool:
    return any(font_cache_dir().glob(_FONT_LIST))


def build_font_cache() -> list[Path]:
    """Makes matplotlib find its fonts and keep the list (10-20 s the first time, on a machine
    with many fonts); returns the font list files now in its cache folder."""
    import matplotlib.font_manager  # noqa: F401 - importing it builds or reads the list

    return sorted(font_cache_dir().glob(_FONT_LIST))


def prepare_fonts_in_background() -> threading.Thread | None:
    """On a first start, builds the font list in a background thread, so the first chart does
    not wait for it; None when the list is there already (or charts are not installed)."""
    if font_cache_ready():
        return None

    def build() -> None:
        started = time.monotonic()
        try:
            build_font_cache()
        except Exception:  # noqa: BLE001 - a chart will say what is wrong when one is asked for
            log.debug("Building the font list for charts failed", exc_info=True)
            return
        log.info("The font list for charts was built in %.1f s (once per computer user)",
                 time.monotonic() - started)

    thread = threading.Thread(target=build, name="wa-font-cache", daemon=True)
    thread.start()
    return thread


_keep_font_cache()


@functools.cache
def chart_available() -> bool:
    """Whether matplotlib can be loaded here (an optional part of a slim installation)."""
    try:
        import matplotlib.figure  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    except ImportError:
        return False
    return True


def _text(lang: str, key: str) -> str:
    return _TEXTS.get(lang, _TEXTS["en"])[key]


def _plain(text: str) -> str:
    # A `$` would start matplotlib's math mode ("US$" as a unit, a tag with a dollar).
    return str(text).replace("$", r"\$")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _number(value: PiValue) -> float | None:
    raw = value.value
    if isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, int | float) and math.isfinite(raw):
        return float(raw)
    return None


@dataclass
class _Line:
    tag: str
    label: str
    unit: str
    digital: bool
    times: list[datetime] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)  # float, state name, or None where bad
    bad: list[bool] = field(default_factory=list)
    error: str | None = None

    @property
    def drawable(self) -> bool:
        return bool(self.times)

    @property
    def states(self) -> list[str]:
        return sorted({v for v in self.values if isinstance(v, str)}, key=str.lower)

    def bad_spans(self) -> list[tuple[datetime, datetime]]:
        """Where the line is broken: from the point before a bad run to the point after it."""
        spans: list[tuple[datetime, datetime]] = []
        i, n = 0, len(self.times)
        while i < n:
            if not self.bad[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and self.bad[j + 1]:
                j += 1
            spans.append((self.times[max(i - 1, 0)], self.times[min(j + 1, n - 1)]))
            i = j + 1
        return spans


def _prepare(series: PiSeries, labels: dict[str, str]) -> _Line:
    points = sorted((v for v in series.values if v.timestamp is not None),
                    key=lambda v: _aware(v.timestamp))  # type: ignore[arg-type]
    usable = [v for v in points if not v.is_bad]
    digital = bool(usable) and all(v.digital or isinstance(v.value, str) for v in usable)
    unit = series.units or next((v.units for v in points if v.units), "")
    line = _Line(series.tag, label_for(series.tag, labels), unit, digital, error=series.error)
    for point in points:
        if digital:
            value: Any = point.value if isinstance(point.value, str) else None
        else:
            value = _number(point)
        bad = point.is_bad or value is None
        line.times.append(_aware(point.timestamp))  # type: ignore[arg-type]
        line.values.append(None if bad else value)
        line.bad.append(bad)
    return line


def _zone_name(zone: tzinfo) -> str:
    return datetime.now(zone).tzname() or ""


@dataclass(frozen=True)
class Limit:
    """A horizontal line across a tag's trend: an alarm's limit, say."""

    tag: str
    value: float
    name: str  # "High 45 bar", as the legend shows it


def _unit_key(line: _Line, lines: list[_Line]) -> str:
    """Which axis a line goes on: digital tags share the state axis, numbers share by unit; a
    number without a unit (the old gateway gives none) gets its own, unless it is alone, since
    nothing says its scale is any other's."""
    if line.digital:
        return _STATE_GROUP
    if line.unit or len(lines) == 1:
        return line.unit
    return "\x00tag:" + line.tag


def trend_figure(series: list[PiSeries], labels: dict[str, str], title: str,
                 zone: tzinfo | None, lang: str = "en", width_px: int = 1080,
                 height_px: int = 720, limits: list[Limit] | None = None) -> Figure:
    """The chart as a matplotlib Figure with its own Agg canvas (no pyplot, no global state).

    One y axis per unit: two units share a panel (left and right), more units get more
    panels, one under the other on the same time axis, so no line is flattened against
    another's scale. `limits` are drawn as dashed lines on their tag's axis.
    """
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    zone = zone or datetime.now().astimezone().tzinfo or UTC
    lines = [_prepare(s, labels) for s in series]
    drawn = [line for line in lines if line.drawable]
    groups: list[str] = []
    for line in drawn:
        key = _unit_key(line, drawn)
        if key not in groups:
            groups.append(key)
    panels = max(1, math.ceil(len(groups) / 2))
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    first = figure.add_subplot(panels, 1, 1)
    lefts = [first] + [figure.add_subplot(panels, 1, n + 1, sharex=first)
                       for n in range(1, panels)]
    ax = lefts[0]
    ax.set_title(textwrap.fill(_plain(title), 60), fontsize=TITLE_PT, fontweight="bold",
                 loc="left")
    for left in lefts:
        left.tick_params(labelsize=TICK_PT, width=1.5, length=6)
        for spine in left.spines.values():
            spine.set_linewidth(1.5)

    if not drawn:
        ax.text(0.5, 0.5, _text(lang, "no_data"), transform=ax.transAxes, ha="center",
                va="center", fontsize=NO_DATA_PT, color="#555555")
        ax.set_xticks([])
        ax.set_yticks([])
        return figure

    only_digital = len(drawn) == 1 and drawn[0].digital
    axis_of: dict[str, Axes] = {}
    for i, key in enumerate(groups):
        left = lefts[i // 2]
        if i % 2 == 0:
            axis_of[key] = left
        else:
            right = left.twinx()
            right.tick_params(labelsize=TICK_PT, width=1.5, length=6)
            axis_of[key] = right
    axis_units: dict[Axes, list[str]] = {}
    for key in groups:
        if key == _STATE_GROUP:
            unit = _text(lang, "state")
        elif key.startswith("\x00tag:"):
            unit = ""
        else:
            unit = key
        axis_units.setdefault(axis_of[key], [])
        if unit and unit not in axis_units[axis_of[key]]:
            axis_units[axis_of[key]].append(unit)

    handles: list[Any] = []
    names: list[str] = []
    bad_times: list[datetime] = []
    spans: list[tuple[datetime, datetime]] = []
    for index, line in enumerate(drawn):
        target = axis_of[_unit_key(line, drawn)]
        colour = COLOURS[index % len(COLOURS)]
        name = line.label
        if line.digital:
            states = line.states
            codes = {state: i for i, state in enumerate(states)}
            ys = [codes[v] if isinstance(v, str) else math.nan for v in line.values]
            if not only_digital:  # the codes share an axis, so the legend names them
                name += " (" + ", ".join(f"{i} {s}" for s, i in codes.items()) + ")"
        else:
            ys = [math.nan if v is None else v for v in line.values]
            if len(groups) > 1 and line.unit:
                name += f" ({line.unit})"
        few = sum(1 for y in ys if not math.isnan(y)) <= 40
        (handle,) = target.plot(line.times, ys, color=colour, linewidth=LINE_WIDTH,
                                drawstyle="steps-post" if line.digital else "default",
                                marker="o" if few else None, markersize=6)
        handles.append(handle)
        names.append(_plain(name))
        bad_times += [t for t, bad in zip(line.times, line.bad, strict=True) if bad]
        spans += line.bad_spans()

    for line in lines:
        if not line.drawable:
            handles.append(Line2D([], [], color="#999999", linestyle="--",
                                  linewidth=LINE_WIDTH))
            names.append(_plain(f"{line.label}: {_text(lang, 'unreadable')}"))

    if only_digital:
        states = drawn[0].states
        ax.set_yticks(range(len(states)), [_plain(s) for s in states])
        ax.set_ylim(-0.5, max(len(states), 1) - 0.5)
    for axis, units in axis_units.items():
        if axis is not None and not only_digital:
            axis.set_ylabel(_plain(" / ".join(units)), fontsize=LABEL_PT)
    if _STATE_GROUP in groups and not only_digital:
        state_axis = axis_of[_STATE_GROUP]
        if state_axis is not None and [g for g in groups if axis_of[g] is state_axis] == [
                _STATE_GROUP]:
            state_axis.yaxis.set_major_locator(MaxNLocator(integer=True))  # codes, not 0.25

    for limit in limits or ():
        line = next((d for d in drawn if d.tag == limit.tag), None)
        if line is None or line.digital:
            continue
        target = axis_of[_unit_key(line, drawn)]
        handle = target.axhline(limit.value, color=BAD_COLOUR, linestyle="--", linewidth=2.0)
        handles.append(handle)
        names.append(_plain(limit.name))

    if bad_times:
        for start, end in spans:
            ax.axvspan(start, end, color=BAD_COLOUR, alpha=0.15, linewidth=0)
        # Crosses along the bottom edge, so a bad value shows even where no band has width.
        ax.plot(bad_times, [0.03] * len(bad_times), transform=ax.get_xaxis_transform(),
                linestyle="none", marker="x", color=BAD_COLOUR, markersize=13,
                markeredgewidth=3, clip_on=False)
        handles.append(Line2D([], [], linestyle="none", marker="x", color=BAD_COLOUR,
                              markersize=13, markeredgewidth=3))
        names.append(_text(lang, "bad"))

    locator = mdates.AutoDateLocator(tz=zone, minticks=3, maxticks=7)
    formatter = mdates.ConciseDateFormatter(locator, tz=zone, formats=_FORMATS,
                                            zero_formats=_ZERO_FORMATS,
                                            offset_formats=_OFFSET_FORMATS)
    bottom = lefts[-1]
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(formatter)
    bottom.xaxis.get_offset_text().set_fontsize(TICK_PT)
    for upper in lefts[:-1]:
        upper.tick_params(labelbottom=False)
    zone_name = _zone_name(zone)
    time_label = _text(lang, "time") + (f" ({zone_name})" if zone_name else "")
    bottom.set_xlabel(_plain(time_label), fontsize=LABEL_PT)
    for left in lefts:
        left.grid(True, alpha=0.35, linewidth=1)
    figure.legend(handles, names, loc="outside lower center", fontsize=LEGEND_PT,
                  ncols=1 if len(handles) == 1 else 2, frameon=False)
    return figure


def render_trend_png(series: list[PiSeries], labels: dict[str, str], title: str,
                     zone: tzinfo | None, lang: str = "en", width_px: int = 1080,
                     height_px: int = 720, limits: list[Limit] | None = None) -> bytes:
    """A PNG trend of the series, `width_px` × `height_px`, times shown in `zone`.

    Blocking and thread-safe: it runs on a worker thread and touches no pyplot state.
    """
    figure = trend_figure(series, labels, title, zone, lang, width_px, height_px, limits)
    buffer = io.BytesIO()
    # No "Software" entry: the same chart gives the same bytes whatever matplotlib made it.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
