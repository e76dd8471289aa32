"""Configuration as JSON: export without secrets, validated all-or-nothing import (README,
"Configuration file"); the check of a file before it is imported is in config_check."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core import permissions
from app.core.redact import without_secrets
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
from app.services import (
    ai_prefixes,
    config_check,
    contacts,
    emails,
    events,
    schedules,
    secrets,
    settings,
)
from app.services import alarms as alarm_service
from app.services import groups as group_service
from app.services import sources as source_service
from app.services import triggers as trigger_service
from app.services.context import Actor
from app.services.source_secrets import SECRET_REFS

FORMAT_VERSION = config_check.FORMAT_VERSION


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
    people = list(Contact.select().where(Contact.phone.is_null(False)).order_by(Contact.phone))
    addresses = emails.emails_of(c.id for c in people)
    for c in people:
        meta = c.metadata if isinstance(c.metadata, dict) else {}
        contacts.append({"name": c.name or "", "phone": _e164(c.phone), "jid": c.id,
                         "allowed": bool(meta.get("allowed", False)),
                         "tags": list(meta.get("tags", [])),
                         # Only when there is one: a file without addresses reads as before.
                         **({"email": addresses[c.id]} if c.id in addresses else {})})
    # Group chats have no number: after the people, by id, with their approval and tags.
    contacts += group_service.export_rows()
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
    except RecursionError:
        raise UserError(
            f"{path} is nested too deeply to be a configuration file: brackets inside brackets "
            f"{_too_deep_at(text)}, where a configuration needs at most "
            f"{config_check.MAX_DEPTH}. Nothing was imported."
        ) from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
            "Nothing was imported."
        ) from None
    return data


def _too_deep_at(text: str) -> str:
    """Where the brackets of `text` first go deeper than the check allows ("from line …")."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > config_check.MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
                return f"from line {line}, column {column} on"
        elif token in "]}":
            depth -= 1
    return "thousands of levels deep"


def import_config(actor: Actor, data: Any) -> ImportReport:
    """Validate everything, then save entry by entry, by name, through the services' own save
    paths, all in one unit of work: nothing changes on error, and every table changed is
    notified once after the commit (docs/architecture.md, "How changes reach the screen")."""
    actor.require(permissions.CONFIG_WRITE)
    problems = config_check.validate(data)
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
        self.where = ""  # the entry being imported, as its problems name it
        self.rows: dict[Any, dict[str, Any]] = {}
        self.sources = {s.name.lower(): s.id for s in DataSource.select(DataSource.id,
                                                                          DataSource.name)}
        self.triggers = {t.name.lower(): t.id for t in Trigger.select(Trigger.id, Trigger.name)}
        self.new_alarms: list[dict[str, Any]] = []  # created together, after the section

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
                label = config_check.entry_name(entry, key)
                where = self.where = f"{section}[{index + 1}]" + (f" {label!r}" if label
                                                                  else "")
                try:
                    outcome, name = step(entry)
                except ValidationError as exc:  # a rule of the service the file check missed
                    self.problems += [f"{where}: {p}" for p in exc.problems] or [
                        f"{where}: {exc.message}"]
                    continue
                self.report.add(outcome, section, name)
            if section == "alarms":
                self.create_alarms()
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
        trigger_id = existing.id if existing else None
        if outcome != "unchanged":
            trigger_id = trigger_service.save_trigger(
                self.actor, trigger_id, name=name, kind=values["type"],
                active=values["active"], data_source_id=values["data_source"],
                config=values["config"], from_file=True)["id"]
        # Groups, alarms and schedules name it as the file spells it.
        self.triggers[name.lower()] = self.triggers[entry["name"].strip().lower()] = trigger_id
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
        if group_service.is_group_id(entry.get("jid")):
            jid = entry["jid"].strip()
            return group_service.save_from_file(self.actor, jid=jid, name=entry.get("name"),
                                                allowed=entry.get("allowed"),
                                                tags=entry.get("tags")), jid
        digits = re.sub(r"\D", "", str(entry["phone"]))
        outcome = contacts.save_from_file(
            self.actor, phone=digits, name=entry.get("name"), jid=entry.get("jid"),
            allowed=entry.get("allowed"), tags=entry.get("tags"))
        if "email" in entry:  # a file without the key (an older export) leaves it as it is
            saved = contacts.find_contact(f"+{digits}")
            before = emails.get_email(saved["id"])
            if emails.set_email(self.actor, saved["id"], entry["email"] or None) != before \
                    and outcome == "unchanged":
                outcome = "updated"
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
        if existing is None:  # thousands of new alarms are checked and inserted together
            self.new_alarms.append({**values, "tag": values["tag"] or "",
                                    "config": entry.get("config") or {},
                                    "label": self.where})
        elif outcome != "unchanged":
            # The service's rules apply: an open event ends when the alarm is switched off or
            # watches something else.
            alarm_service.save_alarm(
                self.actor, existing.id if existing else None, name=values["name"],
                active=values["active"], kind=kind, data_source_id=values["data_source_id"],
                tag=values["tag"] or "", trigger_id=values["trigger_id"],
                config=entry.get("config") or {})
        return outcome, values["name"]

    def create_alarms(self) -> None:
        try:
            alarm_service.create_from_file(self.actor, self.new_alarms)
        except ValidationError as exc:  # each problem already names its entry
            self.problems += exc.problems
        self.new_alarms = []

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
