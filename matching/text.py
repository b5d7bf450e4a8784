"""Chinese text normalisation, job-title cleaning and tokenisation.

Platforms write job titles as small adverts: "【急招】普工 5-8K 包吃住 (长白班)",
"解记面馆招聘洗碗工", "电影院检票员300/天包吃包住". :func:`clean_title` keeps the part that names
the work; :func:`split_title` also returns what was set aside but still says something about the
work (the employer before 招聘, bracketed notes such as "（烘焙渠道）"), which a classifier may use
with a lower weight. Pay, perks, schedules, counts, recruiting verbs and place names carry no
information about the occupation and are dropped.

Nothing is read at import time: the place-name table and the jieba dictionary are built on first
use and cached.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

    from matching.taxonomy import Taxonomy

_SPACES = re.compile(r"\s+")


def _words(text: str) -> tuple[str, ...]:
    """A word list written as whitespace-separated text."""
    return tuple(text.split())


def normalize_text(text: str) -> str:
    """Full-width → half-width (NFKC), Latin lower-cased, runs of space collapsed, outer space
    stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


# --- title cleaning --------------------------------------------------------------------------

_NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百千]+)"
_CN_NUM = r"[零一二两三四五六七八九十百几\d]+"
_MONEY_UNIT = r"(?:k|w|千|万|元|块|rmb)"
_PERIOD = r"(?:天|日|月|年|小时|时|h|周|单|件|次|晚)"
_SALARY_WORD = (
    r"(?:综合薪资|综合工资|保障薪资|无责底薪|底薪|年薪|月薪|日薪|时薪|薪资|薪水|工资|月入|月均|"
    r"收入|日结|周结|保底|到手|税后|税前|待遇|提成|时工资|薪酬)"
)

# Pay: "5-8k", "300/天", "6000-9000", "年薪30万+", "月入过万", "日结100", "15元/小时", "4千".
_PAY = re.compile(
    rf"{_SALARY_WORD}?[::]?(?:过|超|破)?{_NUM}\s*(?:{_MONEY_UNIT}\s*)?"
    rf"(?:[-~—–至到]\s*{_NUM}\s*(?:{_MONEY_UNIT}\s*)?)?"
    rf"(?:[/每一]\s*{_PERIOD}|{_PERIOD}(?![\u4e00-\u9fff]*[工员师]))?"
    rf"(?:起|以上|左右|\+|多|薪)*"
    rf"|{_SALARY_WORD}(?:过|超)?万|{_SALARY_WORD}面议|面议"
)
# A bare number is pay only when it has a unit or is large enough ("6000-9000", "5000+").
_PAY_NEEDS = re.compile(rf"{_MONEY_UNIT}|[/每]|{_SALARY_WORD}|\d{{3,}}|面议|万")

_COUNT = re.compile(rf"(?:若干|数|多|{_CN_NUM})\s*(?:名|人|位)|若干")
_AGE = re.compile(rf"{_CN_NUM}\s*(?:[-~—至到]\s*{_CN_NUM}\s*)?(?:周)?岁(?:以下|以上|之间)?")
_SCHEDULE = re.compile(
    rf"早{_CN_NUM}晚{_CN_NUM}|朝{_CN_NUM}晚{_CN_NUM}|{_CN_NUM}点(?:上|下)班|"
    rf"上{_CN_NUM}休{_CN_NUM}|做{_CN_NUM}休{_CN_NUM}|月休{_CN_NUM}天?|"
    rf"\d+(?:\.\d+)?个?小时(?:工作制|工作)?|{_CN_NUM}(?:班|小时)倒|{_CN_NUM}天{_CN_NUM}夜|"
    rf"{_CN_NUM}险{_CN_NUM}金|{_CN_NUM}险"
)

# Perks and other advert words, longest alternatives first within each group.
_PERKS = _words(
    """
    包吃包住 包吃住 包食宿 包三餐 包住宿 包路费 包车费 包吃 包住 包餐 管吃管住 管吃住 管住 管吃
    吃住全包 食宿全包 提供食宿 提供住宿 免费住宿 住宿 食宿 宿舍 员工餐 工作餐 餐补 饭补 房补 话补
    交通补贴 住房补贴 补贴 现金补贴 社保 公积金 五险 六险 一金 二金 周末双休 双休 单休 大小周
    法定节假日 节假日 带薪年假 年假 带薪培训 免费培训 岗前培训 有培训 包培训 培训上岗 日结 周结
    月结 当天结 长白班 白班 夜班 两班倒 倒班 不倒班 坐班 不加班 少加班 加班少 年终奖 全勤奖 奖金
    高提成 提成 分红 底薪 高薪 高收入 高工资 工资高 保底 无责 收入稳定 轻松上手 可居家
    居家办公 在家办公 远程办公 可兼职 兼职 全职 临时工 长期工 短期工 小时工 寒假工 暑假工 可实习
    零基础 无经验 经验不限 学历不限 男女不限 不限男女 小白可 可做小白 生熟手均可 熟手优先
    有经验优先 可带教 师傅带 宝妈 朝九晚五 朝九晚六 早九晚五 早九晚六 上市公司 五百强 500强 大厂
    名企 国企 央企 事业编 正式工 正式编制 编制 急招 急聘 直招 直聘 诚聘 诚招 代招 热招 高薪诚聘
    高薪招聘 长期招 聘请 招募 招收 接受小白 晋升空间大 晋升快 发展空间 环境好 环境优美
    不压工资 不押工资 工资日结 入职即 即可上岗 包教会 可预支 预支 可借支 借支 多劳多得 月薪过万
    月入过万 收入过万 过万 起步 年底双薪 十三薪 13薪 14薪 15薪 双薪 有房补 有餐补 不限经验
    不限学历 可住宿 包工作餐 提供三餐 免费 福利好 福利 待遇好 待遇优 待遇优厚 薪资面议 面议
    可提供住宿 可提供食宿 应届毕业生 可接受应届生 应届生 各岗位 各岗 多个岗位 多岗位 若干岗位
    可转正 转正
"""
)
# Not when the word begins a job's name: 社保专员, 宿舍管理员, 检测报告编制员.
_PERK = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, set(_PERKS)), key=len, reverse=True))
    + ")(?![员师工专主经管院长])"
)

# The recruiting verb that separates "employer" from "role": 解记面馆招聘洗碗工.
_RECRUIT = re.compile(r"(?:高薪)?(?:招聘|急招|直招|诚聘|诚招|急聘|直聘|热招|代招|招募|招收|招)")
# 招聘 followed by these is itself an HR job (招聘专员), 招 before these is another word (招生).
_RECRUIT_JOB = re.compile(r"(?:专员|经理|主管|师|顾问|助理|总监|负责人|官|hr|文员|实习|组长|岗)")
_NOT_RECRUIT_AFTER_ZHAO = "生商标投聘牌待呼工"

_COMPANY = re.compile(
    r"^([^\s~/|,，、:：;；+-]{2,20}?(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|事业部|"
    r"工作室))(?=.{2,})"
)

_BRACKETS = re.compile(
    r"【([^【】]*)】|\[([^\[\]]*)\]|\(([^()]*)\)|「([^「」]*)」|<([^<>]*)>|《([^《》]*)》|〔([^〔〕]*)〕"
)
_HIGHLIGHT_GROUPS = (1, 2, 4)  # 【】, [], 「」 often frame the job itself: "急招【人事专员】"
_CODELIKE = re.compile(r"\b[a-z]{1,3}\d{3,}[a-z]?\b|\b\d{5,}\b")
_LATIN_KEEP = {"3d", "ue4", "ue5", "a1", "a2", "b1", "b2", "c1", "c2", "a3"}
_LONE_PLUS = re.compile(r"(?<![a-z+])\++")  # "店员+包住" but not "c++"
_PUNCT = re.compile(r"[^\w+#.]+|_")
_EDGE_PUNCT = re.compile(r"^[\s+#.]+|[\s+#.]+$")
_PLACE_SUFFIXES = _words(
    """
    经济技术开发区 高新技术开发区 工业园区 工业园 产业园 科技园 开发区 高新区 经开区 保税区 新区
    园区 片区 地区 区域 市区 城区 县城 周边 附近 市内 区内 本地 全市 全省 街道 镇 乡 区 市 县 省
    内
"""
)
_MARKET = "场政民值"  # 市场, 市政, 市民, 市值: 市 begins a word


@dataclass(frozen=True)
class TitleParts:
    role: str  # what names the work: "洗碗工"
    context: str  # set aside but informative: employer, bracketed notes ("解记面馆")

    @property
    def text(self) -> str:
        """Role and context in one string (role first), for features that want everything."""
        return f"{self.role} {self.context}".strip()


def split_title(title: str) -> TitleParts:
    """The role named by a raw job title and the informative rest (employer, notes)."""
    text = normalize_text(title)
    before_highlight = re.split(r"[【\[「]", text, maxsplit=1)[0]
    highlighted: list[str] = []
    notes: list[str] = []

    def take_bracket(match: re.Match[str]) -> str:
        group = match.lastindex or 0
        inner = _strip_noise(match.group(group) or "")
        if inner:
            (highlighted if group in _HIGHLIGHT_GROUPS else notes).append(inner)
        return " "

    for _ in range(2):  # nested brackets: the inner pair first
        text = _BRACKETS.sub(take_bracket, text)
    text = re.sub(r"[()（）【】\[\]]", " ", text)
    employer, text = _split_employer(text)
    role = _strip_noise(text)
    employer = _strip_noise(employer)
    if highlighted and (not role or _RECRUIT.search(before_highlight)):
        # "急招【人事专员】": the brackets frame the job, what is outside is a place or a shop
        role, highlighted = highlighted[0], [role, *highlighted[1:]]
    if not role and notes:
        role, notes = notes[0], notes[1:]
    if not role and employer:  # "绿茶餐厅诚聘各岗": the employer is all there is
        role, employer = employer, ""
    pieces = " ".join((employer, *highlighted, *notes)).split()
    context = " ".join(piece for piece in pieces if len(piece) > 1)
    return TitleParts(role=role, context=context)


def clean_title(title: str) -> str:
    """The part of a raw job title that names the work ("解记面馆招聘洗碗工" → "洗碗工")."""
    return split_title(title).role


def _split_employer(text: str) -> tuple[str, str]:
    """(employer, rest) around the last recruiting verb, or a leading company name."""
    split_at: tuple[int, int] | None = None
    for match in _RECRUIT.finditer(text):
        after = text[match.end() :]
        word = match.group(0)
        if word.endswith("招聘") and _RECRUIT_JOB.match(after):
            continue  # 招聘专员 is a job
        bare = word.endswith("招") and word[-2:-1] not in ("急", "直", "诚", "热", "代")
        if bare and (not after or after[0] in _NOT_RECRUIT_AFTER_ZHAO):
            continue  # 招生, 招商, 招标
        if _strip_noise(after):
            split_at = match.span()
    if split_at is not None:
        return text[: split_at[0]], text[split_at[1] :]
    company = _COMPANY.match(text)
    if company:
        return company.group(1), text[company.end(1) :]
    return "", text


def _strip_noise(text: str) -> str:
    """Pay, counts, ages, schedules, perks, recruiting words, codes, places, punctuation."""
    text = _CODELIKE.sub(lambda m: m.group(0) if m.group(0) in _LATIN_KEEP else " ", text)
    text = _PAY.sub(_drop_pay, text)
    text = _SCHEDULE.sub(" ", text)
    text = _AGE.sub(" ", text)
    text = _COUNT.sub(" ", text)
    text = _PERK.sub(" ", text)
    text = _RECRUIT_WORDS.sub(" ", text)
    text = strip_places(text)
    text = _LONE_PLUS.sub(" ", text)
    text = _PUNCT.sub(" ", text)
    text = " ".join(_EDGE_PUNCT.sub("", part) for part in text.split())
    return _SPACES.sub(" ", text).strip()


_RECRUIT_WORDS = re.compile(r"招聘(?!专员|经理|主管|师|顾问|助理|总监|负责人|官|hr|文员|组长)")


def _drop_pay(match: re.Match[str]) -> str:
    return " " if _PAY_NEEDS.search(match.group(0)) else match.group(0)


# --- place names -----------------------------------------------------------------------------

# Short forms that are also ordinary words in titles ("城区经理", "新区") are not places here.
_NOT_PLACES = frozenset(
    _words(
        """
        城区 新区 矿区 郊区 市中 东区 西区 南区 北区 中区 白云 和平 新华 新城 城关 中山 长安 永安
        安全 开发 高新 市北 市南 东方 朝阳 海洋 红旗 向阳 新兴 光明 前进 胜利 先锋 东风 文化 工农
        平安 通用 兴业 金融 阳光 大同 天元 永和 同心 江南 城中 河东 河西 江北 城东 城西 城南 城北
        东城 西城 青山 天河 海港 港口 资源 安居 商城 友好 新市 吉利 万达 中方 红花 通道 大安 新建
        大方 普通 合作 中原 龙门 元宝 太平 方正 红星 振兴 小店 三河 大丰 亚东 通海 兰西 南部 大宁
        老城 红山 无为 东部 西部 北部 中部 华东 华南 华北 华中 西南 东北 西北 金山 凤凰 白沙 长海
        龙湖
        """
    )
)
_PLACE_SUFFIX = _words(
    """
    特别行政区 维吾尔自治区 壮族自治区 回族自治区 自治区 自治州 自治县 地区 新区 林区 矿区 特区
    省 市 区 县 旗 盟 州
    """
)


@dataclass(frozen=True)
class _PlaceNames:
    full: frozenset[str]  # 武汉市, 江岸区, 湖北省 (three characters or more)
    short: frozenset[str]  # 武汉, 江岸, 湖北: only at the start of a word (精通海空运 is no 通海)
    longest: int


@lru_cache(maxsize=1)
def _place_names() -> _PlaceNames:
    """Region names and their short forms (武汉市 → 武汉), minus words of occupation names."""
    from matching.regions import load_regions

    full: set[str] = set()
    short: set[str] = set()
    for region in load_regions().all():
        name = region.name
        if len(name) >= 3:
            full.add(name)
        for suffix in _PLACE_SUFFIX:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                # 长阳土家族自治县 → 长阳; 恩施土家族苗族自治州 → 恩施
                stem = _ETHNIC_TAIL.sub("", name[: -len(suffix)])
                if len(stem) >= 2:
                    short.add(stem)
                break
    occupation_words = _occupation_words()
    full -= occupation_words | _NOT_PLACES
    short -= occupation_words | _NOT_PLACES | full
    return _PlaceNames(frozenset(full), frozenset(short), max(map(len, full | short)))


_ETHNIC_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:[\u4e00-\u9fff]{1,3}?族)+$")


@lru_cache(maxsize=1)
def _occupation_words() -> frozenset[str]:
    """Every substring (2+ characters) of taxonomy names and aliases: never treated as places."""
    from matching.taxonomy import load_taxonomy

    words: set[str] = set()
    for occupation in load_taxonomy().all():
        for term in (occupation.name, *occupation.aliases):
            term = normalize_text(term)
            for size in range(2, min(len(term), 8) + 1):
                words.update(term[i : i + size] for i in range(len(term) - size + 1))
    return frozenset(words)


_SUFFIX_AFTER_PLACE = re.compile("|".join(sorted(map(re.escape, _PLACE_SUFFIXES), key=len)[::-1]))


def find_places(text: str) -> list[tuple[int, int]]:
    """Spans of region names (GB/T 2260), longest match first, each with a following place
    suffix when there is one ("蔡甸工业园", "阳泉市内"). A short form (武汉 for 武汉市) counts only
    at the start of a word or right after another place ("湖北武汉")."""
    names = _place_names()
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        at_start = i == 0 or not _is_cjk(text[i - 1]) or bool(spans and spans[-1][1] == i)
        end = 0
        for size in range(min(names.longest, len(text) - i), 1, -1):
            candidate = text[i : i + size]
            if candidate in names.full or (at_start and candidate in names.short):
                end = i + size
                break
        if not end:
            i += 1
            continue
        if text[end - 1] == "市" and _begins_word(text, end) and text[i : end - 1] in names.short:
            end -= 1  # 武汉市场专员 is 武汉 + 市场专员
        suffix = _SUFFIX_AFTER_PLACE.match(text, end)
        if suffix and not (text[suffix.end() - 1] == "市" and _begins_word(text, suffix.end())):
            end = suffix.end()
        spans.append((i, end))
        i = end
    return spans


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _begins_word(text: str, position: int) -> bool:
    return position < len(text) and text[position] in _MARKET


def strip_places(text: str) -> str:
    """``text`` without region names (and their suffixes)."""
    spans = find_places(text)
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return " ".join(pieces)


# --- tokenisation ----------------------------------------------------------------------------

_TOKEN_DROP = re.compile(r"^[\s\W_]+$")
_lock = threading.Lock()


class JiebaTokenizer:
    """A private jieba tokenizer with the taxonomy's names and aliases as a user dictionary.

    The global ``jieba`` instance is left alone; the dictionary is loaded on first use.
    """

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._terms = tuple(dict.fromkeys(normalize_text(t) for t in terms if t.strip()))
        self._tokenizer: jieba.Tokenizer | None = None

    def _ready(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with _lock:
                if self._tokenizer is None:
                    self._tokenizer = _build_jieba(self._terms)
        return self._tokenizer

    def cut(self, text: str) -> list[str]:
        """Words of the normalised text, punctuation and spaces left out."""
        words = self._ready().lcut(normalize_text(text), HMM=True)
        return [w for w in words if not _TOKEN_DROP.match(w)]

    def cut_many(self, texts: Iterable[str]) -> Iterator[list[str]]:
        for text in texts:
            yield self.cut(text)


def _build_jieba(terms: tuple[str, ...]) -> jieba.Tokenizer:
    from matching.jieba_loader import jieba as load

    jieba = load()
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for term in terms:
            if len(term) >= 2 and " " not in term:
                # frequent enough that a term is kept whole (氩弧焊工, 中式烹调师)
                tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term), 2000))
    finally:
        logger.setLevel(level)
    return tokenizer


def taxonomy_terms(taxonomy: Taxonomy) -> list[str]:
    """Names and aliases of every occupation and group."""
    return [term for o in taxonomy.all() for term in (o.name, *o.aliases)]


@lru_cache(maxsize=1)
def default_tokenizer() -> JiebaTokenizer:
    """The tokenizer with the CSCO-2022 names and aliases (dictionary loaded on first cut)."""
    from matching.taxonomy import load_taxonomy

    return JiebaTokenizer(taxonomy_terms(load_taxonomy()))


def tokenize(text: str) -> list[str]:
    """jieba words of ``text`` with the occupation terms kept whole."""
    return default_tokenizer().cut(text)


# --- character n-grams -----------------------------------------------------------------------


def char_ngrams(
    text: str, n_min: int = 1, n_max: int = 3, *, boundaries: bool = False
) -> list[str]:
    """Character n-grams of each space-separated piece of ``text`` (no n-gram crosses a space).

    With ``boundaries`` each piece is framed by ``^`` and ``$`` so that n-grams at the start and
    the end of a word are told apart (工 at the end of 焊工 is not 工 in 工程师).
    """
    grams: list[str] = []
    for piece in normalize_text(text).split():
        if boundaries:
            piece = f"^{piece}$"
        for size in range(n_min, n_max + 1):
            grams.extend(piece[i : i + size] for i in range(len(piece) - size + 1))
    return grams
