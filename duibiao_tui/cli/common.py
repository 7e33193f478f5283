"""What every subcommand shares: one error boundary and one way to open the store.

- **The boundary** (``GuardedCommand``, the class of every command): our own errors
  (``DuibiaoError``) print one line in Chinese and exit 1; a full disk or a file we may not
  write (``OSError``) is said in words; anything unforeseen writes the crash log (owner
  only) and prints its path — never a traceback with enterprises' names and phones in it.
  Python's "Exception ignored in …" reports (a half-written workbook collected after an
  export stopped) go to the crash log too, not to the terminal.
- **open_store**: the database named by ``--db`` / ``$DUIBIAO_DB`` / the default, with the
  officer's name and ``backups_keep`` from ``config.json``, refusing what is not a regular
  file, and tidying temporary files that killed runs left beside it. Commands that copy the
  file rather than open it (backup, restore, package) take its path from ``db_file``.
- **progress_bar**: the one progress bar of long imports and exports, on stderr.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from duibiao_tui.errors import DiskFullError, DuibiaoError

if TYPE_CHECKING:
    from duibiao_tui.config import Config
    from duibiao_tui.store.store import Store

__all__ = [
    "DB_OPTION_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_REFUSED",
    "GuardedCommand",
    "GuardedGroup",
    "cli_config",
    "db_file",
    "error_boundary",
    "fail",
    "open_store",
    "progress_bar",
    "tidy_temps",
]

DB_OPTION_HELP = "数据库文件（默认：$DUIBIAO_DB，否则用户数据目录下的 duibiao.db）"
EXIT_REFUSED = 1
EXIT_INTERRUPTED = 130
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def fail(error: DuibiaoError, code: int = EXIT_REFUSED) -> NoReturn:
    """One line on stderr, ``标题：说明``, and the exit status."""
    click.echo(f"{error.title}：{error.message}", err=True)
    sys.exit(code)


def os_error(error: OSError) -> DuibiaoError:
    """An OSError that escaped a command, in words."""
    where = f"：{error.filename}" if error.filename else ""
    if error.errno in _FULL:
        return DiskFullError(
            f"磁盘已满（或文件超过了大小限制）{where}。操作没有完成，已有的文件没有改动；"
            "请腾出磁盘空间后再试"
        )
    if isinstance(error, PermissionError):
        return DuibiaoError(f"没有权限{where}（文件或文件夹只读？）", "无法写入")
    return DuibiaoError(f"{error.strerror or error}{where}", "文件操作失败")


def _crash(error: BaseException) -> NoReturn:
    from duibiao_tui.crash import write_crash_log

    try:
        where = f"详情已记入日志：{write_crash_log(error, context=' '.join(sys.argv))}"
    except OSError:
        where = "（日志也无法写入）"
    click.echo(f"duibiao-tui 遇到意外错误，操作没有完成。{where}", err=True)
    sys.exit(EXIT_REFUSED)


def _quiet_unraisable(hook: Any) -> None:
    """``sys.unraisablehook``: an exception Python cannot raise (in ``__del__``, a closing
    generator) goes to the crash log instead of the terminal."""
    from duibiao_tui.crash import write_crash_log

    error = hook.exc_value or RuntimeError(str(hook.err_msg))
    with contextlib.suppress(Exception):
        write_crash_log(error, context=f"unraisable: {hook.err_msg or ''} {hook.object!r}")


@contextlib.contextmanager
def error_boundary() -> Iterator[None]:
    """Everything a command raises becomes one line on stderr and an exit status."""
    sys.unraisablehook = _quiet_unraisable
    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit):
        raise
    except DuibiaoError as error:
        fail(error)
    except KeyboardInterrupt:
        click.echo("已中断：没有完成的操作没有写入。", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as error:
        fail(os_error(error))
    except sqlite3.OperationalError as error:
        if "full" in str(error):
            fail(DiskFullError("磁盘已满：操作没有完成，数据库没有改动；请腾出磁盘空间后再试"))
        _crash(error)
    except Exception as error:  # noqa: BLE001 - the one place unforeseen errors are caught
        _crash(error)


class GuardedCommand(click.Command):
    """A click command inside ``error_boundary``."""

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)


class GuardedGroup(click.Group):
    """A group whose commands (and subgroups) are all guarded."""

    command_class = GuardedCommand

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)


GuardedGroup.group_class = GuardedGroup


def cli_config() -> Config:
    from duibiao_tui.config import load_config
    from duibiao_tui.paths import config_path

    return load_config(config_path())


def tidy_temps(db_path: Path) -> None:
    """Remove temporary copies of our own naming that killed runs left beside the
        database, in its ``backups/`` and in ``exports/`` of the working directory (where a
    killed CSV export is finished or removed)."""
    from duibiao_tui.excel.atomic import EXPORT_DIR_NAME, clean_stale_temps
    from duibiao_tui.excel.csv_export import finish_csv_exports

    for folder in (db_path.parent, db_path.parent / "backups", Path.cwd() / EXPORT_DIR_NAME):
        clean_stale_temps(folder)
    finish_csv_exports(Path.cwd() / EXPORT_DIR_NAME)  # a killed CSV export: all or none


def db_file(db_path: str | None) -> Path:
    """The database path, resolved as everywhere, refused when it is not a regular file (a
    FIFO would hang the open forever)."""
    from duibiao_tui.paths import resolve_db_path
    from duibiao_tui.store.sqlite_files import ensure_regular_or_absent

    path = resolve_db_path(db_path).path
    ensure_regular_or_absent(path)
    return path


def open_store(
    db_path: str | None, *, must_exist: bool = True, announce_new: bool = False
) -> Store:
    """The store every command uses: path from ``db_file``, officer and ``backups_keep``
    from the officer's config."""
    from duibiao_tui.store.store import Store

    config = cli_config()
    path = db_file(db_path)
    if not path.exists():
        if must_exist:
            raise DuibiaoError(f"{path} 不存在（可用 --db 指定数据库文件）", "找不到数据库")
        if announce_new:
            click.echo(f"新建数据库 {path}", err=True)
    tidy_temps(path)
    return Store.open(path, officer=config.officer or "命令行", backups_keep=config.backups_keep)


def progress_bar(
    label: str, total: int | None = None
) -> contextlib.AbstractContextManager[Callable[[int, int], None]]:
    """A progress bar on stderr while stdout is a terminal; nothing when piped or in tests.

    Without ``total`` the bar starts at the first update, with the total it reports."""

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int, int], None]]:
        if not sys.stdout.isatty() or (total is not None and total < 2):
            yield lambda done, total: None
            return
        with contextlib.ExitStack() as stack:
            shown: list[Any] = []
            last = 0

            def update(done: int, reported: int) -> None:
                nonlocal last
                if not shown:
                    length = total if total is not None else reported
                    shown.append(
                        stack.enter_context(
                            click.progressbar(length=length, label=label, file=sys.stderr)
                        )
                    )
                shown[0].update(done - last)
                last = done

            yield update

    return bar()
