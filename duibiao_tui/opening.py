"""Opening the app from the shell: ``duibiao-tui [--db PATH] [--demo]`` and ``duibiao-tui open``.

One action for two callers: ``launch`` runs it without click for the everyday open, the
``open`` command of ``duibiao_tui.cli`` for ``open --help`` and friends. It sits below the
command line so that neither imports the other (``launch`` imports ``cli`` for subcommands).
Nothing but ``sys`` is imported until it runs.
"""

from __future__ import annotations

import sys

__all__ = ["open_app"]


def open_app(db_path: str | None, demo: bool) -> None:
    """Resolve the database, fill demo data if asked and empty, run the app.

    Our errors print one line in Chinese and exit 1; anything unforeseen before or after
    the app (the app handles its own) writes the crash log and prints its path.
    """
    from duibiao_tui.errors import DuibiaoError
    from duibiao_tui.paths import resolve_db_path

    try:
        from duibiao_tui.app import run_app
        from duibiao_tui.store.sqlite_files import ensure_regular_or_absent

        location = resolve_db_path(db_path)
        ensure_regular_or_absent(location.path)  # a FIFO would hang the open forever
        _tidy(location.path)
        if demo:
            from duibiao_tui.demo_file import fill_demo_if_empty

            fill_demo_if_empty(location.path)
        run_app(location)
    except DuibiaoError as error:
        print(f"{error.title}：{error.message}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 - the last stop before a traceback
        _crashed(error)


def _tidy(path: object) -> None:
    """Temporary copies of our naming left by killed exports, backups and packages."""
    from pathlib import Path

    from duibiao_tui.excel.atomic import EXPORT_DIR_NAME, clean_stale_temps

    db = Path(str(path))
    exports = Path.cwd() / EXPORT_DIR_NAME
    for folder in (db.parent, db.parent / "backups", exports):
        clean_stale_temps(folder)
    if _has_csv_staging(exports):  # the export modules cost ~10 ms of every start otherwise
        from duibiao_tui.excel.csv_export import finish_csv_exports

        finish_csv_exports(exports)  # a killed CSV export: all or none


def _has_csv_staging(folder: object) -> bool:
    """Whether ``folder`` holds what looks like a killed CSV export's staging folder."""
    import os

    try:
        return any(name.startswith(".csv-export.") for name in os.listdir(str(folder)))
    except OSError:
        return False


def _crashed(error: BaseException) -> None:
    import errno

    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        print("磁盘已满：没有完成，文件没有改动；请腾出磁盘空间后再打开", file=sys.stderr)
        sys.exit(1)
    from duibiao_tui.crash import write_crash_log

    try:
        where = f"详情已记入日志：{write_crash_log(error, context=' '.join(sys.argv))}"
    except OSError:
        where = "（日志也无法写入）"
    print(f"duibiao-tui 遇到意外错误，已退出。{where}", file=sys.stderr)
    sys.exit(1)
