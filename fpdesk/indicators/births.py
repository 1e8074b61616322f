"""Population indicators: birth rate, natural growth, policy-compliant births, sex ratio, out-of-policy multi-child.

"Births" everywhere here are ``Context.births``: one's own children (亲生) born in the span to a mother of the
registered population. Rates per population are per the span, not annualised: the birth rate of a month is that
month's births per 1,000 of its mean population.
"""

from __future__ import annotations

from fpdesk import codes
from fpdesk.indicators.base import HIGHER, LOWER, PER_MILLE, PERCENT, RATIO, Counted, Indicator
from fpdesk.indicators.context import IN_POLICY, OUT_OF_POLICY, Context


def _mean_population(ctx: Context) -> int | float:
    total = len(ctx.population_start) + len(ctx.population_end)
    return total // 2 if total % 2 == 0 else total / 2


def birth_rate(ctx: Context) -> Counted:
    return Counted(ctx.births, ctx.population_either, denominator_count=_mean_population(ctx),
                   note=f"期初人口 {len(ctx.population_start)}，期末人口 {len(ctx.population_end)}")


def natural_growth_rate(ctx: Context) -> Counted:
    births, deaths = ctx.births, ctx.deaths
    return Counted(births + deaths, ctx.population_either, numerator_count=len(births) - len(deaths),
                   denominator_count=_mean_population(ctx), note=f"出生 {len(births)}，死亡 {len(deaths)}")


def policy_birth_rate(ctx: Context) -> Counted:
    births = ctx.births
    undetermined = sum(1 for b in births if b.policy_status not in (IN_POLICY, OUT_OF_POLICY))
    return Counted([b for b in births if b.policy_status == IN_POLICY], births,
                   note=f"其中政策属性未填 {undetermined} 人（计入分母）" if undetermined else "")


def sex_ratio_at_birth(ctx: Context) -> Counted:
    births = ctx.births
    return Counted([b for b in births if b.child_sex == codes.MALE], [b for b in births if b.child_sex == codes.FEMALE])


def out_of_policy_multichild_rate(ctx: Context) -> Counted:
    order = max(2, ctx.setting("multichild_min_order"))
    births = ctx.births
    return Counted([b for b in births if b.policy_status == OUT_OF_POLICY and b.birth_order >= order], births,
                   note=f"多孩：孩次≥{order}")


BIRTH_INDICATORS = (
    Indicator("birth_rate", "出生率", PER_MILLE,
              "期内出生人数：本人亲生、出生日期在期内、母亲当日为本村户籍人口（双胞胎计2人）",
              "平均人口 =（期初人口 + 期末人口）÷ 2；期初 = 期内第一天的前一天，期末 = 期内最后一天（未到则为今天）",
              LOWER, birth_rate),
    Indicator("natural_growth_rate", "人口自然增长率", PER_MILLE,
              "期内出生人数 − 期内死亡人数（死亡：死亡日期在期内、死亡前一天为本村户籍人口）",
              "平均人口 =（期初人口 + 期末人口）÷ 2",
              LOWER, natural_growth_rate),
    Indicator("policy_birth_rate", "符合政策生育率", PERCENT,
              "期内出生中政策属性为“政策内”的人数",
              "期内出生人数（政策属性未填的也计入）",
              HIGHER, policy_birth_rate),
    Indicator("sex_ratio_at_birth", "出生人口性别比", RATIO,
              "期内出生男婴数",
              "期内出生女婴数（性别比 = 男 ÷ 女 × 100，正常约 103–107）",
              None, sex_ratio_at_birth),
    Indicator("out_of_policy_multichild_rate", "政策外多孩率", PERCENT,
              "期内出生中政策外且孩次≥3（设置 multichild_min_order，独生子女政策时期可设为 2）的人数",
              "期内出生人数",
              LOWER, out_of_policy_multichild_rate),
)
