"""Reading a large XLSX export: rows per second and peak resident memory. Not a test.

Writes a workbook of about ``--mb`` megabytes the way Excel stores it (shared strings, a date
style, an employer name merged down over each block of five postings, a title row merged across
the top), then reads it with :func:`ingest.xlsx.read_xlsx` in a fresh process and prints

- the file's size, its rows and merged ranges,
- the read time and rows per second,
- the reading process's peak resident memory (VmHWM), and what the bare interpreter with the
  imports and the file's bytes in memory takes before reading, for comparison.

    python bench/read_xlsx.py [--mb 50] [--strings shared|inline] [--keep PATH]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COLUMNS = (
    "单位名称", "岗位编号", "岗位名称", "薪资", "招聘人数", "学历要求", "工作地点",
    "联系电话", "岗位描述", "有效期至",
)  # fmt: skip
TITLES = ("洗碗工", "普工", "焊工", "叉车司机", "保洁员", "快递分拣员", "电工", "收银员", "月嫂")
PAYS = ("5-8K", "5000-8000元/月", "200元/天", "25元/小时", "面议", "计件", "4500-6000元/月")
EDUCATION = ("不限", "初中", "高中或中专", "大专及以上")
DISTRICTS = ("江岸区", "江汉区", "硚口区", "武昌区", "洪山区", "江夏区", "东西湖区")
STREETS = ("解放大道", "中山大道", "建设大道", "珞喻路", "光谷大道", "文化大道", "金银湖路")
PHRASES = (
    "包吃包住", "五险一金", "月休四天", "长白班", "两班倒", "有相关经验优先", "新手可培训",
    "按时发薪", "交通便利", "节假日三倍工资", "提供工作服", "年底双薪",
)  # fmt: skip
BLOCK = 5  # postings per employer; the employer's cell is merged down over them


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    def __init__(self, shared: bool) -> None:
        self.shared = shared
        self.index: dict[str, int] = {}

    def cell(self, reference: str, text: str) -> str:
        if not self.shared:
            return f'<c r="{reference}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
        number = self.index.setdefault(text, len(self.index))
        return f'<c r="{reference}" t="s"><v>{number}</v></c>'


def _row_cells(number: int, rng: random.Random, strings: _Strings) -> str:
    block = (number - 3) // BLOCK
    district = DISTRICTS[block % len(DISTRICTS)]
    cells = []
    if (number - 3) % BLOCK == 0:
        cells.append(strings.cell(f"A{number}", f"武汉市第{block}号服务有限公司"))
    description = "，".join(rng.sample(PHRASES, 4)) + f"，需求编号{rng.randrange(10**8)}"
    texts = {
        1: f"WH-{number:09d}",
        2: rng.choice(TITLES),
        3: rng.choice(PAYS),
        5: rng.choice(EDUCATION),
        6: f"武汉市{district}{rng.choice(STREETS)}{rng.randrange(1, 999)}号",
        7: f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        8: description,
    }
    for column in range(1, len(COLUMNS)):
        reference = f"{_column(column)}{number}"
        if column == 4:
            cells.append(f'<c r="{reference}"><v>{rng.randrange(1, 30)}</v></c>')
        elif column == 9:  # a date serial with the date style
            cells.append(f'<c r="{reference}" s="1"><v>{46000 + rng.randrange(400)}</v></c>')
        else:
            cells.append(strings.cell(reference, texts[column]))
    return f'<row r="{number}">{"".join(cells)}</row>'


def write_workbook(path: Path, megabytes: float, shared: bool, seed: int = 5) -> tuple[int, int]:
    """Write the workbook; return (data rows, merged ranges)."""
    rng = random.Random(seed)
    strings = _Strings(shared)
    target = megabytes * 1024 * 1024
    number = 2
    with open(path, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            # Excel states the used range first; without it openpyxl reads the sheet once more.
            # The rows are not known yet: a generous bound is what some writers put there too.
            sheet.write(f'<dimension ref="A1:{_column(len(COLUMNS) - 1)}{10**7}"/>'.encode())
            sheet.write(b"<sheetData>")
            title = strings.cell("A1", "武汉市2026年春风行动岗位信息汇总表")
            header = "".join(strings.cell(f"{_column(i)}2", h) for i, h in enumerate(COLUMNS))
            sheet.write(f'<row r="1">{title}</row><row r="2">{header}</row>'.encode())
            # Leave room for the shared strings and the merged ranges written after the rows.
            budget = target * (0.65 if shared else 0.97)
            while raw.tell() < budget:
                batch = []
                for _ in range(2000):
                    number += 1
                    batch.append(_row_cells(number, rng, strings))
                sheet.write("".join(batch).encode())
            merges = [f'<mergeCell ref="A1:{_column(len(COLUMNS) - 1)}1"/>']
            for first in range(3, number + 1, BLOCK):
                merges.append(f'<mergeCell ref="A{first}:A{min(first + BLOCK - 1, number)}"/>')
            sheet.write(b"</sheetData>")
            sheet.write(
                f'<mergeCells count="{len(merges)}">{"".join(merges)}</mergeCells>'.encode()
            )
            sheet.write(b"</worksheet>")
        if shared:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
                table.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                for text in strings.index:
                    table.write(f"<si><t>{escape(text)}</t></si>".encode())
                table.write(b"</sst>")
        _write_package(archive, shared)
    return number - 2, len(merges)


def _write_package(archive: zipfile.ZipFile, shared: bool) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rels_type = "application/vnd.openxmlformats-package.relationships+xml"
    sst_type = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
    archive.writestr(
        "[Content_Types].xml",
        f'<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="{rels_type}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        f"{sst_type if shared else ''}</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    archive.writestr(
        "xl/workbook.xml",
        f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="岗位" sheetId="1" r:id="rId1"/></sheets></workbook>',
    )
    sst_rel = f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
        f"{sst_rel if shared else ''}</Relationships>",
    )
    archive.writestr(
        "xl/styles.xml",
        f'<styleSheet xmlns="{main}">'
        '<fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
    )


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _read(path: Path) -> None:
    """In the child process: read the file and print 'rows problems seconds baseline peak'."""
    from ingest.readers import RawRow
    from ingest.xlsx import read_xlsx

    data = path.read_bytes()
    baseline = _peak_rss_mib()
    started = time.perf_counter()
    rows = problems = 0
    for item in read_xlsx(data):
        if isinstance(item, RawRow):
            rows += 1
        else:
            problems += 1
    elapsed = time.perf_counter() - started
    print(rows, problems, f"{elapsed:.3f}", f"{baseline:.1f}", f"{_peak_rss_mib():.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--strings", choices=("shared", "inline"), default="shared")
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        _read(args.read)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "postings.xlsx"
        started = time.perf_counter()
        data_rows, merges = write_workbook(path, args.mb, shared=args.strings == "shared")
        written = time.perf_counter() - started
        size = path.stat().st_size / 1024 / 1024
        with zipfile.ZipFile(path) as archive:
            xml_size = archive.getinfo("xl/worksheets/sheet1.xml").file_size / 1024 / 1024
        print(
            f"file: {size:.1f} MiB ({args.strings} strings; sheet XML {xml_size:.0f} MiB), "
            f"{data_rows:,} data rows, {merges:,} merged ranges, written in {written:.1f} s"
        )
        result = subprocess.run(
            [sys.executable, __file__, "--read", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        rows, problems, seconds, baseline, peak = result.stdout.split()
        print(
            f"read: {int(rows):,} rows, {int(problems)} problems in {float(seconds):.1f} s = "
            f"{int(rows) / float(seconds):,.0f} rows/s; peak RSS {float(peak):.0f} MiB "
            f"(before reading, with the file's bytes loaded: {float(baseline):.0f} MiB)"
        )


if __name__ == "__main__":
    main()
