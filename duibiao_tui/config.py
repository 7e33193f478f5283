"""The officer's own settings (name, default district), kept per user, not per database.

Two officers may open one file; each stamps changes with their own name.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Config:
    officer: str = ""
    """Stamps every change this officer makes."""
    default_district_id: str | None = None
    """Preselected in new enterprises and the list filter."""
    backups_keep: int = 10
    """How many backups of each database are kept (the oldest are deleted)."""
    start_screen: str = "dashboard"
    """The screen the app opens on: dashboard (总览), enterprises, review or measures."""

    @property
    def is_complete(self) -> bool:
        return bool(self.officer.strip())


def load_config(path: Path) -> Config:
    """The saved settings, or empty ones (first run) when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Config()
    if not isinstance(data, dict):
        return Config()
    return Config(
        officer=str(data.get("officer") or ""),
        default_district_id=data.get("default_district_id") or None,
        backups_keep=_keep(data.get("backups_keep")),
        start_screen=_screen(data.get("start_screen")),
    )


START_SCREENS = ("dashboard", "enterprises", "review", "measures")


def _screen(value: object) -> str:
    return value if isinstance(value, str) and value in START_SCREENS else "dashboard"


def _keep(value: object) -> int:
    """A sane number of backups to keep: 1–1000, 10 when missing or not a number."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
        return value
    return 10


def save_config(config: Config, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, synced, then renamed."""
    import tempfile  # only when saving: it pulls in random and shutil

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(config), handle, ensure_ascii=False, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
