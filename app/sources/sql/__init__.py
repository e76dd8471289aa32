"""MySQL/MariaDB (pymysql) and Oracle (oracledb thin) sources: checked, read-only, time-limited."""

from __future__ import annotations

from app.sources.sql.common import DEFAULT_CONNECT_TIMEOUT_S
from app.sources.sql.mysql import MySqlSource
from app.sources.sql.oracle import OracleSource

__all__ = ["DEFAULT_CONNECT_TIMEOUT_S", "MySqlSource", "OracleSource"]
