"""Configuration as JSON: export without secrets, validated all-or-nothing import (README,
"Configuration file")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core import permissions, source_fields
from app.core.ids import new_uuid
from app.core.legacy_sources import SETUP_KEY
from app.core.redact import is_secret_key, without_secrets
from app.core.timefmt import format_ts
from app.db.models import (
    AiTrigger,
    Alarm,
    Contact,
    DataSource,
    QueryPreset,
    Schedule,
    SystemSetting,
    Trigger,
    TriggerGroup,
    TriggerGroupMember,
    database_proxy,
)
from app.errors import UserError, ValidationError
from app.services import ai_prefixes, audit, events, schedules, secrets, settings
from app.services import alarms as alarm_service
from app.services import triggers as trigger_service
from app.services.contacts import find_contact
from app.services.context import Actor
from app.services.source_secrets import SECRET_REFS

FORMAT_VERSION = 1
PLUGINS = ("pi", "mysql", "oracle", "demo", "ai", "unknown")  # unknown: kept, switched off
TRIGGER_TYPES = ("pi", "sql", "preset", "text")
# Types of the old system, kept until they are converted (docs/old-system.md §5).
LEGACY_TRIGGER_TYPES = ("QUERY", "API", "COMPOSITE")
SECRET_NAMES = ("password", "token", "api_key")
SECTIONS = ("data_sources", "triggers", "trigger_groups", "query_presets", "ai_triggers",
            "contacts", "alarms", "schedules", "settings")


# -- export -------------------------------------------------------------------------------


def export_config() -> dict[str, Any]:
    names = {s.id: s.name for s in DataSource.select(DataSource.id, DataSource.name)}
    sources = [
        {"name": s.name, "plugin": s.plugin, "active": bool(s.active),
         "config": _public_config(s.config)}
        for s in DataSource.select().order_by(DataSource.name)
    ]
    triggers = [
        {"name": t.name, "type": t.type,
         "data_source": names.get(t.data_source_id) if t.data_source_id else None,
         "active": bool(t.active), "config": _public_config(t.config)}
        for t in Trigger.select().order_by(Trigger.name)
    ]
    trigger_names = {t.id: t.name for t in Trigger.select(Trigger.id, Trigger.name)}
    groups = []
    for g in TriggerGroup.select().order_by(TriggerGroup.name):
        members = (TriggerGroupMember.select(TriggerGroupMember.trigger)
                   .where(TriggerGroupMember.group == g.id).order_by(TriggerGroupMember.id))
        groups.append({"name": g.name, "description": g.description or "",
                       "execution_mode": g.execution_mode or "parallel",
                       "members": [trigger_names[m.trigger_id] for m in members]})
    presets = [
        {"name": p.name, "query_template": p.query_template,
         "variables": p.variables if isinstance(p.variables, list) else [],
         "is_default": bool(p.is_default)}
        for p in QueryPreset.select().order_by(QueryPreset.name)
    ]
    ai = [
        {"prefix": a.prefix, "name": a.name, "description": a.description or "",
         "enabled": bool(a.enabled),
         "data_source": names.get(a.data_source_id) if a.data_source_id else None,
         "system_prompt": a.system_prompt or "",
         "audience": list(a.audience) if isinstance(a.audience, list) else []}
        for a in AiTrigger.select().order_by(AiTrigger.prefix)
    ]
    contacts = []
    for c in Contact.select().where(Contact.phone.is_null(False)).order_by(Contact.phone):
        meta = c.metadata if isinstance(c.metadata, dict) else {}
        contacts.append({"name": c.name or "", "phone": _e164(c.phone), "jid": c.id,
                         "allowed": bool(meta.get("allowed", False)),
                         "tags": list(meta.get("tags", []))})
    stored = {(r.category, r.key) for r in SystemSetting.select(SystemSetting.category,
                                                                SystemSetting.key)}
    values = settings.all_values()
    exported_settings: dict[str, dict[str, Any]] = {}
    from app.core.settings_spec import SETTINGS

    for spec in SETTINGS:
        if (spec.category, spec.key) in stored:
            exported_settings.setdefault(spec.category, {})[spec.key] = values[spec.category][
                spec.key]
    alarms = [
        {"name": a.name, "active": bool(a.active), "kind": a.kind or "pi",
         "data_source": names.get(a.data_source_id) if a.data_source_id else None,
         "tag": a.tag or None,
         "trigger": trigger_names.get(a.trigger_id) if a.trigger_id else None,
         "config": a.config if isinstance(a.config, dict) else {}}
        for a in Alarm.select().order_by(Alarm.name)
    ]
    schedule_list = [
        {"name": s.name, "active": bool(s.active), "target_kind": s.target_kind,
         "target": s.target_name, "expression": s.expression,
         "config": s.config if isinstance(s.config, dict) else {}}
        for s in Schedule.select().order_by(Schedule.name)
    ]
    return {"version": FORMAT_VERSION, "data_sources": sources, "triggers": triggers,
            "trigger_groups": groups, "query_presets": presets, "ai_triggers": ai,
            "contacts": contacts, "alarms": alarms, "schedules": schedule_list,
            "settings": exported_settings}


def _public_config(config: Any) -> Any:
    if not isinstance(config, dict):
        return config
    public = {k: v for k, v in config.items() if k != SECRET_REFS}
    return without_secrets(public)


def _e164(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return f"+{digits}" if digits else ""


# -- import -------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0

    def add(self, outcome: str, section: str, name: str) -> None:
        if outcome == "unchanged":
            self.unchanged += 1
        else:
            getattr(self, outcome).setdefault(section, []).append(name)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        out = []
        for label, bucket in (("created", self.created), ("updated", self.updated)):
            for section, names in bucket.items():
                shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more"
                                                 if len(names) > 10 else "")
                out.append(f"{section}: {len(names)} {label} ({shown})")
        out.append(f"{self.unchanged} entries unchanged")
        return out


def read_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"The file {path} does not exist.") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a text file; expected configuration JSON.") from None
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "Nothing was imported."
        ) from None
    return data


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _name(entry: Any, key: str = "name") -> str | None:
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
        name = _name(entry, key)
        return f"{section}[{index + 1}]" + (f" {name!r}" if name else "")

    def unique(self, section: str, entries: list[Any], key: str = "name") -> set[str]:
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            where = self.label(section, i, entry, key)
            if not isinstance(entry, dict):
                self.bad(where, "must be an object.")
                continue
            name = _name(entry, key)
            if name is None:
                self.bad(where, f"has no {key}.")
                continue
            folded = name.lower() if key == "name" else name
            if folded in seen:
                self.bad(where, f"the {key} {name!r} appears twice in the file.")
            seen.add(folded)
        return {n for n in (_name(e, key) for e in entries if isinstance(e, dict)) if n}


def validate(data: Any) -> list[str]:
    """Every problem of the file, one sentence each; empty when it can be imported."""
    if not isinstance(data, dict):
        return ["The file must hold one JSON object with the sections of the configuration."]
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
        if isinstance(s, dict) and _name(s):
            source_plugins[_name(s)] = s.get("plugin")
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
            existing = DataSource.get_or_none(DataSource.name == _name(s)) if _name(s) else None
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
        if not _name(a):
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
        digits = re.sub(r"[\s\-().]", "", str(entry.get("phone", "")))
        if not re.fullmatch(r"\+?\d{6,15}", digits):
            c.bad(where, f"phone {entry.get('phone')!r} must be a number with country code, "
                         "like +6281234567890.")
            continue
        if digits.lstrip("+") in seen_phones:
            c.bad(where, f"phone {entry.get('phone')} appears twice in the file.")
        seen_phones.add(digits.lstrip("+"))
        if "allowed" in entry and not _is_bool(entry["allowed"]):
            c.bad(where, "allowed must be true or false.")
        tags = entry.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            c.bad(where, "tags must be a list of words.")

    file_phones = {re.sub(r"\D", "", str(e.get("phone", ""))) for e in contacts
                   if isinstance(e, dict)}

    def contact_known(phone: str) -> bool:
        return re.sub(r"\D", "", phone) in file_phones or \
            find_contact(phone) is not None

    all_groups = {_name(g) for g in groups if isinstance(g, dict)} | {
        g.name for g in TriggerGroup.select(TriggerGroup.name)}
    _check_alarms(c, source_plugins, all_triggers, triggers, contact_known)
    _check_schedules(c, all_triggers, all_groups, contact_known)

    _rows, setting_problems = settings.validate(data.get("settings", {}) or {})
    c.problems += setting_problems
    return c.problems


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


def import_config(actor: Actor, data: Any) -> ImportReport:
    """Validate everything, then upsert by name in one transaction; nothing changes on error."""
    actor.require(permissions.CONFIG_WRITE)
    problems = validate(data)
    if problems:
        raise ValidationError(
            f"Nothing was imported: {len(problems)} "
            f"{'entry is' if len(problems) == 1 else 'entries are'} invalid.", problems)
    if data.get("settings"):
        actor.require(permissions.SETTINGS_WRITE)
    report = ImportReport()
    store = secrets.store() if any(
        isinstance(s, dict) and s.get("secrets") for s in data.get("data_sources") or []) else None
    written_refs: list[str] = []
    try:
        with database_proxy.atomic():
            _import_all(actor, data, report, store, written_refs)
    except BaseException:
        settings.forget()  # settings read inside the rolled-back transaction
        if store is not None:
            for ref in written_refs:
                store.delete(ref)
        raise
    if report.changed:
        events.emit("config", report=report)
    return report


def _import_all(actor: Actor, data: dict, report: ImportReport, store, written_refs) -> None:
    now = format_ts()
    sources = {s.name.lower(): s for s in DataSource.select()}
    for entry in data.get("data_sources") or []:
        existing = sources.get(entry["name"].strip().lower())
        config = dict(entry.get("config", {}))
        refs = dict(existing.config.get(SECRET_REFS, {})) if existing and isinstance(
            existing.config, dict) else {}
        for key, value in (entry.get("secrets") or {}).items():
            if store.get(refs.get(key)) != value:
                refs[key] = store.put(value)
                written_refs.append(refs[key])
        if refs:
            config[SECRET_REFS] = refs
        values = {"name": entry["name"].strip(), "plugin": entry["plugin"],
                  "active": entry.get("active", True), "config": config}
        row = _upsert(actor, DataSource, existing, values, now, "data_sources",
                      ("connection_added", "connection_updated"), report)
        sources[row.name.lower()] = row

    presets = {p.name.lower(): p for p in QueryPreset.select()}
    for entry in data.get("query_presets") or []:
        values = {"name": entry["name"].strip(), "query_template": entry["query_template"],
                  "variables": entry.get("variables", []),
                  "is_default": bool(entry.get("is_default", False))}
        row = _upsert(actor, QueryPreset, presets.get(values["name"].lower()), values,
                      now, "query_presets", ("preset_created", "preset_updated"), report)
        presets[row.name.lower()] = row

    triggers = {t.name.lower(): t for t in Trigger.select()}
    for entry in data.get("triggers") or []:
        source = entry.get("data_source")
        values = {"name": entry["name"].strip(), "type": entry["type"],
                  "config": entry.get("config", {}), "active": entry.get("active", True),
                  "data_source": sources[source.lower()].id if source else None}
        row = _upsert(actor, Trigger, triggers.get(values["name"].lower()), values, now,
                      "triggers", ("trigger_created", "trigger_updated"), report)
        triggers[row.name.lower()] = row

    groups = {g.name.lower(): g for g in TriggerGroup.select()}
    for entry in data.get("trigger_groups") or []:
        values = {"name": entry["name"].strip(), "description": entry.get("description") or None,
                  "execution_mode": entry.get("execution_mode", "parallel")}
        existing = groups.get(values["name"].lower())
        wanted = [triggers[m.lower()].id for m in entry.get("members", [])]
        current = [] if existing is None else [
            m.trigger_id for m in TriggerGroupMember.select().where(
                TriggerGroupMember.group == existing.id).order_by(TriggerGroupMember.id)]
        row = _upsert(actor, TriggerGroup, existing, values, now, "trigger_groups",
                      ("group_created", "group_updated"), report,
                      extra_change=("members", current, wanted))
        if current != wanted:
            TriggerGroupMember.delete().where(TriggerGroupMember.group == row.id).execute()
            for trigger_id in wanted:
                TriggerGroupMember.insert(group=row.id, trigger=trigger_id,
                                          created_at=now).execute()

    prefixes = {a.prefix: a for a in AiTrigger.select()}
    for entry in data.get("ai_triggers") or []:
        source = entry.get("data_source")
        values = {"prefix": entry["prefix"], "name": entry["name"].strip(),
                  "description": entry.get("description") or None,
                  "enabled": entry.get("enabled", True),
                  "data_source_id": sources[source.lower()].id if source else None,
                  "system_prompt": entry.get("system_prompt") or None,
                  "audience": list(entry.get("audience") or [])}
        _upsert(actor, AiTrigger, prefixes.get(values["prefix"]), values, now,
                "ai_triggers", ("ai_trigger_created", "ai_trigger_updated"), report,
                key="prefix")

    all_contacts = list(Contact.select())
    contacts = {re.sub(r"\D", "", c.phone or ""): c for c in all_contacts if c.phone}
    by_id = {c.id: c for c in all_contacts}
    for entry in data.get("contacts") or []:
        digits = re.sub(r"\D", "", str(entry["phone"]))
        # The same person may already be here under the file's WhatsApp id without a number
        # (a LID contact): give that row its number instead of adding a second one.
        existing = contacts.get(digits) or by_id.get(str(entry.get("jid") or ""))
        meta = dict(existing.metadata) if existing and isinstance(existing.metadata, dict) else {}
        meta["allowed"] = bool(entry.get("allowed", meta.get("allowed", False)))
        meta["tags"] = list(entry.get("tags", meta.get("tags", [])))
        values = {"name": entry.get("name") or (existing.name if existing else None),
                  "phone": (existing.phone if existing else None) or f"+{digits}",
                  "metadata": meta}
        if existing is None:
            values["id"] = entry.get("jid") or f"{digits}@c.us"
        _upsert(actor, Contact, existing, values, now, "contacts",
                ("contact_created", "contact_updated"), report, key="phone")

    _import_alarms(actor, data, report, sources, triggers, now)

    rows, _ = settings.validate(data.get("settings") or {})
    changed = settings.apply_rows(rows)
    for path_ in changed:
        report.add("updated", "settings", path_)
    if changed:
        audit.record(actor, "settings_updated", {"changes": changed, "via": "config import"})


def _import_alarms(actor: Actor, data: dict, report: ImportReport, sources: dict,
                   triggers: dict, now: str) -> None:
    alarms = {a.name.lower(): a for a in Alarm.select()}
    for entry in data.get("alarms") or []:
        kind = entry.get("kind", "pi")
        source, trigger = entry.get("data_source"), entry.get("trigger")
        values = {"name": " ".join(entry["name"].split()), "active": entry.get("active", True),
                  "kind": kind,
                  "data_source_id": sources[source.lower()].id if kind == "pi" else None,
                  "tag": entry["tag"].strip() if kind == "pi" else None,
                  "trigger_id": triggers[trigger.lower()].id if kind == "sql" else None,
                  "config": alarm_service.clean_config(entry.get("config") or {})}
        before = alarms.get(values["name"].lower())
        row = _upsert(actor, Alarm, before, values, now, "alarms",
                      ("alarm_created", "alarm_updated"), report)
        if before is not None:
            watched = (before.kind, before.data_source_id, before.tag, before.trigger_id) != (
                row.kind, row.data_source_id, row.tag, row.trigger_id)
            if watched or (before.active and not row.active):
                alarm_service.stop_tracking(row.id, "changed by a configuration import")
    if data.get("alarms"):
        events.emit("alarms")

    existing = {s.name.lower(): s for s in Schedule.select()}
    for entry in data.get("schedules") or []:
        values = {"name": " ".join(entry["name"].split()), "active": entry.get("active", True),
                  "target_kind": entry.get("target_kind", "trigger"),
                  "target_name": entry["target"], "expression": " ".join(
                      entry["expression"].split()),
                  "config": schedules.clean_config(entry.get("config") or {})}
        before = existing.get(values["name"].lower())
        row = _upsert(actor, Schedule, before, values, now, "schedules",
                      ("schedule_created", "schedule_updated"), report)
        if row.next_run_at is None or (before is not None
                                       and before.expression != values["expression"]):
            Schedule.update(next_run_at=schedules.first_run(values["expression"])).where(
                Schedule.id == row.id).execute()
    if data.get("schedules"):
        events.emit("schedules")


def _plain_value(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list)) else value


def _upsert(actor: Actor, model, existing, values: dict[str, Any], now: str,
            section: str, actions: tuple[str, str], report: ImportReport,
            key: str = "name", extra_change: tuple[str, Any, Any] | None = None):
    label = values.get(key) or ""
    if existing is None:
        row_values = dict(values)
        row_values.setdefault("id", new_uuid())
        row_values.update(created_at=now, updated_at=now)
        model.insert(**row_values).execute()
        row = model.get_by_id(row_values["id"])
        audit.record(actor, actions[0], {"section": section, key: label,
                                         "values": _plain_value(_audit_view(values))})
        report.add("created", section, label)
        return row
    changes: dict[str, list[Any]] = {}
    for field_name, new in values.items():
        old = getattr(existing, field_name + "_id", None) if field_name == "data_source" else \
            getattr(existing, field_name)
        if _plain_value(old) != _plain_value(new):
            changes[field_name] = [old, new]
    if extra_change and extra_change[1] != extra_change[2]:
        changes[extra_change[0]] = [extra_change[1], extra_change[2]]
    if not changes:
        report.add("unchanged", section, label)
        return existing
    update = {k: v for k, v in values.items() if k in changes}
    if "updated_at" in model._meta.fields:
        update["updated_at"] = now
    if update:
        model.update(**update).where(model.id == existing.id).execute()
    audit.record(actor, actions[1], {"section": section, key: label,
                                     "changes": _plain_value(_audit_view(changes))})
    report.add("updated", section, label)
    return model.get_by_id(existing.id)


def _audit_view(values: dict[str, Any]) -> dict[str, Any]:
    view = dict(values)
    config = view.get("config")
    if isinstance(config, dict):
        view["config"] = _public_config(config)
    return {k: (str(v) if hasattr(v, "isoformat") else v) for k, v in view.items()}
