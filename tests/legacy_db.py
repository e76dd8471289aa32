"""Builds an SQLite database shaped exactly like the old Node.js system's app.db, for tests."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from typing import Any

_UUID4_SQL = (
    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', abs(random()) % 4 + 1, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
)

LEGACY_TABLES: tuple[str, ...] = (
    "data_sources",
    "triggers",
    "trigger_groups",
    "trigger_group_members",
    "ai_triggers",
    "whatsapp_status",
    "messages",
    "contacts",
    "outgoing_messages",
    "query_presets",
    "system_settings",
    "users",
    "audit_logs",
    "sessions",
)

LEGACY_INDEXES: tuple[str, ...] = (
    "idx_data_sources_plugin",
    "idx_data_sources_active",
    "idx_triggers_active",
    "idx_triggers_data_source",
    "idx_users_username",
    "idx_users_is_active",
    "idx_audit_logs_user_id",
    "idx_audit_logs_timestamp",
    "idx_sessions_user_id",
    "idx_sessions_expires_at",
    "idx_sessions_is_active",
    "idx_outgoing_messages_status",
    "idx_outgoing_messages_recipient",
    "idx_outgoing_messages_created_at",
)

LEGACY_DDL: str = f"""
CREATE TABLE data_sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    plugin TEXT NOT NULL,
    database_type TEXT,
    config TEXT NOT NULL,
    connection_status TEXT DEFAULT 'unknown'
        CHECK (connection_status IN ('connected', 'disconnected', 'error', 'unknown')),
    last_tested_at DATETIME,
    test_status TEXT CHECK (test_status IN ('success', 'failed', 'pending')),
    test_error_message TEXT,
    active BOOLEAN DEFAULT 1,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE triggers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    config TEXT NOT NULL,
    active BOOLEAN DEFAULT 1,
    data_source_id TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (data_source_id) REFERENCES data_sources(id) ON DELETE SET NULL
);

CREATE TABLE trigger_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    execution_mode TEXT DEFAULT 'parallel' CHECK (execution_mode IN ('parallel', 'sequential')),
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE trigger_group_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (group_id) REFERENCES trigger_groups(id) ON DELETE CASCADE,
    FOREIGN KEY (trigger_id) REFERENCES triggers(id) ON DELETE CASCADE,
    UNIQUE (group_id, trigger_id)
);

CREATE TABLE ai_triggers (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL DEFAULT 'ai',
    prefix TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    enabled BOOLEAN DEFAULT 1,
    usage_count INTEGER DEFAULT 0,
    last_used DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE whatsapp_status (
    id INTEGER PRIMARY KEY DEFAULT 1,
    is_ready BOOLEAN DEFAULT 0,
    is_initializing BOOLEAN DEFAULT 0,
    bot_number TEXT,
    phone_number TEXT,
    bot_id TEXT,
    qr_data TEXT,
    last_update DATETIME DEFAULT CURRENT_TIMESTAMP,
    reconnect_attempts INTEGER DEFAULT 0,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    content TEXT,
    sender TEXT,
    recipient TEXT,
    status TEXT DEFAULT 'sent',
    processed_at DATETIME,
    metadata TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    name TEXT,
    phone TEXT UNIQUE,
    metadata TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE outgoing_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    message TEXT NOT NULL,
    type TEXT DEFAULT 'manual',
    status TEXT DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    sent_at DATETIME,
    error_message TEXT,
    retry_count INTEGER DEFAULT 0,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE query_presets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    query_template TEXT NOT NULL,
    variables TEXT,
    is_default BOOLEAN DEFAULT 0,
    usage_count INTEGER DEFAULT 0,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE system_settings (
    id TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (category, key)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY DEFAULT {_UUID4_SQL},
    username TEXT UNIQUE NOT NULL,
    password_hash TEXT NOT NULL,
    full_name TEXT,
    email TEXT,
    role TEXT DEFAULT 'admin' CHECK (role IN ('admin', 'user', 'viewer')),
    created_by TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    last_login DATETIME,
    is_active BOOLEAN DEFAULT 1,
    login_attempts INTEGER DEFAULT 0,
    locked_until DATETIME,
    FOREIGN KEY (created_by) REFERENCES users(id)
);

CREATE TABLE audit_logs (
    id TEXT PRIMARY KEY DEFAULT {_UUID4_SQL},
    user_id TEXT,
    action TEXT NOT NULL,
    details TEXT,
    ip_address TEXT,
    user_agent TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES users(id)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY DEFAULT {_UUID4_SQL},
    user_id TEXT UNIQUE,
    token_hash TEXT,
    expires_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    ip_address TEXT,
    user_agent TEXT,
    is_active BOOLEAN DEFAULT 1,
    FOREIGN KEY (user_id) REFERENCES users(id)
);

CREATE INDEX idx_data_sources_plugin ON data_sources(plugin);
CREATE INDEX idx_data_sources_active ON data_sources(active);
CREATE INDEX idx_triggers_active ON triggers(active);
CREATE INDEX idx_triggers_data_source ON triggers(data_source_id);
CREATE INDEX idx_users_username ON users(username);
CREATE INDEX idx_users_is_active ON users(is_active);
CREATE INDEX idx_audit_logs_user_id ON audit_logs(user_id);
CREATE INDEX idx_audit_logs_timestamp ON audit_logs(timestamp);
CREATE INDEX idx_sessions_user_id ON sessions(user_id);
CREATE INDEX idx_sessions_expires_at ON sessions(expires_at);
CREATE INDEX idx_sessions_is_active ON sessions(is_active);
CREATE INDEX idx_outgoing_messages_status ON outgoing_messages(status);
CREATE INDEX idx_outgoing_messages_recipient ON outgoing_messages(recipient);
CREATE INDEX idx_outgoing_messages_created_at ON outgoing_messages(created_at);
"""

LEGACY_PRAGMAS: dict[str, str | int] = {
    "journal_mode": "WAL",
    "synchronous": "NORMAL",
    "cache_size": 1000,
    "foreign_keys": "ON",
}

LEGACY_PASSWORDS: dict[str, str] = {"admin": "admin123", "budi": "operator1"}

LEGACY_ADMIN_ID = "3f2b8c1e-7a4d-4e9f-9b21-5c6d7e8f9a01"
LEGACY_BUDI_ID = "a81c0d2e-3b4f-4a56-8c7d-9e0f1a2b3c4d"

LEGACY_PI_SOURCE_ID = "conn-mh2k3x9a-ab12c"
LEGACY_OLD_PI_SOURCE_ID = "aveva-pi-1727740800000"
LEGACY_MYSQL_SOURCE_ID = "mysql-1729001234567"
LEGACY_ORACLE_SOURCE_ID = "conn-mh3a1b2c-x9y8z"
LEGACY_AI_SOURCE_ID = "ai-connection"
LEGACY_UNKNOWN_SOURCE_ID = "temp-mh4q7r2t-p0o9i"

LEGACY_PI_QUERY_TRIGGER_ID = "b-1730275200123-k3j9x8a2b"
LEGACY_OLD_QUERY_TRIGGER_ID = "b-1729000000456-m2n3b4v5c"
LEGACY_API_TRIGGER_ID = "t-1727800000000-a1b2c3d4e"
LEGACY_COMPOSITE_TRIGGER_ID = "t-1727900000000-z9y8x7w6v"
LEGACY_MYSQL_TRIGGER_ID = "b-1730280000789-q7w8e9r0t"
LEGACY_PARAM_TRIGGER_ID = "b-1730280100321-u1i2o3p4a"
LEGACY_ORACLE_TRIGGER_ID = "b-1730280200654-s5d6f7g8h"
LEGACY_ORPHAN_TRIGGER_ID = "b-1729500000111-j1k2l3m4n"
LEGACY_URL_QUERY_TRIGGER_ID = "b-1730290000222-c5v6b7n8m"
LEGACY_LATEST_TRIGGER_ID = "b-1730290100333-x1c2v3b4n"
LEGACY_TEXT_TRIGGER_ID = "t-1727950000000-e4r5t6y7u"

LEGACY_GROUP_ID = "group-1730281000000-g7h8j9k0l"
LEGACY_PLAIN_GROUP_ID = "group-1730282000000-w2e3r4t5y"

_PI_URL = (
    "http://10.1.2.3:6066/pi/trn?tag=BOILER1.DRUM.PRESS&interval=30m"
    "&start=01/Oct/2025&end=02/Oct/2025"
)
_BOT_JID = "628111222333@c.us"
_BROWSER_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
)
_WARNING_MESSAGE = (
    "⚠️ Mohon jangan mengirim pesan terlalu cepat. "
    "Tunggu sebentar sebelum mengirim pesan berikutnya."
)


def _js(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _contact_meta(
    jid: str,
    name: str | None,
    number: str,
    *,
    business: bool = False,
    verified_name: str | None = None,
    my_contact: bool = True,
) -> dict[str, Any]:
    return {
        "id": jid,
        "name": name,
        "number": number,
        "isBusiness": business,
        "isEnterprise": False,
        "verifiedName": verified_name,
        "isMyContact": my_contact,
        "isBlocked": False,
    }


def connect_like_legacy(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open a connection with the pragmas the old system applied to every connection."""
    conn = sqlite3.connect(os.fspath(path))
    for name, value in LEGACY_PRAGMAS.items():
        conn.execute(f"PRAGMA {name}={value}")
    return conn


def _password_hashes() -> dict[str, str]:
    import bcrypt

    admin = bcrypt.hashpw(
        LEGACY_PASSWORDS["admin"].encode(), b"$2b$04$Wc3mZ1pQ8rT5vX7yB2nK4e"
    )
    budi = bcrypt.hashpw(
        LEGACY_PASSWORDS["budi"].encode(), b"$2b$04$Lp9sD3fG6hJ1kQ4wE7rT2u"
    )
    return {"admin": admin.decode(), "budi": "$2a$" + budi.decode()[4:]}


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    for row in rows:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


def _data_sources() -> list[dict[str, Any]]:
    return [
        {
            "id": LEGACY_PI_SOURCE_ID,
            "name": "PI Boiler Gateway",
            "plugin": "aveva-pi",
            "database_type": None,
            "config": _js({"url": _PI_URL, "endpoint": _PI_URL, "defaultTag": "BOILER1.DRUM.PRESS"}),
            "connection_status": "connected",
            "last_tested_at": "2025-10-30T07:10:05.412Z",
            "test_status": "success",
            "test_error_message": None,
            "active": 1,
            "created_at": "2025-10-01 02:15:33",
            "updated_at": "2025-10-30T07:10:05.415Z",
        },
        {
            "id": LEGACY_OLD_PI_SOURCE_ID,
            "name": "AVEVA PI Lama",
            "plugin": "aveva-pi",
            "database_type": None,
            "config": _js(
                {
                    "host": "10.1.2.4",
                    "port": 6066,
                    "protocol": "http",
                    "timeout": 30000,
                    "maxRetries": 3,
                }
            ),
            "connection_status": "unknown",
            "last_tested_at": None,
            "test_status": None,
            "test_error_message": None,
            "active": 1,
            "created_at": "2024-09-30 23:20:00",
            "updated_at": "2024-09-30 23:20:00",
        },
        {
            "id": LEGACY_MYSQL_SOURCE_ID,
            "name": "MySQL Produksi",
            "plugin": "database",
            "database_type": "mysql",
            "config": _js(
                {
                    "host": "10.1.5.20",
                    "port": 3306,
                    "user": "wa_reader",
                    "password": "S3cret!",
                    "database": "plant_db",
                    "connectionLimit": 10,
                    "connectTimeout": 60000,
                    "acquireTimeout": 60000,
                    "databaseType": "mysql",
                }
            ),
            "connection_status": "connected",
            "last_tested_at": "2025-10-28T03:45:12.087Z",
            "test_status": "success",
            "test_error_message": None,
            "active": 1,
            "created_at": "2024-10-15 14:20:34",
            "updated_at": "2025-10-28T03:45:12.090Z",
        },
        {
            "id": LEGACY_ORACLE_SOURCE_ID,
            "name": "Oracle LIMS",
            "plugin": "database",
            "database_type": "oracle",
            "config": _js(
                {
                    "host": "10.1.6.30",
                    "port": 1521,
                    "user": "lims_ro",
                    "password": "Orcl#2024",
                    "service": "LIMSPDB",
                    "connectionLimit": 10,
                    "connectTimeout": 60000,
                    "databaseType": "oracle",
                }
            ),
            "connection_status": "error",
            "last_tested_at": "2025-10-29T01:02:03.004Z",
            "test_status": "failed",
            "test_error_message": "ORA-12541: TNS:no listener",
            "active": 1,
            "created_at": "2025-10-02 08:00:00",
            "updated_at": "2025-10-29T01:02:03.006Z",
        },
        {
            "id": LEGACY_AI_SOURCE_ID,
            "name": "AI Assistant",
            "plugin": "AI",
            "database_type": None,
            "config": _js(
                {
                    "endpoint": "http://10.1.2.50:5000/chat",
                    "apiKey": "sk-legacy-123",
                    "enabled": True,
                    "lastTested": "2025-10-20T09:30:00.000Z",
                    "testStatus": "success",
                }
            ),
            "connection_status": "connected",
            "last_tested_at": "2025-10-20T09:30:00.000Z",
            "test_status": "success",
            "test_error_message": None,
            "active": 1,
            "created_at": "2025-10-05 04:11:09",
            "updated_at": "2025-10-20T09:30:00.002Z",
        },
        {
            "id": LEGACY_UNKNOWN_SOURCE_ID,
            "name": "Koneksi Baru",
            "plugin": "unknown",
            "database_type": None,
            "config": _js({}),
            "last_tested_at": None,
            "test_status": "pending",
            "test_error_message": None,
            "active": 0,
            "created_at": "2025-10-10 10:10:10",
            "updated_at": "2025-10-10 10:10:10",
        },
    ]


def _triggers() -> list[dict[str, Any]]:
    return [
        {
            "id": LEGACY_PI_QUERY_TRIGGER_ID,
            "name": "Tekanan Drum",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "SELECT TOP 5 * FROM Point WHERE tag = 'BOILER1.DRUM.PRESS' ORDER BY time DESC",
                    "description": "Tekanan drum boiler 1, lima nilai terakhir",
                    "responsePrefix": "Tekanan Drum",
                    "parameters": [],
                    "interval": "30m",
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_PI_SOURCE_ID,
            "created_at": "2025-10-30 08:00:00",
            "updated_at": "2025-10-30T08:05:12.345Z",
        },
        {
            "id": LEGACY_OLD_QUERY_TRIGGER_ID,
            "name": f"Trigger {LEGACY_OLD_QUERY_TRIGGER_ID}",
            "type": "QUERY",
            "config": _js(
                {
                    "api_url": "http://10.1.2.4:6066/pi/trn?tag=BOILER1.STEAM.FLOW&interval=1h&start=*-2h&end=*",
                    "method": "GET",
                    "desc": "Aliran uap boiler 1",
                    "responsePrefix": "Aliran Uap",
                    "sample": "",
                    "interval": "1h",
                    "meta": {
                        "createdBy": "admin",
                        "createdAt": "2024-10-15T14:00:00.456Z",
                        "updatedAt": "2024-10-15T14:00:00.456Z",
                    },
                }
            ),
            "active": 0,
            "data_source_id": LEGACY_OLD_PI_SOURCE_ID,
            "created_at": "2024-10-15 14:00:00",
            "updated_at": "2024-10-15 14:00:00",
        },
        {
            "id": LEGACY_API_TRIGGER_ID,
            "name": "turbin",
            "type": "API",
            "config": _js(
                {
                    "api_url": "http://10.1.2.3:6066/pi/trn?tag=TURBINE1.SPEED&interval=1m&start=*-10m&end=*",
                    "description": "Kecepatan turbin 1",
                    "active": True,
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_PI_SOURCE_ID,
            "created_at": "2024-10-01 15:06:40",
            "updated_at": "2024-10-01 15:06:40",
        },
        {
            "id": LEGACY_COMPOSITE_TRIGGER_ID,
            "name": "laporan pagi",
            "type": "COMPOSITE",
            "config": _js(
                {
                    "composite_triggers": ["Tekanan Drum", "turbin"],
                    "description": "Ringkasan pagi boiler dan turbin",
                }
            ),
            "active": 1,
            "data_source_id": None,
            "created_at": "2024-10-02 18:53:20",
            "updated_at": "2024-10-02 18:53:20",
        },
        {
            "id": LEGACY_MYSQL_TRIGGER_ID,
            "name": "Data Alarms",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "SELECT id, tag_name, alarm_value, created_at FROM alarm_log ORDER BY created_at DESC LIMIT 10",
                    "description": "Sepuluh alarm terakhir",
                    "responsePrefix": "Data Alarms",
                    "parameters": [],
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_MYSQL_SOURCE_ID,
            "created_at": "2025-10-30 09:33:20",
            "updated_at": "2025-10-30T09:33:20.789Z",
        },
        {
            "id": LEGACY_PARAM_TRIGGER_ID,
            "name": "produksi",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "SELECT * FROM production WHERE prod_date BETWEEN :start_value AND :end_value",
                    "description": "Produksi per rentang tanggal",
                    "responsePrefix": "produksi",
                    "parameters": ["start_value", "end_value"],
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_MYSQL_SOURCE_ID,
            "created_at": "2025-10-30 09:35:00",
            "updated_at": "2025-10-30T09:35:00.321Z",
        },
        {
            "id": LEGACY_ORACLE_TRIGGER_ID,
            "name": "hasil lab",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "SELECT sample_id, result FROM lab_results WHERE ROWNUM <= 5 ORDER BY sampled_at DESC",
                    "description": "Hasil lab terbaru",
                    "responsePrefix": "hasil lab",
                    "parameters": [],
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_ORACLE_SOURCE_ID,
            "created_at": "2025-10-30 09:36:40",
            "updated_at": "2025-10-30T09:36:40.654Z",
        },
        {
            "id": LEGACY_ORPHAN_TRIGGER_ID,
            "name": "suhu lama",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "SELECT TOP 1 * FROM Point WHERE tag = 'BOILER2.TEMP' ORDER BY time DESC",
                    "description": "Suhu boiler 2 (sumber sudah dihapus)",
                    "responsePrefix": "suhu lama",
                    "parameters": [],
                    "interval": "1h",
                }
            ),
            "active": 0,
            "data_source_id": None,
            "created_at": "2024-10-21 22:40:00",
            "updated_at": "2024-10-21 22:40:00",
        },
        {
            "id": LEGACY_URL_QUERY_TRIGGER_ID,
            "name": "level air",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "http://10.1.2.3:6066/pi/trn?tag=BOILER1.DRUM.LEVEL&interval=5m&start=*-1h&end=*",
                    "description": "Level air drum",
                    "responsePrefix": "level air",
                    "parameters": [],
                    "interval": "5m",
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_PI_SOURCE_ID,
            "created_at": "2025-10-30 11:13:20",
            "updated_at": "2025-10-30T11:13:20.222Z",
        },
        {
            "id": LEGACY_LATEST_TRIGGER_ID,
            "name": "terbaru",
            "type": "QUERY",
            "config": _js(
                {
                    "query": "latest",
                    "description": "Nilai terbaru",
                    "responsePrefix": "terbaru",
                    "parameters": [],
                    "interval": "1m",
                    "active": False,
                }
            ),
            "active": 1,
            "data_source_id": LEGACY_PI_SOURCE_ID,
            "created_at": "2025-10-30 11:15:00",
            "updated_at": "2025-10-30T11:15:00.333Z",
        },
        {
            "id": LEGACY_TEXT_TRIGGER_ID,
            "name": "kontak darurat",
            "type": "INFO",
            "config": _js({"description": "Hubungi operator shift: ext. 1234"}),
            "active": 1,
            "data_source_id": None,
            "created_at": "2024-10-03 02:46:40",
            "updated_at": "2024-10-03 02:46:40",
        },
    ]


def _trigger_groups() -> list[dict[str, Any]]:
    return [
        {
            "id": LEGACY_GROUP_ID,
            "name": "Laporan Shift",
            "description": "LAPORAN SHIFT PAGI",
            "execution_mode": "parallel",
            "created_at": "2025-10-30T09:36:40.000Z",
            "updated_at": "2025-10-30T09:40:00.123Z",
        },
        {
            "id": LEGACY_PLAIN_GROUP_ID,
            "name": "cek boiler",
            "description": None,
            "execution_mode": "parallel",
            "created_at": "2025-10-30T09:53:20.500Z",
            "updated_at": "2025-10-30T09:53:20.500Z",
        },
    ]


def _trigger_group_members() -> list[dict[str, Any]]:
    members = [
        (LEGACY_GROUP_ID, LEGACY_PI_QUERY_TRIGGER_ID, "2025-10-30 09:36:40"),
        (LEGACY_GROUP_ID, LEGACY_MYSQL_TRIGGER_ID, "2025-10-30 09:36:40"),
        (LEGACY_GROUP_ID, LEGACY_TEXT_TRIGGER_ID, "2025-10-30 09:36:41"),
        (LEGACY_PLAIN_GROUP_ID, LEGACY_URL_QUERY_TRIGGER_ID, "2025-10-30 09:53:20"),
        (LEGACY_PLAIN_GROUP_ID, LEGACY_PI_QUERY_TRIGGER_ID, "2025-10-30 09:53:20"),
    ]
    return [
        {"group_id": group_id, "trigger_id": trigger_id, "created_at": created_at}
        for group_id, trigger_id, created_at in members
    ]


def _ai_triggers() -> list[dict[str, Any]]:
    return [
        {
            "id": "ai-1729996800000",
            "type": "ai",
            "prefix": "=",
            "name": "AI Chat",
            "description": "Tanya apa saja ke asisten AI",
            "enabled": 1,
            "usage_count": 42,
            "last_used": "2025-10-30T06:59:31.877Z",
            "created_at": "2025-10-27T02:40:00.000Z",
            "updated_at": "2025-10-30T06:59:31.878Z",
        },
        {
            "id": "ai-1730083200000",
            "type": "ai",
            "prefix": "+ai=",
            "name": "Asisten Pabrik",
            "description": None,
            "enabled": 0,
            "usage_count": 3,
            "last_used": "2025-10-29T10:12:44.010Z",
            "created_at": "2025-10-28T02:40:00.000Z",
            "updated_at": "2025-10-29T10:12:44.011Z",
        },
    ]


def _whatsapp_status() -> list[dict[str, Any]]:
    return [
        {
            "id": 1,
            "is_ready": 1,
            "is_initializing": 0,
            "bot_number": "628111222333",
            "phone_number": "628111222333",
            "bot_id": _BOT_JID,
            "qr_data": None,
            "last_update": "2025-10-30T07:00:12.345Z",
            "reconnect_attempts": 0,
            "created_at": "2024-09-30 23:00:00",
            "updated_at": "2025-10-30 07:00:12",
        }
    ]


def _messages() -> list[dict[str, Any]]:
    budi = _contact_meta("628123456789@c.us", "Budi Santoso", "628123456789")
    sari = _contact_meta("123456789012345@lid", "Sari", "123456789012345", my_contact=False)
    vendor = _contact_meta(
        "628987654321@c.us", None, "628987654321", business=True, verified_name="PT Vendor Jaya"
    )

    def meta(contact: dict[str, Any], ts: int, **extra: Any) -> str:
        data = {
            "isGroup": False,
            "hasMedia": False,
            "spam": False,
            "spamReason": None,
            "contact": contact,
            "timestamp": ts,
        }
        data.update(extra)
        return _js(data)

    return [
        {
            "id": "3EB0A1B2C3D4E5F60718",
            "type": "chat",
            "content": "Tekanan Drum",
            "sender": "628123456789@c.us",
            "recipient": _BOT_JID,
            "status": "sent",
            "processed_at": "2025-10-30T07:15:42.123Z",
            "metadata": meta(budi, 1761808542),
            "created_at": "2025-10-30 07:15:42",
        },
        {
            "id": "3EB0F0E1D2C3B4A59687",
            "type": "image",
            "content": "foto panel",
            "sender": "123456789012345@lid",
            "recipient": _BOT_JID,
            "status": "sent",
            "processed_at": "2025-10-30T07:20:01.500Z",
            "metadata": meta(sari, 1761808801, hasMedia=True),
            "created_at": "2025-10-30 07:20:01",
        },
        {
            "id": "3EB0123456789ABCDEF0",
            "type": "chat",
            "content": "@628111222333 Data Alarms",
            "sender": "120363025246125486@g.us",
            "recipient": _BOT_JID,
            "status": "sent",
            "processed_at": "2025-10-30T07:25:10.010Z",
            "metadata": meta(budi, 1761809110, isGroup=True),
            "created_at": "2025-10-30T07:25:10.010Z",
        },
        {
            "id": "3EB0AABBCCDDEEFF0011",
            "type": "chat",
            "content": "halo",
            "sender": "628123456789@c.us",
            "recipient": _BOT_JID,
            "status": "sent",
            "processed_at": "2025-10-30T07:25:12.900Z",
            "metadata": meta(
                budi,
                1761809112,
                spam=True,
                spamReason="Too many messages: 2 messages in 6 seconds",
            ),
            "created_at": "2025-10-30 07:25:12",
        },
        {
            "id": "3EB09988776655443322",
            "type": "e2e_notification",
            "content": "",
            "sender": "628987654321@c.us",
            "recipient": _BOT_JID,
            "status": "sent",
            "processed_at": "2025-10-30T08:00:00.001Z",
            "metadata": meta(vendor, 1761811200),
            "created_at": "2025-10-30 08:00:00",
        },
    ]


def _contacts() -> list[dict[str, Any]]:
    def flags(business: bool = False, verified: str | None = None, mine: bool = True) -> str:
        return _js(
            {
                "isBusiness": business,
                "isEnterprise": False,
                "verifiedName": verified,
                "isMyContact": mine,
                "isBlocked": False,
            }
        )

    return [
        {
            "id": "628123456789@c.us",
            "name": "Budi Santoso",
            "phone": "628123456789",
            "metadata": flags(),
            "created_at": "2025-10-01 03:00:00",
            "updated_at": "2025-10-30 07:15:42",
        },
        {
            "id": "123456789012345@lid",
            "name": "Sari",
            "phone": "123456789012345",
            "metadata": flags(mine=False),
            "created_at": "2025-10-30 07:20:01",
            "updated_at": "2025-10-30 07:20:01",
        },
        {
            "id": "120363025246125486@g.us",
            "name": "Operator Boiler",
            "phone": "120363025246125486",
            "metadata": flags(mine=False),
            "created_at": "2025-10-02 01:00:00",
            "updated_at": "2025-10-30 07:25:10",
        },
        {
            "id": "120363200000000001@newsletter",
            "name": "Info Pabrik",
            "phone": "120363200000000001",
            "metadata": flags(mine=False),
            "created_at": "2025-10-05 05:05:05",
            "updated_at": "2025-10-05 05:05:05",
        },
        {
            "id": "628987654321@c.us",
            "name": "PT Vendor Jaya",
            "phone": "628987654321",
            "metadata": flags(business=True, verified="PT Vendor Jaya", mine=False),
            "created_at": "2025-10-30 08:00:00",
            "updated_at": "2025-10-30 08:00:00",
        },
    ]


def _outgoing_messages() -> list[dict[str, Any]]:
    return [
        {
            "recipient": "628123456789",
            "message": "Laporan shift sudah tersedia.",
            "type": "manual",
            "status": "sent",
            "sent_at": "2025-10-29T23:00:03.210Z",
            "error_message": None,
            "retry_count": 0,
            "created_at": "2025-10-29 23:00:01",
        },
        {
            "recipient": "123456789012345@lid",
            "message": "Mohon cek panel 3.",
            "type": "manual_send",
            "status": "sent",
            "sent_at": "2025-10-30T07:21:00.045Z",
            "error_message": None,
            "retry_count": 0,
            "created_at": "2025-10-30 07:20:59",
        },
        {
            "recipient": "628987654321",
            "message": _WARNING_MESSAGE,
            "type": "auto_warning",
            "status": "failed",
            "sent_at": None,
            "error_message": "Evaluation failed: Error: wid error: invalid wid",
            "retry_count": 1,
            "created_at": "2025-10-30 07:25:13",
        },
        {
            "recipient": "628123456789@c.us",
            "message": "Pengingat: rapat jam 10.",
            "type": "manual",
            "status": "pending",
            "sent_at": None,
            "error_message": None,
            "retry_count": 0,
            "created_at": "2025-10-30 08:30:00",
        },
    ]


def _query_presets() -> list[dict[str, Any]]:
    return [
        {
            "id": "preset-1730000000000-abc12",
            "name": "PI 10 nilai terakhir",
            "query_template": "SELECT TOP 10 * FROM Point WHERE tag = '{tag}' ORDER BY time DESC",
            "variables": '["tag"]',
            "is_default": 0,
            "usage_count": 0,
            "created_at": "2024-10-27T03:33:20.000Z",
            "updated_at": "2024-10-27T03:33:20.000Z",
        },
        {
            "id": "preset-1730000500000-def34",
            "name": "PI nilai sekarang",
            "query_template": "SELECT TOP 1 * FROM Point WHERE tag = '{tag}' ORDER BY time DESC",
            "variables": '["tag"]',
            "is_default": 0,
            "usage_count": 0,
            "created_at": "2024-10-27T03:41:40.000Z",
            "updated_at": "2024-10-27T03:41:40.000Z",
        },
    ]


def _system_settings() -> list[dict[str, Any]]:
    values = [
        ("spam_detection", "windowSeconds", "6"),
        ("spam_detection", "maxMessagesPerWindow", "1"),
        ("spam_detection", "warningThreshold", "3"),
        ("spam_detection", "warningMessage", _WARNING_MESSAGE),
        ("spam_detection", "cooldownMinutes", "1"),
        ("spam_detection", "enabled", "true"),
        ("spam_detection", "lastUpdated", "2025-10-25T04:12:55.321Z"),
        ("general", "timezone", "Asia/Jakarta"),
        ("whatsapp", "maxReconnectAttempts", "4"),
    ]
    return [
        {
            "id": f"{category}_{key}",
            "category": category,
            "key": key,
            "value": value,
            "created_at": "2025-10-25 04:12:55",
            "updated_at": "2025-10-25 04:12:55",
        }
        for category, key, value in values
    ]


def _users(hashes: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": LEGACY_ADMIN_ID,
            "username": "admin",
            "password_hash": hashes["admin"],
            "full_name": "Administrator",
            "email": "admin@plant.local",
            "role": "admin",
            "created_by": None,
            "created_at": "2024-09-30 23:00:00",
            "last_login": "2025-10-30 14:22:01.123",
            "is_active": 1,
            "login_attempts": 0,
            "locked_until": None,
        },
        {
            "id": LEGACY_BUDI_ID,
            "username": "budi",
            "password_hash": hashes["budi"],
            "full_name": "Budi Santoso",
            "email": "budi@plant.local",
            "role": "admin",
            "created_by": LEGACY_ADMIN_ID,
            "created_at": "2025-10-01 03:00:00",
            "last_login": "2025-10-30 08:05:44.907",
            "is_active": 1,
            "login_attempts": 0,
            "locked_until": None,
        },
    ]


def _audit_logs() -> list[dict[str, Any]]:
    return [
        {
            "user_id": LEGACY_ADMIN_ID,
            "action": "user_created",
            "details": _js({"username": "budi", "role": "admin", "createdBy": "admin"}),
            "ip_address": "::ffff:10.1.9.21",
            "user_agent": _BROWSER_UA,
            "timestamp": "2025-10-01 03:00:00",
        },
        {
            "user_id": None,
            "action": "login_failed",
            "details": _js({"username": "operator", "reason": "invalid_credentials"}),
            "ip_address": "::ffff:10.1.9.44",
            "user_agent": _BROWSER_UA,
            "timestamp": "2025-10-30 07:21:30",
        },
        {
            "user_id": LEGACY_ADMIN_ID,
            "action": "login_success",
            "details": _js({"username": "admin"}),
            "ip_address": "::ffff:10.1.9.21",
            "user_agent": _BROWSER_UA,
            "timestamp": "2025-10-30 07:22:01",
        },
        {
            "user_id": LEGACY_BUDI_ID,
            "action": "trigger_updated",
            "details": _js({"triggerId": LEGACY_PI_QUERY_TRIGGER_ID, "name": "Tekanan Drum"}),
            "ip_address": "::ffff:10.1.9.30",
            "user_agent": _BROWSER_UA,
            "timestamp": "2025-10-30T08:05:12.350Z",
        },
        {
            "user_id": None,
            "action": "message_sent",
            "details": _js(
                {"from": "628123456789@c.us", "messageId": "3EB0A1B2C3D4E5F60718", "type": "chat"}
            ),
            "ip_address": "WhatsApp-Bot/1.0 (whatsapp-web.js)",
            "user_agent": None,
            "timestamp": "2025-10-30T07:15:42.130Z",
        },
        {
            "user_id": LEGACY_ADMIN_ID,
            "action": "connection_tested",
            "details": _js({"connectionId": LEGACY_PI_SOURCE_ID, "status": "success"}),
            "ip_address": "::ffff:10.1.9.21",
            "user_agent": _BROWSER_UA,
            "timestamp": "2025-10-30T07:10:05.420Z",
        },
    ]


def _sessions() -> list[dict[str, Any]]:
    return [
        {
            "user_id": LEGACY_ADMIN_ID,
            "token_hash": hashlib.sha256(b"legacy-opaque-token-admin").hexdigest(),
            "expires_at": "2025-10-31T07:22:01.130Z",
            "created_at": "2025-10-30 07:22:01",
            "ip_address": "::ffff:10.1.9.21",
            "user_agent": _BROWSER_UA,
            "is_active": 1,
        },
        {
            "user_id": LEGACY_BUDI_ID,
            "token_hash": hashlib.sha256(b"legacy-opaque-token-budi").hexdigest(),
            "expires_at": "2025-10-31T01:05:44.910Z",
            "created_at": "2025-10-30 01:05:44",
            "ip_address": "::ffff:10.1.9.30",
            "user_agent": _BROWSER_UA,
            "is_active": 1,
        },
    ]


def build_legacy_db(path: str | os.PathLike[str]) -> dict[str, int]:
    """Create an old-system database at ``path`` and return the row count of every table."""
    conn = connect_like_legacy(path)
    try:
        conn.executescript(LEGACY_DDL)
        with conn:
            _insert(conn, "data_sources", _data_sources())
            _insert(conn, "triggers", _triggers())
            _insert(conn, "trigger_groups", _trigger_groups())
            _insert(conn, "trigger_group_members", _trigger_group_members())
            _insert(conn, "ai_triggers", _ai_triggers())
            _insert(conn, "whatsapp_status", _whatsapp_status())
            _insert(conn, "messages", _messages())
            _insert(conn, "contacts", _contacts())
            _insert(conn, "outgoing_messages", _outgoing_messages())
            _insert(conn, "query_presets", _query_presets())
            _insert(conn, "system_settings", _system_settings())
            _insert(conn, "users", _users(_password_hashes()))
            _insert(conn, "audit_logs", _audit_logs())
            _insert(conn, "sessions", _sessions())
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in LEGACY_TABLES
        }
    finally:
        conn.close()


def dump_rows(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Return every row of the 14 old tables, ordered by rowid."""
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in LEGACY_TABLES
    }


# An old trigger whose connection was deleted in the old system, though two connections still
# point at its gateway: the migration cannot convert it, the migration summary suggests one.
DRUM_LEVEL_TRIGGER_ID = "t-1727960000000-d1r2u3m4l"
DRUM_LEVEL_URL = "http://10.1.2.3:6066/pi/trn?tag=BOILER1.DRUM.LEVEL&interval=1m&start=*-1h"


def add_drum_level_without_source(path: str | os.PathLike[str]) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT INTO triggers (id, name, type, config, active, data_source_id, "
                "created_at, updated_at) VALUES (?, 'Drum Level', 'QUERY', ?, 1, NULL, "
                "'2025-10-01 00:00:00', '2025-10-01 00:00:00')",
                (DRUM_LEVEL_TRIGGER_ID, _js({"query": DRUM_LEVEL_URL, "interval": "1m",
                                             "responsePrefix": "Drum Level"})))
    finally:
        conn.close()
