"""The check of a configuration file before `config import` writes anything: every problem,
one sentence each, naming its entry (README, "Configuration file")."""

from __future__ import annotations

import re
from typing import Any

from app.core import source_fields
from app.core.email_address import address_problem
from app.core.legacy_sources import SETUP_KEY
from app.core.redact import is_secret_key
from app.db.models import DataSource, QueryPreset, Trigger, TriggerGroup
from app.services import ai_prefixes, schedules, settings
from app.services import alarms as alarm_service
from app.services import triggers as trigger_service
from app.services.source_secrets import SECRET_REFS

FORMAT_VERSION = 1
PLUGINS = (*source_fields.KINDS, "unknown")  # unknown: kept, switched off
TRIGGER_TYPES = ("pi", "sql", "preset", "text")
# Types of the old system, kept until they are converted (docs/old-system.md §5).
LEGACY_TRIGGER_TYPES = ("QUERY", "API", "COMPOSITE")
SECRET_NAMES = ("password", "token", "api_key")
SECTIONS = ("data_sources", "triggers", "trigger_groups", "query_presets", "ai_triggers",
            "contacts", "alarms", "schedules", "settings")
# Levels of brackets from the top of the file; an export uses six at most.
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
_NUL_SHOWN = "\u2400"  # ␀: how a refused NUL is shown in the names of other problems


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def entry_name(entry: Any, key: str = "name") -> str | None:
    value = entry.get(key) if isinstance(entry, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


class _Checker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def bad(self, where: str, sentence: str) -> None:
        self.problems.append(f"{where}: {sentence}")

    def entries(self, section: str) -> list[Any]:
        value = self.data.get(section, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(section, "must be a list.")
            return []
        return value

    def label(self, section: str, index: int, entry: Any, key: str = "name") -> str:
        name = entry_name(entry, key)
        return f"{section}[{index + 1}]" + (f" {name!r}" if name else "")

    def unique(self, section: str, entries: list[Any], key: str = "name") -> set[str]:
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            where = self.label(section, i, entry, key)
            if not isinstance(entry, dict):
                self.bad(where, "must be an object.")
                continue
            name = entry_name(entry, key)
            if name is None:
                self.bad(where, f"has no {key}.")
                continue
            folded = name.lower() if key == "name" else name
            if folded in seen:
                self.bad(where, f"the {key} {name!r} appears twice in the file.")
            seen.add(folded)
        return {n for n in (entry_name(e, key) for e in entries if isinstance(e, dict)) if n}


def _bad_text(text: str) -> str | None:
    """Why `text` cannot be stored, or None."""
    if "\x00" in text:
        return "holds a NUL character (\\u0000), which no name or text may hold."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ("holds an invalid character: a lone surrogate such as \\ud800, half of a "
                "character that cannot be stored.")
    return None


def _shown(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text.replace("\x00", _NUL_SHOWN))


def _clean(value: Any, field: str, depth: int, problems: list[tuple[str, str]]) -> Any:
    """`value` with characters that cannot be stored replaced and anything nested deeper than
    MAX_DEPTH cut off; each of those is added to `problems` as (field, sentence). The depth
    bounds the recursion, however deep the file is nested."""
    if isinstance(value, str):
        why = _bad_text(value)
        if why is None:
            return value
        problems.append((field, why))
        return _shown(value)
    if not isinstance(value, (dict, list)):
        return value
    if depth > MAX_DEPTH:
        problems.append((re.sub(r"(\[\d+\]){3,}", "[…]", field),
                         f"is nested too deeply: more than {MAX_DEPTH} levels of brackets "
                         "inside brackets."))
        return type(value)()
    if isinstance(value, list):
        return [_clean(v, f"{field}[{i + 1}]", depth + 1, problems)
                for i, v in enumerate(value)]
    out = {}
    for key, v in value.items():
        why = _bad_text(key)
        shown = key if why is None else _shown(key)
        path = f"{field}.{shown}" if field else shown
        if why is not None:
            problems.append((f"the key {shown!r} of {field or 'the entry'}", why))
        out[shown] = _clean(v, path, depth + 1, problems)
    return out


def _text_problems(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The file with bad characters and deep nesting made harmless, so that the rest of the
    check can run and name every other problem too; and one sentence per such place, naming
    the entry and its field."""
    clean: dict[str, Any] = {}
    sentences: list[str] = []
    for key, value in data.items():
        found: list[tuple[str, str]] = []
        section = _clean(key, "", 1, found) if isinstance(key, str) else key
        for _field, why in found:
            sentences.append(f"The section name {section!r} {why}")
        key_entries = "prefix" if section == "ai_triggers" else "name"
        if section in SECTIONS and isinstance(value, list):
            entries = []
            for i, entry in enumerate(value):
                found = []
                cleaned = _clean(entry, "", 3, found)
                where = f"{section}[{i + 1}]"
                name = entry_name(cleaned, key_entries)
                where += f" {name!r}" if name else ""
                sentences += [f"{where}: {field or 'the entry'} {why}" for field, why in found]
                entries.append(cleaned)
            clean[section] = entries
        else:
            found = []
            clean[section] = _clean(value, section, 2, found)
            sentences += [f"{field} {why}" for field, why in found]
    return clean, sentences


def validate(data: Any) -> list[str]:
    """Every problem of the file, one sentence each; empty when it can be imported."""
    if not isinstance(data, dict):
        return ["The file must hold one JSON object with the sections of the configuration."]
    data, text_problems = _text_problems(data)
    problems = _validate(data)
    return text_problems + problems


def _validate(data: dict[str, Any]) -> list[str]:
    c = _Checker(data)
    version = data.get("version")
    if version != FORMAT_VERSION:
        c.bad("version", f"must be {FORMAT_VERSION} (this file says {version!r}).")
    unknown = sorted(set(data) - set(SECTIONS) - {"version"})
    for key in unknown:
        c.bad(key, "is not a section of the configuration.")

    sources = c.entries("data_sources")
    c.unique("data_sources", sources)
    source_plugins = {s.name: s.plugin for s in DataSource.select(DataSource.name,
                                                                 DataSource.plugin)}
    for s in sources:
        if isinstance(s, dict) and entry_name(s):
            source_plugins[entry_name(s)] = s.get("plugin")
    for i, s in enumerate(sources):
        if not isinstance(s, dict):
            continue
        where = c.label("data_sources", i, s)
        if s.get("plugin") not in PLUGINS:
            c.bad(where, f"plugin must be one of {', '.join(PLUGINS)}, not {s.get('plugin')!r}.")
        if "active" in s and not _is_bool(s["active"]):
            c.bad(where, "active must be true or false.")
        if not isinstance(s.get("config", {}), dict):
            c.bad(where, "config must be an object.")
        elif any(is_secret_key(k) for k in s.get("config", {})):
            c.bad(where, "passwords, tokens and keys belong under \"secrets\", not \"config\".")
        secrets_in = s.get("secrets", {})
        config_in = s.get("config", {})
        if (isinstance(config_in, dict) and isinstance(secrets_in, dict)
                and not config_in.get(SETUP_KEY) and s.get("plugin") in PLUGINS):
            name = entry_name(s)
            existing = DataSource.get_or_none(DataSource.name == name) if name else None
            stored = set((existing.config or {}).get(SECRET_REFS) or {}) if existing and \
                isinstance(existing.config, dict) else set()
            present = stored | {k for k, v in secrets_in.items() if v}
            for problem in source_fields.check(s["plugin"], config_in, present, secrets=False):
                c.bad(where, problem)
        if not isinstance(secrets_in, dict):
            c.bad(where, "secrets must be an object.")
        else:
            for key, value in secrets_in.items():
                if key not in SECRET_NAMES:
                    c.bad(where, f"secrets.{key} is not a secret this app knows "
                                 f"({', '.join(SECRET_NAMES)}).")
                elif not isinstance(value, str):
                    c.bad(where, f"secrets.{key} must be text.")

    triggers = c.entries("triggers")
    trigger_names = c.unique("triggers", triggers)
    known_sources = set(source_plugins)
    preset_entries = c.entries("query_presets")
    preset_names = c.unique("query_presets", preset_entries) | {
        p.name for p in QueryPreset.select(QueryPreset.name)}
    for i, t in enumerate(triggers):
        if not isinstance(t, dict):
            continue
        where = c.label("triggers", i, t)
        kind = t.get("type")
        config = t.get("config", {})
        if kind not in TRIGGER_TYPES + LEGACY_TRIGGER_TYPES:
            c.bad(where, f"type must be one of {', '.join(TRIGGER_TYPES)}, not {kind!r}.")
        if not isinstance(config, dict):
            c.bad(where, "config must be an object.")
            config = {}
        if "active" in t and not _is_bool(t["active"]):
            c.bad(where, "active must be true or false.")
        source = t.get("data_source")
        if source is not None and not isinstance(source, str):
            c.bad(where, "data_source must be the name of a data source.")
            source = None
        elif source is not None and source not in known_sources:
            c.bad(where, f"data source {source!r} is neither in the file nor in the database.")
        if kind in TRIGGER_TYPES and not config.get(SETUP_KEY):
            plugin = source_plugins.get(source) if isinstance(source, str) else None
            for problem in trigger_service.check_config(kind, config, plugin, preset_names):
                c.bad(where, problem)

    all_triggers = trigger_names | {t.name for t in Trigger.select(Trigger.name)}
    groups = c.entries("trigger_groups")
    c.unique("trigger_groups", groups)
    for i, g in enumerate(groups):
        if not isinstance(g, dict):
            continue
        where = c.label("trigger_groups", i, g)
        if g.get("execution_mode", "parallel") not in ("parallel", "sequential"):
            c.bad(where, "execution_mode must be parallel or sequential.")
        members = g.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            c.bad(where, "members must be a list of trigger names.")
            continue
        for member in members:
            if member not in all_triggers:
                c.bad(where, f"member {member!r} is not a trigger in the file or the database.")
        if len(set(members)) != len(members):
            c.bad(where, "a trigger is listed twice among the members.")

    defaults = 0
    for i, p in enumerate(preset_entries):
        if not isinstance(p, dict):
            continue
        where = c.label("query_presets", i, p)
        if not isinstance(p.get("query_template"), str) or not p["query_template"].strip():
            c.bad(where, "query_template must be non-empty text.")
        if not isinstance(p.get("variables", []), list):
            c.bad(where, "variables must be a list.")
        if p.get("is_default"):
            defaults += 1
    if defaults > 1:
        c.bad("query_presets", "only one preset can be the default.")

    ai = c.entries("ai_triggers")
    c.unique("ai_triggers", ai, key="prefix")
    for i, a in enumerate(ai):
        if not isinstance(a, dict):
            continue
        where = c.label("ai_triggers", i, a, key="prefix")
        if not entry_name(a):
            c.bad(where, "has no name.")
        if "enabled" in a and not _is_bool(a["enabled"]):
            c.bad(where, "enabled must be true or false.")
        source = a.get("data_source")
        if source is not None and (not isinstance(source, str)
                                   or source_plugins.get(source) != "ai"):
            c.bad(where, f"data source {source!r} is not an AI service in the file or database.")
        if isinstance(a.get("prefix"), str):
            for problem in ai_prefixes.check_prefix(a["prefix"]):
                c.bad(where, problem)
        audience = a.get("audience", [])
        if not isinstance(audience, list) or not all(isinstance(t, str) for t in audience):
            c.bad(where, "audience must be a list of contact tags.")

    contacts = c.entries("contacts")
    seen_phones: set[str] = set()
    for i, entry in enumerate(contacts):
        where = c.label("contacts", i, entry)
        if not isinstance(entry, dict):
            c.bad(where, "must be an object.")
            continue
        if re.fullmatch(r"[0-9]+(-[0-9]+)?@g\.us", str(entry.get("jid", "")).strip()):
            # A group chat: known by its id, not a number (an old row's digits are no phone).
            _check_approval_and_tags(c, where, entry)
            continue
        digits = re.sub(r"[\s\-().]", "", str(entry.get("phone", "")))
        if not re.fullmatch(r"\+?\d{6,15}", digits):
            c.bad(where, f"phone {entry.get('phone')!r} must be a number with country code, "
                         "like +6281234567890.")
            continue
        if digits.lstrip("+") in seen_phones:
            c.bad(where, f"phone {entry.get('phone')} appears twice in the file.")
        seen_phones.add(digits.lstrip("+"))
        _check_approval_and_tags(c, where, entry)
        email = entry.get("email")
        if email not in (None, "") and (not isinstance(email, str) or address_problem(email)):
            c.bad(where, f"email {email!r}: "
                         f"{address_problem(email) if isinstance(email, str) else 'not text.'}")

    file_phones = {re.sub(r"\D", "", str(e.get("phone", ""))) for e in contacts
                   if isinstance(e, dict)}

    def contact_known(phone: str) -> bool:
        return re.sub(r"\D", "", phone) in file_phones or \
            contacts.find_contact(phone) is not None

    all_groups = {entry_name(g) for g in groups if isinstance(g, dict)} | {
        g.name for g in TriggerGroup.select(TriggerGroup.name)}
    _check_alarms(c, source_plugins, all_triggers, triggers, contact_known)
    _check_schedules(c, all_triggers, all_groups, contact_known)

    _rows, setting_problems = settings.validate(data.get("settings", {}) or {})
    c.problems += setting_problems
    return c.problems


def _check_approval_and_tags(c: _Checker, where: str, entry: dict) -> None:
    if "allowed" in entry and not _is_bool(entry["allowed"]):
        c.bad(where, "allowed must be true or false.")
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        c.bad(where, "tags must be a list of words.")


def _check_alarms(c: _Checker, source_plugins: dict[str, Any], all_triggers: set[str],
                  file_triggers: list[Any], contact_known) -> None:
    entries = c.entries("alarms")
    c.unique("alarms", entries)
    kinds = {t.name: t.type for t in Trigger.select(Trigger.name, Trigger.type)}
    kinds.update({t["name"]: t.get("type") for t in file_triggers
                  if isinstance(t, dict) and isinstance(t.get("name"), str)})
    for i, a in enumerate(entries):
        if not isinstance(a, dict):
            continue
        where = c.label("alarms", i, a)
        if "active" in a and not _is_bool(a["active"]):
            c.bad(where, "active must be true or false.")
        kind = a.get("kind", "pi")
        if kind == "pi":
            source = a.get("data_source")
            if source_plugins.get(source) not in ("pi", "demo"):
                c.bad(where, f"data source {source!r} is not a PI connection in the file or "
                             "the database.")
            if not isinstance(a.get("tag"), str) or not a["tag"].strip():
                c.bad(where, "tag must name the PI tag to watch.")
        elif kind == "sql":
            trigger = a.get("trigger")
            if trigger not in all_triggers:
                c.bad(where, f"trigger {trigger!r} is neither in the file nor in the database.")
            elif kinds.get(trigger) not in ("sql", "preset"):
                c.bad(where, f"trigger {trigger!r} is not a sql or preset trigger.")
        else:
            c.bad(where, "kind must be pi or sql.")
        config = a.get("config", {})
        if not isinstance(config, dict):
            c.bad(where, "config must be an object.")
            continue
        for problem in alarm_service.config_problems(config, contact_known):
            c.bad(where, problem)


def _check_schedules(c: _Checker, all_triggers: set[str], all_groups: set[str],
                     contact_known) -> None:
    entries = c.entries("schedules")
    c.unique("schedules", entries)
    for i, s in enumerate(entries):
        if not isinstance(s, dict):
            continue
        where = c.label("schedules", i, s)
        if "active" in s and not _is_bool(s["active"]):
            c.bad(where, "active must be true or false.")
        kind, target = s.get("target_kind", "trigger"), s.get("target")
        if kind not in schedules.TARGET_KINDS:
            c.bad(where, "target_kind must be trigger or group.")
        elif target not in (all_groups if kind == "group" else all_triggers):
            c.bad(where, f"{kind} {target!r} is neither in the file nor in the database.")
        config = s.get("config", {})
        if not isinstance(config, dict):
            c.bad(where, "config must be an object.")
            continue
        if not isinstance(s.get("expression"), str):
            c.bad(where, "expression must say when it runs, e.g. \"every shift at 06:00, "
                         "14:00, 22:00\".")
            continue
        for problem in schedules.config_problems(s["expression"], config, contact_known):
            c.bad(where, problem)
