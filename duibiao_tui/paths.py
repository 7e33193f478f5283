"""Where the database and the officer's settings live, whatever the working directory.

Order for the database: ``--db PATH``, else ``$DUIBIAO_DB``, else the user data directory
that platformdirs gives for this OS (e.g. ``~/.local/share/duibiao-tui/duibiao.db``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "duibiao-tui"
DB_ENV = "DUIBIAO_DB"
CONFIG_ENV = "DUIBIAO_CONFIG"
DEFAULT_DB_NAME = "duibiao.db"


@dataclass(frozen=True)
class DbLocation:
    path: Path
    source: str
    """How the path was chosen: --db, DUIBIAO_DB or 默认位置."""


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> DbLocation:
    if cli_value:
        return DbLocation(Path(cli_value).expanduser().resolve(), "--db")
    env = os.environ.get(DB_ENV)
    if env:
        return DbLocation(Path(env).expanduser().resolve(), DB_ENV)
    from platformdirs import user_data_path

    return DbLocation(user_data_path(APP_NAME, appauthor=False) / DEFAULT_DB_NAME, "默认位置")


def config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.json"
