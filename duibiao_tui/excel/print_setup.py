"""How every exported sheet prints: A4 landscape, one page wide, the heading rows repeated
on every page, and a page-number footer with room enough that LibreOffice does not clip it.

LibreOffice turns an .xlsx footer into a page footer whose height is the bottom margin less
the footer margin: 0.6" − 0.5" (openpyxl's footer margin) leaves a tenth of an inch, and the
footer prints cut in half. 0.8" − 0.3" leaves half an inch. Checked in LibreOffice's own
printout by tests/unit/test_excel_print_libreoffice.py (where soffice is installed).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FOOTER", "print_setup"]

FOOTER = "第 &P 页，共 &N 页"
A4 = 9
"""Excel's paper size code for A4."""


def print_setup(ws: Any, title_rows: str | None) -> None:
    """Apply the page set-up to a worksheet (normal or write-only); ``title_rows`` like
    ``"1:1"`` are repeated at the top of every printed page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.8
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = FOOTER
