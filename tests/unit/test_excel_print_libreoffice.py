"""Exports as LibreOffice prints them: converted to PDF with ``soffice --headless``, every
page is A4 landscape, one page wide, carries its sheet's heading row (page 2 too) and a
whole 第 N 页，共 M 页 footer — measured in the rendered pixels, because LibreOffice clips a
footer without room (the text is still in the PDF, only half of it is drawn). And a 情况表
re-saved by LibreOffice (.xlsx and .xls, as an enterprise without Excel sends it back)
imports to the same cells.

Needs LibreOffice and poppler-utils (``apt-get install -y libreoffice-calc-nogui
poppler-utils fonts-noto-cjk``); skipped with a message where they are absent (CI).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.excel.form_export import FORM_COLUMNS, export_forms
from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
from duibiao_tui.excel.summary_export import export_summary
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = all(shutil.which(tool) for tool in ("pdfinfo", "pdftotext", "pdftoppm"))

pytestmark = pytest.mark.skipif(
    SOFFICE is None or not POPPLER,
    reason="LibreOffice (soffice) or poppler-utils (pdfinfo, pdftotext, pdftoppm) not on PATH: "
    "apt-get install -y libreoffice-calc-nogui poppler-utils fonts-noto-cjk to check printouts "
    "and LibreOffice round trips",
)

ROWS = 130
"""Enough rows for the 情况表 and the summary's 对标项目 to run over several pages."""

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.fixture
def long_form(store: Store, districts: dict[str, str]) -> str:
    enterprise = store.add_enterprise(
        EnterpriseInput(
            name="镇江市长江电器设备厂",
            district_id=districts["京口区"],
            address="镇江市京口区学府路88号",
            contact_name="张三",
            phone="13912345678",
        )
    )
    for n in range(1, ROWS + 1):
        store.add_item(
            enterprise.id,
            ItemInput(
                aspect="设备",
                indicator=f"数控化率第{n}项",
                benchmark_level="98.5%",
                result_text="低 12.3 个百分点",
                measures="1. 引进数控加工中心\n2. 培训操作人员",
                department="设备科",
                due_text="2010年底",
            ),
        )
    return enterprise.id


def _convert(source: Path, to: str, tmp_path: Path) -> Path:
    """``soffice --headless --convert-to <to>`` into a folder of its own, with a profile of
    its own (two tests at once would otherwise fight over the user's profile)."""
    assert SOFFICE is not None
    out = tmp_path / f"soffice-{to}"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = out / f"{source.stem}.{to}"
    assert made.exists(), f"soffice wrote no {to} for {source.name}"
    return made


def _to_pdf(xlsx: Path, tmp_path: Path) -> Path:
    return _convert(xlsx, "pdf", tmp_path)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    ]


def _page_text(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", "", text)


def _footer_drawn(pdf: Path, page: int, tmp_path: Path) -> float:
    """The share of the footer line's text box that has ink in it, rendered by pdftoppm:
    about 0.75 for a whole line of Chinese, well under half for one clipped in half."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    words = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(boxes)]
    marks = [w for w in words if w[4] == "页，共"]
    assert marks, f"page {page}: no footer text"
    mark = marks[-1]
    line = [w for w in words if abs(w[1] - mark[1]) < 0.5]
    scale = 4  # 288 dpi: 4 pixels a point
    x0, x1 = min(w[0] for w in line), max(w[2] for w in line)
    y0, y1 = mark[1], mark[3]
    prefix = tmp_path / f"footer-{pdf.stem}-{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            str(72 * scale),
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(round(x0 * scale)),
            "-y",
            str(round(y0 * scale)),
            "-W",
            str(round((x1 - x0) * scale)),
            "-H",
            str(round((y1 - y0) * scale)),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        capture_output=True,
    )
    data = prefix.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    assert header is not None
    width, height = int(header[1]), int(header[2])
    pixels = data[header.end() :]
    inked = [r for r in range(height) if min(pixels[r * width : (r + 1) * width]) < 160]
    return (inked[-1] - inked[0] + 1) / height if inked else 0.0


def _check_pages(pdf: Path, tmp_path: Path, headings: dict[int, tuple[str, ...]]) -> None:
    """Every page A4 landscape with a whole footer numbering it; ``headings`` maps a page
    to words its text must hold (the repeated heading row)."""
    sizes = _page_sizes(pdf)
    total = len(sizes)
    for page, (width, height) in enumerate(sizes, start=1):
        assert (round(width), round(height)) == (842, 595), f"page {page}: {width} x {height}"
        text = _page_text(pdf, page)
        assert f"第{page}页，共{total}页" in text, f"page {page}: footer missing"
        assert _footer_drawn(pdf, page, tmp_path) > 0.6, f"page {page}: footer clipped"
        for word in headings.get(page, ()):
            assert word in text, f"page {page}: no {word}"


def test_the_form_prints_landscape_with_its_headings_and_a_whole_footer(
    store: Store, long_form: str, tmp_path: Path
) -> None:
    path = tmp_path / "情况表.xlsx"
    export_forms(store, [long_form], path)
    pdf = _to_pdf(path, tmp_path)
    pages = len(_page_sizes(pdf))
    # 130 rows of two lines: several pages, but never split across (one page wide).
    assert 3 <= pages <= 12, pages
    # Every page holds the first and the last heading: the whole width, headings repeated.
    headings = ("序号", "标杆(优秀)企业/地址", FORM_COLUMNS[-1])
    _check_pages(pdf, tmp_path, dict.fromkeys(range(1, pages + 1), headings))
    assert "镇江市工业企业质量标杆对比活动情况表" in _page_text(pdf, 1)
    assert "单位填报人：张三" in _page_text(pdf, pages)


@pytest.mark.parametrize("public", [False, True], ids=["summary", "public"])
def test_the_summary_prints_landscape_with_its_headings_and_a_whole_footer(
    store: Store, long_form: str, tmp_path: Path, public: bool
) -> None:
    path = tmp_path / ("公开版.xlsx" if public else "汇总.xlsx")
    export_summary(store, path, public=public)
    sheets = openpyxl.load_workbook(path).sheetnames
    pdf = _to_pdf(path, tmp_path)
    pages = len(_page_sizes(pdf))
    # 汇总 on one page; each data sheet one page wide, some running over several pages.
    assert len(sheets) < pages <= 4 * len(sheets), (pages, sheets)
    # Every page after 汇总 starts a data sheet or repeats its heading row: with more pages
    # than sheets, some of them are a sheet's second page.
    headings = {1: ("辖市区", "合计"), **dict.fromkeys(range(2, pages + 1), ("企业名称",))}
    _check_pages(pdf, tmp_path, headings)


@pytest.mark.parametrize("resave", ["xlsx", "xls"])
def test_a_form_resaved_by_libreoffice_imports_to_the_same_cells(
    store: Store, tmp_path: Path, resave: str
) -> None:
    """export → LibreOffice re-saves it → import into an empty database → export: every
    cell the same, 序号 with its gap, addresses, percentages and line breaks included."""
    real = tmp_path / "real_form.xlsx"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "forms" / "real" / real.name, real)
    apply_form_import(store, plan_form_import(store, real))
    ids = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    first = tmp_path / "first.xlsx"
    export_forms(store, ids, first)
    resaved = _convert(first, resave, tmp_path)
    other = Store.open(tmp_path / "other.db", officer="王明", clock=fixed_clock)
    try:
        plan = plan_form_import(other, resaved)
        assert plan.refused == 0, [str(p) for p in plan.problems]
        apply_form_import(other, plan)
        again = tmp_path / "again.xlsx"
        export_forms(other, [r[0] for r in other.conn.execute("SELECT id FROM enterprise")], again)
    finally:
        other.close()
    cells = _cells(first)
    assert _cells(again) == cells
    flat = [str(v) for row in cells for v in row if v is not None]
    assert "98.5%" in flat and "123,456,789" in flat
    assert "正泰电气股份有限公司/上海市松江区思贤路3255号" in flat
    assert "1. 2010年购置数控冲床 2 台\n2. 培训操作工" in flat
    assert [row[0] for row in cells if isinstance(row[0], int)] == [1, 2, 3, 5]


def _cells(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path).active
    return [[c.value for c in row] for row in ws.iter_rows()]
