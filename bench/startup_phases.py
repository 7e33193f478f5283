"""Where start-up time goes: interpreter, imports, app set-up, first frame written.

Runs the empty Textual app or duibiao-tui *in a real terminal* (use it under tmux or a
terminal emulator, since Textual draws on stderr) and appends one JSON line of phase times, in
ms from this script's first line, to BENCH_PHASES (default bench/results/phases.jsonl):

    python bench/startup_phases.py empty
    python bench/startup_phases.py app --db bench/results/city3000.db

bench/phases.sh runs both several times under terminal-timing and prints the medians.
With BENCH_PROFILE=FILE, App.run() is profiled (cProfile) up to frame BENCH_PROFILE_FRAMES.
"""

from __future__ import annotations

import json
import os
import sys
import time

T0 = time.perf_counter()
# Process start: the interpreter's own start-up happened before T0; measure it from the
# kernel's view of this process (start time in clock ticks since boot).
try:
    with open(f"/proc/{os.getpid()}/stat") as _f:
        _start_ticks = int(_f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as _f:
        _uptime = float(_f.read().split()[0])
    INTERP_MS = (_uptime - _start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
except (OSError, ValueError, IndexError):
    INTERP_MS = float("nan")

marks: dict[str, float] = {}
frames: list[float] = []
names: list[str] = []
flushes: list[tuple[float, int]] = []
WHICH = sys.argv[1] if len(sys.argv) > 1 else ""
PROFILE_FRAMES = int(os.environ.get("BENCH_PROFILE_FRAMES", "1"))
if os.environ.get("BENCH_PROFILE"):  # profile App.run() up to frame BENCH_PROFILE_FRAMES
    import cProfile

    PROFILE: cProfile.Profile | None = cProfile.Profile()
else:
    PROFILE = None


def mark(name: str) -> None:
    marks.setdefault(name, (time.perf_counter() - T0) * 1000)


def report() -> None:
    """Append one JSON line: the marks, every frame (ms, screen) and every flush (ms, bytes)."""
    path = os.environ.get("BENCH_PHASES") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "results", "phases.jsonl"
    )
    record = {
        "which": WHICH,
        "before_main": INTERP_MS,
        **marks,
        "frames": [[round(t, 1), n] for t, n in zip(frames, names, strict=False)][:20],
        "flushes": [[round(t, 1), n] for t, n in flushes][:20],
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def main() -> None:
    which = WHICH
    import textual.app

    mark("textual_imported")
    if which == "app":
        import duibiao_tui.app  # noqa: F401
        import duibiao_tui.launch

        mark("app_imported")
    else:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import empty_app

        mark("app_imported")

    original = textual.app.App._display

    def display(self, screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            frames.append((time.perf_counter() - T0) * 1000)
            names.append(type(screen).__name__)
            if PROFILE is not None and len(frames) == PROFILE_FRAMES:
                PROFILE.disable()
                PROFILE.dump_stats(os.environ["BENCH_PROFILE"])
        return original(self, screen, renderable)

    textual.app.App._display = display  # type: ignore[method-assign]
    original_run = textual.app.App.run
    original_on_compose = textual.app.App._on_compose

    def run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        mark("run_called")
        if PROFILE is not None:
            PROFILE.enable()
        return original_run(self, *args, **kwargs)

    async def on_compose(self):  # type: ignore[no-untyped-def]
        mark("compose_start")
        return await original_on_compose(self)

    from textual.drivers import _writer_thread

    class TimedFile:  # what the output thread writes to: note when each flush ends
        def __init__(self, file):  # type: ignore[no-untyped-def]
            self.file = file
            self.pending = 0

        def write(self, text: str) -> int:
            self.pending += len(text.encode())
            return self.file.write(text)

        def flush(self) -> None:
            self.file.flush()
            if self.pending:
                flushes.append(((time.perf_counter() - T0) * 1000, self.pending))
                self.pending = 0

        def fileno(self) -> int:
            return self.file.fileno()

    original_init = _writer_thread.WriterThread.__init__

    def writer_init(self, file):  # type: ignore[no-untyped-def]
        original_init(self, TimedFile(file))

    _writer_thread.WriterThread.__init__ = writer_init  # type: ignore[method-assign]
    textual.app.App.run = run  # type: ignore[method-assign]
    textual.app.App._on_compose = on_compose  # type: ignore[method-assign]
    try:
        if which == "app":
            sys.argv = ["duibiao-tui", *sys.argv[2:]]
            duibiao_tui.launch.main()
        else:
            empty_app.EmptyApp().run()
    finally:
        mark("exit")
        report()


if __name__ == "__main__":
    main()
