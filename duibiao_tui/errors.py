"""One exception tree for everything the officer may be shown.

Every error carries a Chinese ``title`` and ``message`` so the UI can show it as it is
(``notify`` or an error modal) and the CLI can print it without a traceback.
"""

from __future__ import annotations


class DuibiaoError(Exception):
    """Base of every error this program raises on purpose."""

    title = "错误"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title


class FieldError(DuibiaoError, ValueError):
    """One field holds a value that breaks a rule; the message says what is expected."""

    title = "输入有误"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class ValidationFailed(DuibiaoError):
    """A record has one or more field errors; all of them are reported at once."""

    title = "输入有误"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("；".join(e.message for e in errors))
        self.errors = errors

    def by_field(self) -> dict[str, str]:
        """The first reason per field, for showing next to the inputs."""
        out: dict[str, str] = {}
        for error in self.errors:
            out.setdefault(error.field, error.reason)
        return out


class DuplicateError(DuibiaoError):
    """A unique rule (credit code, name within a district) would be broken."""

    title = "重复"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.reason = message


class NotFoundError(DuibiaoError):
    title = "未找到"


class SchemaTooNewError(DuibiaoError):
    """The database was written by a newer duibiao-tui; opening it could damage it."""

    title = "数据库版本过新"


class FileExistsRefused(DuibiaoError):
    """A file would be overwritten without the user's say-so."""

    title = "没有覆盖"


class NotADatabaseError(DuibiaoError):
    """The file given as the database is not an SQLite database (a spreadsheet, say)."""

    title = "不是数据库文件"


class CorruptDatabaseError(DuibiaoError):
    """``PRAGMA quick_check`` found damage; the file is left as it is."""

    title = "数据库已损坏"

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class ReadOnlyError(DuibiaoError):
    """A write was attempted on a database opened read-only."""

    title = "只读"


class BusyError(DuibiaoError):
    """Another window or program kept the database busy past the wait; nothing was written."""

    title = "数据库忙"


class DiskFullError(DuibiaoError):
    """SQLite could not grow the file (SQLITE_FULL): nothing was written, the file is intact."""

    title = "磁盘已满"
