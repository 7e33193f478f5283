"""The cyclic garbage collector waits until the app's first screen has been drawn.

Starting the app builds ~300,000 long-lived objects (Textual's modules, classes and
stylesheets, our screens and widgets) and almost no garbage; the collector scans them all
the same, over and over, and the home screen's start paid ~30 ms of its ~220 ms CPU for it
(`docs/benchmarks.md`). This is the pattern the ``gc`` documentation gives for a process
that builds its state first: ``gc.disable()`` early, ``gc.freeze()`` once that state is
built (it moves to a generation no later collection scans, so no keystroke pays for a
full collection over Textual's objects either), then ``gc.enable()``.

Only the everyday open pauses it (``launch``); commands and tests run as Python does.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Hold collections until ``resume``; nothing if the collector is already off."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up built and collect again; harmless twice or without ``pause``."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused
