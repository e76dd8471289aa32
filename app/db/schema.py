"""The old system's schema (version 1 of this app): 14 tables, their constraints and indexes."""

from __future__ import annotations

# A version-4-shaped UUID, as the old database's defaults produce for users, audit_logs, sessions
# (the expression's text is the old one, so `pragma table_info` shows the same default).
UUID4_SQL = (
    "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || "
    "substr('89ab', abs(random()) % 4 + 1, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))"
)

TABLES: dict[str, str] = {
    "data_sources": """
CREATE TABLE IF NOT EXISTS data_sources (
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
)""",
    "triggers": """
CREATE TABLE IF NOT EXISTS triggers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    config TEXT NOT NULL,
    active BOOLEAN DEFAULT 1,
    data_source_id TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (data_source_id) REFERENCES data_sources(id) ON DELETE SET NULL
)""",
    "trigger_groups": """
CREATE TABLE IF NOT EXISTS trigger_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    execution_mode TEXT DEFAULT 'parallel' CHECK (execution_mode IN ('parallel', 'sequential')),
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)""",
    "trigger_group_members": """
CREATE TABLE IF NOT EXISTS trigger_group_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (group_id) REFERENCES trigger_groups(id) ON DELETE CASCADE,
    FOREIGN KEY (trigger_id) REFERENCES triggers(id) ON DELETE CASCADE,
    UNIQUE (group_id, trigger_id)
)""",
    "ai_triggers": """
CREATE TABLE IF NOT EXISTS ai_triggers (
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
)""",
    "whatsapp_status": """
CREATE TABLE IF NOT EXISTS whatsapp_status (
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
)""",
    "messages": """
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    content TEXT,
    sender TEXT,
    recipient TEXT,
    status TEXT DEFAULT 'sent',
    processed_at DATETIME,
    metadata TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)""",
    "contacts": """
CREATE TABLE IF NOT EXISTS contacts (
    id TEXT PRIMARY KEY,
    name TEXT,
    phone TEXT UNIQUE,
    metadata TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)""",
    "outgoing_messages": """
CREATE TABLE IF NOT EXISTS outgoing_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL,
    message TEXT NOT NULL,
    type TEXT DEFAULT 'manual',
    status TEXT DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    sent_at DATETIME,
    error_message TEXT,
    retry_count INTEGER DEFAULT 0,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
)""",
    "query_presets": """
CREATE TABLE IF NOT EXISTS query_presets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    query_template TEXT NOT NULL,
    variables TEXT,
    is_default BOOLEAN DEFAULT 0,
    usage_count INTEGER DEFAULT 0,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
)""",
    "system_settings": """
CREATE TABLE IF NOT EXISTS system_settings (
    id TEXT PRIMARY KEY,
    category TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (category, key)
)""",
    "users": f"""
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY DEFAULT {UUID4_SQL},
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
)""",
    "audit_logs": f"""
CREATE TABLE IF NOT EXISTS audit_logs (
    id TEXT PRIMARY KEY DEFAULT {UUID4_SQL},
    user_id TEXT,
    action TEXT NOT NULL,
    details TEXT,
    ip_address TEXT,
    user_agent TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (user_id) REFERENCES users(id)
)""",
    "sessions": f"""
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY DEFAULT {UUID4_SQL},
    user_id TEXT UNIQUE,
    token_hash TEXT,
    expires_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    ip_address TEXT,
    user_agent TEXT,
    is_active BOOLEAN DEFAULT 1,
    FOREIGN KEY (user_id) REFERENCES users(id)
)""",
}

INDEXES: dict[str, tuple[str, str]] = {
    "idx_data_sources_plugin": ("data_sources", "plugin"),
    "idx_data_sources_active": ("data_sources", "active"),
    "idx_triggers_active": ("triggers", "active"),
    "idx_triggers_data_source": ("triggers", "data_source_id"),
    "idx_users_username": ("users", "username"),
    "idx_users_is_active": ("users", "is_active"),
    "idx_audit_logs_user_id": ("audit_logs", "user_id"),
    "idx_audit_logs_timestamp": ("audit_logs", "timestamp"),
    "idx_sessions_user_id": ("sessions", "user_id"),
    "idx_sessions_expires_at": ("sessions", "expires_at"),
    "idx_sessions_is_active": ("sessions", "is_active"),
    "idx_outgoing_messages_status": ("outgoing_messages", "status"),
    "idx_outgoing_messages_recipient": ("outgoing_messages", "recipient"),
    "idx_outgoing_messages_created_at": ("outgoing_messages", "created_at"),
}

TABLE_NAMES = tuple(TABLES)


def base_statements() -> list[str]:
    """Every statement that creates what is missing of the old schema (safe on an old database)."""
    statements = [ddl.strip() for ddl in TABLES.values()]
    statements += [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table}({column})"
        for name, (table, column) in INDEXES.items()
    ]
    return statements
