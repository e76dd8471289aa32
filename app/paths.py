"""Per-user data, log and backup locations (platformdirs), overridable with --data-dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import APP_NAME


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path
    log_dir: Path
    backup_dir: Path

    @property
    def default_db(self) -> Path:
        return self.data_dir / "app.db"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.log_dir, self.backup_dir):
            folder.mkdir(parents=True, exist_ok=True)


def resolve(data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
    """Locations for this user; `data_dir` puts everything under one folder."""
    if data_dir is not None:
        root = Path(data_dir).expanduser().resolve()
        return AppPaths(root, root / "logs", root / "backups")
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    return AppPaths(data, logs, data / "backups")
