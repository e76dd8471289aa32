"""The old system's data-source rows as this app's plugins and keys (docs/old-system.md §12)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.core.redact import is_secret_key

SETUP_KEY = "setup_missing"  # config key: what the user still has to fill in
LEGACY_KEY = "legacy"  # config key: the old settings, for reference (never secrets)


@dataclass
class Converted:
    plugin: str
    config: dict[str, Any]
    active: bool | None = None  # None keeps the row's own flag
    missing: list[str] = field(default_factory=list)


def _first(config: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = config.get(key)
        if value not in (None, ""):
            return value
    return None


def _seconds(milliseconds: Any) -> float | None:
    try:
        return round(float(milliseconds) / 1000, 3)
    except (TypeError, ValueError):
        return None


def _public(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if not is_secret_key(k)}


def gateway_base(url: str) -> str | None:
    """scheme://host:port of an old gateway address (only those parts were ever used)."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if not parts.hostname:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{parts.hostname}{port}"


def gateway_tag(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("tag")
    return values[0] if values else None


def convert(plugin: str | None, database_type: str | None, config: Any) -> Converted | None:
    """The new form of an old row, or None when the row already uses this app's plugins."""
    old = config if isinstance(config, dict) else {}
    kind = (plugin or "").strip()
    if kind in ("pi", "mysql", "oracle", "demo", "ai") and kind != "mysql":
        return None
    if kind == "mysql" and LEGACY_KEY not in old and "user" not in old and "db" not in old:
        return None  # already this app's mysql form
    db_type = (database_type or old.get("databaseType") or "").lower()
    keep = {LEGACY_KEY: {"plugin": kind, "database_type": database_type, **_public(old)}}

    if kind == "mysql" or (kind == "database" and db_type == "mysql"):
        new = {"host": old.get("host"), "port": int(old.get("port") or 3306),
               "database": _first(old, "database", "db"),
               "username": _first(old, "user", "username"),
               "connect_timeout_s": _seconds(old.get("connectTimeout")) or 10,
               "password": old.get("password"), **keep}
        missing = [k for k in ("host", "database", "username") if not new.get(k)]
        return Converted("mysql", _clean(new), missing=missing)

    if kind == "database" and db_type == "oracle":
        new = {"host": old.get("host"), "port": int(old.get("port") or 1521),
               "username": _first(old, "user", "username"),
               "connect_timeout_s": _seconds(old.get("connectTimeout")) or 10,
               "password": old.get("password"), **keep}
        if old.get("service"):
            new["service_name"] = old["service"]
        elif old.get("database"):
            new["dsn"] = old["database"]
        missing = [k for k in ("username",) if not new.get(k)]
        if not new.get("service_name") and not new.get("dsn"):
            missing.append("service_name")
        if not new.get("host") and not new.get("dsn"):
            missing.append("host")
        return Converted("oracle", _clean(new), missing=missing)

    if kind == "aveva-pi":
        url = _first(old, "url", "endpoint", "avevaUrl")
        base = gateway_base(url) if url else None
        if base is None and old.get("host"):
            scheme = old.get("protocol") or "http"
            port = old.get("port") or 6066
            base = f"{scheme}://{old['host']}:{port}"
        new = {"api": "gateway", "base_url": base,
               "default_tag": old.get("defaultTag") or (gateway_tag(url) if url else None),
               "timeout_s": _seconds(old.get("timeout")) or 30, **keep}
        missing = [] if base else ["base_url"]
        return Converted("pi", _clean(new), missing=missing)

    if kind.lower() == "ai":
        new = {"kind": "relay", "base_url": old.get("endpoint"), "timeout_s": 30,
               "api_key": old.get("apiKey"), **keep}
        active = bool(old.get("enabled", True)) if "enabled" in old else None
        missing = [] if old.get("endpoint") else ["base_url"]
        return Converted("ai", _clean(new), active=active, missing=missing)

    # `database` with another engine, `unknown`, or anything else: keep it, switched off.
    what = f"database type {database_type!r}" if kind == "database" else f"plugin {kind!r}"
    return Converted("unknown", {**keep}, active=False,
                     missing=[f"the old {what} is not supported: choose a kind and fill it in"])


def _clean(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if v is not None}
