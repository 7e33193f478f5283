"""Spreadsheets in and out: the 情况表 export, enterprise-list imports, and their helpers.

One module per job (``safe_text``, ``atomic``, ``form_export``, ``readers``, ``headers``,
``enterprise_import``, ``lookup``). Nothing here is imported at app start: openpyxl and
python-calamine load only when an export or import is actually run, so importing this
package itself must stay free of them.
"""
