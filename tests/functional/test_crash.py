"""An unforeseen error: the row being typed survives as a draft, a private log is written,
and no traceback with people's data reaches the screen.

"已存为草稿" is only true if the draft is on disk: each test reads it back through a fresh
connection of its own (not the app's), from ``item_draft`` for a row of the 情况表 and
from ``form_draft`` for every other form.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
from duibiao_tui.screens.enterprises import EnterpriseListScreen
from duibiao_tui.store.store import Store
from tests.functional.test_item_editor_keys import TARGET, open_page
from tests.helpers import SIZE, type_text, wait_until


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
    payloads = _on_disk(
        store, "SELECT payload FROM item_draft WHERE enterprise_id = ?", enterprise_id
    )
    assert len(payloads) == 1 and "返修率" in payloads[0]
    (log,) = logs.iterdir()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: 意外" in text and "ItemEditorScreen" in text
    shown = capsys.readouterr().err.replace("\n", "")
    assert "已存为草稿" in shown and str(log) in shown and "Traceback" not in shown


def _on_disk(store: Store, sql: str, *params: str) -> list[str]:
    """What a fresh, independent connection reads from the database file."""
    conn = sqlite3.connect(Path(str(store.path)).as_uri() + "?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute(sql, params)]
    finally:
        conn.close()


async def test_crash_in_the_enterprise_form_leaves_a_form_draft(
    app: DuibiaoApp,
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DUIBIAO_LOG_DIR", str(tmp_path / "logs"))

    def boom() -> None:
        raise RuntimeError("意外")

    with pytest.raises(RuntimeError, match="意外"):
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(
                pilot, lambda: isinstance(app.screen, EnterpriseListScreen), "the list"
            )
            await pilot.press("ctrl+n")
            await wait_until(
                pilot, lambda: isinstance(app.screen, EnterpriseFormScreen), "the form"
            )
            app.screen.query_one("#f-name", Input).focus()
            await type_text(pilot, "镇江新华机械厂")
            app.call_later(boom)
            await pilot.pause()
    shown = capsys.readouterr().err.replace("\n", "")
    assert "已存为草稿" in shown and "Traceback" not in shown
    payloads = _on_disk(store, "SELECT payload FROM form_draft WHERE kind = 'enterprise'")
    assert len(payloads) == 1
    assert "镇江新华机械厂" in json.dumps(json.loads(payloads[0]), ensure_ascii=False)
