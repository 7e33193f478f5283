"""The console entry point, kept free of click for the everyday ``duibiao-tui [--db PATH]``.

Importing click costs ~30 ms, an eighth of an empty Textual app's start; officers open the
app far more often than they run subcommands, so only anything beyond ``--db``/``--demo``
loads the full command line (``duibiao_tui.cli``). The open itself is ``opening.open_app``,
which the ``open`` command runs too.
"""

from __future__ import annotations

import sys


def plain_open_args(args: list[str]) -> tuple[str | None, bool] | None:
    """``(db, demo)`` when ``args`` only open the app, else None (let click handle it)."""
    db: str | None = None
    demo = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and rest and db is None and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > 5:
            db = arg[5:]
        else:
            return None
    return db, demo


def main() -> None:
    plain = plain_open_args(sys.argv[1:])
    if plain is not None:
        from duibiao_tui import start_gc

        start_gc.pause()  # until the first screen is drawn (DuibiaoApp.on_mount)
        try:
            from duibiao_tui.opening import open_app

            open_app(*plain)
        finally:
            start_gc.resume()
        return
    from duibiao_tui.cli import main as cli_main

    cli_main()
