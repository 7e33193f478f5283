"""Real faults for the reliability tests: a small disk, another user, the sqlite3 CLI.

- ``small_disk``: a tmpfs of a given size, mounted for the test (root and a kernel that
  allows it, as in CI's container); otherwise the test is skipped and the RLIMIT_FSIZE
  tests still run.
- ``run_as_nobody``: a Python snippet run in a child that imported the app as root, then
  dropped to ``nobody`` (the interpreter's own files may sit in root's home).
- ``sqlite_check``: ``PRAGMA integrity_check`` and ``quick_check`` by SQLite's own shell
  when it is installed (else a fresh connection of Python's sqlite3), on every file the
  app writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

NOBODY = 65534
ROOT = os.geteuid() == 0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_check(path: Path, pragma: str | None = None) -> str:
    """``ok`` when a fresh, independent connection (SQLite's own shell when installed)
    finds the whole file sound: both ``integrity_check`` and ``quick_check`` unless one
    ``pragma`` is named; otherwise what they said."""
    pragmas = [pragma] if pragma else ["integrity_check", "quick_check"]
    shell = shutil.which("sqlite3")
    if shell:
        done = subprocess.run(
            [shell, "-readonly", str(path), *(f"PRAGMA {p};" for p in pragmas)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        said = (done.stdout + done.stderr).split()
    else:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            said = [str(conn.execute(f"PRAGMA {p}").fetchone()[0]) for p in pragmas]
        finally:
            conn.close()
    if said == ["ok"] * len(pragmas):
        return "ok"
    return " ".join(said)


@contextlib.contextmanager
def small_disk(base: Path, size_kib: int) -> Iterator[Path]:
    """A tmpfs of ``size_kib`` mounted under ``base`` for the block, or a skip."""
    if not ROOT or not shutil.which("mount"):
        pytest.skip("a real small disk needs root (mount -t tmpfs)")
    point = base / f"disk-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0777", "tmpfs", str(point)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` to the last byte; returns the filler file."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        with contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 512)
                handle.flush()
        with contextlib.suppress(OSError):
            handle.close()
    assert shutil.disk_usage(folder).free < 4096
    return filler


def run_as_nobody(code: str, *, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (after ``import duibiao_tui…`` as root) as the user nobody."""
    if not ROOT:
        pytest.skip("dropping privileges needs root")
    prelude = textwrap.dedent(
        """
        import os, sys
        import duibiao_tui.store.store, duibiao_tui.store.backup, duibiao_tui.store.identity
        import duibiao_tui.store.sqlite_files, duibiao_tui.errors, duibiao_tui.excel.atomic
        import duibiao_tui.store.versioning, duibiao_tui.cli, duibiao_tui.cli.backup
        import duibiao_tui.crash, duibiao_tui.config, duibiao_tui.paths, duibiao_tui.store.package
        import click.testing, json, sqlite3, platformdirs, importlib, pkgutil
        # everything the code may import lazily, while root can still read the tree (a
        # clean clone may live in a folder nobody cannot enter)
        import duibiao_tui.domain, duibiao_tui.excel
        for package in (duibiao_tui.domain, duibiao_tui.store, duibiao_tui.excel):
            for found in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                importlib.import_module(found.name)
        import sqlite_utils, openpyxl
        os.setgroups([]); os.setgid(%d); os.setuid(%d)
        """
        % (NOBODY, NOBODY)
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd="/",
        env={**os.environ, "HOME": "/nonexistent"},
    )


def cli(
    *args: str, env: dict[str, str] | None = None, limit_bytes: int | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    """The installed command line in a real process (what an officer's terminal sees).

    ``limit_bytes``: RLIMIT_FSIZE for the child, with SIGXFSZ ignored, so any file write
    past it fails with EFBIG the way a full disk fails with ENOSPC.
    """
    preexec = None
    if limit_bytes is not None:

        def preexec() -> None:
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "duibiao_tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec,
    )


def fork_and_kill(
    child: Callable[[int], None], *, delay: float | None, after: str | None = None
) -> tuple[list[str], dict[str, float]]:
    """Fork ``child(write_fd)`` (it writes a marker a line to the pipe and never returns) and
    SIGKILL it ``delay`` s after its start, or ``delay`` s after marker ``after``; with
    ``delay`` None let it finish. Returns the markers seen and when each arrived.

    Fork, not spawn, on purpose (and only here): the children are closures that patch the
    app in memory (a slow ``_publish_one``, a hook that writes a marker) and spawn would
    start an interpreter without those patches; and the kill moments are measured from the
    start, which a spawned child would spend importing the app. The child never returns
    into pytest or xdist: it opens its own connection, writes, and ends with ``os._exit``.
    """
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        try:
            child(write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    markers: list[str] = []
    seen: dict[str, float] = {}
    buffer = b""
    kill_at = started + delay if after is None and delay is not None else None
    while True:
        timeout = None if kill_at is None else max(0.0, kill_at - time.monotonic())
        ready, _, _ = select.select([read_fd], [], [], timeout)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            break
        chunk = os.read(read_fd, 4096)
        if not chunk:
            break
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            markers.append(line.decode())
            seen[markers[-1]] = time.monotonic() - started
            if markers[-1] == after and delay is not None:
                kill_at = time.monotonic() + delay
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 4096):  # what was written just before the kill
        buffer += chunk
    markers += [line.decode() for line in buffer.split(b"\n")[:-1]]
    os.close(read_fd)
    return markers, seen
