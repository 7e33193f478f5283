"""A district's database as one file to mail or carry: ``duibiao-tui package``.

The package is a copy of the database taken with SQLite's backup API from a read-only
connection of its own (so it is one committed state even while the app writes), then
trimmed *in the copy*: never in the live file.

- Unsaved drafts and this file's merge bookkeeping never travel.
- With a district, only that district's enterprises travel, with their rows, submissions,
  review history, recognitions and the audit entries about them; the copy's audit triggers
  are dropped for that pruning and put back. Districts, campaigns and the benchmark library
  travel whole (rows refer to them).
- The copy leaves out what the city builds for itself: its indexes and search keys (half a
  file; the merge reads every table whole), is VACUUMed (nothing pruned survives in free pages), checked with
  ``integrity_check`` and gzip-compressed (``package.gz`` inside, level 6: ~12 KB an
  enterprise instead of ~65 KB), fsynced and renamed into place: a kill leaves no package or
  a whole one. It is readable by its owner only, and never replaces a file unless asked.

A package holds a duibiao database (it keeps its source's ``database_id``, so the city
knows which district it came from and what it merged from it before; a source that is a
copy not yet opened where it now lies, or a file from before per-copy ids, gets the id of
its own it will have then, and its former id as ``database_parent_id``, see
``store.identity``); ``setting`` notes ``package_district``, ``package_taken_at`` and each table's digest
(``store.merge.digests``: what the city need not read when it merged that content before).

Reading one (``unpacked``): the form is told by the file's first bytes, never its name —
gzip (this release's packages) is unpacked into a private temporary file (0600, in a folder
of ours under the system's temporary folder, removed when done, and by the next run if a
kill left it), at most ``MAX_RATIO`` times the package's size (a "zip bomb" stops there);
a plain SQLite file (packages of earlier releases, or any district database) is read as it
is. A damaged or cut-off package is refused in words (``PackageDamaged``), leaving nothing.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import json
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from duibiao_tui.domain.listing import District
from duibiao_tui.errors import DiskFullError, DuibiaoError, FileExistsRefused, NotFoundError
from duibiao_tui.files import (
    atomic_path,
    clean_stale_temps,
    create_private,
    prepare_folder,
    temp_path,
)
from duibiao_tui.store import search_index
from duibiao_tui.store.backup import BackupError
from duibiao_tui.store.dashboard_memory import FIGURES_KEY
from duibiao_tui.store.identity import ID_KEY, PARENT_KEY, Identity, identity_for
from duibiao_tui.store.sqlite_files import (
    describe,
    disk_is_full,
    ensure_regular_or_absent,
    open_read_only,
)

__all__ = [
    "MAX_RATIO",
    "PACKAGE_SUFFIX",
    "PackageDamaged",
    "PackageInfo",
    "default_package_name",
    "discard",
    "make_package",
    "package_form",
    "package_label",
    "source_districts",
    "unpack",
    "unpack_folder",
    "unpacked",
]

PACKAGE_SUFFIX = ".duibiao"
PACKAGE_WORD = "数据包"
"""In the default name, so the file says what it is: ``京口区-数据包-20091020.duibiao``."""
GZIP_MAGIC = b"\x1f\x8b"
SQLITE_MAGIC = b"SQLite format 3\x00"
COMPRESS_LEVEL = 6
"""zlib's default: level 9 saves under 1 %, level 1 costs 12 % more bytes."""
MAX_RATIO = 64
"""A package unpacks to at most this many times its size (real ones: ~4x)."""
MIN_LIMIT = 64 * 1_048_576
"""…or this much, for a tiny package."""
BLOCK = 1 << 20
ALL_DISTRICTS = "全市"
MERGE_TABLES = (
    "merge_digest",
    "merge_pending",
    "merge_conflict",
    "merge_base",
    "merge_alias",
    "merge_source",
)


@dataclass(frozen=True)
class PackageInfo:
    path: Path
    district: str
    """The district it holds, or the label of the whole database."""
    enterprises: int
    items: int
    size: int


def _read_only(path: Path) -> sqlite3.Connection:
    return open_read_only(path)


def source_districts(db_path: Path) -> list[District]:
    """The districts of a database file, read without opening it through the Store (which
    would upgrade it)."""
    conn = _read_only(db_path)
    try:
        return [
            District(r[0], r[1], r[2], r[3], bool(r[4]))
            for r in conn.execute(
                "SELECT id, name, code, kind, is_zone FROM district ORDER BY sort_order"
            )
        ]
    except sqlite3.DatabaseError as error:
        raise DuibiaoError(f"{db_path} 不是可用的 duibiao 数据库：{error}", "无法打包") from error
    finally:
        conn.close()


def package_label(db_path: Path, district: District | None) -> str:
    """What the package holds, for its file name: the district, or the only district of all
    its enterprises, or 全市."""
    if district is not None:
        return district.name
    conn = _read_only(db_path)
    try:
        names = conn.execute(
            "SELECT DISTINCT ifnull(d.name, '') FROM enterprise e "
            "LEFT JOIN district d ON d.id = e.district_id WHERE e.deleted_at IS NULL LIMIT 2"
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise DuibiaoError(f"{db_path} 不是可用的 duibiao 数据库：{error}", "无法打包") from error
    finally:
        conn.close()
    return names[0][0] if len(names) == 1 and names[0][0] else ALL_DISTRICTS


def default_package_name(label: str, now: datetime | None = None) -> str:
    return f"{label}-{PACKAGE_WORD}-{(now or datetime.now()):%Y%m%d}{PACKAGE_SUFFIX}"


class PackageDamaged(DuibiaoError):
    """A compressed package that cannot be unpacked whole: nothing was read from it."""

    title = "数据包已损坏"


def package_form(path: Path | str) -> str:
    """``gzip`` (a compressed package), ``sqlite`` (a database: a district's file or a
    package of an earlier release) or ``other``, by the file's first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return "other"


def unpack_folder() -> Path:
    """Where packages are unpacked while they are read: ``duibiao-tui-<user>`` in the
    system's temporary folder, readable by its owner only."""
    user = os.getuid() if hasattr(os, "getuid") else "user"  # Windows: a folder per user
    folder = Path(tempfile.gettempdir()) / f"duibiao-tui-{user}"
    folder.mkdir(mode=0o700, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


def _gunzip(package: Path, target: Path, limit: int) -> None:
    """``package`` unpacked into the existing empty file ``target``; at most ``limit``
    bytes. Raises PackageDamaged, DiskFullError or DuibiaoError."""
    written = 0
    try:
        with open(package, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as source:
            with open(target, "wb") as out:
                while block := source.read(BLOCK):
                    written += len(block)
                    if written > limit:
                        raise PackageDamaged(
                            f"{package.name} 解压后超过 {limit / 1_048_576:.0f} MB"
                            f"（数据包大小的 {MAX_RATIO} 倍），不是正常的 duibiao 数据包，"
                            "已停止解压，未读取任何内容"
                        )
                    out.write(block)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:  # zlib's words are English
        how = "文件不完整，在结尾之前就断了" if isinstance(error, EOFError) else "压缩数据有误"
        raise PackageDamaged(
            f"{package.name} 已损坏或不完整（解压失败：{how}），未读取任何内容。"
            "可能是邮件附件或 U 盘拷贝没有传完整，请让辖市区重新打包发送"
        ) from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise DiskFullError(
                f"磁盘空间不足，无法解压 {package.name}（需要约 {written / 1_048_576:.0f} MB "
                f"以上，临时文件夹 {target.parent}）；没有留下任何文件，请腾出空间后再试"
            ) from error
        raise DuibiaoError(
            f"无法解压 {package.name}：{error.strerror or error}", "无法读取数据包"
        ) from error


@contextlib.contextmanager
def unpacked(package: Path | str) -> Iterator[Path]:
    """The plain database file of ``package``: the file itself when it is one (or not a
    package at all: the caller's checks say so), else unpacked into a private temporary
    file that is gone when the block ends (and, after a kill, on the next unpack)."""
    package = Path(package)
    if package_form(package) != "gzip":
        yield package
        return
    plain = unpack(package)
    try:
        yield plain
    finally:
        discard(plain)


def unpack(package: Path) -> Path:
    """The compressed ``package`` unpacked into a new private temporary file, for the
    caller to ``discard`` (a kill leaves it to the next unpack)."""
    folder = unpack_folder()
    clean_stale_temps(folder)
    plain = temp_path(folder / "package.db")
    limit = max(MIN_LIMIT, MAX_RATIO * package.stat().st_size)
    try:
        create_private(plain)
        _gunzip(package, plain, limit)
    except BaseException:
        discard(plain)
        raise
    return plain


def discard(plain: Path) -> None:
    """Remove an unpacked package (and any side file SQLite made beside it)."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{plain}{suffix}").unlink(missing_ok=True)


def _compress(plain: Path, target: Path) -> None:
    """gzip of ``plain`` into the existing private file ``target``."""
    with open(plain, "rb") as source, open(target, "wb") as raw:
        with gzip.GzipFile(
            filename="package.db", mode="wb", fileobj=raw, compresslevel=COMPRESS_LEVEL, mtime=0
        ) as out:
            shutil.copyfileobj(source, out, BLOCK)


def _snapshot(db_path: Path, work: Path) -> Identity:
    """A consistent copy of the live file: SQLite's backup API from a read-only connection
    of its own, in one step (a committed state, whatever other connections write), into
    ``work`` (made 0600 by ``atomic_path``); checked once, after trimming, by
    ``make_package``. Returns the identity the package carries."""
    source = _read_only(db_path)
    try:
        identity = identity_for(source, db_path)
        target = sqlite3.connect(work)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()
    return identity


def _prune(conn: sqlite3.Connection, district_id: str) -> None:
    """Keep one district's enterprises and what hangs on them; runs on the copy only."""
    conn.execute("CREATE TEMP TABLE gone (id TEXT PRIMARY KEY)")
    conn.execute(
        "INSERT INTO gone SELECT id FROM enterprise WHERE ifnull(district_id, '') != ?",
        [district_id],
    )
    for table in ("submission", "benchmark_item", "recognition"):
        conn.execute(
            f"INSERT OR IGNORE INTO gone SELECT id FROM {table} "
            "WHERE enterprise_id IN (SELECT id FROM gone)"
        )
    conn.execute(
        "INSERT OR IGNORE INTO gone SELECT id FROM review_event "
        "WHERE submission_id IN (SELECT id FROM gone)"
    )
    conn.execute(
        "INSERT OR IGNORE INTO gone SELECT id FROM recognition_score "
        "WHERE recognition_id IN (SELECT id FROM gone)"
    )
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("DELETE FROM audit_log WHERE row_id IN (SELECT id FROM gone)")
    for _, sql in triggers:
        conn.execute(sql)
    for table in (
        "recognition_score",
        "recognition",
        "review_event",
        "submission",
        "benchmark_item",
        "enterprise",
    ):
        conn.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM gone)")
    conn.execute("DROP TABLE gone")


def make_package(
    db_path: Path,
    target: Path,
    *,
    district: District | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> PackageInfo:
    """Write the package of ``db_path`` (all of it, or one ``district``) to ``target``."""
    db_path, target = Path(db_path), Path(target)
    ensure_regular_or_absent(db_path)
    if not db_path.is_file():
        raise NotFoundError(f"{db_path} 不存在（可用 --db 指定数据库文件）")
    if target.exists() and not force:
        raise FileExistsRefused(f"{target} 已存在；要覆盖请加 --force")
    if target.resolve() == db_path.resolve():
        raise DuibiaoError("数据包不能写到数据库文件本身", "无法打包")
    from duibiao_tui.store.store import check_existing

    check_existing(db_path)  # not SQLite, another program's, damaged, newer: refused here
    now = now or datetime.now()
    label = package_label(db_path, district)
    prepare_folder(target.parent, "无法打包")  # .part files of killed runs go
    need = db_path.stat().st_size * 2  # the copy, VACUUM's rewrite of it, the package
    if disk_is_full(target.parent, need):
        raise DiskFullError(
            f"磁盘空间不足：打包需要约 {need / 1_048_576:.1f} MB，{target.parent} 所在磁盘不够。"
            "没有写入任何文件；请腾出空间后再试"
        )
    work = temp_path(target, ".part")  # the plain copy, beside the package
    try:  # both 0600 from the start; the package takes its name only whole, fsynced
        with atomic_path(target, force=True, private=True, suffix=".part") as packed:
            create_private(work)
            identity, enterprises, items = _write(db_path, work, district, now)
            _compress(work, packed)
    except sqlite3.Error as error:
        mapped = describe(error, target, "打包")  # only its folder is read
        if isinstance(mapped, DiskFullError):
            raise mapped from error
        raise BackupError(f"无法打包：{error}") from error
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise DiskFullError(
                f"磁盘已满（或文件超过了大小限制），没有写成数据包 {target}；"
                "没有留下半个文件，请腾出空间后再试"
            ) from error
        raise DuibiaoError(f"无法写入 {target}：{error.strerror or error}", "无法打包") from error
    finally:
        for suffix in ("", "-journal"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
    return PackageInfo(target, label, enterprises, items, target.stat().st_size)


def _write(
    db_path: Path, work: Path, district: District | None, now: datetime
) -> tuple[Identity, int, int]:
    """The package's content in ``work``: copied, trimmed, noted, rid of its indexes,
    VACUUMed and checked. Returns its identity and its live enterprises and form rows."""
    identity = _snapshot(db_path, work)
    conn = sqlite3.connect(work)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            conn.execute("DELETE FROM item_draft")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "form_draft" in tables:  # unsaved typing stays on this machine
                conn.execute("DELETE FROM form_draft")
            for table in MERGE_TABLES:
                if table in tables:
                    conn.execute(f"DELETE FROM {table}")
            search_index.clear(conn)  # derived: the city builds its own
            # The home screen's remembered figures are the whole source file's, not the package's.
            conn.execute("DELETE FROM setting WHERE key = ?", [FIGURES_KEY])
            if district is not None:
                _prune(conn, district.id)
            from duibiao_tui.store.merge.digests import DIGESTS_KEY, package_digests

            conn.executemany(
                "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                [
                    ("package_district", district.name if district else ""),
                    ("package_taken_at", now.astimezone().isoformat(timespec="seconds")),
                    ("package_source", db_path.name),
                    # what the city need not read again when it merged this content before
                    (DIGESTS_KEY, json.dumps(package_digests(conn))),
                    *([(ID_KEY, identity.id)] if identity.id else []),
                    *([(PARENT_KEY, identity.parent)] if identity.parent else []),
                ],
            )
        with conn:  # the city builds its own; the merge reads whole tables
            indexes = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
            for (name,) in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        conn.execute("VACUUM")
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"数据包未通过完整性检查：{ok}")
        enterprises = conn.execute(
            "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL"
        ).fetchone()[0]
        items = conn.execute(
            "SELECT count(*) FROM benchmark_item WHERE deleted_at IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    return identity, enterprises, items
