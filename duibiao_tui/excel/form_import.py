"""Import filled 情况表 (.xlsx, .xls): plan first, then write in one transaction.

A form arrives two ways: as we export it (``form_export``: title, the header line
"对标单位：… 地址：… 所在行业：… 主导产品：…", the ten columns, the note, and
"单位填报人：… 电话：…" at the foot), or retyped by an enterprise in its own layout. So
nothing is taken from fixed cells:

- the **table** is the row (among the first ``TABLE_SCAN_ROWS``) naming most of the ten
  columns, in whatever spelling (full-width brackets, line breaks, ``标杆企业/地址``,
  ``提升措施``, ``完成期限`` …), wherever it starts; 项目 and 指标内容 are required. Rows are
  read until the note (``注：…``) or the foot (单位填报人/电话); blank rows, the column
  headings repeated on a new page, and rows holding only a 序号 are passed over. A cell
  merged over several rows (one 标杆企业 for a run of rows) counts for each of them.
- the **header line and foot** are labels anywhere outside the table: "对标单位：X" in one
  cell, "对标单位" with X in the next cell, or the notice's one-line layout with all four
  labels in one cell. 统一社会信用代码 and 辖市区 are read when an enterprise adds them.
- a sheet without 对标单位 whose 序号 continue the previous sheet's (or whose name has
  续) is the continuation of that form.

Per row: 项目 is mapped to the notice's aspects (exact name, its number 1–12, or a fragment
naming only one of them; anything else is 其他 with the text as written); 对比结果 that
starts with 领先/持平/落后 gives the verdict and the rest; 完成时间 may be a date cell, any
spelling ``parse_due_date`` reads, or an Excel date serial; 标杆(优秀)企业/地址 is kept as
written, or linked to the benchmark library when it names one entry.

**Which enterprise.** The credit code when the sheet has one, else the name within the
district (辖市区 when written, else the one the address names), else the name alone when
only one live enterprise has it. A form for an unregistered enterprise registers it. With
``mode="update"`` (default) the header's non-blank values update the registered record;
``"skip"`` leaves the record as it is (the rows are imported either way).

**Which rows** (re-importing the same form must not duplicate anything). Each row of the
file is paired with at most one live row of that enterprise in the active campaign, first
by identical content (→ unchanged), then by 项目 + 指标内容 + 标杆企业, then by 项目 +
指标内容, then by the same 序号 with the same 项目 (→ updated: the file's ten columns
replace the row's; measure progress and review flags stay); unpaired file rows are added at
the end. Rows of the database that the file does not mention are kept, never deleted.

All or nothing by default; ``valid_only`` writes the good forms and rows and copies the
refused rows to ``exports/<name>-错误.xlsx`` (0600). A backup of the database is taken
before anything is written.

The steps live in ``excel.importing`` (``form_values``, ``form_header``, ``form_sheet``,
``form_rows``, ``form_plan``, ``form_pairing``, ``form_enterprise``, ``form_planner``,
``form_apply``; what the enterprise-list import shares in ``shared``). This module keeps
the names callers have always imported from here.
"""

from __future__ import annotations

from duibiao_tui.excel.importing.form_apply import FormImportResult, apply_form_import
from duibiao_tui.excel.importing.form_header import (
    FORM_FIELDS,
    HEADING_REPEAT_MIN,
    LABEL_TITLES,
    TABLE_SCAN_ROWS,
    find_table,
    guess_kind,
    looks_like_form,
)
from duibiao_tui.excel.importing.form_plan import (
    FormAction,
    FormImportPlan,
    PlannedForm,
    PlannedItem,
    RowAction,
)
from duibiao_tui.excel.importing.form_planner import plan_form_import
from duibiao_tui.excel.importing.form_values import (
    EXCEL_EPOCH,
    excel_serial_date,
    map_aspect,
    split_result,
)
from duibiao_tui.excel.importing.shared import (
    ImportRefused,
    Mode,
    Problem,
    Progress,
    is_total_row,
)

__all__ = [
    "EXCEL_EPOCH",
    "FORM_FIELDS",
    "HEADING_REPEAT_MIN",
    "LABEL_TITLES",
    "TABLE_SCAN_ROWS",
    "FormAction",
    "FormImportPlan",
    "FormImportResult",
    "ImportRefused",
    "Mode",
    "PlannedForm",
    "PlannedItem",
    "Problem",
    "Progress",
    "RowAction",
    "apply_form_import",
    "excel_serial_date",
    "find_table",
    "guess_kind",
    "is_total_row",
    "looks_like_form",
    "map_aspect",
    "plan_form_import",
    "split_result",
]
