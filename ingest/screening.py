"""Screening a posting against the rules postings must respect.

:func:`screen_posting` reads what a posting says (title, description, requirement texts, pay,
occupation, contact, employer) and returns :class:`Flag` objects: a stable ``code``, a short
Chinese ``message`` saying what is wrong and what the law says, the ``matched`` text fragment
(exactly as written in the posting) or value, and a ``severity``:

- ``"reject"``: the posting is never published. Used where a statute forbids the thing outright
  (a gender or ethnicity restriction, a deposit, a child under 16) or the employer may not post.
- ``"review"``: held for staff. Used where the law leaves room (an age cap, a hukou requirement
  that a state rule may justify) or where the signal is only a suspicion (pay out of line,
  missing contact or identity).

Each rule yields at most one flag (its first match in the text); flags come in a fixed order:
employer credit, then the text rules in the order of ``_TEXT_RULES``, then pay, contact and
identity.

Writing the rules, the negatives mattered as much as the positives: 男女不限, 不限户籍,
残疾人优先, 退役军人优先, 年龄18-60岁, 免费培训, 公司承担体检费, 全日制用工, 女装店 and
the like must not be flagged. So the rules look for a restriction *structure* (a limiting verb
before the attribute, a preference or exclusion after it, a form field), lawful phrases are
blanked out before matching, and fee words are judged with the clause around them.

Speed (a bulk import screens 100,000 rows): the text is folded once (full-width digits and
letters → ASCII, Latin lower-cased, one character for one, so a match's span is also its span in
the original text); one scan for all rules' anchor words decides which rules run, and a rule's
full pattern is searched only in the clauses that hold one of its anchors. A typical posting
costs 15–35 µs.

Everything here is a plain function of :class:`PostingFacts`; nothing is read from disk.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from matching.documents import MONTHLY_FACTOR

Severity = Literal["reject", "review"]

REJECT: Severity = "reject"
REVIEW: Severity = "review"


@dataclass(frozen=True)
class Flag:
    code: str  # stable machine code, e.g. "discrimination_gender"
    message: str  # plain Chinese: what is wrong and what the law says
    matched: str  # the text fragment as written, or the value that triggered the flag
    severity: Severity

    def as_dict(self) -> dict[str, str]:
        """The JSON shape stored on a posting's ``screening`` list."""
        return {
            "code": self.code,
            "message": self.message,
            "matched": self.matched,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class PostingFacts:
    """What the checks need to know about one posting, whatever channel it came from."""

    title: str
    description: str | None = None
    # free-text requirements: skills, education, certificates, "other requirements"
    requirements: tuple[str, ...] = ()
    employment_type: str = "full_time"  # full_time | part_time | gig | internship | public_welfare
    salary_min: float | None = None
    salary_max: float | None = None
    salary_unit: str | None = "month"  # month | day | hour | piece
    occupation_code: str | None = None  # CSCO-2022, e.g. "6-18-02-04"
    contact_phone: str | None = None
    # another way to reach the employer that the channel itself provides (a fair booth, the
    # gig station that relays the posting, an e-mail field)
    has_other_contact: bool = False
    employer_name: str | None = None
    credit_code: str | None = None  # unified social credit code (GB 32100)
    employer_credit_status: str = "normal"  # normal | red_list | c_grade | wage_arrears_list


def trusted(facts: PostingFacts) -> bool:
    """Whether the employer is on the red list (红名单) and may be shown as trusted."""
    return facts.employer_credit_status == "red_list"


# --- text folding --------------------------------------------------------------------------

# One character for one: full-width ASCII forms (U+FF01–FF5E) to ASCII, the ideographic space
# to a space, A–Z to a–z. (NFKC and casefold can change a string's length, which would make the
# matched spans useless for quoting the original text.) The table knows every full-width form;
# _FOLDABLE picks the ones that are actually folded.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20
_FOLD.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
for _upper in range(0xFF21, 0xFF3B):  # full-width Ａ–Ｚ straight to a–z
    _FOLD[_upper] = _upper - 0xFEE0 + 32
_FOLDED_CHARS = {chr(code): chr(folded) for code, folded in _FOLD.items()}
# The patterns accept both forms of Chinese punctuation (，/, ：/: （/(), so only the characters
# that change a match are folded, one regex pass that is cheap when there are none.
_FOLDABLE = re.compile(
    r"[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff5e\uff0d\uff0b\uff0f\u3000]"
)


def _fold(text: str) -> str:
    return _FOLDABLE.sub(lambda match: _FOLDED_CHARS[match.group()], text)


_FILLER = "\x00"  # what blanked lawful phrases become: no pattern crosses it (not even \s*)


def _blank(pattern: re.Pattern[str], text: str) -> str:
    return pattern.sub(lambda match: _FILLER * len(match.group()), text)


# Clauses end at these marks (not at 、 or ：, which join a list or a field and its value).
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")


class _Text:
    """A posting's text as written and folded, cut into clauses on demand.

    Rules search only the clauses that hold one of their anchors: the full patterns (optional
    prefixes, lookbehinds) cannot use the regex engine's literal-prefix scan, so running them on
    a whole description costs tens of microseconds, on a clause a few. No pattern spans a clause
    mark, and a clause's start and end act as the start and end of the string (``^``, ``$``).
    """

    __slots__ = ("_breaks", "ages", "folded", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self.folded = _fold(original)
        self._breaks: list[int] | None = None
        self.ages: list[_AgeBound] | None = None  # shared by the two age rules

    def clauses(self, anchor: re.Pattern[str]) -> Iterator[tuple[int, int]]:
        """(start, end) of each clause holding a match of ``anchor``, in order."""
        if self._breaks is None:
            self._breaks = [match.start() for match in _CLAUSE_END.finditer(self.folded)]
        breaks, end = self._breaks, -1
        for match in anchor.finditer(self.folded):
            if match.start() < end:
                continue  # in the clause just given
            i = bisect_right(breaks, match.start())
            start = breaks[i - 1] + 1 if i else 0
            end = breaks[i] if i < len(breaks) else len(self.folded)
            yield start, end

    def quote(self, start: int, end: int) -> str:
        return self.original[start:end]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _alternatives(words: str | Iterable[str]) -> str:
    """A regex alternation of words (or of whitespace-separated words), longest first."""
    items = words.split() if isinstance(words, str) else words
    return "|".join(sorted(map(re.escape, items), key=len, reverse=True))


def _literals(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_alternatives(words))


# Words after an attribute that exclude people who have it, and verbs before it that limit.
_EXCLUDES = _alternatives(
    "勿扰 免谈 不要 不招 不收 不考虑 不予考虑 慎投 勿投 除外 止步 不予录用 不录用"
)
_REFUSES = _alternatives("不招 不要 不收 谢绝 拒绝 不考虑 不录用 不接受")
_LIMITS = _alternatives(
    "仅限 只限 限定 限招 限 仅招 只招 只要 仅要 只收 仅收 必须是 必须为 必须 需为 须为 需是 须是 "
    "要求是 要求为 要求 需 须"
)


# --- rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FunctionRule:
    """A rule written as a function; runs when one of its anchors occurs in the text."""

    anchors: tuple[str, ...]
    check: Callable[[_Text, PostingFacts], Flag | None]

    def __call__(self, text: _Text, facts: PostingFacts) -> Flag | None:
        return self.check(text, facts)


@dataclass(frozen=True)
class _TextRule:
    """A regex rule, searched in the clauses holding an anchor after lawful phrases are
    blanked out. Every match of ``pattern`` must contain one of ``anchors``."""

    code: str
    severity: Severity
    message: str
    anchors: tuple[str, ...]
    pattern: re.Pattern[str]
    lawful: re.Pattern[str] | None = None
    anchor: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "anchor", _literals(self.anchors))

    def __call__(self, text: _Text, facts: PostingFacts) -> Flag | None:
        match, start = _first_match(text, self.anchor, self.pattern, self.lawful)
        if match is None:
            return None
        matched = text.quote(start + match.start(), start + match.end())
        return Flag(self.code, self.message, matched, self.severity)


def _first_match(
    text: _Text,
    anchor: re.Pattern[str],
    pattern: re.Pattern[str],
    lawful: re.Pattern[str] | None = None,
) -> tuple[re.Match[str] | None, int]:
    """The first match of ``pattern`` in a clause holding ``anchor``, and the clause's start."""
    for start, end in text.clauses(anchor):
        clause = text.folded[start:end]
        if lawful is not None:
            clause = _blank(lawful, clause)
        match = pattern.search(clause)
        if match is not None:
            return match, start
    return None, 0


# Gender. 《就业促进法》第三条 (no discrimination by sex) and 第二十七条 (no refusing women or
# raising the bar for them, no marriage or childbirth clauses); 《妇女权益保障法》(2022 revision)
# 第四十三条 forbids "限定为男性或者规定男性优先"; 《就业服务与就业管理规定》第二十条: recruitment
# notices may not contain discriminatory content. Severity: reject — the statutes are explicit.
# Two exceptions make it review instead: a preference for women ("女性优先"), which no statute
# names (the general rule of 第三条 still applies, so staff decide), and work on the list of jobs
# women may not be assigned (《女职工劳动保护特别规定》附录: 矿山井下作业 and others), where the
# statutes themselves allow the restriction — recognised here by CSCO group 6-16 (采矿人员) or
# "井下" in the text.
_GENDER_MESSAGE = (
    "含性别限制或性别优先条件；《就业促进法》第二十七条、《妇女权益保障法》第四十三条"
    "禁止以性别为由拒绝录用或提高录用标准"
)
_GENDER_EXCEPTION_MESSAGE = _GENDER_MESSAGE + "（岗位可能属于女职工禁忌从事的劳动范围，请人工核实）"
_GENDER_FEMALE_PREFERENCE_MESSAGE = (
    "含女性优先条件；《就业促进法》第三条规定劳动者就业不因性别不同而受歧视，请人工核实"
)
# A possessive suffix (?+): when "女士内衣" fails the product check, "女" alone must not match.
_SEX = r"(?:男|女)(?:性|士|生|子|孩|的|人|工|同志|同学|宝妈)?+"
# Products and places named by sex: 女装店, 男鞋, 男科, 女士内衣, 男士理发, 女生宿舍.
_NOT_PRODUCT = (
    r"(?!\s*(?:装|鞋|科|款|包|表|袜|帽|裤|衣|内衣|服装|服饰|饰品|用品|护肤|化妆|专柜|品牌|频道|"
    r"理发|发型|健康|会所|spa|足球|篮球|排球|宿舍|寝室|厕|卫生间|浴|更衣|西装|精品))"
)
_SEXED_JOB = (
    r"(?:普工|服务员|工人|操作工|技工|保安|保洁|司机|店员|营业员|销售|文员|前台|收银|客服|会计|"
    r"仓管|学徒|助理|主播|护工|帮工|杂工|保姆|月嫂|育婴|厨|切配|配菜|洗碗|传菜|导购|促销|话务)"
)
_GENDER_LAWFUL = re.compile(
    _alternatives(
        "男女不限 不限男女 男女均可 男女皆可 男女都可 男女不拘 男女老少 性别不限 不限性别 "
        "性别无要求 性别要求无 性别要求:无 性别要求：无 性别:不限 性别：不限 男女 女男"
    )
    + r"|男\s*[、/或和与及]\s*女|女\s*[、/或和与及]\s*男"
)
_GENDER = re.compile(
    rf"(?P<limit>(?:{_LIMITS}|招聘|招收|招募|聘请|招|聘)\s*[:：]?\s*(?:为|是)?\s*{_SEX}{_NOT_PRODUCT}"
    rf"{_SEXED_JOB}?)"
    rf"|(?P<prefer>{_SEX}{_NOT_PRODUCT}\s*(?:者)?(?:优先|为主|最佳|最好|更佳|为佳))"
    rf"|(?P<exclude>{_SEX}\s*(?:{_EXCLUDES})|(?:{_REFUSES})\s*{_SEX}{_NOT_PRODUCT})"
    r"|(?P<field>性别\s*(?:要求|限制|限定)?\s*[:：]?\s*(?:为|是|限)?\s*(?:男|女)(?:性|士|生)?+)"
    rf"|(?P<job>(?:^|(?<=[\s,，、/（(【\[:：]))(?:男|女)(?:性|士|生)?+{_SEXED_JOB})",
    re.MULTILINE,
)


_SEX_ANCHOR = _literals(("男", "女"))


def _gender(text: _Text, facts: PostingFacts) -> Flag | None:
    match, start = _first_match(text, _SEX_ANCHOR, _GENDER, _GENDER_LAWFUL)
    if match is None:
        return None
    matched = text.quote(start + match.start(), start + match.end())
    code = facts.occupation_code or ""
    if code.startswith("6-16") or "井下" in text.folded:
        return Flag("discrimination_gender", _GENDER_EXCEPTION_MESSAGE, matched, REVIEW)
    if match.lastgroup == "prefer" and "女" in matched and "男" not in matched:
        return Flag("discrimination_gender", _GENDER_FEMALE_PREFERENCE_MESSAGE, matched, REVIEW)
    return Flag("discrimination_gender", _GENDER_MESSAGE, matched, REJECT)


# Marriage, pregnancy, childbirth as conditions: a form of sex discrimination in law.
# 《妇女权益保障法》第四十三条 (不得将限制结婚、生育或者婚姻、生育状况作为录用条件; 不得询问婚育
# 情况; 不得把妊娠测试作为入职体检项目), 《就业促进法》第二十七条第二款. Its own code so staff see
# which kind it is; severity reject like gender. Not flagged: 婚假, 产假, 生育保险, 单身公寓,
# 已婚员工提供夫妻房 (benefits, not conditions).
_MARITAL = _TextRule(
    code="discrimination_marital",
    severity=REJECT,
    message=(
        "将婚姻、生育状况作为录用条件；《妇女权益保障法》第四十三条、《就业促进法》"
        "第二十七条禁止此类限制"
    ),
    anchors=("婚", "育", "孕", "单身", "哺乳", "胎", "孩", "娠"),
    pattern=re.compile(
        r"(?:已婚|未婚)\s*(?:已育|未育|有孩|有小孩|无孩|无小孩)"
        r"|(?:已育|未育)"
        rf"|(?:{_LIMITS})\s*[:：]?\s*(?:已婚|未婚|单身)"
        r"|(?:已婚|未婚)(?=\s*(?:[，,。；;、)）\n]|$))"
        rf"|(?:已婚|未婚|单身)(?:者|人士|女性|男性)?\s*(?:优先|{_EXCLUDES})"
        r"|(?:\d|[一二两三四五])\s*年内\s*(?:不|无|没有)\s*(?:生育|生小孩|要孩子|要小孩|怀孕)"
        r"(?:计划|打算)?"
        r"|(?:无|没有|暂无)\s*(?:生育|婚育|怀孕|二胎|二孩)\s*(?:计划|打算)"
        rf"|(?:孕妇|孕期|怀孕|哺乳期)(?:者|人员|女性)?\s*(?:{_EXCLUDES})"
        r"|(?:非|不在)\s*(?:孕期|哺乳期)"
        r"|(?:已生|生完)\s*(?:二胎|二孩|小孩|孩子)"
        r"|妊娠(?:测试|检查|检测)"
    ),
    lawful=re.compile(_alternatives("婚育不限 婚否不限 不限婚育 婚姻状况不限 已婚未婚均可")),
)

# Ethnicity. 《就业促进法》第三条 (no discrimination by nationality/ethnicity) and 第二十八条 (equal
# rights; employers shall give minority workers appropriate consideration — so "少数民族优先" is
# lawful and never flagged). 《劳动法》第十二条 likewise. Severity reject.
_ETHNIC_GROUP = (
    r"(?:(?:汉|回|维吾尔|维|藏|蒙古|蒙|壮|苗|彝|土家|满|侗|瑶|朝鲜|哈萨克|布依|傣|黎|畲)族|汉人)"
)
_ETHNICITY = _TextRule(
    code="discrimination_ethnicity",
    severity=REJECT,
    message="含民族限制；《就业促进法》第三条、第二十八条规定劳动者就业不因民族不同而受歧视",
    anchors=("族", "汉人", "新疆", "藏"),
    pattern=re.compile(
        rf"(?:{_LIMITS})\s*[:：]?\s*{_ETHNIC_GROUP}"
        r"|汉族\s*(?:人士)?\s*优先"
        rf"|(?:{_REFUSES})\s*(?:少数民族|{_ETHNIC_GROUP}|新疆人|新疆籍|西藏人|西藏籍)"
        rf"|(?:少数民族|{_ETHNIC_GROUP}|新疆人|新疆籍|西藏人|西藏籍)(?:人士|同胞)?\s*(?:{_EXCLUDES})"
        r"|民族\s*(?:要求|限制)?\s*[:：]\s*(?:限)?\s*汉族?"
        r"|非少数民族"
    ),
    lawful=re.compile(_alternatives("民族不限 不限民族 民族:不限 民族：不限")),
)

# Religion. 《就业促进法》第三条, 《劳动法》第十二条 (no discrimination by religious belief).
# Severity reject. Not flagged: 清真餐厅, 佛教用品店, 宗教信仰不限, 尊重宗教信仰.
_BELIEVER = (
    r"(?:信教者?|信仰宗教者?|有宗教信仰者?|宗教人士|教徒|信徒|穆斯林|基督徒|佛教徒|天主教徒)"
)
_RELIGION = _TextRule(
    code="discrimination_religion",
    severity=REJECT,
    message="含宗教信仰限制；《就业促进法》第三条规定劳动者就业不因宗教信仰不同而受歧视",
    anchors=("宗教", "信仰", "信教", "教徒", "信徒", "穆斯林", "基督", "不信"),
    pattern=re.compile(
        r"(?:无|没有)\s*(?:宗教信仰|宗教)"
        r"|不信(?:仰)?\s*(?:宗教|教|佛教|基督教|伊斯兰教)"
        rf"|{_BELIEVER}\s*(?:{_EXCLUDES})"
        rf"|(?:{_REFUSES})\s*{_BELIEVER}"
        rf"|(?:{_LIMITS})\s*(?:基督徒|佛教徒|穆斯林|信徒|教徒|天主教徒)"
        r"|非(?:穆斯林|基督徒|佛教徒|教徒|信徒)"
        r"|宗教信仰\s*[:：]\s*(?:无|不信)"
    ),
    lawful=re.compile(
        _alternatives("宗教信仰不限 不限宗教信仰 不限宗教 尊重宗教信仰 宗教信仰自由")
    ),
)

# Household registration and place of origin. 《就业促进法》第二十六条 (equal opportunity and fair
# conditions) and 第三十一条 (no discriminatory restrictions on rural workers taking urban jobs).
# Severity review, not reject: some posts lawfully require local registration (public-welfare
# posts reserved for locally certified people with employment difficulty, some civil posts), and
# hukou is not among the grounds the statute lists; staff decide. Not flagged: 不限户籍, 户籍不限,
# 外地户口亦可, 解决户口 / 协助落户 / 户口指标 (perks).
# Exclusions of people from 新疆 or 西藏 fall under ethnicity (they target minorities), not here.
_PROVINCE_NAMES = _words(
    "河南 河北 湖南 湖北 山东 山西 江西 安徽 四川 贵州 云南 广西 广东 福建 浙江 江苏 甘肃 陕西 "
    "东北 青海 宁夏 内蒙古 内蒙 黑龙江 吉林 辽宁 海南 重庆"
)
_PROVINCES = f"(?:{_alternatives(' '.join(_PROVINCE_NAMES))})"
_HOUSEHOLD = _TextRule(
    code="discrimination_household",
    severity=REVIEW,
    message=(
        "含户籍或地域限制；《就业促进法》第二十六条、第三十一条要求提供平等就业机会，"
        "不得对农村劳动者进城就业设置歧视性限制，除国家另有规定外请人工核实"
    ),
    anchors=("户口", "户籍", "本地", "当地", "外地", "外省", "非本市", *_PROVINCE_NAMES),
    pattern=re.compile(
        rf"(?:{_LIMITS}|具有|具备|持有|拥有|需有|须有)\s*[:：]?\s*[\u4e00-\u9fff]{{0,4}}?(?:户口|户籍)"
        r"(?:\s*(?:优先|人员|者))?"
        r"|(?:本地|本市|本省|本区|本县|本镇|当地|城镇|农村|非农业?|常住|[\u4e00-\u9fff]{2})"
        r"(?:户口|户籍)(?:\s*(?:优先|人员|者))?"
        r"|(?:户口|户籍)(?:所在地)?\s*[:：]?\s*(?:须|需|必须|限|要求)"
        r"|(?:仅限|只限|限|只招|只要)\s*(?:本地人|当地人)|(?:本地人|当地人)\s*优先"
        rf"|(?:外地|外省|非本地|非本市|{_PROVINCES})(?:人|户籍|户口|籍)?\s*(?:{_EXCLUDES})"
        rf"|(?:{_REFUSES})\s*(?:外地|外省|非本地|非本市|{_PROVINCES})(?:人|籍)"
    ),
    lawful=re.compile(
        r"(?:不限|不论|不分|无)\s*户(?:口|籍)(?:所在地)?"
        r"|户(?:口|籍)(?:所在地)?\s*[:：]?\s*(?:不限|无要求|均可|不论)"
        r"|外地户(?:口|籍)\s*(?:亦可|均可|也可)"
        r"|(?:解决|办理|协助办理|协助|帮助办理|帮助|提供|可办理?)\s*[\u4e00-\u9fff]{0,3}?户口"
        r"|户口(?:指标|迁入|落户)|落户"
    ),
)

# Disability. 《就业促进法》第二十九条 (employers may not discriminate against disabled people),
# 《残疾人保障法》第三十八条 (no discrimination in hiring). Severity reject. Not flagged:
# 欢迎残疾人士, 残疾人优先, 残疾人专岗 (positive action is lawful), 制度健全, 福利健全.
_DISABILITY = _TextRule(
    code="discrimination_disability",
    severity=REJECT,
    message=(
        "含排斥残疾人的条件；《就业促进法》第二十九条、《残疾人保障法》第三十八条"
        "规定招用人员不得歧视残疾人"
    ),
    anchors=("残", "健全"),
    pattern=re.compile(
        r"(?:无|非|没有)\s*(?:明显)?\s*(?:残疾|残障)(?!人?(?:士)?\s*(?:优先|专岗|岗位|就业))"
        rf"|(?:(?:{_LIMITS})\s*)?(?:(?:身体|肢体|四肢|五官|身心)\s*健全|健全人(?:士)?)"
        rf"|(?:残疾|残障)(?:人|人士|者)?\s*(?:{_EXCLUDES})"
        rf"|(?:{_REFUSES})\s*(?:残疾|残障)"
    ),
)

# Carriers of infectious pathogens (hepatitis B above all). 《就业促进法》第三十条: no refusing
# a person for being a carrier of an infectious pathogen. Severity reject. Not flagged: 健康证,
# "无传染病" for food handlers (《食品安全法》第四十五条 bars people with diseases that
# endanger food safety from handling food eaten directly: a lawful requirement).
_CARRIER = (
    r"(?:乙肝|乙型肝炎|大三阳|小三阳|hbv|艾滋病?|hiv|传染病病原)(?:病毒)?"
    r"(?:携带者?|患者|阳性|病人)?"
)
_DISEASE = _TextRule(
    code="discrimination_disease",
    severity=REJECT,
    message=(
        "以乙肝等传染病病原携带为由排斥求职者；《就业促进法》第三十条规定不得以是"
        "传染病病原携带者为由拒绝录用"
    ),
    anchors=("乙肝", "乙型", "三阳", "hbv", "hiv", "艾滋", "传染病病原"),
    pattern=re.compile(
        rf"{_CARRIER}\s*(?:者|人员)?\s*(?:{_EXCLUDES})"
        rf"|(?:{_REFUSES})\s*{_CARRIER}"
        r"|(?:无|非|没有)\s*(?:乙肝|乙型肝炎|大三阳|小三阳|hbv|艾滋病?|hiv)(?:病毒)?(?:携带者?)?"
        r"|(?:乙肝|hbv)(?:五项|两对半)?\s*(?:检测)?\s*阴性"
    ),
)

# Age. 《劳动法》第十五条 forbids employing anyone under 16 and 《就业服务与就业管理规定》第十四条
# forbids recruiting them: an age floor below 16 is child labour → reject.
# An upper cap is not forbidden by statute, but the 2022 《政府工作报告》 calls for "坚决防止和纠正
# 性别、年龄、学历等就业歧视" → review, with the cap in the message. Caps at 50 or above are read
# as tied to retirement (法定退休年龄: 50/55 for women, 60 for men, raised step by step from 2025
# by 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》, 2024) and are not flagged; below
# 50 a cap only screens out older workers (the "35岁门槛").
AGE_CAP_REVIEW_BELOW = 50
MINIMUM_WORKING_AGE = 16
_AGE_NUMBER = r"(\d{1,2}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
_N = rf"(?<!\d){_AGE_NUMBER}(?!\d)"
_DASH = r"\s*(?:-|~|—|–|至|到)\s*"
# Ages of the people served, not of the applicant: "0-3岁婴幼儿早教", "3-6岁儿童".
_NOT_SERVED = (
    r"(?!\s*(?:的)?\s*(?:婴幼儿|婴儿|儿童|宝宝|孩子|小孩|幼儿|青少年|学生|小朋友|少儿|老人|"
    r"老年人|患者|客户|学员|孩童|宝贝|孕妇))"
)
_AGE = re.compile(
    # "35岁以上勿扰": a cap, tried before the plain floor "35岁以上"
    rf"(?P<cap_excl>{_N}\s*周?岁\s*(?:以上|及以上|\+)?(?:的|者|人员)?\s*(?:{_EXCLUDES}))"
    # "未满16周岁者勿扰", "不招未满16周岁": a floor, lawful at 16
    rf"|(?P<floor_excl>(?:(?:{_REFUSES}|禁止招用)\s*)?(?:未满|不满)\s*{_N}\s*周?岁"
    rf"(?:的|者|人员|未成年人)?\s*(?:{_EXCLUDES})?)"
    rf"|(?P<range>(?:年龄\s*(?:要求|限制)?\s*[:：]?\s*(?:在)?\s*)?{_N}\s*(?:周?岁)?{_DASH}{_N}"
    rf"\s*周?岁(?:之间)?{_NOT_SERVED})"
    rf"|(?P<range_field>年龄\s*(?:要求|限制)?\s*[:：]?\s*(?:在)?\s*{_N}{_DASH}{_N}(?:之间)?)"
    rf"|(?P<cap>(?:年龄\s*(?:要求|限制)?\s*[:：]?\s*(?:在)?\s*)?{_N}\s*周?岁\s*"
    rf"(?:以下|以内|之内|及以下){_NOT_SERVED})"
    rf"|(?P<cap_field>年龄\s*(?:要求|限制)?\s*[:：]?\s*(?:在)?\s*{_N}\s*(?:以下|以内|之内|及以下))"
    rf"|(?P<cap_word>(?:不超过|不大于|不高于|小于|低于|不超|不得超过|不能超过|不超出)\s*{_N}\s*周?岁)"
    rf"|(?P<floor>(?:(?:年满|已满|满)\s*)?{_N}\s*周?岁\s*(?:以上|及以上|\+|起){_NOT_SERVED})"
    rf"|(?P<floor_word>(?:年满|已满|不低于|不小于|大于)\s*{_N}\s*周?岁{_NOT_SERVED})"
)
_AGE_LAWFUL = re.compile(_alternatives("年龄不限 不限年龄 年龄无要求"))
_CN_DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True)) | {"两": 2}


def _age_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


@dataclass(frozen=True)
class _AgeBound:
    floor: int | None
    cap: int | None
    matched: str


_AGE_ANCHOR = _literals(("岁", "年龄"))


def _age_bounds(text: _Text) -> list[_AgeBound]:
    """Every age floor and cap the text states (computed once, shared by two rules)."""
    if text.ages is not None:
        return text.ages
    bounds: list[_AgeBound] = []
    for start, end in text.clauses(_AGE_ANCHOR):
        bounds.extend(_clause_age_bounds(text, start, _blank(_AGE_LAWFUL, text.folded[start:end])))
    text.ages = bounds
    return bounds


def _clause_age_bounds(text: _Text, offset: int, clause: str) -> list[_AgeBound]:
    bounds: list[_AgeBound] = []
    for match in _AGE.finditer(clause):
        # one alternative matched: its numbers are the unnamed groups that took part
        numbers = [
            _age_number(value)
            for index, value in enumerate(match.groups(), start=1)
            if value is not None and index not in _AGE_NAMED_GROUPS
        ]
        kind = match.lastgroup or ""  # the outer (named) group closes last
        matched = text.quote(offset + match.start(), offset + match.end())
        if kind.startswith("range"):
            low, high = numbers
            if high < MINIMUM_WORKING_AGE:  # "3-6岁" is about someone else
                continue
            bounds.append(_AgeBound(low, high, matched))
        elif kind.startswith("cap"):
            bounds.append(_AgeBound(None, numbers[0], matched))
        elif kind.startswith("floor"):
            bounds.append(_AgeBound(numbers[0], None, matched))
    return bounds


_AGE_NAMED_GROUPS = frozenset(_AGE.groupindex.values())


def _child_labour(text: _Text, facts: PostingFacts) -> Flag | None:
    for bound in _age_bounds(text):
        if bound.floor is not None and bound.floor < MINIMUM_WORKING_AGE:
            return Flag(
                "child_labour",
                "招用年龄低于16周岁；《劳动法》第十五条禁止用人单位招用未满十六周岁的未成年人",
                bound.matched,
                REJECT,
            )
    return None


def _age_cap(text: _Text, facts: PostingFacts) -> Flag | None:
    for bound in _age_bounds(text):
        if bound.cap is not None and bound.cap < AGE_CAP_REVIEW_BELOW:
            return Flag(
                "discrimination_age",
                f"设置{bound.cap}岁的年龄上限，远低于法定退休年龄；国家要求坚决防止和纠正"
                "年龄就业歧视（2022年《政府工作报告》），请人工核实岗位确有需要",
                bound.matched,
                REVIEW,
            )
    return None


# School and mode of study: 985/211/双一流, 第一学历, 统招, full-time study only. No statute names
# these, but the 2022 《政府工作报告》 added 学历歧视 to the discrimination to be prevented, and
# 教育部办公厅、人力资源社会保障部办公厅《关于进一步做好非全日制研究生就业工作的通知》(2019) asks
# employers to treat full-time and part-time graduates alike. Severity review (policy, not
# statute; staff decide). "全日制" that describes the working time (全日制用工, 全日制工作, under
# 《劳动合同法》's 全日制/非全日制用工) is not flagged.
_ELITE = r"(?:985|211|双一流|名校|名牌大学|重点(?:大学|院校|高校|本科))"
_LIST_MORE = r"\s*[/、和或及与]\s*(?:985|211|双一流)"
_SCHOOL_WORD = r"(?:院校|高校|大学|学校|工程|毕业生?|本科|硕士|研究生|以上|优先)"
_DEGREE = (
    r"(?:本科|大专|专科|硕士|研究生|博士|学历|学位|学士|高校|院校|大学|中专|毕业)"
    r"(?:及以上|以上)?(?:学历)?"
)
_SCHOOL = _TextRule(
    code="discrimination_school",
    severity=REVIEW,
    message=(
        "限定毕业院校、第一学历或全日制学习方式；国家要求坚决防止和纠正学历歧视"
        "（2022年《政府工作报告》），非全日制学历应同等对待，请人工核实"
    ),
    anchors=("985", "211", "双一流", "名校", "名牌", "重点", "第一学历", "统招", "日制"),
    pattern=re.compile(
        rf"(?:{_LIMITS})\s*[:：]?\s*{_ELITE}(?:{_LIST_MORE})*(?:\s*{_SCHOOL_WORD})?"
        rf"|(?<![\d.])(?:985|211)(?!\d)(?:{_LIST_MORE})*\s*{_SCHOOL_WORD}"
        rf"|双一流\s*{_SCHOOL_WORD}"
        r"|(?:名校|名牌大学|重点(?:大学|院校|高校))\s*(?:毕业|优先|以上)"
        r"|第一学历\s*(?:要求|须为|需为|必须是|为|是)?\s*[:：]?\s*(?:全日制)?\s*(?:统招)?\s*"
        r"(?:本科|硕士|研究生|大专|专科|学士)?"
        r"|统招\s*(?:全日制)?\s*(?:本科|大专|专科|硕士|研究生|学历)?"
        rf"|(?:{_LIMITS}|需要)\s*[:：]?\s*全日制"
        r"(?!\s*(?:用工|工作|上班|岗位|职位|员工|就业|劳动|班|制))"
        rf"(?:\s*(?:统招\s*)?(?:普通\s*)?{_DEGREE})?"
        rf"|(?<!非)全日制\s*(?:统招\s*)?(?:普通\s*)?{_DEGREE}"
        rf"|非全日制\s*(?:学历|学生|研究生)?\s*(?:{_EXCLUDES})"
    ),
)

# Fees and deposits charged to applicants. 《劳动合同法》第九条: employers may not require a
# guarantee or collect money or property from workers under any name (penalty: 第八十四条);
# 《就业服务与就业管理规定》第十四条 lists "以担保或者其他名义向劳动者收取财物" among forbidden
# recruiting acts. Severity reject: a deposit is the classic fake-recruitment signal. A fee word
# is not flagged when the clause denies it (免押金, 无需押金, 不收取任何费用, 谨防押金诈骗),
# when the employer pays it (公司承担体检费, 体检费入职后报销), or when it is the job's own task
# (酒店前台"收取客人押金").
_FEE_MESSAGE = (
    "向求职者收取费用或押金；《劳动合同法》第九条、《就业服务与就业管理规定》第十四条"
    "禁止以担保或者其他名义向劳动者收取财物"
)
# These two regexes run on the whole text, so each is written to let the engine scan for its
# first characters: fee words spelt out (no optional prefix), and a charset first. (In one regex
# the mixed branches disable that scan: 8 µs instead of 1 on a typical description.)
_FEE_WORDS = _alternatives(
    "押金 服装押金 工装押金 工服押金 制服押金 工衣押金 入职押金 岗位押金 车辆押金 设备押金 "
    "宿舍押金 住宿押金 保证金 风险金 培训费 服装费 工装费 工服费 制服费 工衣费 体检费 中介服务费 "
    "中介费 介绍费 报名费 入职费 建档费 资料费 办卡费 信息费 岗位费 上岗费 面试费 自费体检 "
    "体检自费 体检自理"
)
_FEE = re.compile(
    rf"(?:{_FEE_WORDS})"
    r"(?:\s*[:：]?\s*(?P<amount>\d+(?:\.\d+)?)\s*(?:元|块)?)?"
    r"(?:由?(?:本人|个人|自己|求职者|员工)(?:承担|支付|负责)|自理|自付)?"
)
# a payment asked for: 先交500元, 需缴纳200元, 必须支付三百元
_PAYMENT_ASKED = re.compile(
    r"[先需须要得必](?:要|须)?\s*(?:交|缴|缴纳|交纳|支付|付)\s*"
    r"(?:\d+|[一二三四五六七八九十百千两]+)\s*(?:元|块)"
)
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
# Earlier in the same clause: the fee is denied or warned against, or the employer pays it.
_FEE_DENIED_BEFORE = re.compile(
    r"不收|无需|无须|不需|不用|不要(?!求)|没有|拒绝|杜绝|绝不|不交|不缴|免收|免交|严禁|禁止|不得|"
    r"谨防|警惕|小心|不存在|(?:公司|单位|厂方?|企业|老板|我司)(?:全额)?(?:承担|报销|负责|出|支付|包)"
)
# Right before the fee word (with at most "任何/交/收" between): 免押金, 无押金, 零押金, 0押金.
_FEE_DENIED_ADJACENT = re.compile(r"(?:免|无|零|(?<!\d)0)(?:交|缴|收|任何|费)?\s*$")
# Later in the sentence: the employer pays, it is waived.
_FEE_DENIED_AFTER = re.compile(
    r"^\s*[:：]?\s*(?:无|0|零|免)(?![\u4e00-\u9fff])"
    r"|(?:公司|单位|厂方?|企业|老板|我司)(?:全额)?(?:承担|报销|负责|出|支付|包)|报销|全免|免收|"
    r"免除|免费|全包|减免|不收|不要"
)
# The fee is someone else's: the job is to collect it ("负责收取客人押金").
_FEE_TASK_BEFORE = re.compile(
    r"客人|顾客|客户|住户|业主|租户|承租|会员|患者|病人|家长|负责|协助|办理|催缴|核算|收银|代收|"
    r"结算|确定|核定|计算|介绍|讲解|交易"
)
_FEE_TASK_AFTER = re.compile(
    r"客人|顾客|客户|住户|业主|租户|承租|会员|患者|病人|家长|催缴|核算|结算|租金"
)


def _fee(text: _Text, facts: PostingFacts) -> Flag | None:
    folded = text.folded
    matches = sorted(
        (*_FEE.finditer(folded), *_PAYMENT_ASKED.finditer(folded)), key=lambda m: m.start()
    )
    for match in matches:
        start, end = match.span()
        clause_start = max((m.end() for m in _CLAUSE_END.finditer(folded, 0, start)), default=0)
        sentence_end_match = _SENTENCE_END.search(folded, end)
        sentence_end = sentence_end_match.start() if sentence_end_match else len(folded)
        clause_end_match = _CLAUSE_END.search(folded, end)
        clause_end = clause_end_match.start() if clause_end_match else len(folded)
        amount = match.groupdict().get("amount")
        if amount is not None and float(amount) == 0:
            continue  # 押金0元
        before = folded[clause_start:start]
        if _FEE_DENIED_BEFORE.search(before) or _FEE_DENIED_ADJACENT.search(before):
            continue
        if _FEE_DENIED_AFTER.search(folded[end:sentence_end]):
            continue
        if _FEE_TASK_BEFORE.search(before) or _FEE_TASK_AFTER.search(folded[end:clause_end]):
            continue
        return Flag("fee_charged", _FEE_MESSAGE, text.quote(start, end), REJECT)
    return None


_TEXT_RULES: tuple[_TextRule | _FunctionRule, ...] = (
    _FunctionRule(("男", "女"), _gender),
    _MARITAL,
    _ETHNICITY,
    _RELIGION,
    _HOUSEHOLD,
    _DISABILITY,
    _DISEASE,
    _FunctionRule(("岁", "年龄"), _child_labour),
    _FunctionRule(("岁", "年龄"), _age_cap),
    _SCHOOL,
    # every fee word holds 金 or 费 (or is 体检自理); payment demands hold 交, 缴 or 付
    _FunctionRule(("金", "费", "自理", "交", "缴", "付"), _fee),
)

# All anchors in one regex, longest first: one scan tells which rules need to run. The scan
# reports non-overlapping matches, so an anchor inside a reported one is added by _IMPLIED, and
# no anchor may begin inside another rule's anchor and end after it (see _straddling_anchors).
_ALL_ANCHORS = sorted({a for rule in _TEXT_RULES for a in rule.anchors}, key=len, reverse=True)
_ANCHOR = _literals(_ALL_ANCHORS)
_IMPLIED = {found: frozenset(a for a in _ALL_ANCHORS if a in found) for found in _ALL_ANCHORS}
_RULE_ANCHORS = tuple(frozenset(rule.anchors) for rule in _TEXT_RULES)


def _straddling_anchors() -> list[tuple[str, str]]:
    """Pairs (a, b) of anchors of different rules where an end of a is a start of b: the scan
    could report a and miss b. Must be empty."""
    pairs = []
    for i, first in enumerate(_RULE_ANCHORS):
        for j, second in enumerate(_RULE_ANCHORS):
            if i == j:
                continue
            for a in first:
                for b in second - first:
                    if any(a.endswith(b[:k]) for k in range(1, min(len(a), len(b)))):
                        pairs.append((a, b))
    return pairs


# --- pay -----------------------------------------------------------------------------------

# Typical upper bound of monthly pay (yuan) by CSCO-2022 major group (the code's first digit),
# for Hubei cities. Source: 国家统计局《2024年城镇单位就业人员年平均工资情况》(published May
# 2025), 规模以上企业就业人员年平均工资 by post: 中层及以上管理人员 203,014; 专业技术人员
# 148,046; 办事人员和有关人员 93,189; 社会生产服务和生活服务人员 77,584; 生产制造及有关人员
# 78,561; all posts 102,452 yuan a year. These post categories are the CSCO major groups 1, 2, 3,
# 4 and 6. Reasoning: a posting's upper figure typically sits up to about twice the mean, so the
# bound is 2 × the monthly mean, rounded to 1,000. The means are national; Hubei's sit below them,
# so the bounds are generous there, which suits a check meant to catch only the far-out (flagged
# above PAY_OUT_OF_LINE_FACTOR × bound). Group 5 (farming) has no post category of its own and
# takes the lowest one's bound; groups 7, 8 and postings without a code take the all-posts mean.
TYPICAL_MONTHLY_MAX: dict[str, float] = {
    "1": 34_000,  # 203,014 / 12 × 2
    "2": 25_000,  # 148,046 / 12 × 2
    "3": 16_000,  # 93,189 / 12 × 2
    "4": 13_000,  # 77,584 / 12 × 2
    "5": 13_000,  # no own figure: the lowest category's bound
    "6": 13_000,  # 78,561 / 12 × 2
}
TYPICAL_MONTHLY_MAX_ANY = 17_000  # 102,452 / 12 × 2: groups 7, 8 and unknown codes
PAY_OUT_OF_LINE_FACTOR = 3.0

# Hubei's first-tier minimum wage: 2,400 yuan a month for full-time work, 24 yuan an hour for
# non-full-time work, from 2025-12-01 (湖北省人民政府办公厅《关于调整全省最低工资标准的通知》,
# 鄂政办发〔2025〕44号; first tier: 武汉市区 and the central districts of 襄阳 and 宜昌; the other
# tiers are 2,130 and 1,970 yuan). The first tier is used everywhere, so a posting in a lower-tier
# county paying between its own minimum and 2,400 is held for review, not rejected.
# 《最低工资规定》(劳动和社会保障部令第21号) sets the two kinds of standard.
MINIMUM_MONTHLY_WAGE = 2_400
MINIMUM_HOURLY_WAGE = 24
_MINIMUM_WAGE_SOURCE = "鄂政办发〔2025〕44号"
_FULL_TIME_TYPES = frozenset({"full_time", "public_welfare"})
_HOURLY_TYPES = frozenset({"part_time", "gig"})
_UNIT_NAMES = {"month": "月", "day": "天", "hour": "小时", "piece": "件"}


def _pay_text(amount: float, unit: str) -> str:
    return f"{amount:g}元/{_UNIT_NAMES.get(unit, unit)}"


def _stated_top(facts: PostingFacts) -> float | None:
    top = facts.salary_max if facts.salary_max is not None else facts.salary_min
    return None if top is None else float(top)


def _pay_out_of_line(facts: PostingFacts) -> Flag | None:
    unit, top = facts.salary_unit, _stated_top(facts)
    factor = MONTHLY_FACTOR.get(unit) if unit else None
    if top is None or unit is None or factor is None:  # piece rates are never judged
        return None
    group = (facts.occupation_code or "")[:1]
    bound = TYPICAL_MONTHLY_MAX.get(group, TYPICAL_MONTHLY_MAX_ANY)
    monthly = top * factor
    if monthly <= PAY_OUT_OF_LINE_FACTOR * bound:
        return None
    return Flag(
        "pay_implausible",
        f"薪资折合月薪约{monthly:.0f}元，超过该职业大类常见上限{bound:.0f}元的"
        f"{PAY_OUT_OF_LINE_FACTOR:g}倍，疑似虚假招聘，请人工核实",
        _pay_text(top, unit),
        REVIEW,
    )


def _pay_below_minimum(facts: PostingFacts) -> Flag | None:
    unit, top = facts.salary_unit, _stated_top(facts)
    if top is None or unit is None or top <= 0:
        return None
    if facts.employment_type in _FULL_TIME_TYPES:
        factor = MONTHLY_FACTOR.get(unit)
        if factor is None:
            return None
        monthly = top * factor
        if monthly >= MINIMUM_MONTHLY_WAGE:
            return None
        return Flag(
            "pay_below_minimum_wage",
            f"全日制岗位薪资折合月薪约{monthly:.0f}元，低于湖北省月最低工资标准"
            f"{MINIMUM_MONTHLY_WAGE}元（{_MINIMUM_WAGE_SOURCE}，第一档），请人工核实",
            _pay_text(top, unit),
            REVIEW,
        )
    if facts.employment_type in _HOURLY_TYPES and unit == "hour" and top < MINIMUM_HOURLY_WAGE:
        return Flag(
            "pay_below_minimum_wage",
            f"非全日制小时工资{top:g}元，低于湖北省小时最低工资标准{MINIMUM_HOURLY_WAGE}元"
            f"（{_MINIMUM_WAGE_SOURCE}，第一档），请人工核实",
            _pay_text(top, unit),
            REVIEW,
        )
    return None


# --- contact, identity, credit -------------------------------------------------------------

# A phone number, e-mail or messaging id written in the text counts as a contact.
_CONTACT_IN_TEXT = re.compile(
    r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"  # mainland mobile
    r"|(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)"  # landline with area code
    r"|[\w.+-]+@[\w-]+\.[\w.]+"  # e-mail
    r"|(?:微信|vx|wx|qq|v信|威信)\s*(?:号)?\s*[:：]?\s*[a-z0-9_-]{5,}"
)


def _contact_missing(facts: PostingFacts, folded: str) -> Flag | None:
    if (facts.contact_phone or "").strip() or facts.has_other_contact:
        return None
    if _CONTACT_IN_TEXT.search(folded):
        return None
    return Flag(
        "contact_missing",
        "未提供联系电话或其他联系方式，求职者无法核实岗位，请补充联系方式",
        "",
        REVIEW,
    )


def _identity_missing(facts: PostingFacts) -> Flag | None:
    if (facts.employer_name or "").strip() or (facts.credit_code or "").strip():
        return None
    # 《就业服务与就业管理规定》第十四条 forbids false recruitment information; a posting that names
    # no employer cannot be checked against it.
    return Flag(
        "employer_identity_missing",
        "未提供用人单位名称和统一社会信用代码，无法核实招聘主体，请补充",
        "",
        REVIEW,
    )


# Employers that may not post (one source for these messages: the service uses them too).
CREDIT_MESSAGES: dict[str, str] = {
    "c_grade": "用人单位信用等级为C级，不得发布招聘信息",
    "wage_arrears_list": "用人单位被列入拖欠农民工工资失信联合惩戒名单，不得发布招聘信息",
}


def credit_flag(credit_status: str) -> Flag | None:
    """The ``employer_credit`` flag (reject) for an employer that may not post, else None."""
    message = CREDIT_MESSAGES.get(credit_status)
    if message is None:
        return None
    return Flag("employer_credit", message, credit_status, REJECT)


# --- entry point ---------------------------------------------------------------------------


def screen_posting(facts: PostingFacts) -> list[Flag]:
    """Every rule the posting breaks, in a fixed order (see the module's docstring)."""
    flags: list[Flag] = []
    credit = credit_flag(facts.employer_credit_status)
    if credit is not None:
        flags.append(credit)
    text = _Text(
        "\n".join(
            part for part in (facts.title, facts.description or "", *facts.requirements) if part
        )
    )
    present: set[str] = set()
    for found in set(_ANCHOR.findall(text.folded)):
        present |= _IMPLIED[found]
    for rule, anchors in zip(_TEXT_RULES, _RULE_ANCHORS, strict=True):
        if present.isdisjoint(anchors):
            continue
        flag = rule(text, facts)
        if flag is not None:
            flags.append(flag)
    for flag in (
        _pay_out_of_line(facts),
        _pay_below_minimum(facts),
        _contact_missing(facts, text.folded),
        _identity_missing(facts),
    ):
        if flag is not None:
            flags.append(flag)
    return flags
