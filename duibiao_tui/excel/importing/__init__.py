"""The import pipeline of enterprise lists and 情况表, one module per step.

``shared`` holds what both imports use: problems located by sheet, row and column, the
refusal (``ImportRefused``), the backup before writing, the error workbook. A 情况表 goes
read → map headers → parse rows → plan → apply: ``form_values`` (a cell's text as a
value), ``form_header`` (the table's headings and the labels around it), ``form_sheet`` (a
sheet as a form), ``form_rows`` (a table row as an ItemInput), ``form_plan`` (the plan's
dataclasses), ``form_pairing`` (file rows against stored rows), ``form_enterprise`` (whose
form it is), ``form_planner`` (``plan_form_import``) and ``form_apply``
(``apply_form_import``). An enterprise list is read by ``enterprise_rows`` and planned and
written by ``excel.enterprise_import``. Callers import ``excel.form_import`` and
``excel.enterprise_import``, which re-export the public names.
"""
