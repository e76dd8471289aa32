"""Building a source object from its kind, settings and secrets (drivers imported on demand)."""

from __future__ import annotations

from typing import Any

from app.sources.base import Source, SourceError


def create(plugin: str, config: dict[str, Any], secrets: dict[str, str]) -> Source:
    if plugin == "pi":
        from app.sources.pi import PiSource

        return PiSource(config, secrets)
    if plugin == "mysql":
        from app.sources.sql import MySqlSource

        return MySqlSource(config, secrets)
    if plugin == "oracle":
        from app.sources.sql import OracleSource

        return OracleSource(config, secrets)
    if plugin == "demo":
        from app.sources.demo import DemoHistorian

        return DemoHistorian(config)
    if plugin == "ai":
        from app.sources.ai import AiSource

        return AiSource(config, secrets)
    if plugin == "email":
        from app.sources.smtp import EmailSource

        return EmailSource(config, secrets)
    raise SourceError(f"This connection's kind ({plugin!r}) is not supported: edit it, choose a "
                      "kind and fill in its settings.")
