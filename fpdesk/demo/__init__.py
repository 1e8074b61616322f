"""The demo village (演示村): a realistic, deterministic village file to learn, test and demonstrate fpdesk on.

    make_demo_village(path, persons=3000, seed=1, as_of=None, progress=None) -> DemoSummary

The same ``persons``, ``seed`` and ``as_of`` give the same records in every ledger table. The village is
simulated in memory (``random.Random(seed)`` only, no wall clock), then written entirely through the service
functions, each call dated with the simulated entry day, in one transaction, into a temporary file that replaces
the target at the end.

What it holds: a Hubei village (12-digit code, township, county, clerk), 5–10 groups with their 中心户长;
households of 2–6 people built on a rural age pyramid; valid ID numbers; the starting population registered as
baseline (inside ``fpdesk.ops.baseline``: audited, no change events) on 1 October five statistics years before
``as_of``; then every month until ``as_of``: births by the policy of their year (a pair of twins), pregnancies
registered and ended (some by 人工流产 / 自然流产), contraception (mostly IUD and female sterilisation),
quarterly check-ups, follow-ups and supplies, deaths, marriages (brides moving in, daughters marrying out),
divorces, remarriages, moves of hukou, outflow and return, inflow, benefits (独生子女保健费, 奖励扶助,
育儿补贴), certificates (0101/0102/0108/0109).
Most changes are entered 1–10 days after they happened; about 1.5% of member changes 40–75 days late, a few of
them entered this month and last month (timeliness findings). Details: docs/demo-village.md.

Planted errors (预置错误), one of each kind, each on a different person (who: ``DemoSummary.planted`` and the
file's setting ``demo_planted_errors``, by 人员编号); the rule that should report it is in brackets:

    E01 身份证号校验位错误 — a man's ID number with a wrong check digit (ID check digit, I001)
    E02 出生日期与身份证号不符 — an old person's birth date a few days off the ID number (ID birth date, I003)
    E03 一号两人 — a young man registered a second time in another household, same ID (one ID one person, I005;
        also U001 suspected duplicate)
    E04 离婚仍有现任丈夫 — a married woman's status set to 离婚, her marriage not ended (M001; also M011)
    E05 已婚无初婚日期 — a married woman's first-marriage date cleared (M002)
    E06 未到法定婚龄 — a woman's first marriage (person and marriage record) moved to age 18 (D005)
    E07 母亲不满15周岁 — a first child's birth date moved to when the mother was 14 (D006; also D007 non-marital,
        and X005 when the child is in the village's register)
    E08 孩次不连续 — a second child recorded as the third (D008)
    E09 绝育仍在孕 — a sterilised woman with a pregnancy registered (C006)
    E10 孕情逾期未结 — a pregnancy with its last period ~11 months ago and no outcome (P001; C009 too if she
        has children)
    E11 措施无开始日期 — a current IUD without its start date (C001)
    E12 末孩满6个月未落实措施 — after a birth 7–23 months ago the card still says 未避孕·产后一月 (C009)
    E13 超龄未注销 — a married woman of 50–53 given a contraceptive measure after her 50th birthday (D013)
    E14 未来日期 — a check-up dated a year ahead (D001)
    E15 未避孕无原因 — a current 未避孕 record without its reason (C002)

Everything else is clean under the rules of ``fpdesk.checks`` (tests/test_demo.py asserts it), apart from the
changes entered late on purpose. A village too small for some kind (no sterilised woman, no recent birth …)
gets fewer; villages of 1,000 people and more have had all fifteen in every seed and date tried.
"""

from fpdesk.demo.build import DemoSummary, history_start, make_demo_village
from fpdesk.demo.plants import PlantedError

__all__ = ["DemoSummary", "PlantedError", "history_start", "make_demo_village"]
