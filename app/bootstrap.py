"""What every entry point does first: locations, logging, secrets and the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import logs, paths
from app.db.database import OpenResult, background_checkpoints, open_database
from app.services import secrets


@dataclass
class Environment:
    paths: paths.AppPaths
    db_path: Path
    log_file: Path | None


def prepare(data_dir: str | None, db: str | None, log_level: str, console: bool) -> Environment:
    locations = paths.resolve(data_dir)
    locations.ensure()
    log_file = logs.configure(locations.log_dir, log_level, console=console)
    secrets.configure(locations.data_dir)
    db_path = Path(db).expanduser() if db else locations.default_db
    return Environment(locations, db_path, log_file)


def open_db(env: Environment, on_progress=None) -> OpenResult:
    """Open the database and make sure no secret stays in it in plain text."""
    from app.services import source_secrets

    result = open_database(env.db_path, on_progress=on_progress)
    source_secrets.move_plaintext_secrets()
    return result


class DesktopStart:
    """What the desktop app opens, in the order it needs it: the database before the login
    window, the bots (the whole runtime, a few hundred ms to import) while it is shown."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def open(self, on_progress=None) -> OpenResult:
        """On a worker thread (app.ui.application.open_with_progress); its own connection is
        closed once the database is open, each thread opening its own as it needs one."""
        opened = open_db(self.env, on_progress=on_progress)
        background_checkpoints(opened.db)  # the window never waits for one inside a commit
        opened.db.close()  # this thread's connection only
        return opened

    @staticmethod
    def load() -> None:
        # Imported ahead, in a worker thread: the composition and what it imports only when a
        # bot is built (the bot, its outbox, the alarms), the alarm commands' answers.
        import app.composition  # noqa: F401
        import app.runtime.alarm_replies  # noqa: F401
        import app.runtime.alarms.engine  # noqa: F401
        import app.runtime.alarms.ticker  # noqa: F401
        import app.runtime.bot  # noqa: F401
        import app.runtime.charts  # noqa: F401
        import app.runtime.health  # noqa: F401
        import app.runtime.outbox  # noqa: F401
        import app.runtime.receipts  # noqa: F401
        import app.services.migration_summary  # noqa: F401 - the main window's first look

    def build(self, opened: OpenResult):
        from app import composition

        return composition.desktop(opened, self.env.paths.data_dir)

    @staticmethod
    def close(opened: OpenResult) -> None:
        from app.db.database import close_database

        close_database(opened.db)
