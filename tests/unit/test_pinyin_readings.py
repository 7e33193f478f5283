"""Every character's readings are the same with pypinyin's phrase dictionary left unloaded
(``domain.search._han_readings`` switches it off: it asks one character at a time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

READINGS = """
import json, sys
from duibiao_tui.domain.search import _han_readings
_han_readings("中")  # the first question imports pypinyin
from pypinyin.pinyin_dict import pinyin_dict
print(json.dumps({chr(c): _han_readings(chr(c)) for c in sorted(pinyin_dict)}))
print(json.dumps(sorted(k for k in sys.modules if k.startswith("pypinyin.phrases"))))
"""


def readings(script: str) -> tuple[dict[str, list[str]], list[str]]:
    """Every character's readings, and the phrase modules loaded, in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True
    ).stdout.splitlines()
    return json.loads(out[0]), json.loads(out[1])


def test_readings_without_the_phrase_dictionary_are_those_with_it() -> None:
    without, loaded = readings(READINGS)
    assert loaded == []  # the switch took effect
    # pypinyin imported first, as any other program would, with its defaults
    with_phrases, loaded = readings("import pypinyin" + READINGS)
    assert loaded == ["pypinyin.phrases_dict"]
    assert len(without) > 20_000
    assert without == with_phrases
