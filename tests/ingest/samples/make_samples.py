"""Write the sample partner files of this folder: ``python tests/ingest/samples/make_samples.py``.

Every file is generated here, from the employers and postings below, so that the credit codes are
valid and the same employer looks the same in every file. The files are committed; a test checks
that they are what this script writes.

Planted on purpose, for the service's tests (everything else is clean):

- discriminatory wording: postings_utf8.csv 保安 "限男性" (row 10) and 收银员 "仅限武汉户籍"
  (row 11);
- a fee asked of applicants: postings_utf8.csv 快递员 "入职需交押金300元" (row 12);
- one vacancy through three channels: 武汉汉江物流有限公司's forklift driver in 江岸区 —
  postings_utf8.csv "叉车司机" (row 2), fair_feed.json "招聘叉车司机（持证）", station_feed.json
  "叉车工";
- rows without an external id: postings_utf8.csv rows 10, 12 and 14;
- broken rows: postings_bad.csv (blank title, a line in neither encoding, an unclosed quote),
  postings_mixed_encoding.csv (one line in neither encoding), postings.xlsx (row 10: a formula
  saved without its computed value).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from ingest.identifiers import make_credit_code
from ingest.readers import decode_line

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Employer:
    name: str
    body: str  # the first 17 characters of the credit code
    phone: str
    district: str

    @property
    def credit_code(self) -> str:
        return make_credit_code(self.body)


HANJIANG = Employer("武汉汉江物流有限公司", "91420102MA4K2HJ8L", "13871230416", "江岸区")
CHUWEI = Employer("武汉楚味餐饮管理有限公司", "91420103MA4K3CW5N", "13907182655", "江汉区")
XINDA = Employer("武汉鑫达机械制造有限公司", "91420115MA4K7XD2P", "15927364810", "江夏区")
JIEMEI = Employer("武汉洁美物业服务有限公司", "91420106MA4K4JM6Q", "027-87651234", "武昌区")
YOUXUAN = Employer("武汉优选超市连锁有限公司", "91420111MA4K5YX9R", "18672945103", "洪山区")
ANXIN = Employer("武汉安心家政服务有限公司", "91420104MA4K6AX3T", "13554126789", "硚口区")
SUDA = Employer("武汉速达快递有限公司", "91420111MA4K8KD1U", "17786420935", "洪山区")
SHUNAN = Employer("武汉顺安建筑劳务有限公司", "91420115MA4K9TA4W", "13971568240", "江夏区")
JIANGCHENG = Employer("武汉江城保安服务有限公司", "91420106MA4KBJC7X", "15871392046", "武昌区")
JIANGTAN = Employer("武汉江滩酒店管理有限公司", "91420102MA4KCJT2Y", "027-82761234", "江岸区")
GUANGGU = Employer("武汉光谷智造电子有限公司", "91420111MA4KDGG5E", "18971246350", "洪山区")

# --- postings_utf8.csv: an employer platform's export -------------------------------------

UTF8_HEADER = (
    "岗位编号", "单位名称", "统一社会信用代码", "岗位名称", "薪资", "招聘人数", "学历要求",
    "工作经验", "工作地点", "联系电话", "用工形式", "岗位描述", "技能要求", "证书要求", "有效期至",
)  # fmt: skip
UTF8_ROWS: tuple[tuple[str, Employer, str, str, str, str, str, str, str, str, str, str], ...] = (
    # external id, employer, title, pay, headcount, education, experience, place,
    # employment type, description, skills, certificates
    ("HJWL-2027-001", HANJIANG, "叉车司机", "6000-8000元/月", "3", "初中", "1年以上",
     "武汉市江岸区后湖大道568号汉江物流园", "全职",
     "负责仓库货物的装卸、搬运和堆码，两班倒，包工作餐", "叉车驾驶、仓储", "叉车证（N1）"),
    ("HJWL-2027-002", HANJIANG, "快递分拣员", "5-8K", "10", "不限", "不限",
     "武汉市江岸区后湖大道568号汉江物流园", "全职", "按线路分拣快件，夜班补贴每晚30元", "", ""),
    ("CWCY-2027-011", CHUWEI, "洗碗工", "4000-5000元/月", "4", "不限", "经验不限",
     "武汉市江汉区江汉路118号楚味酒楼", "全职", "负责后厨餐具清洗消毒，包吃包住，月休4天", "", ""),
    ("CWCY-2027-012", CHUWEI, "服务员", "25元/小时", "6", "初中", "不限",
     "武汉市江汉区江汉路118号楚味酒楼", "兼职", "周末及节假日午晚餐高峰，每班4小时", "", ""),
    ("XDJX-2027-031", XINDA, "焊工", "7000-10000元/月", "5", "初中", "3年",
     "武汉市江夏区藏龙岛科技园栗庙路8号", "全职", "二保焊、氩弧焊，能看懂简单图纸",
     "二氧化碳保护焊、氩弧焊", "焊工证"),
    ("XDJX-2027-032", XINDA, "普工", "计件", "20", "不限", "不限",
     "武汉市江夏区藏龙岛科技园栗庙路8号", "全职", "流水线装配，计件工资，多劳多得，提供宿舍",
     "", ""),
    ("XDJX-2027-033", XINDA, "电工", "面议", "2", "中专", "2年",
     "武汉市江夏区藏龙岛科技园栗庙路8号", "全职", "厂区高低压设备日常维护", "", "低压电工作业证"),
    ("JMWY-2027-041", JIEMEI, "保洁员", "3500-4000元/月", "8", "不限", "不限",
     "武汉市武昌区中北路227号", "全职", "写字楼公共区域保洁，早7点到下午4点", "", ""),
    ("", JIANGCHENG, "保安", "4500-5500元/月", "5", "高中", "不限",
     "武汉市武昌区积玉桥万达广场", "全职", "限男性，身高170cm以上，商场巡逻及门岗值守", "", ""),
    ("YXCS-2027-051", YOUXUAN, "收银员", "4200-5000元/月", "3", "高中", "不限",
     "武汉市洪山区珞喻路726号优选超市", "全职", "仅限武汉户籍，能适应早晚班", "收银系统操作", ""),
    ("", SUDA, "快递员", "5000-8000元/月", "6", "初中", "不限",
     "武汉市洪山区光谷大道77号", "全职", "负责片区快件派送，入职需交押金300元，电动车自备", "", ""),
    ("AXJZ-2027-061", ANXIN, "月嫂", "8000-12000元/月", "2", "初中", "1年",
     "武汉市硚口区解放大道358号", "全职", "产妇及新生儿护理，住家26天", "", "母婴护理证"),
    ("", ANXIN, "家政保洁", "35元/小时", "5", "不限", "不限",
     "武汉市硚口区宝丰路", "兼职", "上门日常保洁，时间灵活", "", ""),
    ("SAJZ-2027-071", SHUNAN, "建筑小工", "200元/天", "10", "不限", "不限",
     "武汉市江夏区纸坊街文化大道", "零工", "工地搬运、清理，日结", "", ""),
)  # fmt: skip
UTF8_VALID_UNTIL = "2027-06-30"

# --- postings_gbk.csv: a provincial platform's export, saved by Excel on Windows ---------------

GBK_HEADER = (
    "职位编号",
    "公司名称",
    "信用代码",
    "职位名称",
    "月薪",
    "人数",
    "学历",
    "工作地址",
    "联系方式",
)
GBK_ROWS: tuple[tuple[str, Employer, str, str, str, str, str], ...] = (
    ("HBJY-000318", CHUWEI, "厨师", "6000-9000元/月", "2", "不限", "武汉市江汉区江汉路118号"),
    ("HBJY-000319", JIEMEI, "绿化工", "3800-4500元/月", "3", "不限", "武汉市武昌区中北路227号"),
    ("HBJY-000320", YOUXUAN, "理货员", "4000-4500元/月", "4", "初中", "武汉市洪山区珞喻路726号"),
    ("HBJY-000321", XINDA, "数控车工", "7-10K", "3", "中专", "武汉市江夏区藏龙岛科技园栗庙路8号"),
    ("HBJY-000322", ANXIN, "育婴员", "6000-8000元/月", "3", "初中", "武汉市硚口区解放大道358号"),
    ("HBJY-000323", SUDA, "夜班分拣员", "22元/小时", "8", "不限", "武汉市洪山区光谷大道77号"),
)  # fmt: skip

# --- postings_mixed_encoding.csv: a file appended to by two systems -------------------------

MIXED_HEADER = ("岗位编号", "单位名称", "岗位名称", "薪资", "招聘人数", "工作地点")
MIXED_ROWS: tuple[tuple[str, str, Employer, str, str, str, str], ...] = (
    # encoding, external id, employer, title, pay, headcount, place
    ("utf-8", "SAJZ-2027-072", SHUNAN, "钢筋工", "计件", "8", "武汉市江夏区纸坊街文化大道"),
    ("gbk", "SAJZ-2027-073", SHUNAN, "木工", "300元/天", "4", "武汉市江夏区纸坊街文化大道"),
    ("utf-8", "CWCY-2027-013", CHUWEI, "配菜员", "4500-5500元/月", "2", "武汉市江汉区江汉路118号"),
    ("gbk", "HJWL-2027-003", HANJIANG, "仓库管理员", "5000-6500元/月", "1",
     "武汉市江岸区后湖大道568号"),
)  # fmt: skip
# A line a Western system wrote in Windows-1252: neither UTF-8 nor GBK/GB18030.
NEITHER_LINE = "SAJZ-2027-074,Chantier Wuhan,Maçon qualifié,1800€/mois,2,Wuhan\r\n".encode("cp1252")

# --- postings.jsonl: a partner city's API dump, one object a line ----------------------------

JSONL_ROWS: tuple[dict[str, object], ...] = (
    {"岗位编号": "JTJD-2027-001", "单位名称": JIANGTAN.name,
     "统一社会信用代码": JIANGTAN.credit_code,
     "岗位名称": "客房服务员", "薪资": "4500-5500元/月", "招聘人数": 4, "学历要求": "初中",
     "工作地点": "武汉市江岸区沿江大道150号", "联系电话": JIANGTAN.phone,
     "岗位描述": "客房清洁与布草更换，包吃住，月休6天"},
    {"岗位编号": "JTJD-2027-002", "单位名称": JIANGTAN.name,
     "统一社会信用代码": JIANGTAN.credit_code,
     "岗位名称": "前台接待", "薪资": "5000-6000元/月", "招聘人数": 2, "学历要求": "大专及以上",
     "工作地点": "武汉市江岸区沿江大道150号", "联系电话": JIANGTAN.phone, "工作经验": "1年以上"},
    {"岗位编号": "CWCY-2027-014", "单位名称": CHUWEI.name, "统一社会信用代码": CHUWEI.credit_code,
     "岗位名称": "面点师", "薪资": "6000-7500元/月", "招聘人数": 1, "学历要求": "不限",
     "工作地点": "武汉市江汉区江汉路118号", "联系电话": CHUWEI.phone,
     "技能要求": "包子、花卷、热干面"},
    {"id": "JMWY-2027-042", "company": JIEMEI.name, "credit code": JIEMEI.credit_code,
     "title": "水电工", "salary": "5500-6500元/月", "headcount": 2, "education": "中专",
     "location": "武汉市武昌区中北路227号", "phone": JIEMEI.phone,
     "certificates": "低压电工作业证"},
    {"id": "HJWL-2027-004", "company": HANJIANG.name, "credit code": HANJIANG.credit_code,
     "title": "装卸工", "salary": "220元/天", "headcount": 6, "education": "不限",
     "location": "武汉市江岸区后湖大道568号", "phone": HANJIANG.phone, "job type": "零工"},
    {"id": "YXCS-2027-052", "company": YOUXUAN.name, "credit code": YOUXUAN.credit_code,
     "title": "导购员", "salary": "4000-6000元/月", "headcount": 3, "education": "高中",
     "location": "武汉市洪山区珞喻路726号", "phone": YOUXUAN.phone, "valid until": "2027-05-31"},
)  # fmt: skip

# --- postings.xlsx: a district bureau's summary sheet --------------------------------------

XLSX_HEADER = (
    "单位名称", "统一社会信用代码", "岗位编号", "岗位名称", "薪资", "招聘人数", "学历要求",
    "工作地点", "联系电话", "到岗时间", "有效期至", "是否包吃住",
)  # fmt: skip
XLSX_TITLE = "武汉市2027年春风行动重点企业用工需求汇总表"
XLSX_NOTE = "填报单位：武汉市江夏区人力资源局　　填报日期：2027-02-20"
XLSX_HEADER_ROW = 3
# K4 = J4 + 120: 2027-03-01 + 120 days = 2027-06-29, saved as Excel's day number
XLSX_CACHED_FORMULA = ("K4", "J4+120", (date(2027, 3, 1) - date(1899, 12, 30)).days + 120)
XLSX_UNCALCULATED_FORMULA = ("F10", "2*2")

# --- the feeds ----------------------------------------------------------------------------

FAIR_FEED: dict[str, object] = {
    "event": {
        "external_id": "WH-2027-CFXD-0226",
        "name": "2027年春风行动江岸区重点企业专场招聘会",
        "kind": "special_recruitment",
        "campaign": "春风行动",
        "starts_at": "2027-02-26T09:00:00+08:00",
        "ends_at": "2027-02-26T12:00:00+08:00",
        "station_id": "420102-HH-ZX01",
        "venue": "江岸区人力资源市场（后湖大道111号）",
        "online_url": "https://live.example.cn/whjy/2027cfxd0226",
        "target_groups": ["migrant_worker", "poverty_alleviated", "employment_difficulty"],
    },
    "employers": [
        {
            "name": HANJIANG.name,
            "credit_code": HANJIANG.credit_code,
            "contact_phone": HANJIANG.phone,
            "booth": "A-12",
            "postings": [
                {"external_id": "HJWL-F27-01", "title": "招聘叉车司机（持证）", "pay": "6-8K",
                 "headcount": 3, "education": "初中", "experience": "1年以上",
                 "location": "江岸区后湖大道568号", "skills": ["叉车驾驶", "仓储"],
                 "certificates": ["叉车证（N1）"], "description": "仓库装卸搬运，两班倒，包工作餐"},
                {"external_id": "HJWL-F27-02", "title": "物流调度员", "pay": "5500-7000元/月",
                 "headcount": 1, "education": "大专及以上", "location": "江岸区后湖大道568号",
                 "skills": ["Excel", "车辆调度"]},
            ],
        },
        {
            "name": JIANGTAN.name,
            "credit_code": JIANGTAN.credit_code,
            "contact_phone": "13659871452",
            "booth": "A-15",
            "postings": [
                {"external_id": "JTJD-F27-01", "title": "中式厨师", "pay": "7000-9000元/月",
                 "headcount": 2, "education": "不限", "experience": "3年",
                 "location": "武汉市江岸区沿江大道150号", "certificates": ["中式烹调师"]},
                {"external_id": "JTJD-F27-02", "title": "宴会服务员", "pay": "25元/小时",
                 "headcount": 8, "education": "不限", "employment_type": "兼职",
                 "location": "武汉市江岸区沿江大道150号", "description": "婚宴、会议高峰用工"},
            ],
        },
        {
            "name": GUANGGU.name,
            "credit_code": GUANGGU.credit_code,
            "contact_phone": GUANGGU.phone,
            "booth": "B-03",
            "postings": [
                {"external_id": "GGZZ-F27-01", "title": "电子装配工", "pay": "5000-7000元/月",
                 "headcount": 20, "education": "初中", "location": "武汉市洪山区光谷三路777号",
                 "description": "无尘车间，长白班，五险一金"},
                {"external_id": "GGZZ-F27-02", "title": "设备维修电工", "pay": "面议",
                 "headcount": 2, "education": "中专", "experience": "2年",
                 "location": "武汉市洪山区光谷三路777号", "certificates": ["低压电工作业证"]},
            ],
        },
        {
            "name": JIANGCHENG.name,
            "credit_code": JIANGCHENG.credit_code,
            "contact_phone": JIANGCHENG.phone,
            "booth": "B-08",
            "postings": [
                {"external_id": "JCBA-F27-01", "title": "巡逻保安", "pay": "4500-5000元/月",
                 "headcount": 6, "education": "初中", "location": "武汉市江岸区后湖大道111号",
                 "description": "小区及商场巡逻，退役军人同等条件优先"},
            ],
        },
    ],
}  # fmt: skip

STATION_FEED: dict[str, object] = {
    "station": {
        "station_id": "420102-HH-LG01",
        "name": "江岸区后湖街零工驿站",
        "adcode": "420102",
        "address": "武汉市江岸区后湖大道200号",
        "lat": 30.6455,
        "lon": 114.2953,
    },
    "jobs": [
        {"external_id": "HHLG-270302-01", "title": "叉车工", "employer": HANJIANG.name,
         "credit_code": HANJIANG.credit_code, "pay": "260元/天",
         "starts_at": "2027-03-02T08:00:00+08:00", "ends_at": "2027-03-02T18:00:00+08:00",
         "headcount": 2, "location": "武汉市江岸区后湖大道568号", "contact_phone": HANJIANG.phone},
        {"external_id": "HHLG-270302-02", "title": "搬运工", "employer": SHUNAN.name,
         "credit_code": SHUNAN.credit_code, "pay": "200元/天",
         "starts_at": "2027-03-02T07:30:00+08:00", "ends_at": "2027-03-02T17:30:00+08:00",
         "headcount": 6, "location": "武汉市江岸区二七路与中山大道交汇处工地",
         "contact_phone": SHUNAN.phone},
        {"external_id": "HHLG-270302-03", "title": "派单员", "employer": YOUXUAN.name,
         "credit_code": YOUXUAN.credit_code, "pay": "150元/天",
         "starts_at": "2027-03-02T09:00:00+08:00", "ends_at": "2027-03-02T17:00:00+08:00",
         "headcount": 4, "contact_phone": YOUXUAN.phone},
        {"external_id": "HHLG-270303-01", "title": "钟点保洁", "employer": JIEMEI.name,
         "credit_code": JIEMEI.credit_code, "pay": "25元/小时",
         "starts_at": "2027-03-03T08:00:00+08:00", "ends_at": "2027-03-03T12:00:00+08:00",
         "headcount": 3, "location": "武汉市江岸区后湖大道200号旁百步亭花园",
         "contact_phone": JIEMEI.phone},
        {"external_id": "HHLG-270303-02", "title": "餐厅帮厨", "employer": CHUWEI.name,
         "credit_code": CHUWEI.credit_code, "pay": "180元/天",
         "starts_at": "2027-03-03T10:00:00+08:00", "ends_at": "2027-03-03T20:00:00+08:00",
         "headcount": 1, "location": "武汉市江汉区江汉路118号", "contact_phone": CHUWEI.phone},
    ],
}  # fmt: skip


def _csv_text(header: tuple[str, ...], rows: list[list[str]], newline: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _utf8_rows() -> list[list[str]]:
    rows = []
    for external_id, employer, *cells in UTF8_ROWS:
        title, pay, count, education, experience, place, kind, text, skills, certificates = cells
        rows.append([
            external_id, employer.name, employer.credit_code, title, pay, count, education,
            experience, place, employer.phone, kind, text, skills, certificates, UTF8_VALID_UNTIL,
        ])  # fmt: skip
    return rows


def postings_utf8() -> bytes:
    return _csv_text(UTF8_HEADER, _utf8_rows(), "\n").encode("utf-8")


def postings_gbk() -> bytes:
    rows = [
        [external_id, employer.name, employer.credit_code, title, pay, count, education, place,
         employer.phone]
        for external_id, employer, title, pay, count, education, place in GBK_ROWS
    ]  # fmt: skip
    return _csv_text(GBK_HEADER, rows, "\r\n").encode("gbk")


def postings_mixed_encoding() -> bytes:
    data = _csv_text(MIXED_HEADER, [], "\r\n").encode("utf-8")
    for number, (encoding, external_id, employer, title, pay, count, place) in enumerate(
        MIXED_ROWS, start=2
    ):
        line = _csv_text(
            MIXED_HEADER, [[external_id, employer.name, title, pay, count, place]], "\r\n"
        )
        encoded = line.splitlines(keepends=True)[1].encode(encoding)
        if encoding == "gbk":
            assert decode_line(encoded) is not None and _not_utf8(encoded), number
        data += encoded
        if number == 3:
            data += NEITHER_LINE  # row 4
    assert decode_line(NEITHER_LINE) is None
    return data


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def postings_bad() -> bytes:
    """Row 2 good, 3 blank title, 4 in neither encoding, 5 good, 6 opens a quote it never
    closes (the reader gives up at the end of the file, so it is the last row)."""
    header = "岗位编号,单位名称,岗位名称,薪资,招聘人数,工作地点\n".encode()
    return (
        header
        + f"BAD-001,{JIEMEI.name},保洁员,3500元/月,2,武汉市武昌区中北路227号\n".encode()
        + f"BAD-002,{JIEMEI.name},,3500元/月,1,武汉市武昌区中北路227号\n".encode()
        + NEITHER_LINE.replace(b"\r\n", b"\n")
        + f"BAD-004,{CHUWEI.name},传菜员,4000元/月,2,武汉市江汉区江汉路118号\n".encode()
        + f'BAD-005,{CHUWEI.name},"打荷,4500元/月,1,武汉市江汉区江汉路118号\n'.encode()
    )


def postings_jsonl() -> bytes:
    lines = (json.dumps(row, ensure_ascii=False) for row in JSONL_ROWS)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def postings_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "用工需求"
    last_column = chr(ord("A") + len(XLSX_HEADER) - 1)
    sheet["A1"] = XLSX_TITLE
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A2"] = XLSX_NOTE
    sheet.append(list(XLSX_HEADER))
    shift = datetime(2027, 3, 1, 8, 30)
    march_1, march_5, june_30 = date(2027, 3, 1), date(2027, 3, 5), date(2027, 6, 30)
    xinda_place = "武汉市江夏区藏龙岛科技园栗庙路8号"
    shunan_place = "武汉市江夏区纸坊街文化大道"
    jiangtan_place = "武汉市江岸区沿江大道150号"
    rows: list[list[object]] = [
        # row 4-6: 鑫达 merged down over columns A, B and I; K4 a formula with its value
        [XINDA.name, XINDA.credit_code, "XDJX-2027-101", "钳工", "6000-8000元/月", 3, "中专",
         xinda_place, XINDA.phone, march_1, None, True],
        [None, None, "XDJX-2027-102", "质检员", 6500.0, 2, "高中", xinda_place, None, shift,
         june_30, False],
        [None, None, "XDJX-2027-103", "装配工", "5-8K", 10, "不限", xinda_place, None, march_1,
         june_30, True],
        # row 7-8: 顺安 merged down over columns A and B
        [SHUNAN.name, SHUNAN.credit_code, "SAJZ-2027-201", "油漆工", "计件", 4, "不限",
         shunan_place, SHUNAN.phone, march_5, date(2027, 5, 31), False],
        [None, None, "SAJZ-2027-202", "架子工", "260元/天", 6, "不限", shunan_place,
         SHUNAN.phone, march_5, date(2027, 5, 31), False],
        [],  # row 9 empty
        # row 10: the headcount is a formula the writer never calculated
        [JIANGTAN.name, JIANGTAN.credit_code, "JTJD-2027-301", "洗衣工", "4000-4500元/月", None,
         "不限", jiangtan_place, JIANGTAN.phone, march_1, june_30, True],
        [JIANGTAN.name, JIANGTAN.credit_code, "JTJD-2027-302", "行李员", "25元/小时", 2, "初中",
         jiangtan_place, JIANGTAN.phone, march_1, june_30, True],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    for merged in ("A4:A6", "B4:B6", "I4:I6", "A7:A8", "B7:B8"):
        sheet.merge_cells(merged)
    cached_cell, cached_formula, _ = XLSX_CACHED_FORMULA
    sheet[cached_cell] = f"={cached_formula}"
    uncalculated_cell, uncalculated_formula = XLSX_UNCALCULATED_FORMULA
    sheet[uncalculated_cell] = f"={uncalculated_formula}"
    for row in sheet.iter_rows(min_row=4, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd hh:mm" if cell.coordinate == "J5" else "yyyy-mm-dd"
    workbook.properties.creator = "武汉市江夏区人力资源局"
    workbook.properties.created = workbook.properties.modified = datetime(2027, 2, 20, 9, 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_cached_value(buffer.getvalue())


def _with_cached_value(data: bytes) -> bytes:
    """Give the one formula its computed value, as Excel would have saved it (openpyxl never
    computes formulas), and fix the timestamps so that the file is the same every time."""
    cell, formula, value = XLSX_CACHED_FORMULA
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{cell}"')
                written = f"<f>{formula}</f><v />"
                at = text.index(written, start)
                text = text[:at] + f"<f>{formula}</f><v>{value}</v>" + text[at + len(written) :]
                content = text.encode()
            elif info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2027-02-20T09:00:00Z\g<2>",
                    content,
                )
            stable = zipfile.ZipInfo(info.filename, date_time=(2027, 2, 20, 9, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stable, content)
    return out.getvalue()


def fair_feed() -> bytes:
    return (json.dumps(FAIR_FEED, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def station_feed() -> bytes:
    return (json.dumps(STATION_FEED, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


SAMPLES: dict[str, Callable[[], bytes]] = {
    "postings_utf8.csv": postings_utf8,
    "postings_gbk.csv": postings_gbk,
    "postings_mixed_encoding.csv": postings_mixed_encoding,
    "postings_bad.csv": postings_bad,
    "postings.jsonl": postings_jsonl,
    "postings.xlsx": postings_xlsx,
    "fair_feed.json": fair_feed,
    "station_feed.json": station_feed,
    "empty.csv": lambda: b"",
    "no_title.csv": lambda: (
        "单位名称,薪资,工作地点,联系电话\n"
        f"{JIEMEI.name},3500-4000元/月,武汉市武昌区中北路227号,{JIEMEI.phone}\n".encode()
    ),
}


def write_samples(folder: Path = HERE) -> list[Path]:
    written = []
    for name, make in SAMPLES.items():
        path = folder / name
        path.write_bytes(make())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
