"""Names and places for the demo village: common Chinese surnames (weighted), given-name characters by sex and
birth cohort, and Hubei counties, townships and villages with their statistical division codes.

Everything here is invented for the demo: the counties and townships exist, the villages and people do not.
"""

from __future__ import annotations

import datetime as dt
import random

# The 100 commonest surnames with their approximate share of the population (%, 2020 household registration),
# the Hubei-typical 熊, 万, 向, 覃 among them.
SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 7.25), ("李", 7.19), ("张", 6.83), ("刘", 5.38), ("陈", 4.53), ("杨", 3.08), ("黄", 2.23), ("赵", 2.19),
    ("吴", 2.05), ("周", 1.94), ("徐", 1.64), ("孙", 1.54), ("马", 1.46), ("朱", 1.35), ("胡", 1.31), ("郭", 1.24),
    ("何", 1.17), ("高", 1.07), ("林", 1.05), ("罗", 0.97), ("郑", 0.94), ("梁", 0.89), ("谢", 0.81), ("宋", 0.78),
    ("唐", 0.77), ("许", 0.73), ("韩", 0.71), ("冯", 0.70), ("邓", 0.69), ("曹", 0.68), ("彭", 0.66), ("曾", 0.65),
    ("肖", 0.64), ("田", 0.63), ("董", 0.62), ("袁", 0.56), ("潘", 0.55), ("于", 0.54), ("蒋", 0.53), ("蔡", 0.52),
    ("余", 0.50), ("杜", 0.49), ("叶", 0.48), ("程", 0.47), ("苏", 0.46), ("魏", 0.45), ("吕", 0.44), ("丁", 0.43),
    ("任", 0.42), ("沈", 0.41), ("姚", 0.40), ("卢", 0.39), ("姜", 0.38), ("崔", 0.37), ("钟", 0.36), ("谭", 0.35),
    ("陆", 0.34), ("汪", 0.33), ("范", 0.32), ("金", 0.31), ("石", 0.30), ("廖", 0.29), ("贾", 0.29), ("夏", 0.28),
    ("韦", 0.28), ("付", 0.27), ("方", 0.27), ("白", 0.26), ("邹", 0.26), ("孟", 0.25), ("熊", 0.25), ("秦", 0.24),
    ("邱", 0.24), ("江", 0.23), ("尹", 0.23), ("薛", 0.22), ("闫", 0.22), ("段", 0.21), ("雷", 0.21), ("侯", 0.20),
    ("龙", 0.20), ("史", 0.19), ("陶", 0.19), ("黎", 0.18), ("贺", 0.18), ("顾", 0.17), ("毛", 0.17), ("郝", 0.16),
    ("龚", 0.16), ("邵", 0.15), ("万", 0.15), ("钱", 0.14), ("严", 0.14), ("覃", 0.13), ("武", 0.13), ("戴", 0.12),
    ("莫", 0.12), ("孔", 0.11), ("向", 0.11), ("汤", 0.10),
)

# Given-name characters by sex and birth cohort (before 1965, 1965–1984, 1985–2004, from 2005).
_MALE = (
    "国建军华明强伟平文德福贵生春长发忠金山林荣有志成海兴祥保清中洪义友良宝胜庆昌光全新武永家和树",
    "勇涛磊杰波辉峰鹏刚亮超斌军伟强华明俊东飞健龙松红兵锋林宏江浩彬凯文新利剑晓云斌胜平岗",
    "浩宇博晨鑫磊杰帅阳凯鹏俊豪航旭威龙超轩泽文明子一天睿昊然涛成康亮振坤铭锐志远",
    "梓轩宇浩子睿辰泽铭瑞晨宸皓俊熙奕博煜阳航豪昊一诺沐霖景逸嘉佑安言乐承宁恒",
)
_FEMALE = (
    "秀英兰芳桂凤珍华玉红梅琴云霞萍莲菊翠香春花娥金美素淑荣敏仙爱巧桃彩月",
    "丽娟艳燕敏静红霞芳琴玲婷梅丹洁平莉英慧兰萍琳雪娜晶蓉芬华霞颖倩琼",
    "婷雪倩欣佳悦琪颖婧瑶怡璐梦雨楠晴洁思文静丹月蕾慧莹雯娇薇露茜",
    "梓涵欣一诺可萱梦琪雨彤语思嘉若依汐艺妍瑶芷晨怡馨子沐安悦桐",
)
_COHORT_STARTS = (1965, 1985, 2005)


def _cohort(year: int) -> int:
    return sum(year >= start for start in _COHORT_STARTS)


class NamePicker:
    """Draws surnames and given names from one seeded random source.

    clans: the village's three or four dominant surnames (a village is often a few lineages); men born in the
    village mostly carry one of them, wives marrying in come from anywhere.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._names = [s for s, _ in SURNAMES]
        self._cum = []
        total = 0.0
        for _, share in SURNAMES:
            total += share
            self._cum.append(total)
        self.clans = rng.sample(self._names[:30], 4)
        self._clan_weights = (40, 25, 15, 8)

    def surname(self) -> str:
        """Any surname, by national frequency."""
        return self.rng.choices(self._names, cum_weights=self._cum)[0]

    def village_surname(self) -> str:
        """A surname of a family of the village: usually one of its lineages."""
        if self.rng.random() < 0.62:
            return self.rng.choices(self.clans, weights=self._clan_weights)[0]
        return self.surname()

    def given(self, sex: str, birth: dt.date) -> str:
        """A given name for someone of this sex born then: two characters mostly, one sometimes, and a doubled
        character (婷婷, 丹丹) for some girls."""
        rng = self.rng
        pool = (_MALE if sex == "1" else _FEMALE)[_cohort(birth.year)]
        first = rng.choice(pool)
        roll = rng.random()
        single = 0.25 if 1975 <= birth.year < 2005 else 0.08
        if roll < single:
            return first
        if sex == "2" and roll < single + 0.06:
            return first + first
        second = rng.choice(pool)
        while second == first:
            second = rng.choice(pool)
        return first + second

    def full(self, sex: str, birth: dt.date, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given(sex, birth)


# Counties of Hubei (region code, county, townships). A village code is region + township (3) + village (3).
COUNTIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("420281", "大冶市", ("还地桥镇", "保安镇", "金牛镇", "陈贵镇", "刘仁八镇")),
    ("420222", "阳新县", ("富池镇", "白沙镇", "浮屠镇", "排市镇", "龙港镇")),
    ("420683", "枣阳市", ("吴店镇", "兴隆镇", "王城镇", "太平镇", "鹿头镇")),
    ("420624", "南漳县", ("武安镇", "九集镇", "李庙镇", "长坪镇")),
    ("420821", "京山市", ("永兴镇", "曹武镇", "罗店镇", "宋河镇")),
    ("420922", "大悟县", ("阳平镇", "芳畈镇", "新城镇", "夏店镇", "河口镇")),
    ("420982", "安陆市", ("巡店镇", "雷公镇", "王义贞镇", "烟店镇")),
    ("420984", "汉川市", ("马口镇", "脉旺镇", "城隍镇", "分水镇")),
)

VILLAGE_NAMES = (
    "桂花村", "柳林村", "双河村", "石桥村", "杨湾村", "新华村", "长岭村", "枫树村", "河口村", "李家湾村",
    "陈家畈村", "大塘村", "青山村", "合心村", "黄土岗村", "白果树村", "松林村", "团山村", "观音堂村", "周家冲村",
)

GROUP_NAMES = ("一组", "二组", "三组", "四组", "五组", "六组", "七组", "八组", "九组", "十组")

# Where people of other places come from: (region code of their ID numbers, place).
NEARBY = (
    ("420281", "湖北省大冶市"), ("420222", "湖北省阳新县"), ("420683", "湖北省枣阳市"), ("420624", "湖北省南漳县"),
    ("420821", "湖北省京山市"), ("420922", "湖北省大悟县"), ("420982", "湖北省安陆市"), ("420984", "湖北省汉川市"),
    ("421126", "湖北省蕲春县"), ("420117", "湖北省武汉市新洲区"),
)
FAR = (
    ("411521", "河南省罗山县"), ("411522", "河南省光山县"), ("510921", "四川省蓬溪县"), ("341522", "安徽省霍邱县"),
    ("360424", "江西省修水县"), ("430621", "湖南省岳阳县"), ("522422", "贵州省大方县"),
)

# Where the village's people go to work (流出).
DESTINATIONS = (
    ("广东省东莞市", 18), ("广东省深圳市宝安区", 12), ("广东省广州市白云区", 8), ("浙江省杭州市", 8),
    ("浙江省宁波市", 5), ("上海市松江区", 7), ("江苏省苏州市", 9), ("福建省厦门市", 4), ("湖北省武汉市", 20),
    ("北京市大兴区", 3),
)

UNIVERSITIES = ("武汉市洪山区（华中农业大学）", "武汉市武昌区（湖北大学）", "黄石市（湖北师范大学）",
                "襄阳市（湖北文理学院）", "荆州市（长江大学）")

OCCUPATIONS_ADULT = ("务农", "务农", "务农", "外出务工", "外出务工", "个体经营", "建筑工", "村干部", "乡村教师", "司机")
