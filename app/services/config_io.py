"""Configuration as JSON: export without secrets, validated all-or-nothing import (README,
"Configuration file")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core import permissions, source_fields
from app.core.legacy_sources import SETUP_KEY
from app.core.redact import is_secret_key, without_secrets
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
)
from app.errors import UserError, ValidationError
from app.services import ai_prefixes, contacts, events, schedules, secrets, settings
from app.services import alarms as alarm_service
from app.services import sources as source_service
from app.services import triggers as trigger_service
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
            contacts.find_contact(phone) is not None

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
    """Validate everything, then save entry by entry, by name, through the services' own save
    paths, all in one unit of work: nothing changes on error, and every table changed is
    notified once after the commit (docs/architecture.md, "How changes reach the screen")."""
    actor.require(permissions.CONFIG_WRITE)
    problems = validate(data)
    if problems:
        raise _refused(problems)
    if data.get("settings"):
        actor.require(permissions.SETTINGS_WRITE)
    report = ImportReport()
    try:
        with events.unit_of_work():
            _Import(actor, report).run(data)
    except BaseException:
        settings.forget()  # settings read inside the rolled-back transaction
        raise
    return report


def _refused(problems: list[str]) -> ValidationError:
    return ValidationError(
        f"Nothing was imported: {len(problems)} "
        f"{'entry is' if len(problems) == 1 else 'entries are'} invalid.", problems)


def _one_line(name: str) -> str:
    return " ".join(name.split())


def _key(model, name: str) -> str:
    """How the model's service tells names apart (an AI prefix: exactly)."""
    if model is AiTrigger:
        return name
    return (name.strip() if model in (DataSource, QueryPreset) else _one_line(name)).lower()


class _Import:
    """One import: compares each entry with its row and saves only what differs."""

    def __init__(self, actor: Actor, report: ImportReport) -> None:
        self.actor = actor
        self.report = report
        self.problems: list[str] = []
        self.rows: dict[Any, dict[str, Any]] = {}
        self.sources = {s.name.lower(): s.id for s in DataSource.select(DataSource.id,
                                                                          DataSource.name)}
        self.triggers = {t.name.lower(): t.id for t in Trigger.select(Trigger.id, Trigger.name)}

    def existing(self, model, key: str):
        """The row of `model` the entry called `key` updates (the rows are read once)."""
        if model not in self.rows:
            self.rows[model] = {_key(model, r.prefix if model is AiTrigger else r.name): r
                                for r in model.select()}
        return self.rows[model].get(_key(model, key))

    def run(self, data: dict) -> None:
        for section, step in (("data_sources", self.source), ("query_presets", self.preset),
                              ("triggers", self.trigger), ("trigger_groups", self.group),
                              ("ai_triggers", self.ai_prefix), ("contacts", self.contact),
                              ("alarms", self.alarm), ("schedules", self.schedule)):
            for index, entry in enumerate(data.get(section) or []):
                key = "prefix" if section == "ai_triggers" else "name"
                label = _name(entry, key)
                where = f"{section}[{index + 1}]" + (f" {label!r}" if label else "")
                try:
                    outcome, name = step(entry)
                except ValidationError as exc:  # a rule of the service the file check missed
                    self.problems += [f"{where}: {p}" for p in exc.problems] or [
                        f"{where}: {exc.message}"]
                    continue
                self.report.add(outcome, section, name)
            if self.problems:  # later sections may name what was refused here
                raise _refused(self.problems)
        if data.get("settings"):
            for path in settings.update(self.actor, data["settings"]):
                self.report.add("updated", "settings", path)

    def source(self, entry: dict) -> tuple[str, str]:
        name = entry["name"].strip()
        existing = self.existing(DataSource, name)
        config = dict(entry.get("config", {}))
        stored = existing.config if existing and isinstance(existing.config, dict) else {}
        refs = dict(stored.get(SECRET_REFS) or {})
        new_secrets = {key: value for key, value in (entry.get("secrets") or {}).items()
                       if value and secrets.store().get(refs.get(key)) != value}
        if refs:
            config[SECRET_REFS] = refs
        values = {"name": name, "plugin": entry["plugin"], "active": entry.get("active", True),
                  "config": config}
        outcome = _outcome(existing, values, changed_too=bool(new_secrets))
        if outcome != "unchanged":
            saved = source_service.save_source(
                self.actor, existing.id if existing else None, name=name,
                plugin=values["plugin"], active=values["active"], config=config,
                new_secrets=new_secrets, from_file=True)
            self.sources[name.lower()] = saved["id"]
        return outcome, name

    def preset(self, entry: dict) -> tuple[str, str]:
        values = {"name": entry["name"].strip(), "query_template": entry["query_template"],
                  "variables": entry.get("variables", []),
                  "is_default": bool(entry.get("is_default", False))}
        existing = self.existing(QueryPreset, values["name"])
        outcome = _outcome(existing, values)
        if outcome != "unchanged":
            trigger_service.save_preset(self.actor, existing.id if existing else None,
                                        **values)
        return outcome, values["name"]

    def _source_id(self, entry: dict) -> str | None:
        source = entry.get("data_source")
        return self.sources[source.lower()] if source else None

    def trigger(self, entry: dict) -> tuple[str, str]:
        name = _one_line(entry["name"])
        values = {"name": name, "type": entry["type"], "config": entry.get("config", {}),
                  "active": entry.get("active", True), "data_source": self._source_id(entry)}
        existing = self.existing(Trigger, name)
        outcome = _outcome(existing, values)
        if outcome != "unchanged":
            saved = trigger_service.save_trigger(
                self.actor, existing.id if existing else None, name=name, kind=values["type"],
                active=values["active"], data_source_id=values["data_source"],
                config=values["config"], from_file=True)
            self.triggers[name.lower()] = saved["id"]
        return outcome, name

    def group(self, entry: dict) -> tuple[str, str]:
        values = {"name": _one_line(entry["name"]),
                  "description": entry.get("description") or None,
                  "execution_mode": entry.get("execution_mode", "parallel")}
        existing = self.existing(TriggerGroup, values["name"])
        wanted = [self.triggers[m.lower()] for m in entry.get("members", [])]
        current = [] if existing is None else [
            m.trigger_id for m in TriggerGroupMember.select().where(
                TriggerGroupMember.group == existing.id).order_by(TriggerGroupMember.id)]
        outcome = _outcome(existing, values, changed_too=current != wanted)
        if outcome != "unchanged":
            trigger_service.save_group(
                self.actor, existing.id if existing else None, name=values["name"],
                description=values["description"] or "",
                execution_mode=values["execution_mode"], member_ids=wanted, from_file=True)
        return outcome, values["name"]

    def ai_prefix(self, entry: dict) -> tuple[str, str]:
        values = {"prefix": entry["prefix"],
                  "name": _one_line(entry["name"]) or ai_prefixes.DEFAULT_NAME,
                  "description": (entry.get("description") or "").strip() or None,
                  "enabled": entry.get("enabled", True),
                  "data_source_id": self._source_id(entry),
                  "system_prompt": (entry.get("system_prompt") or "").strip() or None,
                  "audience": ai_prefixes.clean_audience(entry.get("audience") or [])[0]}
        existing = self.existing(AiTrigger, values["prefix"])
        outcome = _outcome(existing, values)
        if outcome != "unchanged":
            ai_prefixes.save_prefix(
                self.actor, existing.id if existing else None, prefix=values["prefix"],
                name=values["name"], description=values["description"] or "",
                enabled=values["enabled"], data_source_id=values["data_source_id"],
                system_prompt=values["system_prompt"] or "", audience=values["audience"])
        return outcome, values["prefix"]

    def contact(self, entry: dict) -> tuple[str, str]:
        digits = re.sub(r"\D", "", str(entry["phone"]))
        outcome = contacts.save_from_file(
            self.actor, phone=digits, name=entry.get("name"), jid=entry.get("jid"),
            allowed=entry.get("allowed"), tags=entry.get("tags"))
        return outcome, f"+{digits}"

    def alarm(self, entry: dict) -> tuple[str, str]:
        kind = entry.get("kind", "pi")
        values = {"name": _one_line(entry["name"]), "active": entry.get("active", True),
                  "kind": kind,
                  "data_source_id": self._source_id(entry) if kind == "pi" else None,
                  "tag": entry["tag"].strip() if kind == "pi" else None,
                  "trigger_id": self.triggers[entry["trigger"].lower()] if kind == "sql"
                  else None,
                  "config": alarm_service.clean_config(entry.get("config") or {})}
        existing = self.existing(Alarm, values["name"])
        outcome = _outcome(existing, values)
        if outcome != "unchanged":
            # The service's rules apply: an open event ends when the alarm is switched off or
            # watches something else.
            alarm_service.save_alarm(
                self.actor, existing.id if existing else None, name=values["name"],
                active=values["active"], kind=kind, data_source_id=values["data_source_id"],
                tag=values["tag"] or "", trigger_id=values["trigger_id"],
                config=entry.get("config") or {})
        return outcome, values["name"]

    def schedule(self, entry: dict) -> tuple[str, str]:
        values = {"name": _one_line(entry["name"]), "active": entry.get("active", True),
                  "target_kind": entry.get("target_kind", "trigger"),
                  "target_name": entry["target"],
                  "expression": _one_line(entry["expression"]),
                  "config": schedules.clean_config(entry.get("config") or {})}
        existing = self.existing(Schedule, values["name"])
        outcome = _outcome(existing, values)
        if outcome != "unchanged":
            schedules.save_schedule(
                self.actor, existing.id if existing else None, name=values["name"],
                active=values["active"], target_kind=values["target_kind"],
                target_name=values["target_name"], expression=values["expression"],
                config=entry.get("config") or {})
        return outcome, values["name"]


def _plain_value(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list)) else value


def _outcome(existing, values: dict[str, Any], changed_too: bool = False) -> str:
    """"created", "updated" or "unchanged": the entry's values against its row."""
    if existing is None:
        return "created"
    for field_name, new in values.items():
        old = getattr(existing, field_name + "_id", None) if field_name == "data_source" else \
            getattr(existing, field_name)
        if _plain_value(old) != _plain_value(new):
            return "updated"
    return "updated" if changed_too else "unchanged"
