"""The demo city's catalogue: Wuhan's districts, industries, jobs, campaigns, people's names.

Plain data for ``service.demo.generator``; facts (district centroids come from the package
data at run time, occupation codes are CSCO-2022 and checked against the taxonomy) and
plausible values (pay ranges, shares) written for the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.enums import Education, EmploymentType, EventKind, StationKind


@dataclass(frozen=True)
class _DistrictSpec:
    adcode: str
    outer: bool
    residents: int  # 2020 census, 10,000s: weights homes, shops and services
    units: tuple[str, ...]  # 街道 / 乡 / 镇
    roads: tuple[str, ...]
    parks: tuple[str, ...] = ()


# fmt: off
_DISTRICTS: tuple[_DistrictSpec, ...] = (
    _DistrictSpec(
        "420102", False, 97,
        ("大智街道", "一元街道", "车站街道", "永清街道", "西马街道", "球场街道", "劳动街道",
         "二七街道", "新村街道", "丹水池街道", "台北街道", "花桥街道", "谌家矶街道", "后湖街道",
         "塔子湖街道", "百步亭花园路街道"),
        ("解放大道", "黄浦大街", "后湖大道", "沿江大道", "建设大道", "二七路", "金桥大道"),
    ),
    _DistrictSpec(
        "420103", False, 65,
        ("民族街道", "花楼街道", "水塔街道", "民权街道", "满春街道", "民意街道", "新华街道",
         "万松街道", "唐家墩街道", "北湖街道", "前进街道", "常青街道", "汉兴街道"),
        ("建设大道", "新华路", "青年路", "发展大道", "常青路", "中山大道", "江汉北路"),
    ),
    _DistrictSpec(
        "420104", False, 67,
        ("古田街道", "韩家墩街道", "宗关街道", "汉水桥街道", "宝丰街道", "荣华街道", "汉中街道",
         "汉正街道", "六角亭街道", "长丰街道", "易家街道"),
        ("解放大道", "中山大道", "古田二路", "汉西一路", "宝丰路", "京汉大道", "长丰大道"),
        ("汉正街服装产业园",),
    ),
    _DistrictSpec(
        "420105", False, 84,
        ("建桥街道", "晴川街道", "鹦鹉街道", "洲头街道", "五里墩街道", "琴断口街道",
         "江汉二桥街道", "永丰街道", "四新街道", "江堤街道"),
        ("汉阳大道", "鹦鹉大道", "龙阳大道", "墨水湖北路", "四新大道", "琴台大道", "拦江路"),
        ("黄金口都市工业园",),
    ),
    _DistrictSpec(
        "420106", False, 127,
        ("积玉桥街道", "杨园街道", "徐家棚街道", "粮道街道", "中华路街道", "黄鹤楼街道",
         "紫阳街道", "白沙洲街道", "首义路街道", "中南路街道", "水果湖街道", "珞珈山街道",
         "石洞街道", "南湖街道"),
        ("中北路", "武珞路", "中南路", "和平大道", "徐东大街", "友谊大道", "中山路"),
        ("武昌滨江商务区",),
    ),
    _DistrictSpec(
        "420107", False, 58,
        ("红卫路街道", "冶金街道", "新沟桥街道", "红钢城街道", "工人村街道", "青山镇街道",
         "厂前街道", "武东街道", "白玉山街道", "钢花村街道"),
        ("和平大道", "建设二路", "友谊大道", "冶金大道", "工业路", "临江大道"),
        ("北湖产业园",),
    ),
    _DistrictSpec(
        "420111", False, 165,
        ("珞南街道", "狮子山街道", "张家湾街道", "梨园街道", "卓刀泉街道", "洪山街道",
         "和平街道", "青菱街道", "八吉府街道", "天兴乡"),
        ("珞喻路", "雄楚大道", "野芷湖西路", "书城路", "关山大道", "光谷大道", "南湖大道"),
        ("光谷软件园", "青菱都市工业园"),
    ),
    _DistrictSpec(
        "420112", True, 85,
        ("吴家山街道", "将军路街道", "慈惠街道", "走马岭街道", "径河街道", "长青街道",
         "辛安渡街道", "东山街道", "新沟镇街道", "金银湖街道", "柏泉街道"),
        ("金山大道", "东吴大道", "新城八路", "四明路", "金银湖路", "临空港大道", "革新大道"),
        ("临空港经济技术开发区", "走马岭食品工业园", "金银湖科技园"),
    ),
    _DistrictSpec(
        "420113", True, 14,
        ("纱帽街道", "邓南街道", "东荆街道", "湘口街道"),
        ("纱帽大道", "汉南大道", "兴城大道", "通航大道"),
        ("纱帽工业园", "汉南通用航空产业园"),
    ),
    _DistrictSpec(
        "420114", True, 55,
        ("蔡甸街道", "奓山街道", "永安街道", "侏儒山街道", "大集街道", "张湾街道", "索河街道",
         "玉贤街道", "消泗乡"),
        ("蔡甸大街", "知音湖大道", "成功大道", "常福大道", "奓山大道", "蔡甸大道"),
        ("常福工业园", "中法武汉生态示范城"),
    ),
    _DistrictSpec(
        "420115", True, 97,
        ("纸坊街道", "郑店街道", "五里界街道", "金口街道", "乌龙泉街道", "山坡街道", "安山街道",
         "法泗街道", "湖泗街道", "舒安街道"),
        ("文化大道", "江夏大道", "纸坊大街", "谭鑫培路", "庙山路", "藏龙大道", "金口大道"),
        ("庙山产业园", "藏龙岛科技园", "金港新区"),
    ),
    _DistrictSpec(
        "420116", True, 115,
        ("前川街道", "滠口街道", "武湖街道", "天河街道", "横店街道", "祁家湾街道", "六指街道",
         "罗汉寺街道", "王家河街道", "长轩岭街道", "李家集街道", "姚家集街道", "蔡家榨街道",
         "三里桥街道"),
        ("黄陂大道", "前川大道", "板桥大道", "百秀街", "盘龙大道", "天河路", "武湖正街"),
        ("武湖工业园", "盘龙城经济开发区", "横店临空产业园"),
    ),
    _DistrictSpec(
        "420117", True, 86,
        ("邾城街道", "阳逻街道", "仓埠街道", "汪集街道", "李集街道", "三店街道", "潘塘街道",
         "旧街街道", "双柳街道", "辛冲街道", "徐古街道", "凤凰镇"),
        ("邾城大道", "阳逻大道", "新洲大街", "问津大道", "港城大道", "齐安大道"),
        ("阳逻经济开发区", "阳逻港物流园"),
    ),
)

_COMMUNITIES = (
    "幸福", "和平", "建设", "新华", "友谊", "解放", "光明", "民主", "胜利", "团结", "长江",
    "汉江", "东湖", "南湖", "沙湖", "花园", "锦绣", "翠竹", "金桥", "桃园", "梅苑", "兰亭",
    "丽岛", "紫荆", "丹桂", "常青", "育才", "复兴", "振兴", "滨江", "晴川", "琴台", "青年",
    "钢花", "星光", "阳光", "怡康", "荷花", "莲花", "月湖", "墨水湖", "杨春湖", "后湖",
    "汤逊湖", "黄家湖", "金银湖", "盘龙", "前川",
)
_UNIVERSITIES = {
    "420111": ("华中科技大学", "华中农业大学", "中南财经政法大学"),
    "420106": ("武汉大学", "湖北大学"),
    "420115": ("武汉纺织大学", "湖北经济学院"),
    "420107": ("武汉科技大学",),
}
_WORKSHOP_PRODUCTS = (
    "电子元件加工", "服装加工", "手工编织", "农产品分拣包装", "箱包缝制", "藕带分拣",
    "来料加工", "食品包装",
)
_BIG_VENUES = {
    "武汉国际博览中心": "420105",
    "武汉客厅": "420112",
    "武汉国际会展中心": "420103",
    "中国光谷科技会展中心": "420111",
}
# fmt: on


# Industries and occupations
# =============================================================================================

# fmt: off
MFG, CATER, LOGI, RETAIL, HOME = "制造", "餐饮", "物流", "零售", "家政"
BUILD, CARE, IT, EDU, AUTO = "建筑", "医疗护理", "信息技术", "教育培训", "汽车"
INDUSTRIES = (MFG, CATER, LOGI, RETAIL, HOME, BUILD, CARE, IT, EDU, AUTO)
_ALL = INDUSTRIES
# GB/T 4754 sectors, as stored on the employer
_SECTORS = {
    MFG: "制造业", CATER: "住宿和餐饮业", LOGI: "交通运输、仓储和邮政业", RETAIL: "批发和零售业",
    HOME: "居民服务、修理和其他服务业", BUILD: "建筑业", CARE: "卫生和社会工作",
    IT: "信息传输、软件和信息技术服务业", EDU: "教育", AUTO: "汽车制造业",
}
_INDUSTRY_WEIGHTS = (18, 14, 12, 14, 10, 8, 7, 8, 5, 6)
# Where each industry's employers sit (adcode: weight); the rest follow the residents.
_INDUSTRY_DISTRICTS: dict[str, dict[str, int]] = {
    MFG: {"420114": 3, "420113": 2, "420112": 3, "420115": 3, "420116": 2, "420117": 2,
          "420107": 2, "420111": 2, "420104": 1},
    AUTO: {"420114": 5, "420113": 2, "420115": 2, "420112": 1, "420117": 1, "420105": 1},
    LOGI: {"420112": 4, "420116": 2, "420117": 3, "420105": 1, "420115": 1, "420114": 1,
           "420104": 1},
    IT: {"420111": 6, "420115": 2, "420106": 2, "420103": 1, "420112": 1},
}
_BRAND_FIRST = "江楚汉鹏华恒瑞鼎卓博晟鑫昊弘德信安和盛泰嘉宏睿远汇金天新星云佳康宁富通达兴"
_BRAND_SECOND = "城天江汉诚达鑫源通泰盛华信邦丰润宇航联创智诚康瑞祥顺兴业辉远和美"
_COMPANY_FORMS: dict[str, tuple[str, ...]] = {
    MFG: ("精密机械", "电子科技", "光电科技", "新材料", "机电设备", "包装制品", "食品",
          "服饰", "电缆", "环保设备"),
    CATER: ("餐饮管理", "酒店管理", "食品", "餐饮连锁", "热干面餐饮"),
    LOGI: ("物流", "供应链管理", "速递", "运输", "仓储服务"),
    RETAIL: ("商贸", "超市", "百货", "连锁便利店", "医药连锁"),
    HOME: ("家政服务", "物业服务", "保安服务", "环境卫生管理", "家电维修服务"),
    BUILD: ("建设工程", "建筑劳务", "装饰工程", "市政工程", "机电安装工程"),
    CARE: ("护理院", "养老服务", "健康管理", "医院", "康复医疗"),
    IT: ("信息技术", "软件", "网络科技", "数据科技", "智能科技"),
    EDU: ("教育科技", "职业培训学校", "托育服务", "文化传播", "教育咨询"),
    AUTO: ("汽车零部件", "汽车销售服务", "汽车维修", "汽车部件", "新能源汽车科技"),
}
_COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
# fmt: on


@dataclass(frozen=True)
class Job:
    """A detailed CSCO-2022 occupation as employment services see it in Wuhan."""

    code: str
    name: str  # the taxonomy's name: checked, so a wrong code fails loudly
    titles: tuple[str, ...]  # what employers write
    industries: tuple[str, ...]
    month: tuple[int, int]  # full-time pay, yuan per month
    day: tuple[int, int] | None = None  # gig pay per day (None: not offered as a gig)
    hour: tuple[int, int] | None = None  # part-time pay per hour
    piece: tuple[int, int] | None = None  # pay per piece / order
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    education: Education | None = None
    intern: bool = False  # offered as internships / 就业见习
    welfare: bool = False  # suitable for a public-welfare post (公益性岗位)


E = Education
# fmt: off
JOBS: tuple[Job, ...] = (
    Job("6-18-02-04", "焊工", ("焊工", "氩弧焊工", "二保焊工", "电焊工（持证上岗）"),
        (MFG, AUTO, BUILD), (6000, 10000), day=(260, 350),
        skills=("氩弧焊", "二氧化碳气体保护焊", "手工电弧焊", "识图"),
        certificates=("特种作业操作证（焊接与热切割）", "焊工职业技能等级证书"),
        education=E.junior_high),
    Job("6-18-01-01", "车工", ("车工", "普车车工", "数控车工"), (MFG, AUTO), (5500, 9000),
        skills=("普通车床", "数控车床", "识图", "量具使用"), certificates=("车工职业技能等级证书",),
        education=E.vocational),
    Job("6-18-01-02", "铣工", ("铣工", "数控铣工"), (MFG,), (5500, 9000),
        skills=("铣床操作", "识图", "量具使用"), education=E.vocational),
    Job("6-18-01-07", "多工序数控机床操作调整工", ("CNC操作工", "加工中心操作工", "数控机床操作工"),
        (MFG, AUTO), (5500, 9000), skills=("FANUC系统", "加工中心", "首件检验", "识图"),
        education=E.vocational, intern=True),
    Job("6-18-01-12", "冲压工", ("冲压工", "钣金工"), (AUTO, MFG), (5000, 8000),
        skills=("冲床操作", "模具安装", "安全生产")),
    Job("6-18-03-03", "涂装工", ("喷漆工", "涂装工", "汽车喷漆工"), (AUTO, MFG), (5500, 9000),
        skills=("喷枪操作", "调漆", "打磨")),
    Job("6-20-01-01", "装配钳工", ("装配钳工", "钳工", "机械装配工"), (MFG, AUTO), (5500, 8500),
        skills=("机械装配", "识图", "钳工操作"), certificates=("钳工职业技能等级证书",)),
    Job("6-31-01-02", "机修钳工", ("机修钳工", "设备维修工"), (MFG,), (6000, 9000),
        skills=("设备保养", "故障排查", "液压气动")),
    Job("6-31-01-03", "电工", ("电工", "维修电工", "低压电工", "物业电工"),
        (MFG, BUILD, AUTO, HOME), (6000, 9000), day=(250, 350),
        skills=("低压配电", "PLC", "电气维修"), certificates=("特种作业操作证（低压电工）",)),
    Job("6-25-04-07", "电子设备装接工", ("电子装配工", "SMT操作员", "电子厂普工"), (MFG,),
        (4500, 6500), day=(150, 220), hour=(18, 24), skills=("焊接", "插件", "目检")),
    Job("6-24-02-04", "光伏组件制造工", ("光伏组件操作工", "光伏车间普工"), (MFG,), (5000, 7000),
        skills=("层压", "串焊", "EL检测")),
    Job("6-22-02-01", "汽车装调工", ("汽车装调工", "总装调试工"), (AUTO,), (5500, 9000),
        skills=("整车调试", "四轮定位", "电检")),
    Job("6-22-01-01", "汽车生产线操作工", ("汽车生产线操作工", "汽车厂普工", "总装线操作工"),
        (AUTO,), (5000, 8000), day=(180, 260), skills=("流水线作业", "拧紧", "安全生产")),
    Job("6-31-03-05", "质检员", ("质检员", "品质检验员", "来料检验员"), (MFG, AUTO), (4500, 7000),
        skills=("量具使用", "来料检验", "品质报表"), education=E.senior_high, intern=True),
    Job("6-31-05-00", "包装工", ("包装工", "打包员", "成品包装工"), (MFG, LOGI, RETAIL),
        (4000, 6000), day=(150, 220), hour=(18, 23), skills=("打包", "贴标", "装箱")),
    Job("6-05-01-03", "缝纫工", ("缝纫工", "平车工", "服装车工"), (MFG,), (5000, 8000),
        piece=(2, 6), skills=("平车", "包缝", "服装工艺")),
    Job("6-02-01-01", "糕点面包烘焙师", ("面包师", "烘焙师", "西点烘焙学徒"), (CATER, RETAIL),
        (4500, 7000), skills=("面包制作", "裱花", "烤箱操作"), certificates=("健康证",)),
    Job("4-03-02-01", "中式烹调师", ("中式烹调师", "厨师", "炒锅师傅", "湖北菜厨师", "配菜打荷"),
        (CATER, CARE, EDU), (5000, 9000), day=(220, 320),
        skills=("湖北菜", "炒锅", "刀工", "凉菜"),
        certificates=("健康证", "中式烹调师职业技能等级证书")),
    Job("4-03-02-02", "中式面点师", ("面点师", "热干面师傅", "早点师傅"), (CATER,), (4500, 7000),
        day=(180, 260), skills=("热干面", "包子馒头", "面窝"), certificates=("健康证",)),
    Job("4-03-02-05", "餐厅服务员", ("餐厅服务员", "服务员", "传菜员", "洗碗工"), (CATER,),
        (3500, 5000), day=(150, 220), hour=(18, 25), skills=("点单", "传菜", "收台"),
        certificates=("健康证",)),
    Job("4-03-02-08", "咖啡师", ("咖啡师", "咖啡店店员"), (CATER, RETAIL), (4000, 6000),
        hour=(20, 28), skills=("意式咖啡", "拉花", "门店服务")),
    Job("4-03-02-10", "调饮师", ("奶茶店店员", "调饮师", "茶饮店员"), (CATER, RETAIL),
        (3800, 5500), hour=(18, 25), skills=("饮品制作", "收银", "门店服务"),
        certificates=("健康证",)),
    Job("4-03-01-02", "客房服务员", ("客房服务员", "酒店客房服务员"), (CATER,), (3800, 5000),
        day=(150, 200), skills=("客房清洁", "布草管理")),
    Job("4-03-01-01", "前厅服务员", ("酒店前台", "前厅接待"), (CATER,), (4000, 5500),
        skills=("入住登记", "电脑操作", "礼仪接待")),
    Job("4-14-05-04", "康乐服务员", ("电影院检票员", "影院服务员", "游乐场服务员"), (RETAIL,),
        (3500, 4800), day=(150, 300), hour=(18, 25), skills=("检票", "引导", "卖品销售")),
    Job("4-01-02-03", "商品营业员", ("营业员", "导购员", "门店店员"), (RETAIL, AUTO),
        (3800, 6000), hour=(18, 24), skills=("商品陈列", "销售", "收银")),
    Job("4-01-02-04", "收银员", ("收银员", "超市收银员"), (RETAIL, CATER), (3500, 4800),
        hour=(18, 23), skills=("收银系统", "点钞")),
    Job("4-01-02-01", "营销员", ("销售代表", "销售顾问", "汽车销售顾问"), (RETAIL, AUTO, IT, EDU),
        (4000, 12000), skills=("客户开发", "商务谈判", "CRM"), education=E.senior_high,
        intern=True),
    Job("4-01-06-01", "电子商务师", ("电商运营", "淘宝运营", "跨境电商运营专员"), (RETAIL, IT),
        (5000, 9000), skills=("店铺运营", "数据分析", "活动策划"), education=E.associate,
        intern=True),
    Job("4-01-06-02", "互联网营销师", ("直播带货主播", "直播销售员", "短视频运营"), (RETAIL, IT),
        (5000, 12000), hour=(25, 30), skills=("直播带货", "短视频剪辑", "脚本策划"),
        intern=True),
    Job("4-02-06-02", "理货员", ("理货员", "超市理货员", "仓库理货员"), (RETAIL, LOGI),
        (4000, 5500), day=(150, 220), hour=(18, 24), skills=("上架", "盘点", "PDA扫码")),
    Job("4-02-06-01", "仓储管理员", ("仓管员", "仓库管理员", "库管"), (LOGI, MFG, RETAIL),
        (4500, 6500), skills=("WMS系统", "出入库", "盘点", "Excel"), education=E.senior_high),
    Job("4-02-05-01", "装卸搬运工", ("装卸工", "搬运工", "装卸搬运工"), (LOGI, RETAIL, MFG),
        (5000, 8000), day=(200, 320), skills=("装卸", "搬运", "打托")),
    Job("4-02-07-02", "邮件分拣员", ("分拣员", "快递分拣员", "夜班分拣员"), (LOGI,), (4500, 6500),
        day=(160, 240), hour=(20, 26), skills=("分拣", "PDA扫码")),
    Job("4-02-07-08", "快递员", ("快递员", "快递派送员", "收派员"), (LOGI,), (6000, 10000),
        skills=("电动车驾驶", "熟悉片区", "客户服务")),
    Job("4-10-08-01", "网约配送员", ("外卖骑手", "网约配送员", "同城配送员", "送水工"),
        (LOGI, CATER, RETAIL), (6000, 11000), piece=(6, 9),
        skills=("电动车驾驶", "熟悉片区", "手机导航")),
    Job("6-30-05-01", "起重装卸机械操作工", ("叉车司机", "叉车工", "电动叉车司机"),
        (LOGI, MFG, AUTO), (5500, 8000), day=(220, 300), skills=("叉车驾驶", "装卸", "仓储"),
        certificates=("特种设备作业人员证（叉车N1）",)),
    Job("4-02-02-02", "道路货运汽车驾驶员", ("货车司机", "A2货车司机", "厢式货车司机", "配送司机"),
        (LOGI, RETAIL), (7000, 12000), skills=("长途驾驶", "城市配送", "车辆保养"),
        certificates=("A2驾驶证", "B2驾驶证", "道路运输从业资格证")),
    Job("4-02-02-01", "客运车辆驾驶员", ("网约车司机", "通勤班车司机", "商务车司机"),
        (LOGI, AUTO, EDU), (6000, 9000), skills=("安全驾驶", "熟悉武汉路况"),
        certificates=("C1驾驶证", "网络预约出租汽车驾驶员证")),
    Job("4-07-05-01", "保安员", ("保安员", "保安", "小区保安", "门岗保安"),
        (HOME, RETAIL, MFG, CARE, EDU, LOGI), (3500, 5000), day=(150, 200),
        skills=("巡逻", "门岗管理", "消防器材使用"), certificates=("保安员证",), welfare=True),
    Job("4-07-05-02", "安检员", ("安检员", "地铁安检员", "物流园安检员"), (LOGI, HOME),
        (4000, 5500), skills=("安检仪操作", "证件查验"), certificates=("保安员证",)),
    Job("4-09-08-01", "保洁员", ("保洁员", "保洁", "商场保洁", "医院保洁"), (HOME, CARE, RETAIL),
        (3200, 4500), day=(150, 220), hour=(20, 25), skills=("日常保洁", "垃圾分类"),
        welfare=True),
    Job("4-09-08-02", "生活垃圾清运工", ("环卫清运工", "垃圾分类督导员"), (HOME,), (3500, 5000),
        skills=("垃圾分类", "清运"), welfare=True),
    Job("4-09-10-01", "园林绿化工", ("绿化工", "园林养护工"), (HOME, BUILD), (3500, 5000),
        day=(160, 240), skills=("修剪", "浇灌", "病虫害防治"), welfare=True),
    Job("4-06-01-03", "停车管理员", ("停车管理员", "停车场收费员"), (HOME, RETAIL), (3200, 4500),
        skills=("车辆引导", "收费系统"), welfare=True),
    Job("4-06-01-01", "物业管理师", ("物业管理员", "物业客服", "物业管家"), (HOME,), (4000, 6000),
        skills=("业主服务", "报修处理", "收费管理"), education=E.associate),
    Job("3-01-04-01", "村务和社区工作者", ("社区协管员", "社区服务专员"), (HOME,), (3000, 4000),
        skills=("入户走访", "台账整理", "政策宣传"), welfare=True),
    Job("4-10-01-06", "家政服务员", ("家政服务员", "住家保姆", "月嫂", "钟点工"), (HOME,),
        (4500, 9000), hour=(25, 30), skills=("家务保洁", "烹饪", "母婴护理"),
        certificates=("健康证", "母婴护理职业技能等级证书")),
    Job("4-10-01-03", "保育师", ("育婴师", "保育员", "托育老师"), (EDU, HOME), (4000, 6500),
        skills=("婴幼儿照护", "辅食制作", "早期发展"), certificates=("保育师证", "育婴员证")),
    Job("4-10-01-01", "婴幼儿发展引导员", ("早教老师", "婴幼儿发展引导员"), (EDU,), (4000, 6500),
        skills=("亲子课程", "早期教育"), education=E.associate, intern=True),
    Job("4-10-01-05", "养老护理员", ("养老护理员", "护工", "养老院护理员"), (CARE, HOME),
        (4000, 6500), day=(180, 260), skills=("生活照料", "翻身护理", "基础康复"),
        certificates=("养老护理员职业技能等级证书", "健康证"), welfare=True),
    Job("4-14-01-02", "医疗护理员", ("医疗护理员", "医院护工", "住院陪护"), (CARE,), (4000, 6000),
        day=(180, 260), skills=("生活护理", "陪诊", "消毒隔离")),
    Job("4-10-04-02", "保健按摩师", ("保健按摩师", "盲人按摩师"), (CARE,), (4000, 8000),
        skills=("推拿按摩", "足部保健"), certificates=("保健按摩师职业技能等级证书",)),
    Job("2-05-08-01", "内科护士", ("护士", "内科护士", "病房护士"), (CARE,), (5000, 8000),
        skills=("静脉输液", "护理文书", "急救"), certificates=("护士执业证书",),
        education=E.associate, intern=True),
    Job("2-05-08-05", "社区护士", ("社区护士", "社区卫生服务中心护士"), (CARE,), (4500, 7000),
        skills=("慢病随访", "预防接种", "健康教育"), certificates=("护士执业证书",),
        education=E.associate),
    Job("2-05-06-01", "药师", ("药剂师", "执业药师", "药店店员"), (CARE, RETAIL), (5000, 8000),
        skills=("处方审核", "用药指导"), certificates=("执业药师职业资格证书",),
        education=E.associate),
    Job("4-12-01-01", "汽车维修工", ("汽车维修工", "汽修学徒", "机电维修技师", "钣喷技师"), (AUTO,),
        (5000, 10000), skills=("发动机维修", "故障诊断", "保养"),
        certificates=("汽车维修工职业技能等级证书",), intern=True),
    Job("4-12-03-01", "家用电器产品维修工", ("家电维修工", "空调维修师傅"), (HOME, RETAIL),
        (5000, 8000), day=(200, 300), skills=("空调维修", "冰箱维修", "上门服务")),
    Job("6-29-03-05", "制冷空调系统安装维修工", ("空调安装工", "中央空调安装维修工"),
        (BUILD, RETAIL), (6000, 10000), day=(250, 350), skills=("空调安装", "焊管", "抽真空"),
        certificates=("特种作业操作证（制冷与空调作业）",)),
    Job("6-29-01-01", "砌筑工", ("瓦工", "砌筑工", "泥瓦工"), (BUILD,), (7000, 11000),
        day=(280, 350), skills=("砌墙", "抹灰", "贴砖")),
    Job("6-29-01-04", "钢筋工", ("钢筋工", "钢筋绑扎工"), (BUILD,), (7000, 11000), day=(280, 350),
        skills=("钢筋绑扎", "识图", "钢筋下料")),
    Job("6-29-01-03", "混凝土工", ("混凝土工", "泥工"), (BUILD,), (6500, 10000), day=(250, 350),
        skills=("浇筑", "振捣", "养护")),
    Job("6-29-01-05", "架子工", ("架子工", "脚手架工"), (BUILD,), (7500, 12000), day=(300, 350),
        skills=("脚手架搭设", "高处作业"), certificates=("特种作业操作证（登高架设作业）",)),
    Job("6-29-04-01", "装饰装修工", ("装修工", "木工", "油漆工", "水电工"), (BUILD,), (6500, 11000),
        day=(250, 350), skills=("吊顶", "刷漆", "水电改造")),
    Job("6-29-02-08", "防水工", ("防水工", "屋面防水工"), (BUILD,), (6000, 9000), day=(250, 330),
        skills=("卷材防水", "涂膜防水")),
    Job("6-29-03-03", "电梯安装维修工", ("电梯安装工", "电梯维保工"), (BUILD, HOME), (6000, 10000),
        skills=("电梯维保", "故障排查"), certificates=("特种设备作业人员证（电梯修理）",)),
    Job("2-02-10-03", "计算机软件工程技术人员",
        ("Java开发工程师", "软件开发工程师", "后端开发工程师", "Python开发工程师"), (IT,),
        (9000, 15000), skills=("Java", "Python", "MySQL", "Linux", "Spring Boot"),
        education=E.bachelor, intern=True),
    Job("4-04-05-01", "计算机程序设计员", ("前端开发工程师", "初级程序员", "Web前端"), (IT,),
        (7000, 12000), skills=("JavaScript", "Vue", "HTML/CSS"), education=E.associate,
        intern=True),
    Job("4-04-05-05", "人工智能训练师", ("数据标注员", "AI训练师"), (IT,), (4500, 7000),
        hour=(20, 28), skills=("数据标注", "Excel", "质检"), education=E.associate, intern=True),
    Job("4-04-05-03", "呼叫中心服务员", ("电话客服", "在线客服", "客服专员"), (IT, RETAIL, LOGI),
        (4000, 6000), hour=(20, 25), skills=("普通话", "打字", "客户服务")),
    Job("2-06-03-00", "会计专业人员", ("会计", "出纳", "财务助理"), _ALL, (5000, 9000),
        skills=("财务软件", "Excel", "税务申报"), certificates=("初级会计专业技术资格",),
        education=E.associate, intern=True),
    Job("3-01-01-01", "行政办事员", ("行政文员", "办公室文员", "人事专员"), _ALL, (4000, 6000),
        skills=("Office办公软件", "公文写作", "档案管理"), education=E.associate, intern=True),
    Job("2-08-03-00", "幼儿园教师", ("幼儿园教师", "幼师"), (EDU,), (4500, 7000),
        skills=("幼儿教育", "钢琴", "舞蹈"), certificates=("幼儿园教师资格证",),
        education=E.associate, intern=True),
    Job("4-07-03-05", "职业培训师", ("职业技能培训讲师", "电工培训讲师"), (EDU,), (6000, 10000),
        skills=("课程开发", "授课"), education=E.associate),
    Job("4-13-04-01", "在线学习服务师", ("学习辅导老师", "课后托管老师", "在线辅导老师"), (EDU,),
        (4000, 6500), hour=(25, 30), skills=("作业辅导", "家校沟通"), education=E.associate,
        intern=True),
)
# fmt: on
JOBS_BY_CODE = {job.code: job for job in JOBS}
_GIG_PERKS = ("包吃包住", "日结", "包午餐", "当天结算", "现结", "")
_BENEFITS = (
    "五险一金", "缴纳五险", "包住宿", "提供工作餐", "餐补", "周末双休", "月休4天", "带薪年假",
    "节日福利", "年终奖", "免费技能培训", "交通补贴", "全勤奖",
)  # fmt: skip


# =============================================================================================
# Campaigns and events
# =============================================================================================


@dataclass(frozen=True)
class _Campaign:
    name: str
    kind: EventKind
    when: tuple[int, int] | None  # (month, day) of the yearly fair; None: rolling, all year
    title: str  # the city-wide event
    local: str  # a local event: {place} is a district, a street or a programme
    targets: tuple[str, ...]
    industries: tuple[str, ...]
    station_kind: StationKind | None
    venue: str | None
    description: str


# fmt: off
CAMPAIGNS: tuple[_Campaign, ...] = (
    _Campaign(
        "春风行动", EventKind.job_fair, (2, 20), "春风行动大型招聘会", "春风行动·{place}专场招聘会",
        ("migrant_worker", "poverty_alleviated"), (MFG, BUILD, LOGI, HOME, CATER, AUTO),
        StationKind.gig_station, "武汉国际博览中心",
        "面向农民工、脱贫劳动力和农村转移劳动力的节后返岗招聘，现场提供政策咨询和技能培训报名。",
    ),
    _Campaign(
        "就业援助月", EventKind.job_fair, (1, 15), "就业援助月专场招聘会",
        "就业援助月·{place}送岗位进社区",
        ("employment_difficulty", "zero_employment_household", "disabled"),
        (HOME, RETAIL, CATER, LOGI, CARE), StationKind.service_station, None,
        "为就业困难人员、零就业家庭成员和残疾人送政策、送岗位、送服务，公益性岗位优先安置。",
    ),
    _Campaign(
        "民营企业招聘月", EventKind.job_fair, (5, 10), "民营企业招聘月现场招聘会",
        "民营企业招聘月·{place}专场", (), (), StationKind.service_station, "武汉国际会展中心",
        "组织民营企业集中发布岗位，面向各类求职者提供现场面试和岗位咨询。",
    ),
    _Campaign(
        "高校毕业生就业服务月", EventKind.job_fair, (6, 12), "高校毕业生就业服务月双选会",
        "高校毕业生就业服务月·{place}青年专场", ("graduate",),
        (IT, EDU, CARE, RETAIL, AUTO, MFG), StationKind.talent_station, "中国光谷科技会展中心",
        "面向高校毕业生和离校未就业青年，提供岗位推荐、职业指导和就业见习机会（“311”服务）。",
    ),
    _Campaign(
        "英雄城市军岗日", EventKind.special_recruitment, (8, 1),
        "英雄城市军岗日退役军人专场招聘会", "英雄城市军岗日·{place}退役军人专场", ("veteran",),
        (LOGI, HOME, MFG, AUTO, BUILD, IT), StationKind.veteran_station, "武汉客厅",
        "退役军人专场招聘，岗位同等条件下优先录用退役军人，现场办理实名就业登记。",
    ),
    _Campaign(
        "金秋招聘月", EventKind.job_fair, (9, 16), "金秋招聘月大型招聘会", "金秋招聘月·{place}专场",
        (), (), StationKind.service_station, "武汉客厅",
        "秋季集中招聘，覆盖制造、服务、物流、信息技术等行业。",
    ),
    _Campaign(
        "为百姓送岗位社区行", EventKind.campaign, None, "为百姓送岗位社区行启动仪式",
        "为百姓送岗位社区行·{place}站", (), (HOME, RETAIL, CATER, CARE, LOGI),
        StationKind.service_station, None,
        "把岗位送到家门口：社区现场招聘、政策宣讲和求职登记。",
    ),
    _Campaign(
        "直播带岗", EventKind.livestream, None, "“就业直播间”直播带岗开播专场",
        "“就业直播间”直播带岗第{place}期", (), (), StationKind.talent_station, None,
        "人社部门联合用人单位在线直播推介岗位，观众可在直播间一键投递简历。",
    ),
)
# fmt: on
LIVESTREAM_BASE_URL = "https://live.jobcircle.example/wuhan"


# =============================================================================================
# Priority groups: what members typically look like
# =============================================================================================


@dataclass(frozen=True)
class _Profile:
    ages: tuple[int, int]
    jobs: tuple[str, ...]  # occupation codes members often look for
    types: tuple[EmploymentType, ...]
    education: tuple[Education, ...]
    evidence: str  # "{ym}" is the month of certification
    certified_days: tuple[int, int] | None = None  # certified this many days ago
    certified_between: tuple[date, date] | None = None  # or within these dates
    homes: str = "residents"  # "residents", "outer" or "river"
    not_choosy: float = 0.2


FT, PT, GIG = EmploymentType.full_time, EmploymentType.part_time, EmploymentType.gig
INTERN, WELFARE = EmploymentType.internship, EmploymentType.public_welfare
# fmt: off
_SIMPLE_JOBS = ("4-09-08-01", "4-07-05-01", "4-06-01-03", "4-09-10-01", "3-01-04-01",
                "4-10-01-05", "4-02-06-02", "4-03-02-05")
_LOW_EDU = (E.primary, E.junior_high, E.junior_high, E.senior_high)
PROFILES: dict[str, _Profile] = {
    "graduate": _Profile(
        (21, 26), ("2-02-10-03", "4-04-05-01", "2-06-03-00", "3-01-01-01", "4-01-06-01",
                   "4-01-06-02", "2-05-08-01", "2-08-03-00", "4-04-05-05", "6-31-03-05"),
        (FT, INTERN), (E.associate, E.bachelor, E.bachelor, E.master),
        "离校未就业高校毕业生实名登记 {ym}", certified_days=(5, 400)),
    "veteran": _Profile(
        (23, 45), ("4-07-05-01", "4-02-02-02", "4-02-02-01", "6-31-01-03", "4-02-07-08",
                   "4-07-05-02", "4-06-01-01", "6-30-05-01"),
        (FT,), (E.senior_high, E.vocational, E.associate, E.bachelor),
        "退役军人优待证 {ym}", certified_days=(60, 1500)),
    "fishing_ban_fisher": _Profile(
        (38, 60), ("4-07-05-01", "4-09-08-01", "4-02-05-01", "4-09-10-01", "4-10-08-01",
                   "6-31-05-00", "4-03-02-05"),
        (FT, GIG, WELFARE), (E.primary, E.junior_high), "长江禁捕退捕渔民建档立卡 {ym}",
        certified_between=(date(2020, 10, 1), date(2021, 3, 31)), homes="river",
        not_choosy=0.5),
    "employment_difficulty": _Profile(
        (35, 58), _SIMPLE_JOBS, (FT, WELFARE, PT), _LOW_EDU, "就业困难人员认定表 {ym}",
        certified_days=(3, 75), not_choosy=0.6),
    "zero_employment_household": _Profile(
        (25, 55), _SIMPLE_JOBS, (FT, WELFARE), _LOW_EDU, "零就业家庭认定表 {ym}",
        certified_days=(1, 40), not_choosy=0.5),
    "poverty_alleviated": _Profile(
        (22, 55), ("6-25-04-07", "6-22-01-01", "4-02-05-01", "6-05-01-03", "4-03-02-05",
                   "6-29-01-01", "4-10-01-06"),
        (FT, GIG), _LOW_EDU, "脱贫人口建档立卡 {ym}", certified_days=(1200, 3000),
        homes="outer"),
    "disabled": _Profile(
        (20, 55), ("4-04-05-03", "3-01-01-01", "4-04-05-05", "4-01-02-04", "6-31-05-00",
                   "4-10-04-02", "4-01-06-01"),
        (FT, PT), (E.junior_high, E.senior_high, E.vocational, E.associate),
        "残疾人证 {ym}", certified_days=(200, 3000)),
    "migrant_worker": _Profile(
        (20, 55), ("6-18-02-04", "6-29-01-01", "6-29-01-04", "6-29-04-01", "4-02-05-01",
                   "6-22-01-01", "6-25-04-07", "4-02-07-08", "4-10-08-01", "6-30-05-01",
                   "4-03-02-01"),
        (FT, GIG), (*_LOW_EDU, E.vocational), "农村劳动力转移就业实名登记 {ym}",
        certified_days=(10, 700), homes="outer"),
    "long_term_unemployed": _Profile(
        (25, 50), ("4-02-06-01", "4-01-02-03", "4-04-05-03", "3-01-01-01", "6-31-03-05",
                   "4-07-05-01", "4-02-07-08"),
        (FT,), (E.junior_high, E.senior_high, E.vocational, E.associate),
        "失业登记证（连续失业12个月以上） {ym}", certified_days=(365, 900)),
    "older_worker": _Profile(
        (40, 59), ("4-07-05-01", "4-09-08-01", "4-10-01-06", "4-10-01-05", "4-06-01-03",
                   "4-03-02-05", "4-02-06-02", "4-14-01-02"),
        (FT, PT, GIG), _LOW_EDU, "“4050”人员认定 {ym}", certified_days=(30, 600),
        not_choosy=0.4),
    "urban_youth": _Profile(
        (18, 29), ("4-01-02-03", "4-03-02-10", "4-03-02-08", "4-04-05-03", "4-01-06-02",
                   "4-10-08-01", "4-12-01-01", "6-18-01-07"),
        (FT, PT), (E.senior_high, E.vocational, E.associate), "城镇青年失业登记 {ym}",
        certified_days=(10, 300)),
    "released_prisoner": _Profile(
        (25, 50), ("4-02-05-01", "4-10-08-01", "6-29-01-01", "4-03-02-05", "6-22-01-01"),
        (FT, GIG), _LOW_EDU, "刑满释放证明书 {ym}", certified_days=(20, 400), not_choosy=0.4),
    "drug_rehabilitated": _Profile(
        (25, 50), ("4-02-05-01", "4-10-08-01", "6-25-04-07", "4-03-02-05", "4-09-08-01"),
        (FT, GIG), _LOW_EDU, "解除社区康复证明 {ym}", certified_days=(30, 500)),
    "low_income": _Profile(
        (25, 58), _SIMPLE_JOBS, (FT, PT, WELFARE), _LOW_EDU, "低收入家庭认定 {ym}",
        certified_days=(30, 700), not_choosy=0.4),
    "flexible_worker": _Profile(
        (20, 50), ("4-10-08-01", "4-02-02-01", "4-10-01-06", "4-01-06-02", "4-02-07-08"),
        (GIG, PT, FT), (E.junior_high, E.senior_high, E.vocational, E.associate),
        "灵活就业人员登记 {ym}", certified_days=(10, 500)),
}
_GENERAL = _Profile(
    (18, 58), tuple(JOBS_BY_CODE), (FT, FT, FT, PT, GIG, INTERN),
    (E.junior_high, E.senior_high, E.vocational, E.associate, E.bachelor, E.bachelor,
     E.master),
    "{name}认定 {ym}", certified_days=(10, 600),
)
# How common each group is among registered jobseekers (groups a city adds weigh 2).
_GROUP_SHARE = {
    "migrant_worker": 20, "graduate": 18, "flexible_worker": 10, "older_worker": 10,
    "employment_difficulty": 8, "urban_youth": 8, "long_term_unemployed": 6,
    "poverty_alleviated": 5, "veteran": 5, "low_income": 4, "zero_employment_household": 3,
    "disabled": 3, "fishing_ban_fisher": 2, "released_prisoner": 1, "drug_rehabilitated": 1,
}
_COMPANIONS = {
    "employment_difficulty": ("zero_employment_household", "disabled", "long_term_unemployed",
                              "older_worker", "low_income"),
    "migrant_worker": ("poverty_alleviated", "flexible_worker"),
    "poverty_alleviated": ("migrant_worker",),
    "fishing_ban_fisher": ("older_worker", "migrant_worker"),
    "zero_employment_household": ("employment_difficulty", "low_income"),
    "older_worker": ("long_term_unemployed", "employment_difficulty"),
    "disabled": ("employment_difficulty", "low_income"),
    "long_term_unemployed": ("employment_difficulty", "older_worker"),
    "released_prisoner": ("long_term_unemployed", "low_income"),
    "drug_rehabilitated": ("employment_difficulty",),
    "low_income": ("employment_difficulty",),
    "urban_youth": ("long_term_unemployed",),
    "flexible_worker": ("migrant_worker",),
}
_DISABILITY_KINDS = ("肢体四级", "肢体三级", "听力三级", "视力二级", "言语四级")
_FISHER_DISTRICTS = {"420117": 3, "420113": 2, "420115": 2, "420114": 2, "420116": 2,
                     "420111": 1, "420112": 1}
# fmt: on


# =============================================================================================
# People: names, phones, ID numbers
# =============================================================================================

# fmt: off
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢"
    "蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵"
    "孟龙万段雷钱汤尹黎易常武乔贺赖龚文喻涂"
)
_HUBEI_SURNAMES = frozenset("胡熊万汪喻涂余")
_MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰亮成志文博东晨昊轩睿哲"
    "豪航嘉泽宏海江川松柏坤毅诚"
)
_FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞燕玲婷雪慧莹倩琳颖洁晶欣悦璐瑶怡佳梦雨萱涵诗思琪妍雯蕾薇月红梅兰凤秀英"
    "萍丹"
)
_YOUNG_MALE = ("子轩", "浩然", "宇航", "梓豪", "俊杰", "一鸣", "博文", "明轩", "天佑", "思远",
               "嘉豪", "子墨", "睿泽", "宇轩")
_YOUNG_FEMALE = ("梓涵", "欣怡", "雨萱", "诗涵", "可欣", "语嫣", "佳怡", "思琪", "梦瑶", "雨桐",
                 "紫萱", "一诺", "若曦", "芷若")
_OLDER_MALE = ("建国", "建华", "国强", "志强", "卫东", "红军", "德明", "建军", "国平", "春生",
               "长江", "汉生")
_OLDER_FEMALE = ("秀英", "桂英", "红梅", "玉兰", "淑珍", "丽华", "春梅", "秀珍", "凤英", "翠萍",
                 "桂兰", "汉英")
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181",
    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
)
# fmt: on
