"""Rows out of Excel workbooks: title rows, merged cells, formulas, cell types, broken files."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from ingest.readers import HEADERS, FileUnreadable, RawRow, RowProblem, _fold, map_headers
from ingest.xlsx import NO_COMPUTED_VALUE, read_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def _book(*rows: list[object], merges: tuple[str, ...] = ()) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(row)
    for merged in merges:
        sheet.merge_cells(merged)
    return workbook


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_part(data: bytes, part: str, change: object) -> bytes:
    """The same package with one part's text changed by ``change(text) -> text``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                content = change(content.decode()).encode()  # type: ignore[operator]
            target.writestr(info, content)
    return out.getvalue()


def _cache(data: bytes, cell: str, value: str, cell_type: str | None = None) -> bytes:
    """Give a formula cell the computed value Excel would have saved (openpyxl never computes)."""

    def change(text: str) -> str:
        pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>([^<]*)</f><v ?/>')
        typed = f' t="{cell_type}"' if cell_type else ""

        def computed(found: re.Match[str]) -> str:
            attributes, formula = found.groups()
            return f'<c r="{cell}"{attributes}{typed}><f>{formula}</f><v>{value}</v>'

        changed, count = pattern.subn(computed, text)
        assert count == 1, f"no uncalculated formula in {cell}"
        return changed

    return _rewrite_part(data, SHEET, change)


def _items(data: bytes) -> list[RawRow | RowProblem]:
    return list(read_xlsx(data))


def _rows(items: list[RawRow | RowProblem]) -> list[RawRow]:
    return [item for item in items if isinstance(item, RawRow)]


def _problems(items: list[RawRow | RowProblem]) -> list[RowProblem]:
    return [item for item in items if isinstance(item, RowProblem)]


# --- header and row numbers ---------------------------------------------------------------


def test_a_merged_title_row_above_the_header_is_skipped_and_rows_keep_the_sheets_numbers() -> None:
    workbook = _book(
        ["武汉市2027年春风行动岗位信息表"],
        ["填报单位：江岸区人社局"],
        [],
        ["岗位名称", "薪资", "招聘人数"],
        ["洗碗工", "4000-5000元/月", 3],
        ["保洁员", "3500元/月", 2],
        merges=("A1:C1",),
    )
    items = _items(_bytes(workbook))
    assert _problems(items) == []
    assert [(row.number, row.fields) for row in _rows(items)] == [
        (5, {"title": "洗碗工", "pay": "4000-5000元/月", "headcount": "3"}),
        (6, {"title": "保洁员", "pay": "3500元/月", "headcount": "2"}),
    ]


def test_the_header_must_be_in_the_first_ten_rows() -> None:
    notes = [[f"说明第{i}行"] for i in range(1, 11)]
    workbook = _book(*notes, ["岗位名称", "薪资"], ["焊工", "6000"])
    with pytest.raises(FileUnreadable, match="no title column in the first 10 rows"):
        _items(_bytes(workbook))
    # the same sheet with one note less has its header in row 10
    workbook = _book(*notes[:9], ["岗位名称", "薪资"], ["焊工", "6000"])
    assert [row.number for row in _rows(_items(_bytes(workbook)))] == [11]


def test_a_sheet_without_a_title_column_is_refused() -> None:
    workbook = _book(["单位名称", "薪资"], ["武汉某公司", "5000"])
    with pytest.raises(FileUnreadable, match="no title column"):
        _items(_bytes(workbook))


def test_new_header_synonyms_name_their_fields() -> None:
    workbook = _book(
        ["职位名称", "到岗时间", "收工时间", "纬度", "经度", "技能要求", "工作经验", "资格证书",
         "展位号", "行政区划代码", "计薪方式"],
        ["叉车工", "2027-03-02 08:00", "2027-03-02 18:00", 30.6455, 114.2953, "叉车驾驶",
         "1年以上", "叉车证", "A-12", "420102", "日结"],
    )  # fmt: skip
    (row,) = _rows(_items(_bytes(workbook)))
    assert row.fields == {
        "title": "叉车工",
        "starts_at": "2027-03-02 08:00",
        "ends_at": "2027-03-02 18:00",
        "lat": "30.6455",
        "lon": "114.2953",
        "skills": "叉车驾驶",
        "experience": "1年以上",
        "certificates": "叉车证",
        "booth": "A-12",
        "adcode": "420102",
        "salary_unit": "日结",
    }


def test_every_header_synonym_names_one_field_and_every_field_name_is_a_header() -> None:
    owners: dict[str, list[str]] = {}
    for key, names in HEADERS.items():
        for name in names:
            owners.setdefault(_fold(name), []).append(key)
    assert {name: keys for name, keys in owners.items() if len(keys) > 1} == {}
    # feeds are keyed by the field names themselves
    mapping, unknown = map_headers(list(HEADERS))
    assert unknown == [] and list(mapping.values()) == list(HEADERS)


# --- merged cells -------------------------------------------------------------------------


def test_every_cell_of_a_merged_range_reads_its_top_left_value() -> None:
    workbook = _book(
        ["单位名称", "岗位名称", "薪资", "备注"],
        ["武汉鑫达机械制造有限公司", "焊工", "7000-10000元/月", None],
        [None, "电工", "面议", "持证"],
        [None, "普工", "计件", None],
        ["武汉顺安建筑劳务有限公司", "木工", "300元/天", None],
        merges=("A2:A4", "C2:D2"),
    )
    rows = _rows(_items(_bytes(workbook)))
    assert [(row.number, row.fields["employer"], row.fields["title"]) for row in rows] == [
        (2, "武汉鑫达机械制造有限公司", "焊工"),
        (3, "武汉鑫达机械制造有限公司", "电工"),
        (4, "武汉鑫达机械制造有限公司", "普工"),
        (5, "武汉顺安建筑劳务有限公司", "木工"),
    ]
    # the pay merged across two columns: the second reads it too
    assert rows[0].extra == {"备注": "7000-10000元/月"}
    assert rows[1].extra == {"备注": "持证"}


def test_a_row_that_only_a_merged_range_reaches_is_not_a_row() -> None:
    workbook = _book(
        ["单位名称", "岗位名称"],
        ["武汉楚味餐饮管理有限公司", "洗碗工"],
        [None, "服务员"],
        [None, None],
        ["武汉洁美物业服务有限公司", "保洁员"],
        merges=("A2:A4",),
    )
    assert [row.number for row in _rows(_items(_bytes(workbook)))] == [2, 3, 5]


# --- formulas and errors ------------------------------------------------------------------


def test_a_formula_reads_as_its_cached_value() -> None:
    workbook = _book(["岗位名称", "招聘人数", "有效期至"], ["焊工", "=2+3", "=DATE(2027,6,30)"])
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet["C2"].number_format = "yyyy-mm-dd"
    data = _cache(_cache(_bytes(workbook), "B2", "5"), "C2", "46568")
    (row,) = _items(data)
    assert row == RawRow(2, {"title": "焊工", "headcount": "5", "valid_until": "2027-06-30"})


def test_a_formula_without_a_computed_value_makes_its_row_a_problem() -> None:
    workbook = _book(
        ["岗位名称", "薪资", "招聘人数"],
        ["焊工", "6000-8000元/月", "=2+3"],
        ["电工", "面议", 2],
        ["普工", "=B2", "=1+1"],
    )
    data = _cache(_bytes(workbook), "C4", "2")  # row 4's pay is still uncalculated
    items = _items(data)
    assert [row.fields["title"] for row in _rows(items)] == ["电工"]
    assert _problems(items) == [
        RowProblem(2, f"column C (招聘人数): {NO_COMPUTED_VALUE}"),
        RowProblem(4, f"column B (薪资): {NO_COMPUTED_VALUE}"),
    ]
    assert "no computed value" in NO_COMPUTED_VALUE


def test_a_formula_that_computed_an_empty_text_is_an_empty_cell() -> None:
    workbook = _book(["岗位名称", "备注"], ["焊工", '=IF(1>2,"x","")'])
    (row,) = _items(_cache(_bytes(workbook), "B2", "", cell_type="str"))
    assert row == RawRow(2, {"title": "焊工"})


def test_error_values_make_their_row_a_problem_naming_the_columns() -> None:
    workbook = _book(
        ["岗位名称", "薪资", "招聘人数", ""],
        ["焊工", "#N/A", "=1/0", "#REF!"],
        ["电工", "面议", 2, None],
    )
    data = _cache(_bytes(workbook), "C2", "#DIV/0!", cell_type="e")
    items = _items(data)
    assert [row.number for row in _rows(items)] == [3]
    assert _problems(items) == [
        RowProblem(
            2,
            "column B (薪资): the cell holds the error #N/A; "
            "column C (招聘人数): the cell holds the error #DIV/0!; "
            "column D: the cell holds the error #REF!",
        )
    ]


# --- cell values --------------------------------------------------------------------------


def test_cell_values_read_as_the_sheet_shows_them() -> None:
    workbook = _book(
        ["岗位名称", "薪资", "招聘人数", "有效期至", "到岗时间", "纬度", "备注", "开始时间",
         "编号"],
        ["焊工", 5000.0, 3, date(2026, 12, 31), datetime(2027, 3, 1, 8, 30), 30.5,
         True, time(8, 30), 13800138000],
        ["电工", 0.1 + 0.2, 2.0, datetime(2026, 12, 31), datetime(2027, 3, 1, 7, 59, 59, 999_600),
         -114.25, False, None, 1e20],
    )  # fmt: skip
    first, second = _rows(_items(_bytes(workbook)))
    assert first.fields == {
        "title": "焊工",
        "pay": "5000",
        "headcount": "3",
        "valid_until": "2026-12-31",
        "starts_at": "2027-03-01T08:30:00",
        "lat": "30.5",
        "external_id": "13800138000",
    }
    # 开始时间 names starts_at again: the first column wins, the second is kept as extra
    assert first.extra == {"备注": "TRUE", "开始时间": "08:30:00"}
    assert second.fields["pay"] == "0.3"  # no binary noise
    assert second.fields["headcount"] == "2"
    assert second.fields["valid_until"] == "2026-12-31"  # midnight: the date alone
    assert second.fields["starts_at"] == "2027-03-01T08:00:00"  # rounded to the second
    assert second.fields["lat"] == "-114.25"
    assert second.extra["备注"] == "FALSE"
    assert second.fields["external_id"] == "1e+20"


def test_blank_rows_are_skipped_and_cells_past_the_header_are_kept() -> None:
    workbook = _book(
        ["岗位名称", "薪资"],
        [],
        ["  ", None],
        ["焊工", "6000", None, "夜班"],
    )
    (row,) = _items(_bytes(workbook))
    assert row == RawRow(4, {"title": "焊工", "pay": "6000"}, {"column D": "夜班"})


def test_only_the_first_worksheet_is_read_and_chart_sheets_do_not_count() -> None:
    workbook = _book(["岗位名称"], ["焊工"])
    other = workbook.create_sheet("其他")
    other.append(["岗位名称"])
    other.append(["电工"])
    chart = BarChart()
    chart.add_data(Reference(other, min_col=1, min_row=1, max_row=2))
    workbook.create_chartsheet("图表", 0).add_chart(chart)
    assert [row.fields["title"] for row in _rows(_items(_bytes(workbook)))] == ["焊工"]


def test_a_wrong_declared_size_does_not_cut_columns_or_rows() -> None:
    workbook = _book(["岗位名称", "薪资", "招聘人数"], ["焊工", "6000", 2], ["电工", "面议", 1])
    data = _rewrite_part(
        _bytes(workbook),
        SHEET,
        lambda text: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', text),
    )
    rows = _rows(_items(data))
    assert [row.fields for row in rows] == [
        {"title": "焊工", "pay": "6000", "headcount": "2"},
        {"title": "电工", "pay": "面议", "headcount": "1"},
    ]


# --- shared strings, as Excel writes texts ------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _excel_style_package(sheet_data: str, shared_strings: list[str], merges: str = "") -> bytes:
    """A minimal workbook the way Excel stores it: texts in the shared-string table."""
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PACKAGE}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            '<sheet name="岗位" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{_MAIN}" count="{len(shared_strings)}">{"".join(shared_strings)}</sst>'
        ),
        SHEET: (
            f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet_data}</sheetData>{merges}</worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_shared_strings_with_rich_text_phonetic_guides_and_escapes() -> None:
    strings = [
        "<si><t>岗位名称</t></si>",
        "<si><t>岗位描述</t></si>",
        "<si><t>单位名称</t></si>",
        # rich text: two runs in different fonts
        "<si><r><rPr><b/></rPr><t>叉车</t></r><r><t>司机</t></r></si>",
        # a phonetic guide (furigana-style) is not part of the text
        '<si><t>电工</t><rPh sb="0" eb="2"><t>diàngōng</t></rPh></si>',
        # a carriage return escaped as Excel writes it, and a literal "_x000D_" escaped once more
        "<si><t>两班倒_x000D_\n包吃住 _x005F_x000D_</t></si>",
        "<si><t>武汉汉江物流有限公司</t></si>",
    ]
    sheet_data = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>5</v></c>'
        '<c r="C2" t="s"><v>6</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>4</v></c></row>'
    )
    data = _excel_style_package(
        sheet_data, strings, '<mergeCells><mergeCell ref="C2:C3"/></mergeCells>'
    )
    assert _items(data) == [
        RawRow(
            2,
            {
                "title": "叉车司机",
                "description": "两班倒\r\n包吃住 _x000D_",
                "employer": "武汉汉江物流有限公司",
            },
        ),
        RawRow(3, {"title": "电工", "description": "", "employer": "武汉汉江物流有限公司"}),
    ]


def test_cells_and_rows_without_references_are_placed_by_order() -> None:
    strings = ["<si><t>岗位名称</t></si>", "<si><t>薪资</t></si>", "<si><t>焊工</t></si>"]
    sheet_data = (
        '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
        '<row><c t="s"><v>2</v></c><c><f>1+1</f></c></row>'
    )
    assert _items(_excel_style_package(sheet_data, strings)) == [
        RowProblem(2, f"column B (薪资): {NO_COMPUTED_VALUE}")
    ]


# --- files that are not workbooks ---------------------------------------------------------


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b" \n ", "the file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), r"Excel 97-2003 \(.xls\)"),
        ("岗位名称,薪资\n焊工,6000\n".encode(), "not a ZIP archive"),
        (bytes(range(256)) * 4, "not a ZIP archive"),
        (_zip({"word/document.xml": b"<w/>"}), "not an XLSX workbook"),
        (_zip({"_rels/.rels": b"<Relationships/>"}), "names no workbook"),
    ],
)
def test_files_that_are_not_workbooks_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FileUnreadable, match=reason):
        _items(data)


def test_a_damaged_workbook_is_refused() -> None:
    data = _bytes(_book(["岗位名称"], ["焊工"]))
    with pytest.raises(FileUnreadable):
        _items(data[: len(data) // 2])
    broken_xml = _rewrite_part(data, SHEET, lambda text: text.replace("</sheetData>", ""))
    with pytest.raises(FileUnreadable, match="first worksheet cannot be read"):
        _items(broken_xml)


def test_damage_found_while_reading_rows_is_a_file_problem() -> None:
    strings = ["<si><t>岗位名称</t></si>", "<si><t>招聘人数</t></si>", "<si><t>焊工</t></si>"]
    header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    not_a_number = '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>three</v></c></row>'
    with pytest.raises(FileUnreadable, match=r"first worksheet cannot be read: .*'three'"):
        _items(_excel_style_package(header + not_a_number, strings))
    no_such_string = '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'
    with pytest.raises(FileUnreadable, match="first worksheet cannot be read"):
        _items(_excel_style_package(header + no_such_string, strings))


def test_a_header_below_ten_blank_rows_is_not_an_empty_sheet() -> None:
    workbook = _book(*([[]] * 11), ["岗位名称"], ["焊工"])
    with pytest.raises(FileUnreadable, match="no title column in the first 10 rows"):
        _items(_bytes(workbook))


def test_an_empty_workbook_is_refused() -> None:
    with pytest.raises(FileUnreadable, match="the first worksheet is empty"):
        _items(_bytes(Workbook()))
    with pytest.raises(FileUnreadable, match="the first worksheet is empty"):
        _items(_bytes(_book([], [None, "  "])))
