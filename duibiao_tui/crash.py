"""What happens when the app meets an error nobody foresaw: the typing is kept as drafts,
the details go to a log file readable by the owner only, and the terminal shows a short
message instead of a traceback full of enterprise names and phone numbers."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from duibiao_tui.paths import APP_NAME

__all__ = ["crash_log_dir", "write_crash_log"]

LOG_ENV = "DUIBIAO_LOG_DIR"


def crash_log_dir() -> Path:
    env = os.environ.get(LOG_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def write_crash_log(error: BaseException, context: str = "") -> Path:
    """Write the traceback (no local variables) to a new file and return its path."""
    folder = crash_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
    text = "".join(traceback.format_exception(error))
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"duibiao-tui crash at {datetime.now().isoformat()}\n{context}\n\n{text}")
    return path
