"""The app's edit forms, each as a new one would open, for tests that go through all of them."""

from __future__ import annotations

from app.ui.dialogs.ai_prefix_dialog import AiPrefixDialog
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.dialogs.group_dialog import GroupDialog
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.dialogs.schedule_dialog import ScheduleDialog
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.dialogs.user_dialog import UserDialog

FORMS = {
    "trigger": lambda ctx: TriggerDialog(ctx),
    "group": lambda ctx: GroupDialog(ctx),
    "preset": lambda ctx: PresetDialog(ctx),
    "AI prefix": lambda ctx: AiPrefixDialog(ctx),
    "alarm": lambda ctx: AlarmDialog(ctx),
    "schedule": lambda ctx: ScheduleDialog(ctx),
    "connection": lambda ctx: SourceDialog(ctx=ctx),
    "user": lambda ctx: UserDialog(),
}
