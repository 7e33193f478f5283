"""Drive the installed ``duibiao-tui`` in a real pseudo-terminal, the way an officer's xterm does.

The child runs under ``pexpect`` (its own pty, so no terminal needs to be attached to the test
run); everything it writes is fed into a ``pyte`` screen, which knows that a Chinese character
takes two cells. A reader thread drains the pty all the time, so the app never stalls on a full
pty buffer while a test is busy reading the database.

Keys go in as xterm sends them: ``send("f3", "down", "down", "up")`` is ONE write of
``\\x1bOR\\x1b[B\\x1b[B\\x1b[A`` with no pause between the keys — the way keys arrive when an
officer types fast or the machine is busy.
"""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pexpect
import pyte
from wcwidth import wcwidth

T = TypeVar("T")

CRASH_TEXT = "遇到意外错误"
"""What the app prints (instead of a traceback) when an unforeseen error stops it."""

TRANSCRIPT_LIMIT = 4_000_000
"""Bytes of raw output kept for the failure report (the newest ones)."""

# xterm's sequences (normal cursor-key mode; Textual parses both CSI and SS3 forms).
KEYS: dict[str, str] = {
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "enter": "\r",
    "escape": "\x1b",
    "esc": "\x1b",
    "space": " ",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "insert": "\x1b[2~",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "ctrl+up": "\x1b[1;5A",
    "ctrl+down": "\x1b[1;5B",
    "ctrl+right": "\x1b[1;5C",
    "ctrl+left": "\x1b[1;5D",
    "shift+up": "\x1b[1;2A",
    "shift+down": "\x1b[1;2B",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "f4": "\x1bOS",
    "f5": "\x1b[15~",
    "f6": "\x1b[17~",
    "f7": "\x1b[18~",
    "f8": "\x1b[19~",
    "f9": "\x1b[20~",
    "f10": "\x1b[21~",
}
# ctrl+a … ctrl+z are the control characters 0x01 … 0x1a (ctrl+i is Tab, ctrl+m Enter).
KEYS.update({f"ctrl+{chr(c)}": chr(c - ord("a") + 1) for c in range(ord("a"), ord("z") + 1)})


class Text(str):
    """Typed text that must not be read as a key name: ``Text("end")`` types e, n, d."""


def encode_keys(keys: Iterable[str]) -> bytes:
    """The bytes an xterm sends for ``keys``: key names (lower case, as in ``KEYS``) are
    mapped to their sequences, anything else is typed as UTF-8 text.

    A lone Escape directly followed by a printable character would reach the app as
    Alt+character (that is how terminals encode Alt), so that combination is refused: send
    the Escape in its own burst.
    """
    out = [key if isinstance(key, Text) else KEYS.get(key, key) for key in keys]
    for before, after in zip(out, out[1:], strict=False):
        if before == "\x1b" and after and not after.startswith("\x1b"):
            raise ValueError(
                "escape followed by text in one burst reads as Alt+key; send escape on its own"
            )
    return "".join(out).encode("utf-8")


class AppExited(AssertionError):
    """The app ended while the test still expected it on screen."""


class Terminal:
    """One running ``duibiao-tui`` in a pty of ``rows`` × ``cols``, rendered by pyte."""

    def __init__(
        self,
        executable: Path,
        args: list[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        rows: int = 40,
        cols: int = 120,
        log_dir: Path | None = None,
        deadline: float | None = None,
    ) -> None:
        self.rows, self.cols = rows, cols
        self.deadline = deadline
        """time.monotonic() after which every wait gives up (the test's whole budget)."""
        self.log_dir = log_dir
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self._transcript = bytearray()
        self._done = threading.Event()
        self.child = pexpect.spawn(
            str(executable),
            args,
            env=dict(env),
            cwd=str(cwd),
            dimensions=(rows, cols),
            encoding=None,
            timeout=30,
        )
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()

    # -- output -------------------------------------------------------------------------

    def _read_loop(self) -> None:
        fd = self.child.child_fd
        while not self._done.is_set():
            try:
                ready, _, _ = select.select([fd], [], [], 0.05)
            except (OSError, ValueError):
                break
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the child closed its side
                break
            if not data:
                break
            with self._lock:
                self._transcript += data
                if len(self._transcript) > TRANSCRIPT_LIMIT:  # the end is what tells
                    del self._transcript[: -TRANSCRIPT_LIMIT // 2]
                try:
                    self.stream.feed(data)
                except Exception:  # pyte may trip on an exotic sequence; keep reading
                    pass
        self._done.set()

    @property
    def reader_done(self) -> bool:
        """The pty is closed: the app has exited (or is about to)."""
        return self._done.is_set()

    def _display(self) -> list[str]:
        """The rows as text. A wide character's second cell holds "" and is skipped; unlike
        ``pyte.Screen.display`` this survives a wide character half overdrawn by a toast."""
        buffer, cols = self.screen.buffer, self.cols
        return ["".join(buffer[y][x].data for x in range(cols)) for y in range(self.rows)]

    def screen_lines(self) -> list[str]:
        with self._lock:
            return [line.rstrip() for line in self._display()]

    def screen_text(self) -> str:
        """What the terminal shows now, one line per row, trailing blanks dropped."""
        return "\n".join(self.screen_lines())

    def transcript(self) -> str:
        """Everything the app wrote, decoded (escape sequences included)."""
        with self._lock:
            return self._transcript.decode("utf-8", errors="replace")

    def focused_line(self) -> str:
        """The line holding the terminal cursor: Textual puts it in the focused text field."""
        with self._lock:
            return self._display()[self.screen.cursor.y].rstrip()

    def field(self, label: str) -> str:
        """The text shown right of a form label (``名称 测试企业甲`` → ``测试企业甲``).

        An empty field shows its placeholder, which is returned as it is.
        """
        for line in self.screen_lines():
            stripped = line.strip()
            if stripped == label:
                return ""
            if stripped.startswith(label + " "):
                return stripped[len(label) + 1 :].strip()
        raise AssertionError(f"no field labelled {label!r} on screen{self.describe()}")

    def _line_background(self, y: int) -> str:
        """The most common background colour of row ``y``."""
        counts: dict[str, int] = {}
        line = self.screen.buffer[y]
        for x in range(self.cols):
            bg = line[x].bg
            counts[bg] = counts.get(bg, 0) + 1
        return max(counts, key=lambda bg: counts[bg])

    def highlighted(self, candidates: Iterable[str]) -> str | None:
        """Of the screen lines starting with one of ``candidates`` (e.g. table rows), the
        one drawn in a background no other of them has: the row under the cursor."""
        wanted = tuple(candidates)
        with self._lock:
            rows = [
                (y, line.strip())
                for y, line in enumerate(self._display())
                if line.strip().startswith(wanted)
            ]
            backgrounds = {y: self._line_background(y) for y, _ in rows}
        by_colour: dict[str, list[str]] = {}
        for y, text in rows:
            by_colour.setdefault(backgrounds[y], []).append(text)
        singles = [texts[0] for texts in by_colour.values() if len(texts) == 1]
        return singles[0] if len(singles) == 1 and len(rows) >= 3 else None

    def describe(self) -> str:
        """The screen (and a crash log, if the app wrote one), for assertion messages."""
        border = "+" + "-" * self.cols + "+"
        lines = [border, *(f"|{line}" for line in self.screen_lines()), border]
        alive = "running" if self.child.isalive() else f"exited ({self.child.exitstatus})"
        text = f"\n--- terminal {self.cols}x{self.rows}, app {alive} ---\n" + "\n".join(lines)
        tail = re.sub(r"\x1b\[[0-9;?<>$]*[A-Za-z~]", "", self.transcript()[-600:])
        if CRASH_TEXT in self.transcript():
            text += f"\n--- last output ---\n{tail}"
        for log in sorted(self.log_dir.glob("crash-*.log")) if self.log_dir else []:
            body = log.read_text(encoding="utf-8", errors="replace")
            text += f"\n--- {log.name} (last lines) ---\n" + "\n".join(body.splitlines()[-25:])
        return text

    # -- waiting --------------------------------------------------------------------------

    def _deadline(self, timeout: float) -> float:
        end = time.monotonic() + timeout
        return min(end, self.deadline) if self.deadline is not None else end

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """Poll until one of ``texts`` is on screen and return it; fail with the screen."""
        deadline = self._deadline(timeout)
        while True:
            screen = self.screen_text()
            for text in texts:
                if text in screen:
                    return text
            if self.reader_done or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        screen = self.screen_text()
        for text in texts:  # one last look: the final output may have just arrived
            if text in screen:
                return text
        kind = AppExited if self.reader_done else AssertionError
        why = "the app exited" if self.reader_done else f"not on screen after {timeout:.0f} s"
        if not self.reader_done and self.deadline and time.monotonic() > self.deadline:
            why = "not on screen when the test's time budget ran out"
        raise kind(f"waiting for {' | '.join(map(repr, texts))}: {why}{self.describe()}")

    def wait_gone(self, text: str, timeout: float = 30.0) -> None:
        """Poll until ``text`` is no longer on screen."""
        deadline = self._deadline(timeout)
        while text in self.screen_text():
            if self.reader_done or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} still on screen{self.describe()}")
            time.sleep(0.05)

    def wait_idle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Wait until the screen's text has stayed the same for ``quiet`` seconds.

        Only the text counts (a blinking cursor changes attributes, not text).
        """
        deadline = self._deadline(timeout)
        last = self.screen_text()
        since = time.monotonic()
        while time.monotonic() - since < quiet:
            if self.reader_done:
                return
            if time.monotonic() > deadline:
                return  # never assert on timing: a busy screen is not a failure here
            time.sleep(0.05)
            now = self.screen_text()
            if now != last:
                last, since = now, time.monotonic()

    def wait_until(self, predicate: Callable[[], T], what: str, timeout: float = 30.0) -> T:
        """Poll ``predicate()`` (e.g. a database check) until it returns something truthy."""
        deadline = self._deadline(timeout)
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{what}: still not true after {timeout:.0f} s{self.describe()}"
                )
            time.sleep(0.1)

    # -- input ----------------------------------------------------------------------------

    def send(self, *keys: str) -> None:
        """Write all ``keys`` in ONE write, no waiting between them.

        With ``ACCEPTANCE_KEY_BY_KEY=1`` in the environment each key goes on its own and the
        screen is let settle in between: a test that passes so but fails in bursts has found
        a key-ordering bug, not a logic bug.
        """
        if self.reader_done or not self.child.isalive():
            raise AppExited(f"cannot send {keys!r}: the app has exited{self.describe()}")
        data = encode_keys(keys)  # checks the whole burst first
        if os.environ.get("ACCEPTANCE_KEY_BY_KEY") == "1" and len(keys) > 1:
            for key in keys:
                os.write(self.child.child_fd, encode_keys([key]))
                time.sleep(0.1)
                self.wait_idle(0.3)
            return
        os.write(self.child.child_fd, data)

    def click(self, x: int, y: int) -> None:
        """A left click at cell ``(x, y)`` (0-based), as xterm reports it in SGR mouse mode."""
        press = f"\x1b[<0;{x + 1};{y + 1}M"
        release = f"\x1b[<0;{x + 1};{y + 1}m"
        os.write(self.child.child_fd, (press + release).encode())

    def locate(self, text: str) -> tuple[int, int]:
        """The cell ``(x, y)`` where ``text`` first starts on screen (wide characters count 2)."""
        for y, line in enumerate(self.screen_lines()):
            index = line.find(text)
            if index >= 0:
                return cell_width(line[:index]), y
        raise AssertionError(f"{text!r} not on screen{self.describe()}")

    # -- the end --------------------------------------------------------------------------

    @property
    def crashed(self) -> bool:
        return CRASH_TEXT in self.transcript() or CRASH_TEXT in self.screen_text()

    def crash_reason(self) -> str:
        """The last line of the newest crash log (the exception), or ''."""
        logs = sorted(self.log_dir.glob("crash-*.log")) if self.log_dir else []
        if not logs:
            return ""
        lines = [line for line in logs[-1].read_text(errors="replace").splitlines() if line]
        return lines[-1] if lines else ""

    def assert_running(self) -> None:
        """The app is alive and has not shown its crash message."""
        if self.crashed or self.reader_done or not self.child.isalive():
            why = self.crash_reason() or ("crashed" if self.crashed else "exited")
            raise AssertionError(f"the app is not running: {why}{self.describe()}")

    def wait_exit(self, timeout: float = 20.0) -> int | None:
        """Wait for the child to end by itself; its exit status (None if it did not end)."""
        deadline = self._deadline(timeout)
        while self.child.isalive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.child.isalive():
            return None
        self._done.wait(2)
        self._reader.join(2)
        return self.child.exitstatus

    def quit(self, timeout: float = 20.0) -> int | None:
        """Ctrl+Q, as an officer leaves; the exit status once the app has ended."""
        if self.child.isalive() and not self.reader_done:
            self.send("ctrl+q")
        status = self.wait_exit(timeout)
        if status is None:
            raise AssertionError(f"the app did not quit on Ctrl+Q{self.describe()}")
        return status

    def kill(self) -> None:
        """Make sure the child is gone (teardown): SIGTERM, then SIGKILL."""
        if self.child.isalive():
            try:
                self.child.kill(signal.SIGTERM)
            except OSError:
                pass
            deadline = time.monotonic() + 3
            while self.child.isalive() and time.monotonic() < deadline:
                time.sleep(0.05)
        if self.child.isalive():
            try:
                self.child.kill(signal.SIGKILL)
            except OSError:
                pass
        self._done.set()
        self._reader.join(2)
        try:
            self.child.close(force=True)
        except Exception:  # already closed or never started properly
            pass


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes (a Chinese character takes two)."""
    return sum(max(wcwidth(ch), 0) for ch in text)


Launch = Callable[..., "Terminal"]
"""The ``launch`` fixture: ``launch(rows=40, cols=120)`` → a started app."""


def app_executable() -> Path:
    """The console script installed beside this Python (the venv's ``duibiao-tui``)."""
    return Path(sys.executable).parent / "duibiao-tui"
