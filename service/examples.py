"""Request examples shown in /docs (OpenAPI ``examples``): realistic Wuhan data."""

from __future__ import annotations

from typing import Any

EMPLOYER: dict[str, Any] = {
    "summary": "制造企业",
    "value": {
        "name": "武汉江城汽车零部件有限公司",
        "credit_code": "91350100M000100Y43",
        "industry": "汽车制造业",
        "adcode": "420114",
        "address": "武汉市蔡甸区常福工业园福安路8号",
        "contact_phone": "13807150123",
        "credit_status": "normal",
    },
}

STATION: dict[str, Any] = {
    "summary": "零工驿站",
    "value": {
        "name": "江岸区后湖街道零工驿站",
        "kind": "gig_station",
        "address": "武汉市江岸区后湖大道111号",
        "lat": 30.6489,
        "lon": 114.2921,
        "phone": "027-82345678",
        "opening_hours": [{"weekdays": [1, 2, 3, 4, 5, 6], "opens": "07:00", "closes": "18:00"}],
        "services": ["零工对接", "岗位推荐", "政策咨询"],
    },
}

POSTING: dict[str, Any] = {
    "summary": "全职岗位",
    "value": {
        "employer_id": "<id of an employer>",
        "title": "氩弧焊工",
        "description": "汽车零部件焊接，两班倒，包住宿，缴纳五险一金",
        "occupation_code": "6-18-02-04",
        "employment_type": "full_time",
        "salary_min": 6000,
        "salary_max": 9000,
        "salary_unit": "month",
        "headcount": 5,
        "address": "武汉市蔡甸区常福工业园",
        "requirements": {
            "education": "junior_high",
            "experience_years": 1,
            "certificates": ["焊工证"],
            "skills": ["氩弧焊"],
        },
        "valid_until": "2026-12-31",
        "contact_phone": "027-84567890",
    },
}

GIG: dict[str, Any] = {
    "summary": "零工（日结）",
    "value": {
        "employer_id": "<id of an employer>",
        "title": "仓库装卸工 日结200元",
        "employment_type": "gig",
        "salary_min": 200,
        "salary_max": 200,
        "salary_unit": "day",
        "headcount": 10,
        "adcode": "420112",
        "station_id": "<id of a gig station>",
        "source": "gig_station",
        "external_id": "hh-gig-20261122-007",
        "starts_at": "2026-11-22T08:00:00+08:00",
        "ends_at": "2026-11-22T17:00:00+08:00",
    },
}

JOBSEEKER: dict[str, Any] = {
    "summary": "快速登记",
    "value": {
        "name": "张伟",
        "phone": "13907150001",
        "address": "武汉市洪山区珞南街道",
        "desired_titles": ["焊工"],
    },
}

JOBSEEKER_FULL: dict[str, Any] = {
    "summary": "完整登记（退役军人）",
    "value": {
        "name": "李强",
        "phone": "13907150002",
        "id_number": "420102199005060131",
        "adcode": "420111",
        "desired_occupations": ["6-18-02-04"],
        "skills": ["氩弧焊", "二氧化碳保护焊"],
        "certificates": ["焊工证"],
        "education": "senior_high",
        "experience_years": 3,
        "employment_types": ["full_time"],
        "salary_expectation": 6000,
        "travel": {"mode": "ebike", "max_minutes": 20},
        "priority_groups": [
            {"group": "veteran", "certified_at": "2025-06-30", "evidence": "退役军人证"}
        ],
        "not_choosy": True,
        "consent_show_to_employers": True,
    },
}

EVENT: dict[str, Any] = {
    "summary": "退役军人专场",
    "value": {
        "name": "2026年英雄城市军岗日退役军人专场招聘会",
        "kind": "special_recruitment",
        "campaign": "英雄城市军岗日",
        "starts_at": "2026-08-01T09:00:00+08:00",
        "ends_at": "2026-08-01T12:00:00+08:00",
        "venue": "武汉国际博览中心",
        "adcode": "420105",
        "target_groups": ["veteran"],
    },
}

REVIEW_RELEASE: dict[str, Any] = {
    "summary": "放行",
    "value": {"decision": "release", "note": "已电话核实，岗位不限性别，描述已修改"},
}

REVIEW_REJECT: dict[str, Any] = {
    "summary": "驳回",
    "value": {
        "decision": "reject",
        "note": "岗位要求“限本地户籍”属于就业歧视，请删除该条件后重新提交",
    },
}
