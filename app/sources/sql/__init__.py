"""MySQL/MariaDB (pymysql) and Oracle (oracledb thin) sources: checked, read-only, time-limited,
on pooled connections.

Each driver loads with its own source only: a MySQL source never imports oracledb (and its
cryptography), an Oracle source never imports pymysql.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.sources.sql.common import DEFAULT_CONNECT_TIMEOUT_S

if TYPE_CHECKING:
    from app.sources.sql.mysql import MySqlSource
    from app.sources.sql.oracle import OracleSource

__all__ = ["DEFAULT_CONNECT_TIMEOUT_S", "MySqlSource", "OracleSource"]


def __getattr__(name: str) -> Any:
    if name == "MySqlSource":
        from app.sources.sql.mysql import MySqlSource

        return MySqlSource
    if name == "OracleSource":
        from app.sources.sql.oracle import OracleSource

        return OracleSource
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
