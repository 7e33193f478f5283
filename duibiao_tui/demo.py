"""Demo data: realistic, repeatable Zhenjiang manufacturing enterprises for a fresh database.

Why this exists: an empty database shows nothing of the app. Officers trying it out, the
developers profiling the enterprise list and the screenshot/functional tests all need a few
dozen to a few thousand enterprises that look like the ones on the 2009 forms — names such as
镇江市长江电器设备厂 with polyphonic characters (so pinyin search is exercised), valid
统一社会信用代码 and 组织机构代码, 0511 landlines and mobiles written the ways officers write
them, 大类 codes that match the products. Everything comes from one ``random.Random(seed)``,
so the same seed gives the same content in the same order (only the uuid4 row ids differ).

Every enterprise goes through ``Store.add_enterprise``, the same validation path as the form,
so demo data can never hold a value the app would refuse.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from duibiao_tui.demo_review import fill_review_demo
from duibiao_tui.domain import industry
from duibiao_tui.domain.identifiers import USCC_ALPHABET, org_code_check_char, uscc_check_char
from duibiao_tui.domain.item_rules import ItemInput, validate_item
from duibiao_tui.domain.models import District, EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.reference import ASPECTS
from duibiao_tui.domain.text import name_key
from duibiao_tui.store.items import ITEM_INSERT, item_row_values, new_id
from duibiao_tui.store.store import Store

__all__ = ["DEFAULT_ENTERPRISES", "REFERENCE_NAME", "fill_demo"]

DEFAULT_ENTERPRISES = 60

REFERENCE_NAME = "镇江市长江电器设备厂"
"""The reference example for polyphonic search (市长 / 长江); added when 10 or more are asked."""
_REFERENCE_DISTRICT = "京口区"
_REFERENCE_MIN = 10

PROGRESS_EVERY = 50

# Share of enterprises with a USCC, with only a legacy 组织机构代码, and (the rest) with none.
_USCC_SHARE = 0.85
_ORG_CODE_SHARE = 0.10
# Share of USCCs whose 主体标识码 is a post-2015 "MA1…" code; the rest embed the enterprise's
# older 8-digit 组织机构代码, as pre-2015 enterprises' codes do.
_NEW_BODY_SHARE = 0.6
_BLANK_PHONE_SHARE = 0.10
_FAMOUS_SHARE = 0.20
_AWARD_SHARE = 0.08
_NOTE_SHARE = 0.06

# District name → (weight, 登记管理机关行政区划码 for the USCC). 镇江新区 is a functional zone
# without a GB/T 2260 code (321191 is not one): its enterprises register with the city, 321100.
_DISTRICT_PLAN: dict[str, tuple[int, str]] = {
    "京口区": (20, "321102"),
    "润州区": (12, "321111"),
    "丹徒区": (12, "321112"),
    "丹阳市": (26, "321181"),
    "扬中市": (12, "321182"),
    "句容市": (12, "321183"),
    "镇江新区": (6, "321100"),
}
_CITY_REGION = "321100"

# Name prefix per district: the 县级市 use their own name, the 区 and 新区 use 镇江市.
_CITY_PREFIX = {"丹阳市": "丹阳市", "扬中市": "扬中市", "句容市": "句容市"}


@dataclass(frozen=True)
class _Line:
    """A line of business: its 制造业 大类, the words it puts in names, its products."""

    key: str
    division: str
    weight: int
    company_words: tuple[str, ...]
    """Product words before 有限公司 / 股份有限公司 / 集团有限公司."""
    factory_words: tuple[str, ...]
    """Product words before 厂."""
    products: tuple[str, ...]
    short_texts: tuple[str, ...]
    """所在行业 as officers abbreviate it on the form."""


def _line(
    key: str, division: str, weight: int, words: str, factory: str, products: str, short: str
) -> _Line:
    """A ``_Line`` from space-separated word lists, to keep the table below readable."""
    return _Line(
        key,
        division,
        weight,
        tuple(words.split()),
        tuple(factory.split()),
        tuple(products.split()),
        tuple(short.split()),
    )


# key, 大类, weight, words for companies, words for 厂, products, 所在行业 as abbreviated.
_LINES: tuple[_Line, ...] = (
    _line("电气", "38", 10, "电气 电器 电器设备 电力设备 输变电设备 开关", "电器设备 电器 开关",
          "高低压开关柜 箱式变电站 母线槽 断路器 干式变压器 船用电器", "电气机械 输配电及控制设备"),
    _line("电缆", "38", 4, "电缆 电线电缆 特种电缆", "电缆 电线",
          "电力电缆 控制电缆 船用电缆 架空绝缘电缆", "电线电缆 电气机械"),
    _line("机械", "34", 6, "机械 机械设备 重工 起重机械", "机械 农机",
          "起重机械 空气压缩机 齿轮减速机 液压件", "通用设备 机械制造"),
    _line("泵阀", "34", 4, "泵阀 泵业 阀门 轴承", "水泵 阀门 轴承",
          "离心泵 闸阀 截止阀 滚动轴承", "通用设备 泵阀"),
    _line("化工", "26", 5, "化工 精细化工 化学", "化工 化学试剂",
          "醋酸乙烯 胶粘剂 化学试剂 农药中间体 树脂", "化工 化学原料"),
    _line("涂料", "26", 2, "涂料 油漆", "涂料 油漆",
          "工业涂料 船舶涂料 建筑涂料", "涂料 化工"),
    _line("建材", "30", 5, "建材 新型建材 水泥", "水泥 建材 耐火材料",
          "普通硅酸盐水泥 商品混凝土 加气混凝土砌块 耐火材料", "建材 非金属矿物制品"),
    _line("玻璃", "30", 2, "玻璃 玻璃钢", "玻璃 玻璃钢",
          "钢化玻璃 中空玻璃 玻璃钢管道", "建材 玻璃制品"),
    _line("醋业", "14", 3, "醋业 调味品 酿造", "酿造 调味品 酱醋",
          "香醋 酱油 调味料 酱菜", "调味品制造 食品"),
    _line("食品", "14", 2, "食品", "食品",
          "糕点 速冻食品 酱菜 罐头", "食品"),
    _line("酒", "15", 2, "酒业 酿酒", "酒 酿酒",
          "封缸酒 黄酒 白酒", "酒饮料 酿酒"),
    _line("茶", "15", 1, "茶业 茶叶", "茶 茶叶",
          "绿茶 茶叶", "制茶 茶叶"),
    _line("仪表", "40", 5, "仪器仪表 仪表 自动化仪表 光学仪器", "仪表 仪器 光学仪器",
          "电能表 流量计 压力表 分析仪器 温度变送器 光学仪器", "仪器仪表 仪表"),
    # 眼镜制造 is 3587 under 专用设备 in GB/T 4754-2017 (it was under 仪器仪表 in 2011).
    _line("眼镜", "35", 3, "眼镜 光学眼镜 镜片 眼镜配件", "眼镜 镜片 眼镜架",
          "树脂镜片 光学镜片 眼镜架 太阳镜", "眼镜 眼镜制造 专用设备"),
    _line("专用设备", "35", 4, "专用设备 环保设备 工程机械 食品机械", "专用机械 环保设备",
          "环保设备 工程机械配件 食品机械 印刷机械", "专用设备"),
    _line("汽配", "36", 6, "汽车配件 汽车部件 车灯 汽车零部件", "汽车配件 车灯 汽车附件",
          "汽车灯具 制动器总成 汽车座椅 汽车内饰件 散热器 汽车滤清器", "汽车配件 汽车零部件"),
    _line("船舶", "37", 4, "船舶配件 船舶设备 船用设备", "船舶配件 船用设备",
          "船用舾装件 船用阀门 甲板机械 船用锚链 舱口盖", "船舶配套 船舶配件"),
    _line("纺织", "17", 4, "纺织 丝绸 棉纺", "纺织 丝织 棉纺",
          "棉纱 坯布 色织布 真丝面料", "纺织"),
    _line("服装", "18", 3, "服饰 服装 制衣", "服装 制衣",
          "西服 衬衫 针织服装 职业装", "服装 服装服饰"),
    _line("纸业", "22", 3, "纸业 纸品 包装", "造纸 纸箱 纸品",
          "文化用纸 瓦楞纸箱 铜版纸 特种纸", "造纸 纸制品"),
    _line("金属制品", "33", 7, "金属制品 五金 钢结构 紧固件", "五金 金属制品 钢结构",
          "钢结构件 五金工具 铝合金门窗 紧固件 不锈钢制品", "金属制品 五金"),
    _line("电子", "39", 5, "电子 电子科技 通信设备", "电子 无线电",
          "印制电路板 电子元件 通信设备 电子变压器 电源模块", "电子 电子元器件"),
    _line("药业", "27", 3, "药业 制药 生物制药", "制药 药",
          "中成药 化学原料药 片剂 胶囊剂", "医药 制药"),
    _line("塑料", "29", 3, "塑料 塑胶 塑业", "塑料 塑料制品",
          "塑料管材 塑料薄膜 注塑件 塑料编织袋", "塑料制品"),
    _line("橡胶", "29", 2, "橡胶 橡塑", "橡胶 橡胶制品",
          "橡胶密封件 橡胶输送带 橡胶软管", "橡胶制品 橡塑"),
    _line("有色", "32", 2, "铝业 有色金属 铜业", "铝材 铜材",
          "铝板带箔 铝型材 铜杆 铜管", "有色金属 铝加工"),
)  # fmt: skip

# Extra weight of some lines in some districts: 丹阳 眼镜 and 汽车配件, 扬中 电气,
# 句容 建材, the 新区 (大港) 化工 and 造纸, 京口 仪表 and 电子.
_DISTRICT_BONUS: dict[str, dict[str, int]] = {
    "丹阳市": {"眼镜": 18, "汽配": 12, "酒": 2, "纺织": 3},
    "扬中市": {"电气": 14, "电缆": 6, "船舶": 4},
    "句容市": {"建材": 6, "玻璃": 2, "茶": 3, "醋业": 1},
    "镇江新区": {"化工": 6, "涂料": 2, "纸业": 5, "船舶": 3},
    "京口区": {"仪表": 4, "电子": 4, "醋业": 2},
    "润州区": {"醋业": 3, "有色": 2},
    "丹徒区": {"船舶": 4, "机械": 3},
}

_TRADE_NAMES: tuple[str, ...] = tuple(
    # Polyphonic on purpose: 长 chang/zhang, 行 xing/hang, 重 zhong/chong, 乐 le/yue, 句 ju/gou.
    (
        "长江 长城 长乐 长荣 行健 天行 重光 重华 乐华 安乐 句曲 华通 金山 北固 恒顺 大港 "
        "宝华 新坝 远东 天工 亚星 鼎盛 华东 江南 润扬 银河 东方 中孚 苏南 京口 焦山 南山 "
        "茅山 云阳 齐梁 梦溪 金港 扬子 三茅 华阳 丹凤 永盛 兴达 宏达 新华 环宇 金鹰 华泰 "
        "振华 瑞丰 富达 国泰 华美 飞达 天元 雪峰 正昌 协和 华鹏 通达 金润 丰源 海通 明珠"
    ).split()
)

_COMPANY_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("有限公司", 60),
    ("股份有限公司", 16),
    ("集团有限公司", 8),
    ("有限责任公司", 6),
)
_FACTORY_SHARE = 0.18

# Streets and places per district, written the way addresses appear on the forms.
_PLACES: dict[str, tuple[str, ...]] = {
    "京口区": (
        "镇江市京口区学府路",
        "镇江市京口区中山东路",
        "镇江市京口区象山路",
        "镇江市京口区东吴路",
        "镇江市京口区梦溪路",
        "镇江市京口区桃花坞路",
        "镇江市京口区禹山路",
        "镇江市京口区京口工业园区纬一路",
    ),
    "润州区": (
        "镇江市润州区南徐大道",
        "镇江市润州区金山路",
        "镇江市润州区黄山南路",
        "镇江市润州区官塘桥路",
        "镇江市润州区檀山路",
        "镇江市润州区润州工业园区宝塔路",
    ),
    "丹徒区": (
        "镇江市丹徒区谷阳大道",
        "镇江市丹徒区高资镇工业集中区",
        "镇江市丹徒区辛丰镇工业园",
        "镇江市丹徒区上党镇",
        "镇江市丹徒区宜城街道长香西大道",
    ),
    "丹阳市": (
        "丹阳市开发区齐梁路",
        "丹阳市开发区金陵西路",
        "丹阳市云阳镇丹金路",
        "丹阳市司徒镇工业园",
        "丹阳市吕城镇运河路",
        "丹阳市后巷镇工业园",
        "丹阳市皇塘镇蒋墅工业园",
        "丹阳市延陵镇",
    ),
    "扬中市": (
        "扬中市新坝镇新材料工业园",
        "扬中市油坊镇",
        "扬中市三茅街道扬子中路",
        "扬中市八桥镇",
        "扬中市西来桥镇",
        "扬中市经济开发区港西路",
    ),
    "句容市": (
        "句容市宝华镇仙林东路",
        "句容市华阳镇华阳北路",
        "句容市下蜀镇临港工业区",
        "句容市黄梅街道宁杭南路",
        "句容市经济开发区",
        "句容市郭庄镇",
    ),
    "镇江新区": (
        "镇江新区大港港南路",
        "镇江新区丁卯经十路",
        "镇江新区金港大道",
        "镇江新区大路镇",
        "镇江新区姚桥镇",
        "镇江新区丁卯桥路",
    ),
}

_SURNAMES: tuple[str, ...] = (
    # Common in southern Jiangsu, with local ones: 眭, 贡, 束 (丹阳) and 笪 (句容).
    "王", "张", "陈", "李", "刘", "周", "徐", "朱", "孙", "吴", "蒋", "沈", "顾", "陆", "钱",
    "殷", "丁", "汤", "杨", "赵", "黄", "胡", "高", "何", "马", "许", "冯", "姚", "范", "戴",
    "眭", "贡", "束", "笪", "严", "潘", "杜", "薛", "尹", "邵", "葛", "贺", "谢", "曹", "袁",
)  # fmt: skip
_GIVEN_NAMES: tuple[str, ...] = tuple(
    (
        "建国 国平 明华 志强 建军 卫东 晓东 小平 永康 国庆 建华 春燕 秀英 桂芳 玉兰 海燕 "
        "晓明 文斌 志刚 德明 立新 金龙 亚萍 俊杰 建平 荣华 新民 国忠 福林 云峰 海峰 丽娟 "
        "红霞 伟 勇 杰 涛 斌 敏 静 丽 芳 燕 玲 琴 萍 洁 军 强 峰 超 磊 刚 鹏 辉 华 平 明"
    ).split()
)

# Mobile prefixes of 2009 (移动 / 联通 / 电信); all are valid in python-phonenumbers' CN data.
_MOBILE_PREFIXES: tuple[str, ...] = (
    "139", "138", "137", "136", "135", "134", "159", "158", "157", "152", "151", "150",
    "130", "131", "132", "155", "156", "186", "133", "153", "189", "180", "188", "187",
)  # fmt: skip
# Leading digits of 0511 local numbers by district (local numbers have 8 digits starting 8).
_LANDLINE_LEADS: dict[str, tuple[str, ...]] = {
    "京口区": ("85", "84", "88"),
    "润州区": ("85", "84", "88"),
    "丹徒区": ("85", "83"),
    "丹阳市": ("86",),
    "扬中市": ("88",),
    "句容市": ("87",),
    "镇江新区": ("83", "85"),
}

_AWARDS: tuple[str, ...] = ("镇江市市长质量奖", "江苏省质量奖")
_NOTES: tuple[str, ...] = (
    "2008年通过ISO 9001质量管理体系复审",
    "拟推荐申报江苏省质量奖",
    "已导入卓越绩效模式",
    "联系人已调岗，电话待核实",
    "主导产品获江苏省名牌产品称号",
    "2009年新建生产线，产能翻番",
)

# Pre-2015 组织机构代码 bodies from Zhenjiang mostly start with these two digits.
_OLD_BODY_LEADS: tuple[str, ...] = ("13", "14", "25", "60", "70", "72", "73", "74", "75", "76")


class _Generator:
    """All random choices of one fill, from one ``random.Random``."""

    def __init__(self, rng: random.Random, districts: Sequence[District]) -> None:
        self.rng = rng
        self.districts = list(districts)
        self.names_used: set[str] = set()
        """name_key of every name taken; names are kept unique across the whole city."""
        self.bodies_used: set[str] = set()
        self.division_names = {d.code: d.name for d in industry.divisions("C")}

    # -- district and industry ------------------------------------------------------

    def district_plan(self, count: int) -> list[District]:
        """Districts for ``count`` enterprises: each one at least once, the rest by weight."""
        rng = self.rng
        weights = [_DISTRICT_PLAN.get(d.name, (5, _CITY_REGION))[0] for d in self.districts]
        plan = list(self.districts) if count >= len(self.districts) else []
        plan += rng.choices(self.districts, weights=weights, k=count - len(plan))
        rng.shuffle(plan)
        return plan

    def line_for(self, district: District) -> _Line:
        bonus = _DISTRICT_BONUS.get(district.name, {})
        weights = [line.weight + bonus.get(line.key, 0) for line in _LINES]
        return self.rng.choices(_LINES, weights=weights)[0]

    # -- name ---------------------------------------------------------------------------

    def name_for(self, district: District, line: _Line) -> str:
        """A name not used yet anywhere in the fill; 4-character trade names once 2 run short."""
        for attempt in range(2000):
            trade = self.rng.choice(_TRADE_NAMES)
            if attempt >= 200:
                trade += self.rng.choice(_TRADE_NAMES)
            name = self._compose(district, line, trade)
            if self.claim_name(name):
                return name
        raise RuntimeError(f"无法为{district.name}生成不重复的企业名称")

    def _compose(self, district: District, line: _Line, trade: str) -> str:
        rng = self.rng
        own = _CITY_PREFIX.get(district.name, "镇江市")
        roll = rng.random()
        if roll < 0.70:
            prefix = own
        elif roll < 0.90:
            prefix = "江苏"
        else:
            prefix = ""
        if prefix and prefix != "江苏" and rng.random() < _FACTORY_SHARE:
            return f"{prefix}{trade}{rng.choice(line.factory_words)}厂"
        suffixes, weights = zip(*_COMPANY_SUFFIXES, strict=True)
        suffix = rng.choices(suffixes, weights=weights)[0]
        return f"{prefix}{trade}{rng.choice(line.company_words)}{suffix}"

    def claim_name(self, name: str) -> bool:
        key = name_key(name)
        if key in self.names_used:
            return False
        self.names_used.add(key)
        return True

    # -- identifiers --------------------------------------------------------------------

    def _body(self, *, new_style: bool) -> str:
        """An 8-character 组织机构代码 body (without its check character) not used before."""
        rng = self.rng
        while True:
            if new_style:
                body = "MA1" + "".join(rng.choices(USCC_ALPHABET, k=5))
            else:
                body = rng.choice(_OLD_BODY_LEADS) + "".join(rng.choices("0123456789", k=6))
            if body not in self.bodies_used:
                self.bodies_used.add(body)
                return body

    def credit_code(self, district: District) -> str:
        """A USCC (~85 %), a legacy 组织机构代码 XXXXXXXX-X (~10 %) or nothing."""
        rng = self.rng
        roll = rng.random()
        if roll < _USCC_SHARE:
            region = _DISTRICT_PLAN.get(district.name, (0, district.code or _CITY_REGION))[1]
            body = self._body(new_style=rng.random() < _NEW_BODY_SHARE)
            first17 = f"91{region}{body}{org_code_check_char(body)}"
            return first17 + uscc_check_char(first17)
        if roll < _USCC_SHARE + _ORG_CODE_SHARE:
            body = self._body(new_style=False)
            return f"{body}-{org_code_check_char(body)}"
        return ""

    # -- the rest -----------------------------------------------------------------------

    def address(self, district: District) -> str:
        rng = self.rng
        place = rng.choice(_PLACES.get(district.name, ("镇江市",)))
        return f"{place}{rng.randint(1, 299)}号"

    def industry_text(self, line: _Line) -> str:
        if self.rng.random() < 0.7:
            return self.division_names.get(line.division, "")
        return self.rng.choice(line.short_texts)

    def products(self, line: _Line) -> str:
        count = self.rng.choice((1, 1, 2, 2, 3))
        return "、".join(self.rng.sample(line.products, k=min(count, len(line.products))))

    def person(self) -> str:
        rng = self.rng
        return rng.choice(_SURNAMES) + rng.choice(_GIVEN_NAMES)

    def phone(self, district: District) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < _BLANK_PHONE_SHARE:
            return ""
        digits = "0123456789"
        if roll < 0.50:
            number = rng.choice(_MOBILE_PREFIXES) + "".join(rng.choices(digits, k=8))
            if rng.random() < 0.5:
                return f"{number[:3]} {number[3:7]} {number[7:]}"
            return number
        lead = rng.choice(_LANDLINE_LEADS.get(district.name, ("85",)))
        local = lead + "".join(rng.choices(digits, k=6))
        style = rng.random()
        if style < 0.55:
            text = f"0511-{local}"
        elif style < 0.70:
            text = f"0511-{local[:4]} {local[4:]}"
        elif style < 0.85:
            text = f"(0511){local}"
        else:
            text = local  # a bare local number: the app adds 0511
        ext_roll = rng.random()
        if ext_roll < 0.15:
            text += f"转{rng.randint(800, 8999)}"
        elif ext_roll < 0.20:
            text += f"-{rng.randint(800, 8999)}" if text.startswith("0511-") else ""
        return text

    def enterprise(self, district: District) -> EnterpriseInput:
        line = self.line_for(district)
        name = self.name_for(district, line)
        return self.details(district, line, name)

    def details(self, district: District, line: _Line, name: str) -> EnterpriseInput:
        rng = self.rng
        credit_code = self.credit_code(district)
        address = self.address(district)
        industry_text = self.industry_text(line)
        products = self.products(line)
        contact = self.person()
        phone = self.phone(district)
        famous = rng.random() < _FAMOUS_SHARE
        award = rng.random() < _AWARD_SHARE
        award_name = rng.choice(_AWARDS) if award else ""
        award_year = str(rng.randint(2003, 2009)) if award else ""
        notes = rng.choice(_NOTES) if rng.random() < _NOTE_SHARE else ""
        return EnterpriseInput(
            name=name,
            credit_code=credit_code,
            address=address,
            district_id=district.id,
            industry_section="C",
            industry_division=line.division,
            industry_text=industry_text,
            main_products=products,
            contact_name=contact,
            phone=phone,
            famous_brand=famous,
            quality_award=award,
            award_name=award_name,
            award_year=award_year,
            notes=notes,
        )


def _reference_line() -> _Line:
    return next(line for line in _LINES if line.key == "电气")


def _taken(store: Store, gen: _Generator) -> None:
    """Reserve the names and code bodies already in ``store``, so a second fill adds more."""
    for row in store.search_enterprises(EnterpriseQuery()):
        gen.names_used.add(name_key(row.name))
        code = row.credit_code.replace("-", "")
        if len(code) == 18:
            gen.bodies_used.add(code[8:16])
        elif len(code) == 9:
            gen.bodies_used.add(code[:8])


# -- benchmark items ----------------------------------------------------------------------

_ITEM_SHARE = 0.85
"""Share of enterprises that have filled in their 情况表."""
_ROWS_MIN, _ROWS_MODE, _ROWS_MAX = 5, 50, 60
"""Rows per form: triangular, mean 38 (about 32 per enterprise over the whole register)."""
_FLUSH_EVERY = 5000
"""Rows kept in memory before they are written with one executemany."""
_TEXT_BENCHMARK_SHARE = 0.06
_TEXT_BENCHMARKS: tuple[str, ...] = (
    "国内同行业先进企业",
    "行业平均水平",
    "日本同类企业",
    "德国同类产品",
    "江苏省内同行业领先企业",
    "长三角地区同类企业",
)
"""标杆(优秀)企业/地址 written out instead of picked from the library, as on paper forms."""


@dataclass(frozen=True)
class _BenchmarkSeed:
    name: str
    address: str
    level: str
    lines: frozenset[str]
    """_Line keys this enterprise is a sensible benchmark for."""


def _bench(name: str, address: str, level: str, lines: str) -> _BenchmarkSeed:
    return _BenchmarkSeed(name, address, level, frozenset(lines.split()))


_BENCHMARKS: tuple[_BenchmarkSeed, ...] = (
    _bench("西门子（中国）有限公司", "北京市朝阳区", "国际先进", "电气 仪表 电子 机械"),
    _bench("ABB（中国）有限公司", "北京市朝阳区", "国际先进", "电气 电缆 仪表"),
    _bench("施耐德电气（中国）有限公司", "北京市朝阳区", "国际先进", "电气"),
    _bench("博世（中国）投资有限公司", "上海市长宁区", "国际先进", "汽配 机械 专用设备"),
    _bench("巴斯夫（中国）有限公司", "上海市浦东新区", "国际先进", "化工 涂料 塑料"),
    _bench("立邦涂料（中国）有限公司", "上海市青浦区", "国际先进", "涂料"),
    _bench("上海依视路光学有限公司", "上海市松江区", "国际先进", "眼镜"),
    _bench("圣戈班（中国）投资有限公司", "上海市", "国际先进", "玻璃 建材"),
    _bench("斯凯孚（中国）有限公司", "上海市", "国际先进", "泵阀 机械"),
    _bench("卡特彼勒（中国）投资有限公司", "北京市", "国际先进", "机械 专用设备"),
    _bench("辉瑞制药有限公司", "辽宁省大连市", "国际先进", "药业"),
    _bench("雀巢（中国）有限公司", "北京市", "国际先进", "食品"),
    _bench("联合利华（中国）有限公司", "上海市", "国际先进", "茶 食品"),
    _bench("美铝（中国）投资有限公司", "北京市", "国际先进", "有色"),
    _bench("飞利浦（中国）投资有限公司", "上海市", "国际先进", "电子 电气"),
    _bench("东丽（中国）投资有限公司", "上海市", "国际先进", "纺织 服装"),
    _bench("瓦锡兰（中国）有限公司", "上海市", "国际先进", "船舶"),
    _bench("普利司通（中国）投资有限公司", "上海市", "国际先进", "橡胶"),
    _bench("正泰集团股份有限公司", "浙江省乐清市", "国内领先", "电气 仪表"),
    _bench("德力西集团有限公司", "浙江省乐清市柳市镇", "国内领先", "电气"),
    _bench("远东控股集团有限公司", "江苏省宜兴市", "国内领先", "电缆"),
    _bench("三一重工股份有限公司", "湖南省长沙市", "国内领先", "机械 专用设备"),
    _bench("万向集团公司", "浙江省杭州市萧山区", "国内领先", "汽配 泵阀"),
    _bench("福耀玻璃工业集团股份有限公司", "福建省福清市", "国内领先", "玻璃 汽配"),
    _bench("安徽海螺水泥股份有限公司", "安徽省芜湖市", "国内领先", "建材"),
    _bench("扬子江药业集团有限公司", "江苏省泰州市", "国内领先", "药业"),
    _bench("贵州茅台酒股份有限公司", "贵州省仁怀市", "国内领先", "酒"),
    _bench("佛山市海天调味食品股份有限公司", "广东省佛山市", "国内领先", "醋业 食品"),
    _bench("华为技术有限公司", "广东省深圳市", "国内领先", "电子"),
    _bench("金发科技股份有限公司", "广东省广州市", "国内领先", "塑料"),
    _bench("中策橡胶集团有限公司", "浙江省杭州市", "国内领先", "橡胶"),
    _bench("山东南山铝业股份有限公司", "山东省龙口市", "国内领先", "有色"),
    _bench("雅戈尔集团股份有限公司", "浙江省宁波市", "国内领先", "服装 纺织"),
    _bench("山东晨鸣纸业集团股份有限公司", "山东省寿光市", "国内领先", "纸业"),
    _bench("重庆川仪自动化股份有限公司", "重庆市北碚区", "国内领先", "仪表"),
    _bench("浙江省茶叶集团股份有限公司", "浙江省杭州市", "国内领先", "茶"),
    _bench("晋亿实业股份有限公司", "浙江省嘉善县", "国内领先", "金属制品"),
    _bench("上海电气集团股份有限公司", "上海市", "行业标杆", "电气 机械"),
    _bench("许继集团有限公司", "河南省许昌市", "行业标杆", "电气"),
    _bench("徐工集团工程机械有限公司", "江苏省徐州市", "行业标杆", "机械 专用设备"),
    _bench("潍柴动力股份有限公司", "山东省潍坊市", "行业标杆", "机械 船舶 汽配"),
    _bench("中核苏阀科技实业股份有限公司", "江苏省苏州市", "行业标杆", "泵阀"),
    _bench("亨通集团有限公司", "江苏省吴江市", "行业标杆", "电缆"),
    _bench("江苏洋河酒厂股份有限公司", "江苏省宿迁市", "行业标杆", "酒"),
    _bench("山西老陈醋集团有限公司", "山西省清徐县", "行业标杆", "醋业"),
    _bench("江苏长电科技股份有限公司", "江苏省江阴市", "行业标杆", "电子"),
    _bench("中国巨石股份有限公司", "浙江省桐乡市", "行业标杆", "玻璃"),
    _bench("江苏阳光集团有限公司", "江苏省江阴市", "行业标杆", "纺织 服装"),
    _bench("烟台万华聚氨酯股份有限公司", "山东省烟台市", "行业标杆", "化工 塑料"),
    _bench("江苏恒顺醋业股份有限公司", "江苏省镇江市", "地区优秀", "醋业 食品"),
    _bench("大全集团有限公司", "江苏省扬中市", "地区优秀", "电气 电缆"),
    _bench("江苏索普（集团）有限公司", "江苏省镇江市", "地区优秀", "化工"),
    _bench("江苏丹化集团有限责任公司", "江苏省丹阳市", "地区优秀", "化工 涂料"),
    _bench("江苏鱼跃医疗设备股份有限公司", "江苏省丹阳市", "地区优秀", "专用设备 仪表"),
    _bench("江苏万新光学有限公司", "江苏省丹阳市", "地区优秀", "眼镜"),
    _bench("金东纸业（江苏）股份有限公司", "江苏省镇江市", "地区优秀", "纸业"),
    _bench("江苏天工工具有限公司", "江苏省丹阳市", "地区优秀", "金属制品 机械"),
    _bench("江苏句容台泥水泥有限公司", "江苏省句容市", "地区优秀", "建材"),
    _bench("镇江船厂（有限责任公司）", "江苏省镇江市", "地区优秀", "船舶"),
)
_LEVEL_WEIGHTS = {"国际先进": 25, "国内领先": 35, "行业标杆": 25, "地区优秀": 20}


@dataclass(frozen=True)
class _Indicator:
    """One 指标内容 of an aspect and how its 标杆水平 and 对比结果 are written.

    kinds: ``up``/``down`` are percentages where higher/lower is better (results in
    个百分点); ``more``/``less`` are quantities with a unit where more/less is better;
    ``text`` has fixed wordings (level, behind, level with, ahead).
    """

    aspect: str
    name: str
    kind: str
    low: float = 0.0
    high: float = 0.0
    unit: str = ""
    digits: int = 1
    words: tuple[str, str] = ("低", "高")
    """How a worse / a better value is described (长/短 for a cycle time)."""
    texts: tuple[str, str, str, str] = ("", "", "", "")


def _pct(aspect: str, name: str, low: float, high: float, digits: int = 1) -> _Indicator:
    return _Indicator(aspect, name, "up", low, high, "%", digits)


def _pct_down(aspect: str, name: str, low: float, high: float, digits: int = 2) -> _Indicator:
    return _Indicator(aspect, name, "down", low, high, "%", digits, ("高", "低"))


def _qty(
    aspect: str, name: str, low: float, high: float, unit: str, digits: int, words: str
) -> _Indicator:
    """A quantity; ``words`` is "worse better": "低 高" means more is better."""
    worse, better = words.split()
    kind = "more" if (worse, better) in {("低", "高"), ("少", "多"), ("短", "长")} else "less"
    return _Indicator(aspect, name, kind, low, high, unit, digits, (worse, better))


def _text(
    aspect: str, name: str, level: str, behind: str, level_with: str, ahead: str
) -> _Indicator:
    return _Indicator(aspect, name, "text", texts=(level, behind, level_with, ahead))


_INDICATORS: tuple[_Indicator, ...] = (
    _pct("设备", "数控化率", 60, 92),
    _pct("设备", "关键设备完好率", 95, 99.5),
    _pct("设备", "设备综合效率（OEE）", 75, 88),
    _qty("设备", "主要生产设备平均役龄", 3, 8, "年", 0, "长 短"),
    _pct("设备", "自动化生产线比例", 50, 85),
    _text("设备", "关键工序加工设备", "全部采用进口数控加工中心", "关键工序仍用普通机床",
          "已配置同等水平加工中心", "2008年引进五轴加工中心，优于标杆"),
    _pct("工艺", "产品一次交验合格率", 97, 99.8),
    _pct("工艺", "工艺纪律执行率", 95, 99.5),
    _qty("工艺", "关键工序过程能力指数 Cpk", 1.33, 1.67, "", 2, "低 高"),
    _pct("工艺", "材料利用率", 85, 96),
    _qty("工艺", "单位产品综合能耗", 0.12, 0.45, "吨标煤/万元", 2, "高 低"),
    _qty("产品设计", "新产品开发周期", 4, 12, "个月", 0, "长 短"),
    _pct("产品设计", "三维 CAD/CAE 应用率", 70, 98),
    _pct("产品设计", "新产品产值率", 20, 45),
    _pct("产品设计", "设计评审覆盖率", 95, 99.5),
    _qty("产品设计", "年申请专利数", 8, 60, "项", 0, "少 多"),
    _qty("产品品种", "产品规格型号数", 150, 800, "种", 0, "少 多"),
    _qty("产品品种", "年新增品种数", 10, 40, "个", 0, "少 多"),
    _pct("产品品种", "定制产品比例", 20, 50),
    _pct("档次", "高端产品销售占比", 30, 65),
    _pct("档次", "出口产品比例", 15, 45),
    _pct("档次", "主导产品市场占有率", 8, 35),
    _text("档次", "品牌荣誉", "中国名牌产品、中国驰名商标", "江苏省名牌产品",
          "中国名牌产品", "中国名牌产品、江苏省质量奖"),
    _pct("性能", "主要性能参数达标率", 98, 99.8),
    _text("性能", "产品能效等级", "1 级能效", "2 级能效", "1 级能效", "1 级能效，能耗低于标杆 5%"),
    _qty("性能", "运行噪声", 55, 68, " dB(A)", 0, "高 低"),
    _qty("性能", "产品设计寿命", 15, 30, "年", 0, "短 长"),
    _pct("性能", "额定效率", 92, 98),
    _qty("可靠性", "平均无故障工作时间（MTBF）", 8000, 50000, "小时", -3, "低 高"),
    _pct_down("可靠性", "产品返修率", 0.2, 1.5),
    _pct_down("可靠性", "早期故障率", 0.1, 0.8),
    _pct_down("可靠性", "三包期内故障率", 0.3, 2.0),
    _pct("标准水平", "采用国际标准比例", 60, 95),
    _qty("标准水平", "严于国家标准的企业标准", 5, 30, "项", 0, "少 多"),
    _qty("标准水平", "参与制修订国家、行业标准", 2, 15, "项", 0, "少 多"),
    _text("标准水平", "标准化良好行为", "AAAA 级", "AA 级", "AAAA 级", "AAAA 级，主持制定行业标准"),
    _pct("计量检测手段", "检测设备配备率", 95, 99.5),
    _pct("计量检测手段", "计量器具周期受检率", 98, 99.9),
    _pct("计量检测手段", "在线检测覆盖率", 60, 95),
    _text("计量检测手段", "理化实验室", "通过 CNAS 实验室认可", "未申请认可，部分项目外委检测",
          "2008年通过 CNAS 认可", "通过 CNAS 认可并承担行业比对试验"),
    _pct("生产过程的质量控制", "关键工序 SPC 应用率", 70, 98),
    _qty("生产过程的质量控制", "过程不良率", 50, 500, " ppm", 0, "高 低"),
    _pct_down("生产过程的质量控制", "质量损失率", 0.5, 2.0),
    _pct("生产过程的质量控制", "首件检验执行率", 98, 99.9),
    _pct("检验把关", "出厂检验合格率", 99.5, 99.98, 2),
    _pct("检验把关", "进货检验批次合格率", 97, 99.8),
    _qty("检验把关", "顾客投诉率", 0.5, 5, "次/万台", 1, "高 低"),
    _text("检验把关", "产品监督抽查", "近三年国家监督抽查全部合格", "2008年省监督抽查一次不合格",
          "近三年监督抽查全部合格", "近五年国家、省监督抽查全部合格"),
    _text("质量管理制度", "质量体系认证", "ISO 9001、ISO 14001、OHSAS 18001 三体系认证",
          "仅通过 ISO 9001 认证", "已通过三体系认证", "三体系认证并通过 ISO/TS 16949"),
    _text("质量管理制度", "卓越绩效模式", "2005年导入卓越绩效模式，获全国质量奖",
          "尚未导入", "已导入，2008年自评 520 分", "已导入，获江苏省质量奖"),
    _qty("质量管理制度", "QC 小组活动", 20, 80, "个/年", 0, "少 多"),
    _text("质量管理制度", "质量成本核算", "建立完整质量成本核算体系", "仅统计废品损失",
          "已建立质量成本核算体系", "质量成本纳入经营考核"),
    _pct("质量管理制度", "质量责任制覆盖率", 95, 99.5),
)  # fmt: skip

_ASPECT_WEIGHTS: dict[str, int] = {
    "设备": 11,
    "工艺": 12,
    "产品设计": 8,
    "产品品种": 5,
    "档次": 5,
    "性能": 8,
    "可靠性": 8,
    "标准水平": 6,
    "计量检测手段": 8,
    "生产过程的质量控制": 10,
    "检验把关": 10,
    "质量管理制度": 9,
}

_MEASURES: dict[str, tuple[str, ...]] = {
    "设备": (
        "分期引进数控加工中心{n}台",
        "对老旧设备进行数控化改造",
        "推行全员生产维护（TPM），提高设备完好率",
        "建立设备点检制度，关键设备实行状态监测",
        "投资{m}万元新建自动化生产线",
    ),
    "工艺": (
        "修订关键工序作业指导书",
        "开展工艺纪律专项检查，每月考核",
        "引进{process}新工艺",
        "推行精益生产，优化工艺流程",
        "关键工序设置质量控制点",
    ),
    "产品设计": (
        "建立产品数据管理（PDM）系统",
        "与{university}开展产学研合作",
        "推行三维设计和仿真分析",
        "申报省级企业技术中心",
        "新产品开发实行项目管理",
    ),
    "产品品种": (
        "开发{n}个新规格系列产品",
        "按用户需求开发定制产品",
        "调整产品结构，淘汰低端品种",
    ),
    "档次": (
        "开发高附加值产品，提高高端产品比重",
        "申报江苏省名牌产品",
        "开拓出口市场，取得 CE 认证",
        "加强品牌建设，提高市场占有率",
    ),
    "性能": (
        "对标样机进行性能比对试验",
        "改进结构设计，降低噪声和能耗",
        "采用新材料提高产品性能",
        "与{university}合作攻关关键性能指标",
    ),
    "可靠性": (
        "开展可靠性增长试验",
        "建立售后质量信息反馈系统，逐月分析返修原因",
        "关键元器件实行合格供方管理",
        "新产品设计开展 FMEA 分析",
    ),
    "标准水平": (
        "采用 IEC/ISO 国际标准组织生产",
        "制定严于国家标准的企业内控标准",
        "参与行业标准制修订",
        "开展标准化良好行为创建",
    ),
    "计量检测手段": (
        "购置{equipment}等检测设备",
        "建立测量管理体系，申请测量管理体系认证",
        "理化实验室申请 CNAS 认可",
        "关键工序增设在线检测装置",
    ),
    "生产过程的质量控制": (
        "关键工序推行 SPC 统计过程控制",
        "推行六西格玛管理，每年完成改进项目{n}项",
        "实行质量损失考核到班组",
        "严格执行首件检验和自检、互检、专检“三检制”",
    ),
    "检验把关": (
        "加强进货检验，严格供方评价",
        "出厂检验实行全检",
        "增配专职检验员{n}名",
        "建立顾客投诉快速处理机制",
    ),
    "质量管理制度": (
        "通过 ISO 14001、OHSAS 18001 认证",
        "导入卓越绩效模式，争创江苏省质量奖",
        "每年开展 QC 小组活动不少于{n}个",
        "建立质量成本核算制度",
        "完善质量责任制和质量考核办法",
    ),
}
_FILL: dict[str, tuple[str, ...]] = {
    "process": ("激光焊接", "真空浸漆", "粉末喷涂", "精密铸造", "自动化装配"),
    "university": ("江苏大学", "江苏科技大学", "东南大学", "南京航空航天大学"),
    "equipment": ("三坐标测量机", "光谱分析仪", "盐雾试验箱", "高低温试验箱", "万能材料试验机"),
}

_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "设备": ("设备部", "生产部"),
    "工艺": ("技术部", "生产部"),
    "产品设计": ("技术部",),
    "产品品种": ("技术部", "销售部"),
    "档次": ("销售部", "技术部"),
    "性能": ("技术部",),
    "可靠性": ("质量部", "技术部"),
    "标准水平": ("技术部", "质量部"),
    "计量检测手段": ("计量室", "质量部"),
    "生产过程的质量控制": ("生产部", "质量部"),
    "检验把关": ("质量部", "采购部"),
    "质量管理制度": ("质量部",),
}
_REMARKS: tuple[str, ...] = (
    "需技改投入约{m}万元",
    "已列入2010年技改计划",
    "标杆数据来自行业协会2008年统计",
    "标杆数据来自公开资料",
    "与标杆企业交流后确认",
)
_VERDICT_WEIGHTS = {"落后": 68, "持平": 17, "领先": 9, "": 6}
_DUE_YEARS = {2010: 25, 2011: 30, 2012: 22, 2013: 13, 2014: 10}


class _ItemGenerator:
    """All random choices of the 情况表 rows, from their own ``random.Random``.

    A separate generator keeps the enterprises of a seed the same as before items existed.
    """

    def __init__(self, rng: random.Random, library: dict[_BenchmarkSeed, str]) -> None:
        self.rng = rng
        self.library = library
        """Benchmark seed → id of its library entry."""
        self.weights = [
            _ASPECT_WEIGHTS[i.aspect] / sum(1 for j in _INDICATORS if j.aspect == i.aspect)
            for i in _INDICATORS
        ]

    def form(self, line_key: str) -> list[ItemInput]:
        """The rows of one enterprise: runs of indicators, one benchmark per run."""
        rng = self.rng
        count = round(rng.triangular(_ROWS_MIN, _ROWS_MAX, _ROWS_MODE))
        runs = (
            1 if count < 12 else rng.choice((1, 2, 2, 3)) if count <= 40 else rng.choice((2, 3, 4))
        )
        sizes = self._split(count, runs)
        rows: list[ItemInput] = []
        for benchmark, size in zip(self._benchmarks(line_key, runs), sizes, strict=True):
            for indicator in self._indicators(size):
                rows.append(self.row(benchmark, indicator))
        return rows

    def _split(self, count: int, runs: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, count), runs - 1)) if runs > 1 else []
        bounds = [0, *cuts, count]
        return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]

    def _benchmarks(self, line_key: str, runs: int) -> list[_BenchmarkSeed | str]:
        rng = self.rng
        fitting = [b for b in self.library if line_key in b.lines] or list(self.library)
        chosen: list[_BenchmarkSeed | str] = []
        for _ in range(runs):
            if rng.random() < _TEXT_BENCHMARK_SHARE:
                chosen.append(rng.choice(_TEXT_BENCHMARKS))
                continue
            left = [b for b in fitting if b not in chosen] or fitting
            chosen.append(rng.choices(left, weights=[_LEVEL_WEIGHTS[b.level] for b in left])[0])
        return chosen

    def _indicators(self, size: int) -> list[_Indicator]:
        """``size`` indicators, weighted by aspect, without repeats while there are enough,
        in the notice's aspect order (officers go through the aspects in turn)."""
        rng = self.rng
        keyed = sorted(
            zip(
                (rng.random() ** (1 / w) for w in self.weights),
                range(len(_INDICATORS)),
                strict=True,
            ),
            reverse=True,
        )
        picked = [i for _, i in keyed[:size]]
        picked += rng.choices(range(len(_INDICATORS)), weights=self.weights, k=size - len(picked))
        picked.sort(key=lambda i: (ASPECTS.index(_INDICATORS[i].aspect), i))
        return [_INDICATORS[i] for i in picked]

    def row(self, benchmark: _BenchmarkSeed | str, indicator: _Indicator) -> ItemInput:
        rng = self.rng
        verdict = rng.choices(list(_VERDICT_WEIGHTS), weights=list(_VERDICT_WEIGHTS.values()))[0]
        level, result = self.comparison(indicator, verdict or "落后")
        roll = rng.random()
        return ItemInput(
            benchmark_id=self.library[benchmark] if isinstance(benchmark, _BenchmarkSeed) else None,
            benchmark_text=benchmark if isinstance(benchmark, str) else "",
            aspect=indicator.aspect,
            indicator=indicator.name,
            benchmark_level="" if roll < 0.01 else level,
            result_text="" if 0.01 <= roll < 0.025 else result,
            verdict="" if 0.01 <= roll < 0.025 else verdict,
            measures="" if 0.025 <= roll < 0.055 else self.measures(indicator.aspect),
            department="" if 0.055 <= roll < 0.075 else self.department(indicator.aspect),
            due_text="" if 0.075 <= roll < 0.115 else self.due_text(),
            remarks=self._fill(rng.choice(_REMARKS)) if rng.random() < 0.1 else "",
        )

    # -- wording ----------------------------------------------------------------------

    def comparison(self, ind: _Indicator, verdict: str) -> tuple[str, str]:
        """标杆水平 and 对比结果 for an indicator, behind, level with or ahead of it."""
        rng = self.rng
        if ind.kind == "text":
            level, behind, level_with, ahead = ind.texts
            own = {"落后": behind, "持平": level_with, "领先": ahead}[verdict]
            if rng.random() < 0.5:
                own = f"本企业 {own}" if own[0].isascii() else f"本企业{own}"
            return level, own
        digits = max(ind.digits, 0)
        bench = round(rng.uniform(ind.low, ind.high), ind.digits)
        shown = _number(bench, digits)
        if ind.kind in ("up", "down"):
            return f"{shown}%", self._points(ind, bench, verdict)
        level = f"{shown}{ind.unit}"
        if verdict == "持平":
            return level, rng.choice(("基本持平", "与标杆持平", f"本企业 {level}，持平"))
        worse = ind.kind == "more"
        factor = rng.uniform(0.45, 0.9) if (verdict == "落后") == worse else rng.uniform(1.1, 1.8)
        own = round(bench * factor, ind.digits)
        if own == bench:
            own = bench + (1 if factor > 1 else -1) * 10**-ind.digits
        gap = _number(abs(own - bench), digits)
        word = ind.words[0] if verdict == "落后" else ind.words[1]
        if rng.random() < 0.5:
            return level, f"本企业 {_number(own, digits)}{ind.unit}，{word} {gap}{ind.unit}"
        return level, f"{word} {round(abs(own - bench) / bench * 100)}%"

    def _points(self, ind: _Indicator, bench: float, verdict: str) -> str:
        """对比结果 of a percentage, in 个百分点 as the forms write it."""
        rng = self.rng
        step = 10**-ind.digits
        if verdict == "持平":
            return rng.choice(
                ("基本持平", "与标杆持平", f"本企业 {_number(bench, ind.digits)}%，持平")
            )
        lower_is_better = ind.kind == "down"
        if lower_is_better:
            span = bench * (rng.uniform(0.3, 2.0) if verdict == "落后" else rng.uniform(0.1, 0.6))
        else:
            # Behind by up to a quarter of the level, but only a few points near 100 %.
            behind = min(bench * 0.25, (100 - bench) * 3 + 2)
            room = behind if verdict == "落后" else min(5.0, 100 - bench)
            span = rng.uniform(step, max(step, room))
        gap = max(step, round(span, ind.digits))
        higher = (verdict == "落后") == lower_is_better
        own = min(100.0, max(0.0, bench + gap if higher else bench - gap))
        gap = round(abs(own - bench), ind.digits) or step
        word = "高" if higher else "低"
        text = f"{word} {_number(gap, ind.digits)} 个百分点"
        return f"本企业 {_number(own, ind.digits)}%，{text}" if rng.random() < 0.4 else text

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            n=rng.randint(2, 6),
            m=rng.choice((50, 80, 120, 200, 300, 500, 800, 1200)),
            **{key: rng.choice(options) for key, options in _FILL.items()},
        )

    def measures(self, aspect: str) -> str:
        """1–3 steps; several are numbered as officers write them on the form."""
        rng = self.rng
        options = _MEASURES[aspect]
        count = min(len(options), rng.choices((1, 2, 3), weights=(40, 40, 20))[0])
        steps = [self._fill(t) for t in rng.sample(options, count)]
        if count == 1:
            return steps[0]
        return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))

    def department(self, aspect: str) -> str:
        rng = self.rng
        options = _DEPARTMENTS[aspect]
        if len(options) > 1 and rng.random() < 0.15:
            return "、".join(options)
        return rng.choice(options)

    def due_text(self) -> str:
        """A 完成时间 in one of the spellings officers use (all accepted by the parser)."""
        rng = self.rng
        year = rng.choices(list(_DUE_YEARS), weights=list(_DUE_YEARS.values()))[0]
        month = rng.choice((3, 6, 6, 9, 12, 12, 12))
        day = calendar.monthrange(year, month)[1]
        style = rng.randrange(10)
        return (
            f"{year}年底",
            f"{year}年{month}月",
            f"{year}-{month:02d}-{day:02d}",
            f"{year}年",
            f"{year}/{month}/{day}",
            f"{year}.{month}.{day}",
            f"{year}年{month}月底",
            f"{year}年{'上' if month <= 6 else '下'}半年",
            f"{year}年{month}月{day}日",
            f"{year}年底前",
        )[style]


def _number(value: float, digits: int) -> str:
    return f"{value:.{max(digits, 0)}f}"


def _library(store: Store) -> dict[_BenchmarkSeed, str]:
    """The demo benchmarks in the library, added unless an earlier fill (or an officer)
    already has them: seed → library id."""
    existing = {(name_key(b.name), b.address): b.id for b in store.benchmarks()}
    ids: dict[_BenchmarkSeed, str] = {}
    for seed in _BENCHMARKS:
        found = existing.get((name_key(seed.name), seed.address))
        ids[seed] = found or store.add_benchmark(seed.name, seed.address, seed.level).id
    return ids


class _ItemWriter:
    """Validated rows gathered and written with executemany, one audit row per row."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.now = store.clock()
        self.campaign_id = store.active_campaign().id
        self.pending: list[tuple[object, ...]] = []

    def add(self, enterprise_id: str, rows: Sequence[ItemInput]) -> None:
        officer = self.store.officer
        for seq, data in enumerate(rows, start=1):
            clean = validate_item(data)
            values = item_row_values(
                new_id(), enterprise_id, self.campaign_id, seq, clean, self.now, officer
            )
            self.pending.append(values)
        if len(self.pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.store.conn.executemany(ITEM_INSERT, self.pending)
        self.store._audit_many(
            "benchmark_item",
            ((values[0], "insert", None, None, None) for values in self.pending),
            self.now,
        )
        self.pending = []


def fill_demo(
    store: Store,
    *,
    enterprises: int = DEFAULT_ENTERPRISES,
    seed: int = 2009,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``enterprises`` demo enterprises in one transaction; returns how many were added.

    About 85 % of them get a filled-in 情况表 (5–60 rows, ~38 on average) against a
    benchmark library of every level, which is added once and reused by later fills; those
    forms then go through the review (``demo_review``: every status, flags, measure
    progress, recognitions).
    On an empty database the same ``seed`` gives the same names, districts, codes, phones,
    rows and order every time (row ids are fresh uuid4s). Names and codes already in the
    database are avoided, so filling twice adds more enterprises instead of failing.
    ``progress(done, total)`` is called every 50 enterprises and once at the end. Any
    error rolls the whole fill back.

    Rows pass ``validate_item`` like the form's, but are written with executemany and one
    audit row each (not one per field): 3,000 enterprises make ~100,000 rows.
    """
    if enterprises < 0:
        raise ValueError("enterprises must be >= 0")
    districts = store.districts()
    if enterprises and not districts:
        raise ValueError("the database has no districts")
    gen = _Generator(random.Random(seed), districts)
    _taken(store, gen)
    plan = gen.district_plan(enterprises)
    reference_at: int | None = None
    if enterprises >= _REFERENCE_MIN:
        candidates = (i for i, d in enumerate(plan) if d.name == _REFERENCE_DISTRICT)
        reference_at = next(candidates, None)
        if reference_at is not None and not gen.claim_name(REFERENCE_NAME):
            reference_at = None  # already there from an earlier fill

    with store.write():
        items = _ItemGenerator(random.Random(f"items-{seed}"), _library(store))
        writer = _ItemWriter(store)
        with_forms: list[str] = []
        for done, district in enumerate(plan, start=1):
            if done - 1 == reference_at:
                line = _reference_line()
                data = gen.details(district, line, REFERENCE_NAME)
            else:
                line = gen.line_for(district)
                data = gen.details(district, line, gen.name_for(district, line))
            enterprise = store.add_enterprise(data)
            if done - 1 == reference_at or items.rng.random() < _ITEM_SHARE:
                writer.add(enterprise.id, items.form(line.key))
                with_forms.append(enterprise.id)
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == enterprises):
                progress(done, enterprises)
        writer.flush()
        fill_review_demo(store, with_forms, seed)
    if progress is not None and enterprises == 0:
        progress(0, 0)
    return len(plan)
