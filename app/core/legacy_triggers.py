"""The old system's triggers and query presets as this app's types (docs/old-system.md §12)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

from app.core.legacy_sources import gateway_base
from app.core.redact import without_secrets

SETUP_KEY = "setup_missing"  # config key: what the user still has to fill in (as for sources)
REVIEW_KEY = "setup_review"  # config key: what the user should look at once, though it runs
LEGACY_KEY = "legacy"  # config key: the old settings, for reference (never secrets)
GROUP_KEY = "served_by_group"  # config key of an old COMPOSITE row: the group now answering

NEW_TYPES = frozenset({"pi", "sql", "preset", "text"})
PI_PLUGINS = frozenset({"pi", "demo"})
SQL_PLUGINS = frozenset({"mysql", "oracle"})

DEFAULT_INTERVAL = "30m"
DEFAULT_COUNT = 10  # the old code read ten rows when the query named no TOP or LIMIT
MAX_ROWS = 20

# A source as the migration knows it after converting sources: (plugin, config).
SourceInfo = tuple[str, Mapping[str, Any]]


class LegacyGroup(NamedTuple):
    """A sequential trigger group to create in place of an old COMPOSITE trigger."""

    name: str
    description: str | None
    members: list[str]  # trigger names as stored, in the old order; unresolved ones left out


@dataclass
class ConvertedTrigger:
    type: str
    config: dict[str, Any]
    active: bool | None = None  # None keeps the row's own flag
    missing: list[str] = field(default_factory=list)  # the trigger cannot answer until done
    notes: list[str] = field(default_factory=list)  # it answers, but the user should look once
    group: LegacyGroup | None = None

    @property
    def review(self) -> bool:
        return bool(self.notes)


# -- small readers --------------------------------------------------------------------------

_TAG = re.compile(r"""\btag\s*(?:=|\blike\b)\s*(['"])(.*?)\1""", re.IGNORECASE)
_TOP = re.compile(r"\btop\s*\(?\s*(\d+)", re.IGNORECASE)
_LIMIT = re.compile(r"\blimit\s+(\d+)(?:\s*,\s*(\d+))?", re.IGNORECASE)
_INTERVAL = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PLACEHOLDER = re.compile(r"^\{\s*\w*\s*\}$")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACED = re.compile(r"\{\s*([A-Za-z_]\w*)\s*\}")


def _load(config: Any) -> tuple[dict[str, Any], bool]:
    """The old config as a dict, and whether it could be read at all."""
    if isinstance(config, dict):
        return config, True
    if config in (None, ""):
        return {}, True
    try:
        value = json.loads(config)
    except (TypeError, ValueError):
        return {}, False
    return (value, True) if isinstance(value, dict) else ({}, False)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _normalise(name: str) -> str:
    # The old router's rule: lower case, every whitespace character removed.
    return "".join(name.lower().split())


def interval_seconds(text: Any) -> int | None:
    match = _INTERVAL.match(text) if isinstance(text, str) else None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()] if match else None


def span_back(count: int, interval: str) -> str:
    """`*-` followed by count × interval in the largest whole unit: 5 × 30m → `*-150m`."""
    seconds = count * (interval_seconds(interval) or 0)
    for unit in ("d", "h", "m"):
        if seconds and seconds % _UNIT_SECONDS[unit] == 0:
            return f"*-{seconds // _UNIT_SECONDS[unit]}{unit}"
    return f"*-{seconds}s"


def _row_count(query: str) -> int:
    top = _TOP.search(query)
    if top:
        return int(top.group(1))
    limit = _LIMIT.search(query)
    if limit:  # `LIMIT offset, count` names the count second
        return int(limit.group(2) or limit.group(1))
    return DEFAULT_COUNT


def _query_tag(query: str) -> str | None:
    match = _TAG.search(query)
    tag = match.group(2).strip() if match else ""
    # `{tag}` was filled in with the source's default tag by the old code.
    return tag if tag and not _PLACEHOLDER.match(tag) else None


def _url_param(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    value = values[0].strip() if values else ""
    return value if value and not _PLACEHOLDER.match(value) else None


# -- SQL text -------------------------------------------------------------------------------


def _scan_sql(sql: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each `?` and `:name` outside literals, quoted names and comments."""
    found: list[tuple[int, int, str]] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            i += 1
            while i < n:
                if sql[i] == "\\" and ch != "`":
                    i += 2
                    continue
                if sql[i] == ch:
                    if i + 1 < n and sql[i + 1] == ch:  # a doubled quote stays inside
                        i += 2
                        continue
                    break
                i += 1
            i += 1
        elif sql.startswith("--", i) or ch == "#":
            end = sql.find("\n", i)
            i = n if end < 0 else end + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif ch == "?":
            found.append((i, i + 1, "?"))
            i += 1
        elif ch == ":" and (i == 0 or sql[i - 1] != ":"):
            match = _IDENTIFIER.match(sql, i + 1)
            if match:
                found.append((i, match.end(), match.group(0)))
                i = match.end()
            else:
                i += 1
        else:
            i += 1
    return found


def named_binds(sql: str, names: list[str] | None = None) -> tuple[str, list[str]]:
    """The query with each `?` turned into a named bind, and every bind name in order of use.

    The `?` marks take `names` in order when there is exactly one valid, unused name per mark
    (the old `parameters` list); otherwise they become `:p1`, `:p2`, …
    """
    marks = _scan_sql(sql)
    named = [text for _s, _e, text in marks if text != "?"]
    questions = sum(1 for _s, _e, text in marks if text == "?")
    chosen: list[str] = []
    candidates = [str(x) for x in names or []]
    if (questions and len(candidates) == questions
            and all(_IDENTIFIER.fullmatch(x) for x in candidates)
            and len(set(candidates)) == questions and not set(candidates) & set(named)):
        chosen = candidates
    else:
        number = 0
        while len(chosen) < questions:
            number += 1
            if f"p{number}" not in named:
                chosen.append(f"p{number}")
    out: list[str] = []
    order: list[str] = []
    pos, k = 0, 0
    for start, end, text in marks:
        out.append(sql[pos:start])
        if text == "?":
            text = chosen[k]
            k += 1
        out.append(f":{text}")
        pos = end
        if text not in order:
            order.append(text)
    out.append(sql[pos:])
    return "".join(out), order


# -- triggers -------------------------------------------------------------------------------


def convert(
    row: Mapping[str, Any],
    sources: Mapping[str, SourceInfo],
    trigger_names: Collection[str],
    check_sql: Callable[[str, str], str | None] | None = None,
) -> ConvertedTrigger | None:
    """The new form of one old trigger row, or None when it already uses this app's types.

    `sources` maps a source id to its plugin and config after the source conversion;
    `trigger_names` holds the names of all triggers, for COMPOSITE members; `check_sql`, when
    given, returns a sentence for a query the read-only gate refuses (it lives outside app.core).
    """
    old_type = str(row.get("type") or "").strip()
    if old_type in NEW_TYPES:
        return None
    kind = old_type.upper()
    name = str(row.get("name") or "")
    old, readable = _load(row.get("config"))

    legacy: dict[str, Any] = {"type": old_type, **without_secrets(old)}
    if not readable:
        legacy["raw"] = str(row.get("config"))
    common: dict[str, Any] = {}
    description = _text(old.get("description")) or _text(old.get("desc"))
    if description:
        common["description"] = description
    title = _text(old.get("responsePrefix"))
    if title:
        common["title"] = title

    def finish(result: ConvertedTrigger) -> ConvertedTrigger:
        result.config = {**result.config, **common, LEGACY_KEY: legacy}
        if not readable:
            result.missing.append(
                "The old settings of this trigger could not be read; fill it in again.")
        return result

    query = _text(old.get("query")) or _text(old.get("api_url"))
    if kind == "COMPOSITE":
        members = old.get("composite_triggers")
        if isinstance(members, list) and members:
            return finish(_composite(name, description, members, trigger_names))
    elif kind in ("QUERY", "API") and query:
        source_id = row.get("data_source_id")
        source = sources.get(str(source_id)) if source_id else None
        if source is None:
            return finish(ConvertedTrigger(old_type, {}, active=False, missing=[
                "Its data source was deleted in the old system: choose a data source and "
                "check the trigger."]))
        plugin, source_config = source
        if plugin in PI_PLUGINS:
            default_tag = _text(source_config.get("default_tag"))
            if kind == "API":
                return finish(_api(query, default_tag))
            return finish(_pi_query(query, old.get("interval"), default_tag))
        if plugin in SQL_PLUGINS and kind == "QUERY":
            return finish(_sql(query, old.get("parameters"), plugin, check_sql))
        return finish(ConvertedTrigger(old_type, {}, active=False, missing=[
            f"Its data source is now of kind {plugin!r}, which cannot answer this trigger: "
            "choose a PI or SQL data source and check the trigger."]))

    # Other types and empty queries: the old bot answered with the description or the name.
    return finish(ConvertedTrigger("text", {"text": description or name}))


def _composite(name: str, description: str, members: list[Any],
               trigger_names: Collection[str]) -> ConvertedTrigger:
    exact = {str(n) for n in trigger_names}
    by_key: dict[str, list[str]] = {}
    for known in sorted(exact):
        by_key.setdefault(_normalise(known), []).append(known)
    resolved: list[str] = []
    missing: list[str] = []
    for member in members:
        wanted = str(member).strip()
        if wanted in exact:
            found = wanted
        else:
            # The old code compared names like its router did, so "tekanan drum" found it.
            matches = by_key.get(_normalise(wanted), [])
            found = matches[0] if len(matches) == 1 else ""
        if not found:
            missing.append(f"No trigger is named {wanted!r}: add the right one to the group "
                           f"{name!r} yourself.")
        elif _normalise(found) == _normalise(name):
            missing.append(f"The old combined trigger {name!r} listed itself; that member was "
                           "left out.")
        elif found not in resolved:
            resolved.append(found)
    group = LegacyGroup(name, description or None, resolved)
    # The row stays for its history but the group answers by its name (groups win over triggers).
    config = {"text": description or name, GROUP_KEY: name}
    return ConvertedTrigger("text", config, active=False, missing=missing, group=group)


def _pi(tag: str | None, default_tag: str, mode: str, interval: str,
        notes: list[str]) -> ConvertedTrigger:
    config: dict[str, Any] = {"mode": mode, "interval": interval}
    missing: list[str] = []
    chosen = tag or default_tag
    if chosen:
        config["tags"] = [chosen]
        if "%" in chosen or "*" in chosen:
            notes.append(f"The tag {chosen!r} is a pattern; name the exact PI tags to read.")
    else:
        config["tags"] = []
        missing.append("The old query names no PI tag and the data source has no default tag: "
                       "choose the tags to read.")
    return ConvertedTrigger("pi", config, missing=missing, notes=notes)


def _valid_interval(value: Any, notes: list[str]) -> str:
    text = _text(value)
    if not text:
        return DEFAULT_INTERVAL
    if interval_seconds(text) is None:
        notes.append(f"The old interval {text!r} was not understood; {DEFAULT_INTERVAL} is used.")
        return DEFAULT_INTERVAL
    return text


def _pi_query(query: str, old_interval: Any, default_tag: str) -> ConvertedTrigger:
    notes: list[str] = []
    if query.lower().startswith("http"):
        # The old code fetched the address as it was: the gateway's values of the tag at the
        # address's interval over its span (docs/old-system.md §4, §5), as this app's
        # "values at a fixed interval" give them.
        interval = _valid_interval(_url_param(query, "interval") or old_interval, notes)
        notes.append("The old trigger fetched a gateway address; it now reads the values of its "
                     f"tag every {interval} over the same span: check the tag.")
        result = _pi(_url_param(query, "tag"), default_tag, "interpolated", interval, notes)
        result.config.update(start=_url_param(query, "start") or "*-1h",
                             end=_url_param(query, "end") or "*")
        return result

    interval = _valid_interval(old_interval, notes)
    if not re.search(r"\bselect\b", query, re.IGNORECASE):
        # `latest`, `1h`, `24h`…: never a query the old code could answer.
        notes.append(f"The old query {query!r} never worked; it now reads the current value of "
                     "the default tag: check the tag and the mode.")
        return _pi(None, default_tag, "current", interval, notes)

    tag = _query_tag(query)
    count = _row_count(query)
    if count <= 1:
        result = _pi(tag, default_tag, "current", interval, notes)
    else:
        # The old answer: the last N values, one every interval, the newest now. Values at a
        # fixed interval from N - 1 intervals back to now are exactly those N (recorded values
        # would be as the historian stored them, at whatever times it did).
        notes.append(f"The old trigger showed the last {count} values every {interval}; it now "
                     f"reads the {count} values {interval} apart up to now.")
        result = _pi(tag, default_tag, "interpolated", interval, notes)
        result.config.update(start=span_back(count - 1, interval), end="*")
    return result


def _api(url: str, default_tag: str) -> ConvertedTrigger:
    notes = ["The old API trigger showed the newest value of its gateway address; check the tag."]
    interval = _valid_interval(_url_param(url, "interval"), notes)
    result = _pi(_url_param(url, "tag"), default_tag, "current", interval, notes)
    result.config["decimals"] = 2
    return result


def _sql(query: str, parameters: Any, plugin: str,
         check_sql: Callable[[str, str], str | None] | None) -> ConvertedTrigger:
    names = [str(p) for p in parameters] if isinstance(parameters, list) else []
    rewritten, binds = named_binds(query, names)
    config: dict[str, Any] = {"query": rewritten, "max_rows": MAX_ROWS}
    missing: list[str] = []
    notes: list[str] = []
    if binds:
        config["variables"] = [{"name": b, "description": ""} for b in binds]
        missing.append(
            "The query needs values (" + ", ".join(f":{b}" for b in binds) + ") that the old "
            "system never supplied: give each variable a pattern and, where it helps, a default.")
    ignored = [n for n in names if n not in binds]
    if ignored:
        notes.append("The old parameters " + ", ".join(ignored) + " do not appear in the query "
                     "and were left out.")
    if check_sql is not None:
        refusal = check_sql(rewritten, plugin)
        if refusal:
            missing.append(f"The query cannot run as a read-only report: {refusal}")
    return ConvertedTrigger("sql", config, missing=missing, notes=notes)


# -- query presets --------------------------------------------------------------------------


def _variable_names(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list):
        return []
    return [str(x).strip() for x in value if isinstance(x, str | int) and str(x).strip()]


def convert_preset(row: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """New `variables` specs of one old query_presets row, and what the user must finish.

    The old presets hold PI pseudo-SQL with `{tag}`, which is not SQL: they need the user before
    a `preset` trigger can use them.
    """
    template = _text(row.get("query_template"))
    names = _variable_names(row.get("variables"))
    for braced in _BRACED.findall(template):
        if braced not in names:
            names.append(braced)
    specs = [{"name": n, "description": ""} for n in dict.fromkeys(names)]
    missing: list[str] = []
    if _TAG.search(template) or re.search(r"\bfrom\s+point\b", template, re.IGNORECASE):
        count = _row_count(template)
        what = "the current value" if count <= 1 else f"the last {count} values"
        missing.append(
            f"This preset is the old PI query language ({what} of a tag), which cannot run as "
            "SQL: make a PI trigger instead, or rewrite the preset as a SQL query with :tag.")
    elif _BRACED.search(template):
        missing.append(
            "The old {name} placeholders were pasted into the text; write them as :name binds, "
            "which carry values only (not table or column names).")
    return specs, missing


# -- what a person needs to finish a trigger the migration could not convert -----------------


@dataclass(frozen=True)
class OldSettings:
    """An old trigger's settings as the migration summary shows them: its query or address,
    and what it read (tag, interval, span) where the old text says so."""

    query: str  # the old SQL, pseudo-SQL or gateway address ("" when it had none)
    is_address: bool  # an http… gateway address rather than a query
    reads_pi: bool  # PI data: an address or "… FROM Point …"
    tag: str | None
    interval: str | None
    start: str | None
    end: str | None
    count: int | None  # the number of rows of an old pseudo-SQL query

    @property
    def gateway(self) -> str | None:
        """scheme://host:port of the old address: the connection that serves it has it too."""
        return gateway_base(self.query) if self.is_address else None


def old_settings(legacy: Mapping[str, Any] | None) -> OldSettings:
    old = dict(legacy or {})
    query = _text(old.get("query")) or _text(old.get("api_url"))
    is_address = query.lower().startswith("http")
    if is_address:
        return OldSettings(query, True, True, _url_param(query, "tag"),
                           _url_param(query, "interval") or _text(old.get("interval")) or None,
                           _url_param(query, "start"), _url_param(query, "end"), None)
    reads_pi = bool(re.search(r"\bfrom\s+point\b", query, re.IGNORECASE))
    interval = _text(old.get("interval")) or None
    count = _row_count(query) if reads_pi else None
    start = span_back(count - 1, interval) if reads_pi and count and count > 1 and \
        interval_seconds(interval) else None
    return OldSettings(query, False, reads_pi, _query_tag(query) if reads_pi else None,
                       interval, start, "*" if start else None, count)
