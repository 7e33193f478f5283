"""Export jobs without a screen: the screen's jobs, and the CLI's (several names, a file
named by ``-o``, CSV without personal data) writing what the writers write."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel import export_jobs
from duibiao_tui.excel.export_jobs import (
    CSV,
    FORM_DISTRICT,
    FORM_ONE,
    PUBLIC,
    SUMMARY,
    ExportJob,
    job_targets,
    run_export,
)
from duibiao_tui.screens import export_screen
from duibiao_tui.store.store import Store
from tests.unit.test_excel_summary import with_review


@pytest.fixture
def reviewed(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    return with_review(store, seeded)


def test_the_screen_imports_the_same_jobs() -> None:
    """The screen runs the jobs of excel.export_jobs and defines none of its own."""
    used = [name for name in export_jobs.__all__ if hasattr(export_screen, name)]
    assert {"ExportJob", "job_targets", "run_export"} <= set(used)
    for name in used:
        assert getattr(export_screen, name) is getattr(export_jobs, name)


def test_one_enterprise_and_several(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    names = list(reviewed)
    one = ExportJob(FORM_ONE, tmp_path, enterprise_id=reviewed[names[0]])
    assert job_targets(store, one) == (tmp_path / f"情况表-{names[0]}.xlsx",)
    several = ExportJob(FORM_ONE, tmp_path, enterprise_ids=(reviewed[names[0]], reviewed[names[1]]))
    expected = tmp_path / f"情况表-{names[0]}等2家.xlsx"
    assert job_targets(store, several) == (expected,)
    outcome = run_export(store, several)
    assert outcome.paths == (expected,)
    assert openpyxl.load_workbook(expected).sheetnames == names[:2]
    assert (outcome.sheets, outcome.detail) == (2, f"2 家企业，共 {outcome.rows} 行")
    assert outcome.words == f"情况表：{outcome.detail}"


def test_a_named_file_replaces_the_default(
    store: Store, reviewed: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "别处" / "京口.xlsx"
    target.parent.mkdir()
    district = next(d.id for d in store.districts() if d.name == "京口区")
    job = ExportJob(FORM_DISTRICT, tmp_path, district_id=district, target=target)
    assert job_targets(store, job) == (target,)
    assert run_export(store, job).paths == (target,)
    summary = ExportJob(SUMMARY, tmp_path, target=tmp_path / "汇总.xlsx")
    outcome = run_export(store, summary)
    assert outcome.paths == (tmp_path / "汇总.xlsx",)
    assert outcome.words == f"汇总：{outcome.detail}"


def test_csv_public_and_not(store: Store, reviewed: dict[str, str], tmp_path: Path) -> None:
    plain = run_export(store, ExportJob(CSV, tmp_path))
    public_job = ExportJob(CSV, tmp_path, public=True)
    public = run_export(store, public_job)
    assert public.paths == job_targets(store, public_job)
    assert all(p.name.startswith("公开版-") for p in public.paths)
    assert not any(p.name.startswith("公开版-") for p in plain.paths)
    assert public.words == f"CSV：{public.detail}"
    assert job_targets(store, ExportJob(PUBLIC, tmp_path)) == (tmp_path / "公开版-全市.xlsx",)


def test_a_form_job_without_its_enterprise(store: Store, tmp_path: Path) -> None:
    assert job_targets(store, ExportJob(FORM_ONE, tmp_path)) == ()
    with pytest.raises(DuibiaoError, match="没有当前企业"):
        run_export(store, ExportJob(FORM_ONE, tmp_path))
