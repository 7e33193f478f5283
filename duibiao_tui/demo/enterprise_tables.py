"""The words of the demo's enterprises: districts, lines of business, names, places, people.

Data only; ``enterprises`` draws from it. Shares are of all enterprises generated.
"""

from __future__ import annotations

from dataclasses import dataclass

# Share of enterprises with a USCC, with only a legacy 组织机构代码, and (the rest) with none.
USCC_SHARE = 0.85
ORG_CODE_SHARE = 0.10
# Share of USCCs whose 主体标识码 is a post-2015 "MA1…" code; the rest embed the enterprise's
# older 8-digit 组织机构代码, as pre-2015 enterprises' codes do.
NEW_BODY_SHARE = 0.6
BLANK_PHONE_SHARE = 0.10
FAMOUS_SHARE = 0.20
AWARD_SHARE = 0.08
NOTE_SHARE = 0.06

# District name → (weight, 登记管理机关行政区划码 for the USCC). 镇江新区 is a functional zone
# without a GB/T 2260 code (321191 is not one): its enterprises register with the city, 321100.
DISTRICT_PLAN: dict[str, tuple[int, str]] = {
    "京口区": (20, "321102"),
    "润州区": (12, "321111"),
    "丹徒区": (12, "321112"),
    "丹阳市": (26, "321181"),
    "扬中市": (12, "321182"),
    "句容市": (12, "321183"),
    "镇江新区": (6, "321100"),
}
CITY_REGION = "321100"

# Name prefix per district: the 县级市 use their own name, the 区 and 新区 use 镇江市.
CITY_PREFIX = {"丹阳市": "丹阳市", "扬中市": "扬中市", "句容市": "句容市"}


@dataclass(frozen=True)
class Line:
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
) -> Line:
    """A ``Line`` from space-separated word lists, to keep the table below readable."""
    return Line(
        key,
        division,
        weight,
        tuple(words.split()),
        tuple(factory.split()),
        tuple(products.split()),
        tuple(short.split()),
    )


# key, 大类, weight, words for companies, words for 厂, products, 所在行业 as abbreviated.
LINES: tuple[Line, ...] = (
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
DISTRICT_BONUS: dict[str, dict[str, int]] = {
    "丹阳市": {"眼镜": 18, "汽配": 12, "酒": 2, "纺织": 3},
    "扬中市": {"电气": 14, "电缆": 6, "船舶": 4},
    "句容市": {"建材": 6, "玻璃": 2, "茶": 3, "醋业": 1},
    "镇江新区": {"化工": 6, "涂料": 2, "纸业": 5, "船舶": 3},
    "京口区": {"仪表": 4, "电子": 4, "醋业": 2},
    "润州区": {"醋业": 3, "有色": 2},
    "丹徒区": {"船舶": 4, "机械": 3},
}

TRADE_NAMES: tuple[str, ...] = tuple(
    # Polyphonic on purpose: 长 chang/zhang, 行 xing/hang, 重 zhong/chong, 乐 le/yue, 句 ju/gou.
    (
        "长江 长城 长乐 长荣 行健 天行 重光 重华 乐华 安乐 句曲 华通 金山 北固 恒顺 大港 "
        "宝华 新坝 远东 天工 亚星 鼎盛 华东 江南 润扬 银河 东方 中孚 苏南 京口 焦山 南山 "
        "茅山 云阳 齐梁 梦溪 金港 扬子 三茅 华阳 丹凤 永盛 兴达 宏达 新华 环宇 金鹰 华泰 "
        "振华 瑞丰 富达 国泰 华美 飞达 天元 雪峰 正昌 协和 华鹏 通达 金润 丰源 海通 明珠"
    ).split()
)

COMPANY_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("有限公司", 60),
    ("股份有限公司", 16),
    ("集团有限公司", 8),
    ("有限责任公司", 6),
)
FACTORY_SHARE = 0.18

# Streets and places per district, written the way addresses appear on the forms.
PLACES: dict[str, tuple[str, ...]] = {
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

SURNAMES: tuple[str, ...] = (
    # Common in southern Jiangsu, with local ones: 眭, 贡, 束 (丹阳) and 笪 (句容).
    "王", "张", "陈", "李", "刘", "周", "徐", "朱", "孙", "吴", "蒋", "沈", "顾", "陆", "钱",
    "殷", "丁", "汤", "杨", "赵", "黄", "胡", "高", "何", "马", "许", "冯", "姚", "范", "戴",
    "眭", "贡", "束", "笪", "严", "潘", "杜", "薛", "尹", "邵", "葛", "贺", "谢", "曹", "袁",
)  # fmt: skip
GIVEN_NAMES: tuple[str, ...] = tuple(
    (
        "建国 国平 明华 志强 建军 卫东 晓东 小平 永康 国庆 建华 春燕 秀英 桂芳 玉兰 海燕 "
        "晓明 文斌 志刚 德明 立新 金龙 亚萍 俊杰 建平 荣华 新民 国忠 福林 云峰 海峰 丽娟 "
        "红霞 伟 勇 杰 涛 斌 敏 静 丽 芳 燕 玲 琴 萍 洁 军 强 峰 超 磊 刚 鹏 辉 华 平 明"
    ).split()
)

# Mobile prefixes of 2009 (移动 / 联通 / 电信); all are valid in python-phonenumbers' CN data.
MOBILE_PREFIXES: tuple[str, ...] = (
    "139", "138", "137", "136", "135", "134", "159", "158", "157", "152", "151", "150",
    "130", "131", "132", "155", "156", "186", "133", "153", "189", "180", "188", "187",
)  # fmt: skip
# Leading digits of 0511 local numbers by district (local numbers have 8 digits starting 8).
LANDLINE_LEADS: dict[str, tuple[str, ...]] = {
    "京口区": ("85", "84", "88"),
    "润州区": ("85", "84", "88"),
    "丹徒区": ("85", "83"),
    "丹阳市": ("86",),
    "扬中市": ("88",),
    "句容市": ("87",),
    "镇江新区": ("83", "85"),
}

AWARDS: tuple[str, ...] = ("镇江市市长质量奖", "江苏省质量奖")
NOTES: tuple[str, ...] = (
    "2008年通过ISO 9001质量管理体系复审",
    "拟推荐申报江苏省质量奖",
    "已导入卓越绩效模式",
    "联系人已调岗，电话待核实",
    "主导产品获江苏省名牌产品称号",
    "2009年新建生产线，产能翻番",
)

# Pre-2015 组织机构代码 bodies from Zhenjiang mostly start with these two digits.
OLD_BODY_LEADS: tuple[str, ...] = ("13", "14", "25", "60", "70", "72", "73", "74", "75", "76")
