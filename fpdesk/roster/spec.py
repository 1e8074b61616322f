"""The roster workbook's format (村花名册) as data: its sheets, their columns, which are required and coded.

This is /work/shared/roster-workbook.md in code. The template, the reader and the writer all walk these tables, so
a column added here appears in the template's header, is read on import and written on export.
"""

from __future__ import annotations

from dataclasses import dataclass

# Cell kinds of a column:
#   text   free text                           key    人员编号 on 人口 (unique)
#   ref    a 人员编号 of 人口                   id     an ID number (text; a number cell is read as its digits)
#   date   a date                              code   a coded column (code or label), ``codes`` names the table
#   int    a whole number                      money  yuan, at most two decimals
TEXT_LIKE_KINDS = frozenset({"text", "key", "ref", "id"})


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet.

    header: the header text in row 1 (the clerk's word, exactly as in the format).
    key: the name the reader and writer use for the value.
    kind: one of the cell kinds above.
    codes: the code table (``resources/codes.toml``) of a "code" column.
    required: a data row may not leave it blank.
    hint: what to write, in Chinese, for the 填写说明 sheet.
    bounds: (lowest, highest) value of an "int" column, as the village file allows it.
    """

    header: str
    key: str
    kind: str = "text"
    codes: str | None = None
    required: bool = False
    hint: str = ""
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """One data sheet: one row per record.

    name: the sheet name.
    columns: its columns, in the template's order.
    required: the sheet must be present (others may be left out when they have no rows).
    hint: what one row is, in Chinese.
    """

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    hint: str = ""

    def column(self, key: str) -> Column:
        """The column with this key."""
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)


C = Column

PERSONS = Sheet("人口", required=True, hint="村里现在和曾经的每一个人（含男性、儿童、已死亡和已迁出的人），每人一行。", columns=(
    C("人员编号", "roster_no", "key", required=True, hint="本表格自己的编号，每人一个，不得重复"),
    C("户编号", "household", "text", required=True, hint="同户成员填同一户编号（流入人员无户可空）"),
    C("组别", "group", hint="村民小组，如“一组”"),
    C("姓名", "name", required=True),
    C("性别", "sex", "code", "sex", required=True),
    C("出生日期", "birth_date", "date", required=True),
    C("身份证号", "id_number", "id", hint="18位，按文本填写；婴儿可空"),
    C("民族", "ethnicity", "code", "ethnicity"),
    C("文化程度", "education", "code", "education"),
    C("户口性质", "hukou", "code", "hukou"),
    C("与户主关系", "relation", "code", "relation"),
    C("婚姻状况", "marital_status", "code", "marital_status"),
    C("初婚日期", "first_marriage_date", "date"),
    C("婚姻变动日期", "marital_change_date", "date", hint="最近一次再婚、离婚或丧偶的日期"),
    C("配偶人员编号", "spouse_no", "ref", hint="配偶也在本表时填配偶的人员编号"),
    C("配偶姓名", "spouse_name", hint="配偶不在本表时填写"),
    C("配偶身份证号", "spouse_id_number", "id", hint="配偶不在本表时填写"),
    C("居住状况", "residence", "code", "residence", hint="空白按常住"),
    C("流动日期", "migration_date", "date", hint="流出或流入的日期"),
    C("流动地点", "migration_place", hint="流往何处 / 从何处流入"),
    C("迁入日期", "moved_in_date", "date"),
    C("迁出日期", "moved_out_date", "date"),
    C("死亡日期", "death_date", "date"),
    C("独生子女证日期", "only_child_cert_date", "date", hint="独生子女父母光荣证的发证日期"),
))

BIRTHS = Sheet("生育", hint="本村妇女生育或抚养的每个子女一行（双胞胎两行）。", columns=(
    C("母亲人员编号", "mother_no", "ref", required=True),
    C("子女人员编号", "child_no", "ref", hint="子女也在“人口”表时填写"),
    C("子女姓名", "child_name", required=True),
    C("性别", "child_sex", "code", "sex", required=True),
    C("出生日期", "birth_date", "date", required=True),
    C("孩次", "birth_order", "int", required=True, hint="1、2、3……", bounds=(1, 99)),
    C("政策属性", "policy_status", "code", "policy_status"),
    C("出生证号", "birth_cert_no", hint="出生医学证明编号"),
    C("血缘关系", "blood_relation", "code", "blood_relation", hint="空白按亲生"),
    C("健康状况", "health", "code", "health", hint="空白按健康"),
))

MEASURES = Sheet("节育措施", hint="每项节育措施一行，含当前和以往的措施。", columns=(
    C("人员编号", "person_no", "ref", required=True, hint="妇女的人员编号（男扎也记在妻子名下）"),
    C("措施", "method", "code", "method", required=True),
    C("开始日期", "start_date", "date", hint="措施为“未避孕”时可空，其余必填"),
    C("终止日期", "end_date", "date", hint="空白表示当前措施"),
    C("实施机构", "institution"),
    C("变动原因", "change_reason"),
    C("未避孕原因", "no_measure_reason", "code", "no_measure_reason", hint="措施为“未避孕”时填写"),
))

PREGNANCIES = Sheet("孕情", hint="每次怀孕一行。", columns=(
    C("人员编号", "person_no", "ref", required=True),
    C("末次月经日期", "lmp_date", "date", required=True, hint="预产期按末次月经加280天计算"),
    C("登记日期", "registered_date", "date"),
    C("政策属性", "policy_status", "code", "policy_status"),
    C("孕产结果", "outcome", "code", "pregnancy_outcome", hint="空白表示仍在孕"),
    C("终止日期", "end_date", "date"),
    C("终止地点", "end_place"),
))

SERVICES = Sheet("服务", hint="每次服务一行（查环、查孕、查病、随访、药具发放等）。", columns=(
    C("人员编号", "person_no", "ref", required=True),
    C("服务类型", "kind", "code", "service_kind", required=True),
    C("服务日期", "service_date", "date", required=True),
    C("结果", "result"),
    C("服务机构", "institution"),
))

BENEFITS = Sheet("奖扶", hint="每笔奖扶发放一行。", columns=(
    C("人员编号", "person_no", "ref", required=True),
    C("类型", "kind", "code", "benefit_kind", required=True),
    C("年度", "year", "int", required=True, hint="如 2026", bounds=(1970, 2100)),
    C("金额", "amount", "money", required=True, hint="单位：元"),
    C("发放日期", "paid_date", "date"),
))

# The data sheets, in workbook order.
DATA_SHEETS: tuple[Sheet, ...] = (PERSONS, BIRTHS, MEASURES, PREGNANCIES, SERVICES, BENEFITS)
SHEET_BY_NAME = {s.name: s for s in DATA_SHEETS}

# 村信息: two columns, one item per row. (item, key, required, hint)
VILLAGE_SHEET = "村信息"
VILLAGE_HEADERS = ("项目", "内容")
VILLAGE_ITEMS: tuple[tuple[str, str, bool, str], ...] = (
    ("村代码", "code", True, "12位统计用区划代码"),
    ("村名称", "name", True, ""),
    ("乡镇", "township", False, ""),
    ("县区", "county", False, ""),
    ("专干姓名", "clerk", False, ""),
    ("联系电话", "phone", False, ""),
)

# The certificate an only-child parents' certificate date (独生子女证日期) stands for.
ONLY_CHILD_CERTIFICATE = "0108"

# Sheets the program writes for the clerk and ignores on reading.
HELP_SHEET = "填写说明"
CODES_SHEET = "代码表"

# Workbook order of every sheet the template has.
SHEET_ORDER: tuple[str, ...] = (HELP_SHEET, VILLAGE_SHEET) + tuple(s.name for s in DATA_SHEETS) + (CODES_SHEET,)


def sheet_rank(name: str) -> int:
    """Position of a sheet in the workbook, for sorting problems; unknown sheets and the file itself first."""
    return SHEET_ORDER.index(name) if name in SHEET_ORDER else -1


def coded_tables() -> tuple[str, ...]:
    """Every code table some column uses, in first-use order (the columns of the 代码表 sheet)."""
    seen: list[str] = []
    for sheet in DATA_SHEETS:
        for col in sheet.columns:
            if col.codes and col.codes not in seen:
                seen.append(col.codes)
    return tuple(seen)
