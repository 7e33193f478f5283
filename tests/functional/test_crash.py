"""An unforeseen error: the row being typed survives as a draft, a private log is written,
and no traceback with people's data reaches the screen."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.store.store import Store
from tests.functional.test_item_editor_keys import SIZE, TARGET, open_page, type_text


async def test_crash_keeps_the_draft_and_writes_a_private_log(
    app: DuibiaoApp,
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs = tmp_path / "logs"
    monkeypatch.setenv("DUIBIAO_LOG_DIR", str(logs))
    enterprise_id = seeded[TARGET]

    def boom() -> None:
        raise RuntimeError("意外")

    with pytest.raises(RuntimeError, match="意外"):
        async with app.run_test(size=SIZE) as pilot:
            await open_page(pilot, enterprise_id)
            await pilot.press("n")
            app.screen.query_one("#f-indicator", Input).focus()
            await type_text(pilot, "返修率")
            app.call_later(boom)
            await pilot.pause()
    assert [d.values.indicator for d in store.drafts_for(enterprise_id)] == ["返修率"]
    (log,) = logs.iterdir()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: 意外" in text and "ItemEditorScreen" in text
    shown = capsys.readouterr().err.replace("\n", "")
    assert "已存为草稿" in shown and str(log) in shown and "Traceback" not in shown
