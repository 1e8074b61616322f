"""A large generated roster workbook (households of four: a couple and two children), for the speed test, and
a way to make any openpyxl-written workbook look like one Excel saved."""

from __future__ import annotations

import datetime as dt
import html
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook

from fpdesk.idnumber import make_id_number
from fpdesk.roster.spec import BENEFITS, BIRTHS, MEASURES, PERSONS, PREGNANCIES, SERVICES


def write_big_roster(path: Path, *, households: int) -> dict[str, int]:
    """Write a workbook of ``households`` households of four people; returns the data rows per sheet."""
    wb = Workbook(write_only=True)
    village = wb.create_sheet("村信息")
    village.append(["项目", "内容"])
    village.append(["村代码", "420102001001"])
    village.append(["村名称", "大河村"])
    sheets = {s.name: wb.create_sheet(s.name) for s in (PERSONS, BIRTHS, MEASURES, PREGNANCIES, SERVICES, BENEFITS)}
    for sheet in (PERSONS, BIRTHS, MEASURES, PREGNANCIES, SERVICES, BENEFITS):
        sheets[sheet.name].append([c.header for c in sheet.columns])
    counts = dict.fromkeys(sheets, 0)

    def add(sheet, **values) -> None:
        sheets[sheet.name].append([values.get(c.key) for c in sheet.columns])
        counts[sheet.name] += 1

    for h in range(households):
        number = f"{h + 1:05d}"
        group = f"{h % 12 + 1}组"
        husband_born = dt.date(1970 + h % 25, 1 + h % 12, 1 + h % 28)
        wife_born = dt.date(1972 + h % 25, 1 + (h + 5) % 12, 1 + (h + 3) % 28)
        married = dt.date(wife_born.year + 22, 5, 1)
        kids = [dt.date(married.year + 1, 3, 3), dt.date(married.year + 4, 8, 8)]
        base = f"{number}-"
        add(PERSONS, roster_no=base + "1", household=number, group=group, name=f"张{h}", sex="男",
            birth_date=husband_born, id_number=make_id_number(region="420102", birth_date=husband_born, sequence=h,
                                                             sex="1"),
            ethnicity="汉族", education="初中", hukou="农业", relation="户主", marital_status="初婚",
            first_marriage_date=married, spouse_no=base + "2", residence="常住")
        add(PERSONS, roster_no=base + "2", household=number, group=group, name=f"李{h}", sex="女",
            birth_date=wife_born, id_number=make_id_number(region="420102", birth_date=wife_born, sequence=h, sex="2"),
            ethnicity="汉族", education="高中", hukou="农业", relation="配偶", marital_status="初婚",
            first_marriage_date=married, spouse_no=base + "1",
            residence="流出" if h % 10 == 0 else "常住", migration_date=dt.date(2024, 3, 1) if h % 10 == 0 else None,
            migration_place="广东省深圳市" if h % 10 == 0 else None,
            only_child_cert_date=None)
        for k, born in enumerate(kids, start=1):
            add(PERSONS, roster_no=base + str(k + 2), household=number, group=group, name=f"张{h}-{k}",
                sex="男" if (h + k) % 2 else "女", birth_date=born, relation="子" if (h + k) % 2 else "女",
                marital_status="未婚", ethnicity="汉族", hukou="农业")
            add(BIRTHS, mother_no=base + "2", child_no=base + str(k + 2), child_name=f"张{h}-{k}",
                child_sex="男" if (h + k) % 2 else "女", birth_date=born, birth_order=k, policy_status="政策内",
                blood_relation="亲生", health="健康")
        add(MEASURES, person_no=base + "2", method="口服避孕药", start_date=kids[0] + dt.timedelta(days=60),
            end_date=kids[1] - dt.timedelta(days=300), institution="乡卫生院")
        add(MEASURES, person_no=base + "2", method="宫内节育器", start_date=kids[1] + dt.timedelta(days=90),
            institution="乡卫生院")
        if h % 5 == 0:
            add(PREGNANCIES, person_no=base + "2", lmp_date=kids[1] - dt.timedelta(days=280),
                registered_date=kids[1] - dt.timedelta(days=200), policy_status="政策内", outcome="活产",
                end_date=kids[1], end_place="县医院")
        for year in (2024, 2025, 2026):
            add(SERVICES, person_no=base + "2", kind="查环", service_date=dt.date(year, 3, 15), result="正常",
                institution="乡卫生院")
        if h % 3 == 0:
            add(BENEFITS, person_no=base + "2", kind="奖励扶助", year=2025, amount=960, paid_date=dt.date(2025, 6, 30))
    wb.save(path)
    return counts


_INLINE = re.compile(r'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def excel_like(src: Path, dst: Path) -> Path:
    """Rewrite a workbook openpyxl wrote the way Excel and WPS save one: text in a shared-strings table rather
    than inline in each cell, and each sheet's size in a <dimension> tag."""
    strings: dict[str, int] = {}

    def shared(m: re.Match) -> str:
        index = strings.setdefault(html.unescape(m[3]), len(strings))
        return f'<c r="{m[1]}"{m[2]} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(src) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/sheet"):
            text = _INLINE.sub(shared, data.decode("utf-8"))
            rows = re.findall(r'<row r="(\d+)"', text)
            text = text.replace("<sheetViews>", f'<dimension ref="A1:AZ{rows[-1] if rows else 1}"/><sheetViews>', 1)
            parts[name] = text.encode("utf-8")
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>').encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>'.encode())
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rIdSst" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
                             f"</Relationships>".encode())
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst
