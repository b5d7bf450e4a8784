"""Screening postings: every rule with texts that must and must not be flagged."""

from __future__ import annotations

from typing import Any

import pytest

from ingest import screening
from ingest.screening import Flag, PostingFacts, screen_posting, trusted

# What each code's message must cite (the legal basis or the figure it rests on).
MESSAGE_CITES = {
    "discrimination_gender": "《就业促进法》第",
    "discrimination_marital": "《妇女权益保障法》第四十三条",
    "discrimination_ethnicity": "《就业促进法》第三条",
    "discrimination_religion": "宗教信仰",
    "discrimination_household": "第三十一条",
    "discrimination_disability": "《残疾人保障法》第三十八条",
    "discrimination_disease": "《就业促进法》第三十条",
    "child_labour": "《劳动法》第十五条",
    "discrimination_age": "年龄就业歧视",
    "discrimination_school": "学历歧视",
    "fee_charged": "《劳动合同法》第九条",
    "pay_implausible": "疑似虚假招聘",
    "pay_below_minimum_wage": "鄂政办发〔2025〕44号",
    "contact_missing": "联系方式",
    "employer_identity_missing": "统一社会信用代码",
}


def facts(**changes: Any) -> PostingFacts:
    """A clean posting (contact and employer given, pay in line) with ``changes``."""
    values: dict[str, Any] = {
        "title": "普工",
        "description": "负责产线操作，两班倒，包吃住，五险一金。",
        "salary_min": 4500,
        "salary_max": 6000,
        "salary_unit": "month",
        "occupation_code": "6-31-01-03",
        "contact_phone": "13800001111",
        "employer_name": "武汉某某制造有限公司",
        "credit_code": None,
    }
    values.update(changes)
    return PostingFacts(**values)


def flags_for(text: str, **changes: Any) -> list[Flag]:
    return screen_posting(facts(description=text, **changes))


def only(flags: list[Flag], code: str) -> Flag:
    assert [flag.code for flag in flags] == [code], flags
    return flags[0]


def check(flag: Flag, code: str, matched: str, severity: str) -> None:
    assert flag.code == code
    assert flag.matched == matched
    assert flag.severity == severity
    assert MESSAGE_CITES[code] in flag.message


def test_a_clean_posting_has_no_flags() -> None:
    assert screen_posting(facts()) == []


def test_flag_as_dict_is_the_stored_json_shape() -> None:
    flag = only(flags_for("限男性"), "discrimination_gender")
    assert flag.as_dict() == {
        "code": "discrimination_gender",
        "message": flag.message,
        "matched": "限男性",
        "severity": "reject",
    }


# --- discrimination: positives -----------------------------------------------------------

POSITIVES = [
    # gender
    ("限男", "discrimination_gender", "限男", "reject"),
    ("仅招女", "discrimination_gender", "仅招女", "reject"),
    ("男性优先", "discrimination_gender", "男性优先", "reject"),
    ("限女性，身高160以上", "discrimination_gender", "限女性", "reject"),
    ("性别：男", "discrimination_gender", "性别：男", "reject"),
    ("性别要求：女", "discrimination_gender", "性别要求：女", "reject"),
    ("要求：男", "discrimination_gender", "要求：男", "reject"),
    ("只要男的", "discrimination_gender", "只要男的", "reject"),
    ("女性勿扰", "discrimination_gender", "女性勿扰", "reject"),
    ("不招女性", "discrimination_gender", "不招女性", "reject"),
    ("急招女服务员若干", "discrimination_gender", "招女服务员", "reject"),
    ("男服务员，月休4天", "discrimination_gender", "男服务员", "reject"),
    ("需ＭＡＬＥ", None, None, None),  # Latin words are not read
    ("女士优先", "discrimination_gender", "女士优先", "review"),  # no statute names it
    ("女性优先", "discrimination_gender", "女性优先", "review"),
    # marriage and childbirth
    ("已婚已育", "discrimination_marital", "已婚已育", "reject"),
    ("未婚未育优先", "discrimination_marital", "未婚未育", "reject"),
    ("限未婚", "discrimination_marital", "限未婚", "reject"),
    ("要求：未婚", "discrimination_marital", "要求：未婚", "reject"),
    ("年龄不限，未婚", "discrimination_marital", "未婚", "reject"),
    ("三年内无生育计划", "discrimination_marital", "三年内无生育计划", "reject"),
    ("孕妇勿扰", "discrimination_marital", "孕妇勿扰", "reject"),
    ("单身优先", "discrimination_marital", "单身优先", "reject"),
    ("入职体检含妊娠测试", "discrimination_marital", "妊娠测试", "reject"),
    # ethnicity
    ("限汉族", "discrimination_ethnicity", "限汉族", "reject"),
    ("仅限汉族", "discrimination_ethnicity", "仅限汉族", "reject"),
    ("汉族优先", "discrimination_ethnicity", "汉族优先", "reject"),
    ("不招新疆人", "discrimination_ethnicity", "不招新疆人", "reject"),
    ("维族勿扰", "discrimination_ethnicity", "维族勿扰", "reject"),
    ("民族：汉", "discrimination_ethnicity", "民族：汉", "reject"),
    # religion
    ("无宗教信仰", "discrimination_religion", "无宗教信仰", "reject"),
    ("不信教", "discrimination_religion", "不信教", "reject"),
    ("穆斯林勿扰", "discrimination_religion", "穆斯林勿扰", "reject"),
    ("宗教信仰：无", "discrimination_religion", "宗教信仰：无", "reject"),
    # household registration and origin
    ("限本地户口", "discrimination_household", "限本地户口", "review"),
    ("仅限武汉户籍", "discrimination_household", "仅限武汉户籍", "review"),
    ("需本市户口", "discrimination_household", "需本市户口", "review"),
    ("武汉户籍优先", "discrimination_household", "武汉户籍优先", "review"),
    ("本地人优先", "discrimination_household", "本地人优先", "review"),
    ("外地人勿扰", "discrimination_household", "外地人勿扰", "review"),
    ("河南人勿扰", "discrimination_household", "河南人勿扰", "review"),
    ("内蒙古人勿扰", "discrimination_household", "内蒙古人勿扰", "review"),
    # disability
    ("身体无残疾", "discrimination_disability", "无残疾", "reject"),
    ("限健全人", "discrimination_disability", "限健全人", "reject"),
    ("四肢健全", "discrimination_disability", "四肢健全", "reject"),
    ("残疾人勿扰", "discrimination_disability", "残疾人勿扰", "reject"),
    # carriers of infectious pathogens
    ("乙肝携带者勿扰", "discrimination_disease", "乙肝携带者勿扰", "reject"),
    ("无乙肝", "discrimination_disease", "无乙肝", "reject"),
    ("乙肝阴性", "discrimination_disease", "乙肝阴性", "reject"),
    ("ＨＢＶ携带者除外", "discrimination_disease", "ＨＢＶ携带者除外", "reject"),
    # age
    ("14岁以上", "child_labour", "14岁以上", "reject"),
    ("年满十五周岁", "child_labour", "年满十五周岁", "reject"),
    ("35岁以下", "discrimination_age", "35岁以下", "review"),
    ("年龄18-35岁", "discrimination_age", "年龄18-35岁", "review"),
    ("年龄：20~45岁", "discrimination_age", "年龄：20~45岁", "review"),
    ("年龄：２０～４５岁", "discrimination_age", "年龄：２０～４５岁", "review"),  # full-width
    ("35周岁以内", "discrimination_age", "35周岁以内", "review"),
    ("不超过40岁", "discrimination_age", "不超过40岁", "review"),
    ("年龄35以下", "discrimination_age", "年龄35以下", "review"),
    ("三十五岁以下", "discrimination_age", "三十五岁以下", "review"),
    ("45岁以上勿扰", "discrimination_age", "45岁以上勿扰", "review"),
    # school and mode of study
    ("限985/211院校", "discrimination_school", "限985/211院校", "review"),
    ("985、211优先", "discrimination_school", "985、211优先", "review"),
    ("仅限全日制", "discrimination_school", "仅限全日制", "review"),
    ("全日制本科及以上学历", "discrimination_school", "全日制本科及以上学历", "review"),
    ("第一学历本科", "discrimination_school", "第一学历本科", "review"),
    ("统招本科", "discrimination_school", "统招本科", "review"),
    ("非全日制勿扰", "discrimination_school", "非全日制勿扰", "review"),
    ("双一流高校毕业", "discrimination_school", "双一流高校", "review"),
    ("重点大学毕业优先", "discrimination_school", "重点大学毕业", "review"),
    # fees and deposits
    ("入职需交押金200元", "fee_charged", "押金200元", "reject"),
    ("工装押金100元，满三个月退还", "fee_charged", "工装押金100元", "reject"),
    ("需交培训费", "fee_charged", "培训费", "reject"),
    ("服装费由个人承担", "fee_charged", "服装费由个人承担", "reject"),
    ("工装费50元", "fee_charged", "工装费50元", "reject"),
    ("体检费由本人承担", "fee_charged", "体检费由本人承担", "reject"),
    ("体检费自理", "fee_charged", "体检费自理", "reject"),
    ("中介费300元", "fee_charged", "中介费300元", "reject"),
    ("报名费50元", "fee_charged", "报名费50元", "reject"),
    ("收取入职费", "fee_charged", "入职费", "reject"),
    ("保证金500", "fee_charged", "保证金500", "reject"),
    ("面试通过后先交500元", "fee_charged", "先交500元", "reject"),
    ("无经验需交押金300", "fee_charged", "押金300", "reject"),  # 无 is not about the fee
    ("底薪3000押金500", "fee_charged", "押金500", "reject"),  # the 0 of 3000 is no 零押金
    ("无需押金，但需交培训费200元", "fee_charged", "培训费200元", "reject"),
    ("录用后必须支付三百元服装费", "fee_charged", "必须支付三百元", "reject"),
    ("骑手需交电动车押金500元", "fee_charged", "押金500元", "reject"),
]


@pytest.mark.parametrize(("text", "code", "matched", "severity"), POSITIVES)
def test_rule_flags_what_it_should(
    text: str, code: str | None, matched: str | None, severity: str | None
) -> None:
    flags = flags_for(text)
    if code is None:
        assert flags == []
        return
    assert matched is not None and severity is not None
    check(only(flags, code), code, matched, severity)


# --- discrimination: negatives -------------------------------------------------------------

NEGATIVES = [
    # sex named without restricting: both sexes, products, places
    "男女不限",
    "性别不限",
    "不限男女",
    "性别：男女均可",
    "男、女均可",
    "招男女服务员各5名",
    "女装店导购",
    "男装专柜营业员",
    "男科医生",
    "女士内衣导购",
    "男士理发师",
    "提供男女宿舍",
    "女生宿舍管理员",
    # marriage and childbirth as benefits
    "婚假、产假",
    "五险：养老、医疗、失业、工伤、生育保险",
    "提供单身公寓",
    "已婚员工提供夫妻房",
    "婚育不限",
    # ethnicity and religion named without restricting
    "少数民族优先",
    "回族餐厅厨师",
    "民族路店店员",
    "民族不限",
    "清真餐厅服务员",
    "宗教信仰不限",
    "尊重员工宗教信仰",
    # household registration: no restriction, or a perk
    "不限户籍",
    "户籍不限",
    "外地户口亦可",
    "可协助办理武汉户口",
    "解决户口",
    "协助落户",
    # disability: welcome and positive action
    "欢迎残疾人士",
    "残疾人优先",
    "设残疾人专岗",
    "制度健全，福利体系健全",
    # a lawful health requirement for food handlers
    "持有健康证，无传染病",
    # ages within the law, or of the people served
    "年龄18-60岁",
    "18周岁以上",
    "年满16周岁",
    "年龄18-50岁",
    "年龄不限",
    "未满16周岁者勿扰",
    "不招收未满16周岁的未成年人",
    "0-3岁婴幼儿早教老师",
    "负责3-6岁儿童教学",
    "工作经验3年以上",
    # lawful priority
    "退役军人优先",
    "有叉车证者优先",
    # full-time as working time, numbers that are not schools
    "全日制用工",
    "要求全日制工作，每天8小时",
    "非全日制用工，每天不超过4小时",
    "月薪2110元",
    "地址：211国道旁",
    "电话13985211234",
    # fees denied, paid by the employer, or the job's own task
    "免费培训",
    "公司承担体检费",
    "体检费公司报销",
    "体检费先自付，入职后报销",
    "无需押金",
    "不收取任何费用",
    "不收取任何押金、保证金",
    "免押金",
    "0押金",
    "押金：无",
    "月薪3000，押金0元",
    "谨防收取押金的诈骗",
    "严禁向求职者收取押金",
    "培训费用全免",
    "工装免费发放",
    "负责客人入住登记、收取押金及结账",
    "根据待租物品的价值，确定押金和租金",  # 租赁业务员's own task
    "介绍交易主体、标的、日期、方式、保证金和价格",
    "包吃住，交通补贴",
    "按规定缴纳社会保险",
    "欢迎符合条件的求职者报名，本岗位不收取任何费用。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_rule_leaves_lawful_text_alone(text: str) -> None:
    assert flags_for(text) == []


def test_a_posting_without_description_is_screened_by_its_title() -> None:
    flag = only(
        screen_posting(facts(title="保安（限男性）", description=None)), "discrimination_gender"
    )
    assert flag.matched == "限男性"


def test_a_name_with_a_sexed_product_is_not_flagged() -> None:
    assert screen_posting(facts(title="女装店店员", employer_name="武汉某某女装店")) == []


def test_gender_restriction_in_the_title_is_found() -> None:
    flag = only(screen_posting(facts(title="招女普工")), "discrimination_gender")
    check(flag, "discrimination_gender", "招女普工", "reject")


def test_gender_restriction_on_underground_mining_work_is_only_held_for_review() -> None:
    # 《女职工劳动保护特别规定》附录: 矿山井下作业 is closed to women by law
    by_code = flags_for("限男性", occupation_code="6-16-01-01")
    check(only(by_code, "discrimination_gender"), "discrimination_gender", "限男性", "review")
    by_text = flags_for("井下作业，限男性")
    flag = only(by_text, "discrimination_gender")
    assert flag.severity == "review" and "禁忌" in flag.message


def test_requirement_texts_are_screened_too() -> None:
    flag = only(
        screen_posting(facts(requirements=("熟练使用Excel", "仅限武汉户籍"))),
        "discrimination_household",
    )
    assert flag.matched == "仅限武汉户籍"


def test_the_age_message_names_the_cap() -> None:
    flag = only(flags_for("年龄18-35岁"), "discrimination_age")
    assert "35岁" in flag.message


def test_an_age_floor_below_16_with_a_cap_gives_both_flags() -> None:
    flags = flags_for("15-20岁")
    assert [(flag.code, flag.matched, flag.severity) for flag in flags] == [
        ("child_labour", "15-20岁", "reject"),
        ("discrimination_age", "15-20岁", "review"),
    ]


def test_each_rule_flags_once_and_flags_come_in_rule_order() -> None:
    flags = flags_for("限男性，男性优先，35岁以下，押金200元", employer_credit_status="c_grade")
    assert [flag.code for flag in flags] == [
        "employer_credit",
        "discrimination_gender",
        "discrimination_age",
        "fee_charged",
    ]
    assert flags[1].matched == "限男性"  # the first match


# --- pay -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "matched"),
    [
        # 普工 (group 6): bound 13,000 a month, flagged above 39,000
        ({"salary_min": 30000, "salary_max": 45000}, "45000元/月"),
        ({"salary_min": 40000, "salary_max": None}, "40000元/月"),  # only a minimum given
        ({"salary_min": 1800, "salary_max": 2000, "salary_unit": "day"}, "2000元/天"),
        # without a code the all-posts bound (17,000 → 51,000) applies
        ({"salary_max": 60000, "occupation_code": None}, "60000元/月"),
    ],
)
def test_pay_far_above_the_occupation_is_held_for_review(
    changes: dict[str, Any], matched: str
) -> None:
    flag = only(screen_posting(facts(**changes)), "pay_implausible")
    check(flag, "pay_implausible", matched, "review")


@pytest.mark.parametrize(
    "changes",
    [
        {"salary_min": 8000, "salary_max": 12000},
        {"salary_min": 20000, "salary_max": 38000},  # high but within 3×
        {"salary_max": 90000, "occupation_code": "1-06-01-00"},  # a manager: bound 34,000
        {"salary_max": 60000, "occupation_code": "2-02-10-03"},  # an engineer: bound 25,000
        {"salary_min": 30, "salary_max": 80, "salary_unit": "piece"},  # piece rates never judged
        {"salary_min": 5000, "salary_max": 5000, "salary_unit": "piece"},
        {"salary_min": 200, "salary_max": 300, "salary_unit": "day"},
        {"salary_min": None, "salary_max": None},  # 面议
    ],
)
def test_pay_in_line_is_not_flagged(changes: dict[str, Any]) -> None:
    assert screen_posting(facts(**changes)) == []


@pytest.mark.parametrize(
    ("changes", "matched"),
    [
        ({"salary_min": 1800, "salary_max": 2000}, "2000元/月"),
        ({"salary_min": 2000, "salary_max": None}, "2000元/月"),
        ({"salary_max": 100, "salary_unit": "day"}, "100元/天"),  # 2,175 a month
        ({"salary_max": 2200, "employment_type": "public_welfare"}, "2200元/月"),
        ({"salary_max": 20, "salary_unit": "hour", "employment_type": "part_time"}, "20元/小时"),
        ({"salary_max": 18, "salary_unit": "hour", "employment_type": "gig"}, "18元/小时"),
    ],
)
def test_pay_below_the_minimum_wage_is_held_for_review(
    changes: dict[str, Any], matched: str
) -> None:
    flag = only(screen_posting(facts(**changes)), "pay_below_minimum_wage")
    check(flag, "pay_below_minimum_wage", matched, "review")


@pytest.mark.parametrize(
    "changes",
    [
        {"salary_min": 2400, "salary_max": 2400},  # the minimum itself
        {"salary_min": 2000, "salary_max": 3000},  # the upper figure reaches it
        {"salary_max": 2000, "employment_type": "internship"},  # students: no labour relation
        {"salary_max": 150, "salary_unit": "day", "employment_type": "gig"},  # no daily standard
        {"salary_max": 24, "salary_unit": "hour", "employment_type": "part_time"},
        {"salary_max": 20, "salary_unit": "piece"},
    ],
)
def test_pay_at_or_above_the_minimum_wage_is_not_flagged(changes: dict[str, Any]) -> None:
    assert screen_posting(facts(**changes)) == []


def test_the_minimum_wage_message_gives_the_figure() -> None:
    flag = only(screen_posting(facts(salary_max=2000)), "pay_below_minimum_wage")
    assert "2400元" in flag.message and "2000元" in flag.message


# --- contact and identity ------------------------------------------------------------------


def test_no_contact_at_all_is_held_for_review() -> None:
    flag = only(screen_posting(facts(contact_phone=None)), "contact_missing")
    check(flag, "contact_missing", "", "review")
    assert only(screen_posting(facts(contact_phone="  ")), "contact_missing")


@pytest.mark.parametrize(
    ("changes"),
    [
        {"has_other_contact": True},
        {"description": "有意者请致电：027-85551234"},
        {"description": "联系人王经理 139 1234 5678"},
        {"description": "简历请投 hr@example.com"},
        {"description": "微信：jobcircle_hr"},
    ],
)
def test_another_contact_is_enough(changes: dict[str, Any]) -> None:
    assert screen_posting(facts(contact_phone=None, **changes)) == []


def test_no_employer_identity_is_held_for_review() -> None:
    flag = only(
        screen_posting(facts(employer_name=None, credit_code=None)), "employer_identity_missing"
    )
    check(flag, "employer_identity_missing", "", "review")
    assert screen_posting(facts(employer_name=None, credit_code="91420100MA4K0000XX")) == []
    assert screen_posting(facts(employer_name="武汉某某公司", credit_code="")) == []


# --- employer credit -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("c_grade", "用人单位信用等级为C级，不得发布招聘信息"),
        (
            "wage_arrears_list",
            "用人单位被列入拖欠农民工工资失信联合惩戒名单，不得发布招聘信息",
        ),
    ],
)
def test_employers_that_may_not_post_are_rejected(status: str, message: str) -> None:
    flag = only(screen_posting(facts(employer_credit_status=status)), "employer_credit")
    assert (flag.message, flag.matched, flag.severity) == (message, status, "reject")
    assert screening.credit_flag(status) == flag


@pytest.mark.parametrize("status", ["normal", "red_list"])
def test_other_employers_are_not_flagged(status: str) -> None:
    assert screen_posting(facts(employer_credit_status=status)) == []
    assert screening.credit_flag(status) is None


def test_red_list_employers_are_trusted_others_not() -> None:
    assert trusted(facts(employer_credit_status="red_list"))
    for status in ("normal", "c_grade", "wage_arrears_list"):
        assert not trusted(facts(employer_credit_status=status))


# --- machinery -----------------------------------------------------------------------------


def test_no_anchor_can_hide_another_rules_anchor() -> None:
    assert screening._straddling_anchors() == []


def test_folding_keeps_every_character_in_place() -> None:
    text = "ＡＢＣ　１２３～－＋／，：（）abc普工"
    folded = screening._fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("abc 123~-+/")
