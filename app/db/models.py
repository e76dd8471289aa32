"""Peewee models over the old system's 14 tables (names, columns and ids as it made them)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CompositeKey,
    DatabaseProxy,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from app.core.timefmt import format_ts, parse_login_ts, parse_ts

database_proxy = DatabaseProxy()


class TimestampText(TextField):
    """Any of the three stored timestamp forms in, an aware datetime out; writes UTC."""

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return format_ts(value)
        return value

    def python_value(self, value: Any) -> datetime | None:
        return parse_ts(value)


class LoginTimestampText(TimestampText):
    """users.last_login: the old server wrote local time with milliseconds and no zone."""

    def python_value(self, value: Any) -> datetime | None:
        return parse_login_ts(value)


class JsonText(TextField):
    """JSON stored as text; a value that is not JSON is returned as the plain string it is."""

    def db_value(self, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def python_value(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            return value


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class DataSource(BaseModel):
    id = TextField(primary_key=True)
    name = TextField()
    plugin = TextField()
    database_type = TextField(null=True)
    config = JsonText()
    connection_status = TextField(null=True, default="unknown")
    last_tested_at = TimestampText(null=True)
    test_status = TextField(null=True)
    test_error_message = TextField(null=True)
    active = BooleanField(null=True, default=True)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "data_sources"


class Trigger(BaseModel):
    id = TextField(primary_key=True)
    name = TextField()
    type = TextField()
    config = JsonText()
    active = BooleanField(null=True, default=True)
    data_source = ForeignKeyField(
        DataSource, column_name="data_source_id", null=True, on_delete="SET NULL",
        backref="triggers", lazy_load=False,
    )
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "triggers"


class TriggerGroup(BaseModel):
    id = TextField(primary_key=True)
    name = TextField()
    description = TextField(null=True)
    execution_mode = TextField(null=True, default="parallel")
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "trigger_groups"


class TriggerGroupMember(BaseModel):
    id = AutoField()
    group = ForeignKeyField(TriggerGroup, column_name="group_id", on_delete="CASCADE",
                            backref="members", lazy_load=False)
    trigger = ForeignKeyField(Trigger, column_name="trigger_id", on_delete="CASCADE",
                              backref="memberships", lazy_load=False)
    created_at = TimestampText(null=True)

    class Meta:
        table_name = "trigger_group_members"


class AiTrigger(BaseModel):
    id = TextField(primary_key=True)
    type = TextField(default="ai")
    prefix = TextField()
    name = TextField()
    description = TextField(null=True)
    enabled = BooleanField(null=True, default=True)
    usage_count = IntegerField(null=True, default=0)
    last_used = TimestampText(null=True)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)
    # Added by migration 6.
    data_source_id = TextField(null=True)  # a DataSource id; see migration 6
    system_prompt = TextField(null=True)
    audience = JsonText(null=True)

    class Meta:
        table_name = "ai_triggers"


class WhatsappStatus(BaseModel):
    id = IntegerField(primary_key=True, default=1)
    is_ready = BooleanField(null=True, default=False)
    is_initializing = BooleanField(null=True, default=False)
    bot_number = TextField(null=True)
    phone_number = TextField(null=True)
    bot_id = TextField(null=True)
    qr_data = TextField(null=True)
    last_update = TimestampText(null=True)
    reconnect_attempts = IntegerField(null=True, default=0)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)
    # Added by migration 4.
    state = TextField(null=True)
    state_detail = TextField(null=True)
    banned_until = TimestampText(null=True)

    class Meta:
        table_name = "whatsapp_status"


class Message(BaseModel):
    id = TextField(primary_key=True)
    type = TextField()
    content = TextField(null=True)
    sender = TextField(null=True)
    recipient = TextField(null=True)
    status = TextField(null=True, default="sent")
    processed_at = TimestampText(null=True)
    metadata = JsonText(null=True)
    created_at = TimestampText(null=True)
    original_length = IntegerField(null=True)  # of an incoming text as it arrived

    class Meta:
        table_name = "messages"


class StrangerHour(BaseModel):
    """Per hour (UTC, "2026-12-02T07"): contacts strangers created, and those refused."""

    hour = TextField(primary_key=True)
    contacts_created = IntegerField(default=0)
    contacts_refused = IntegerField(default=0)

    class Meta:
        table_name = "stranger_hours"


class Contact(BaseModel):
    id = TextField(primary_key=True)
    name = TextField(null=True)
    phone = TextField(null=True, unique=True)
    metadata = JsonText(null=True)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "contacts"


class OutgoingMessage(BaseModel):
    id = AutoField()
    recipient = TextField()
    message = TextField()
    type = TextField(null=True, default="manual")
    status = TextField(null=True, default="pending")
    sent_at = TimestampText(null=True)
    error_message = TextField(null=True)
    retry_count = IntegerField(null=True, default=0)
    created_at = TimestampText(null=True)
    # Added by migration 4; the old status CHECK allows only pending, sent and failed.
    media_path = TextField(null=True)
    next_attempt_at = TimestampText(null=True)
    last_attempt_at = TimestampText(null=True)
    in_flight_since = TimestampText(null=True)
    whatsapp_id = TextField(null=True)  # WhatsApp's id once sent: a quoted reply finds it
    reply_to = TextField(null=True)
    # Added by migration 8: the row's state, never read out of `type`, `error_message` or the
    # text (`type` is still written, as the old system did, for an old reader).
    channel = TextField(default="whatsapp")  # whatsapp, or simulator: never a real phone
    kind = TextField(default="manual")  # reply, notice, alarm, alarm_ack, schedule, manual, …
    late = BooleanField(default=False)  # tells of the time the bot was offline
    merged_into_id = IntegerField(null=True)  # the offline summary that carries it instead
    resent = BooleanField(default=False)  # failed, then sent again after a reconnect
    resent_as_id = IntegerField(null=True)  # the late copy or summary that sent it again
    not_resent = BooleanField(default=False)  # failed; not sent again: its alarms cleared
    cancelled_by = TextField(null=True)  # the user who took it out of the queue
    # Added by migration 9: sends of it cut short by a crash; above 0 it may arrive twice.
    interrupted_sends = IntegerField(default=0)
    # Added by migration 12: queued by the old system before the move; sent or discarded only
    # by a person's choice in the migration summary.
    held = BooleanField(default=False)
    # Added by migration 13: what the recipient's phone reported (WhatsApp's receipts).
    delivered_at = TimestampText(null=True)
    read_at = TimestampText(null=True)
    played_at = TimestampText(null=True)
    # Added by migration 14: whatsapp, or email (the recipient is then an e-mail address).
    medium = TextField(default="whatsapp")
    subject = TextField(null=True)  # an e-mail's subject line
    stands_for_id = IntegerField(null=True)  # the WhatsApp row an e-mail was sent in place of

    class Meta:
        table_name = "outgoing_messages"


class OutgoingAlarmLine(BaseModel):
    """One alarm line of an outgoing message: which event, what it said (added by migration
    8). `event_id` is no foreign key: a sent message keeps naming an alarm deleted since."""

    outgoing = ForeignKeyField(OutgoingMessage, column_name="outgoing_id", on_delete="CASCADE",
                               lazy_load=False)
    position = IntegerField()
    event_id = IntegerField()
    what = TextField()  # raised, escalated, cleared, now (an offline summary's "now" line)
    line = TextField()  # the line as a later offline summary repeats it (no reply hint)

    class Meta:
        table_name = "outgoing_message_alarm_events"
        primary_key = CompositeKey("outgoing", "position")


class QueryPreset(BaseModel):
    id = TextField(primary_key=True)
    name = TextField()
    query_template = TextField()
    variables = JsonText(null=True)
    is_default = BooleanField(null=True, default=False)
    usage_count = IntegerField(null=True, default=0)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "query_presets"


class SystemSetting(BaseModel):
    id = TextField(primary_key=True)
    category = TextField()
    key = TextField()
    value = TextField(null=True)  # plain strings in old rows; never assume JSON
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "system_settings"


class User(BaseModel):
    id = TextField(primary_key=True)
    username = TextField(unique=True)
    password_hash = TextField()
    full_name = TextField(null=True)
    email = TextField(null=True)
    role = TextField(null=True, default="admin")
    created_by = ForeignKeyField("self", column_name="created_by", null=True, lazy_load=False)
    created_at = TimestampText(null=True)
    last_login = LoginTimestampText(null=True)
    is_active = BooleanField(null=True, default=True)
    login_attempts = IntegerField(null=True, default=0)
    locked_until = TimestampText(null=True)

    class Meta:
        table_name = "users"


class AuditLog(BaseModel):
    id = TextField(primary_key=True)
    user = ForeignKeyField(User, column_name="user_id", null=True, lazy_load=False)
    action = TextField()
    details = JsonText(null=True)
    ip_address = TextField(null=True)
    user_agent = TextField(null=True)
    timestamp = TimestampText(null=True)

    class Meta:
        table_name = "audit_logs"


class Session(BaseModel):
    id = TextField(primary_key=True)
    user = ForeignKeyField(User, column_name="user_id", null=True, unique=True, lazy_load=False)
    token_hash = TextField(null=True)
    expires_at = TimestampText(null=True)
    created_at = TimestampText(null=True)
    ip_address = TextField(null=True)
    user_agent = TextField(null=True)
    is_active = BooleanField(null=True, default=True)

    class Meta:
        table_name = "sessions"


# -- added by migration 7: alarms and schedules -----------------------------------------------


class Alarm(BaseModel):
    id = TextField(primary_key=True)
    name = TextField(unique=True)
    active = BooleanField(default=True)
    kind = TextField(default="pi")  # pi: a tag of a historian; sql: a sql trigger's first value
    data_source_id = TextField(null=True)
    tag = TextField(null=True)
    trigger_id = TextField(null=True)
    config = JsonText(null=True)
    state = JsonText(null=True)
    last_value = TextField(null=True)
    last_error = TextField(null=True)
    last_evaluated_at = TimestampText(null=True)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "alarms"


class AlarmEventRow(BaseModel):
    id = AutoField()  # the number people reply with: "ack 12"
    alarm = ForeignKeyField(Alarm, column_name="alarm_id", on_delete="CASCADE", lazy_load=False)
    state = TextField(default="active")  # active, acknowledged, shelved, cleared
    severity = TextField(null=True)
    value = TextField(null=True)
    why = TextField(null=True)
    raised_at = TimestampText()
    cleared_at = TimestampText(null=True)
    acknowledged_by = TextField(null=True)
    acknowledged_at = TimestampText(null=True)
    shelved_until = TimestampText(null=True)
    escalation_level = IntegerField(default=0)
    notified_at = TimestampText(null=True)
    late = BooleanField(default=False)
    history = JsonText(null=True)

    class Meta:
        table_name = "alarm_events"


class AlarmAck(BaseModel):
    id = AutoField()
    event = ForeignKeyField(AlarmEventRow, column_name="event_id", on_delete="CASCADE",
                            lazy_load=False)
    action = TextField()  # ack, shelve, unshelve
    by_id = TextField(null=True)
    by_name = TextField(null=True)
    via = TextField(null=True)  # whatsapp, simulator, gui, cli
    reason = TextField(null=True)
    until = TimestampText(null=True)
    created_at = TimestampText()

    class Meta:
        table_name = "alarm_acks"


class Schedule(BaseModel):
    id = TextField(primary_key=True)
    name = TextField(unique=True)
    active = BooleanField(default=True)
    target_kind = TextField()  # trigger or group
    target_name = TextField()  # by name: a deleted trigger shows as missing, not as a crash
    expression = TextField()
    config = JsonText(null=True)
    next_run_at = TimestampText(null=True)
    last_run_at = TimestampText(null=True)
    last_status = TextField(null=True)
    created_at = TimestampText(null=True)
    updated_at = TimestampText(null=True)

    class Meta:
        table_name = "schedules"


class ScheduleRun(BaseModel):
    id = AutoField()
    schedule = ForeignKeyField(Schedule, column_name="schedule_id", on_delete="CASCADE",
                               lazy_load=False)
    due_at = TimestampText()
    ran_at = TimestampText()
    status = TextField()  # sent, skipped, missed, failed
    detail = TextField(null=True)

    class Meta:
        table_name = "schedule_runs"


class SessionHealth(BaseModel):
    """The bot's own WhatsApp session, as its health alarm sees it (added by migration 14)."""

    channel = TextField(primary_key=True)  # whatsapp
    down_since = TimestampText(null=True)  # null: connected (or never seen down)
    down_state = TextField(null=True)  # logged_out, banned, disconnected
    told_down_at = TimestampText(null=True)  # the administrators were told it is down
    told_up_at = TimestampText(null=True)  # ... and that it is back

    class Meta:
        table_name = "session_health"


ALL_MODELS: tuple[type[BaseModel], ...] = (
    DataSource, Trigger, TriggerGroup, TriggerGroupMember, AiTrigger, WhatsappStatus, Message,
    Contact, OutgoingMessage, QueryPreset, SystemSetting, User, AuditLog, Session,
    Alarm, AlarmEventRow, AlarmAck, Schedule, ScheduleRun, OutgoingAlarmLine, StrangerHour,
    SessionHealth,
)
