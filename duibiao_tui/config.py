"""The officer's own settings (name, default district), kept per user, not per database.

Two officers may open one file; each stamps changes with their own name.
"""

from __future__ import annotations

import json
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
    """Write atomically (``files``: a temporary file beside it, synced, renamed), owner only:
    a kill while saving leaves the old settings, never half of them."""
    from duibiao_tui.files import atomic_open  # only when saving

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w", force=True, encoding="utf-8", private=True) as handle:
        json.dump(asdict(config), handle, ensure_ascii=False, indent=2)
