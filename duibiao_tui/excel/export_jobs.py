"""Export jobs: what the export screen (and the CLI) asks for, and doing it without a screen.

An ``ExportJob`` names the kind (情况表 of one enterprise, a district or all; 汇总; 公开版;
CSV), the filters and the folder; ``job_targets`` says which files it will write (for the
preview line and the overwrite question) and ``run_export`` writes them through the
writers beside this module. No Textual here: the screen's worker thread calls it with its
own read connection, so the same job runs from the CLI or a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.errors import DuibiaoError

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "CSV",
    "FORM_ALL",
    "FORM_DISTRICT",
    "FORM_KINDS",
    "FORM_ONE",
    "KINDS",
    "PUBLIC",
    "SUMMARY",
    "ExportJob",
    "ExportOutcome",
    "job_targets",
    "run_export",
]

FORM_ONE = "form-one"
FORM_DISTRICT = "form-district"
FORM_ALL = "form-all"
SUMMARY = "summary"
PUBLIC = "public"
CSV = "csv"

KINDS: tuple[tuple[str, str], ...] = (
    (FORM_ONE, "情况表：当前企业"),
    (FORM_DISTRICT, "情况表：一个辖市区（每家企业一个工作表）"),
    (FORM_ALL, "情况表：全部企业（可按状态筛选）"),
    (SUMMARY, "汇总：汇总表与柱状图、企业名单、对标项目、提升措施、推介与推荐"),
    (PUBLIC, "公开版：同汇总，不含个人信息（供简报、现场会）"),
    (CSV, "CSV：企业名单、对标项目、提升措施跟踪（UTF-8 带 BOM）"),
)
FORM_KINDS = frozenset({FORM_ONE, FORM_DISTRICT, FORM_ALL})


@dataclass(frozen=True)
class ExportJob:
    """One export as chosen on the screen (or given on the command line)."""

    kind: str
    folder: Path
    enterprise_id: str | None = None
    district_id: str | None = None
    status: str = ""
    campaign_id: str | None = None
    enterprise_ids: tuple[str, ...] = ()
    """FORM_ONE for several enterprises in one workbook (the CLI's names), the file named
    after the first: '<first>等N家'. Empty: ``enterprise_id`` alone."""
    target: Path | None = None
    """The file to write (the CLI's ``-o 文件.xlsx``) instead of ``folder`` and the kind's
    default name; not for CSV, which writes its files into ``folder``."""
    public: bool = False
    """CSV without personal data (the CLI's ``export csv --public``); PUBLIC always is."""


@dataclass(frozen=True)
class ExportOutcome:
    paths: tuple[Path, ...]
    words: str
    """What was written, the kind first ("汇总：…"), as the screen says it."""
    warnings: tuple[str, ...] = field(default=())
    detail: str = ""
    """The writer's own words without the kind (the CLI prints them after its 已导出…)."""
    sheets: int = 0
    """情况表: enterprises written (a sheet each)."""
    rows: int = 0
    """情况表: rows written."""


def _chosen(job: ExportJob) -> list[str]:
    """The enterprises a FORM_ONE job names."""
    if job.enterprise_ids:
        return list(job.enterprise_ids)
    return [job.enterprise_id] if job.enterprise_id else []


def _form_ids(store: Store, job: ExportJob) -> list[str]:
    """The enterprises whose 情况表 the job exports, in the list's order."""
    from duibiao_tui.excel.lookup import live_enterprise_ids

    if job.kind == FORM_ONE:
        chosen = _chosen(job)
        if not chosen:
            raise DuibiaoError("没有当前企业：请从企业页面打开导出，或选择其他导出内容", "无可导出")
        return chosen
    if job.kind == FORM_DISTRICT and not job.district_id:
        raise DuibiaoError("请先选择辖市区", "辖市区")
    ids = live_enterprise_ids(store, job.district_id)
    if job.status:
        statuses = store.statuses(job.campaign_id)
        ids = [i for i in ids if statuses.get(i, REVIEW_STATUSES[0]) == job.status]
    return ids


def _form_label(store: Store, job: ExportJob, ids: list[str]) -> str:
    if job.kind == FORM_ONE:
        first = store.get_enterprise(ids[0]).name
        return first if len(ids) == 1 else f"{first}等{len(ids)}家"
    district = next((d.name for d in store.districts() if d.id == job.district_id), "全部企业")
    return f"{district}-{job.status}" if job.status else district


def job_targets(store: Store, job: ExportJob) -> tuple[Path, ...]:
    """The file(s) the job will write (for the preview line and the overwrite question)."""
    from duibiao_tui.excel.csv_export import csv_filenames
    from duibiao_tui.excel.form_export import form_filename
    from duibiao_tui.excel.queries import make_scope
    from duibiao_tui.excel.summary_export import summary_filename

    if job.kind in FORM_KINDS:
        if job.kind == FORM_ONE and not _chosen(job):
            return ()
        if job.kind == FORM_DISTRICT and not job.district_id:
            return ()
        if job.target is not None:
            return (job.target,)
        district = next((d.name for d in store.districts() if d.id == job.district_id), "")
        if job.kind == FORM_ONE:
            label = _form_label(store, job, _chosen(job))
        else:
            label = district or "全部企业"
            if job.status:
                label = f"{label}-{job.status}"
        return (job.folder / form_filename(label),)
    scope = make_scope(
        store, district_id=job.district_id, status=job.status, campaign_id=job.campaign_id
    )
    if job.kind == CSV:
        return tuple(job.folder / name for name in csv_filenames(scope, public=job.public))
    if job.target is not None:
        return (job.target,)
    return (job.folder / summary_filename(scope, public=job.kind == PUBLIC),)


def run_export(
    store: Store,
    job: ExportJob,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportOutcome:
    """Do the export ``job`` describes (no Textual here: the worker thread calls it)."""
    from duibiao_tui.excel.csv_export import export_csv
    from duibiao_tui.excel.form_export import export_forms, form_filename
    from duibiao_tui.excel.summary_export import export_summary

    if job.kind in FORM_KINDS:
        ids = _form_ids(store, job)
        if not ids:
            raise DuibiaoError("没有符合筛选条件的企业", "无可导出")
        campaign = store.get_campaign(job.campaign_id) if job.campaign_id else None
        target = job.target or job.folder / form_filename(_form_label(store, job, ids))
        result = export_forms(store, ids, target, force=force, campaign=campaign, progress=progress)
        detail = f"{result.sheets} 家企业，共 {result.rows} 行"
        return ExportOutcome(
            (result.path,),
            f"情况表：{detail}",
            result.warnings,
            detail,
            sheets=result.sheets,
            rows=result.rows,
        )
    if job.kind == CSV:
        csv_result = export_csv(
            store,
            job.folder,
            district_id=job.district_id,
            status=job.status,
            campaign_id=job.campaign_id,
            public=job.public,
            force=force,
            progress=progress,
        )
        return ExportOutcome(
            csv_result.paths, f"CSV：{csv_result.words}", csv_result.warnings, csv_result.words
        )
    public = job.kind == PUBLIC
    target = job_targets(store, job)[0]
    summary = export_summary(
        store,
        target,
        district_id=job.district_id,
        status=job.status,
        campaign_id=job.campaign_id,
        public=public,
        force=force,
        progress=progress,
    )
    kind = "公开版" if public else "汇总"
    return ExportOutcome(
        (summary.path,), f"{kind}：{summary.words}", summary.warnings, summary.words
    )
