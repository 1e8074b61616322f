"""What every printed form shares: the embedded CJK font, page templates (A4 portrait and landscape, A3),
ruled tables whose header row repeats on every page, the 填报人 / 审核人 / 填报日期 line, and on every page the
village, the month and "第 x 页 共 y 页" counted per form.

The bundled WenQuanYi Micro Hei is embedded (a subset) in every PDF: the printout never depends on the fonts of the
computer that opens it. STSong-Light would not be embedded and prints as garbage elsewhere.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle

from fpdesk.paths import resources_dir

if TYPE_CHECKING:
    from fpdesk.export.content import MonthContent

FONT = "WQY"
MARGIN = 14 * mm
PORTRAIT, LANDSCAPE, POSTER = "portrait", "landscape", "poster"
PAGE_SIZES = {PORTRAIT: A4, LANDSCAPE: landscape(A4), POSTER: A3}
GRID_COLOUR = colors.black
HEAD_FILL = colors.HexColor("#E6E6E6")
SECTION_FILL = colors.HexColor("#F3F3F3")
MUTED = colors.HexColor("#555555")
SIGNATURE = "填报人：＿＿＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿＿＿　　　填报日期：＿＿＿＿年＿＿月＿＿日"


@cache
def register_font() -> str:
    """Register the bundled CJK font with reportlab (once per process); its name for styles."""
    path = resources_dir() / "fonts" / "wqy-microhei.ttc"
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    # one face for every weight: <b> in a paragraph must not look for a font that does not exist
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    return FONT


def frame_width(kind: str) -> float:
    """The usable width of a page of ``kind``."""
    return PAGE_SIZES[kind][0] - 2 * MARGIN


def frame_height(kind: str) -> float:
    """The usable height of a page of ``kind``."""
    return PAGE_SIZES[kind][1] - 2 * MARGIN


def style(size: float, *, align: int = TA_LEFT, leading: float | None = None, colour: Any = colors.black,
          space_after: float = 0) -> ParagraphStyle:
    """A paragraph style in the bundled font; CJK line breaking (between any two characters)."""
    register_font()
    return ParagraphStyle(f"s{size}-{align}-{space_after}", fontName=FONT, fontSize=size,
                          leading=leading or size * 1.3, alignment=align, textColor=colour, wordWrap="CJK",
                          spaceAfter=space_after)


def escape(text: str) -> str:
    """Text for a Paragraph: markup characters escaped, line breaks kept, and the ideographic space (which a
    Paragraph would collapse like any space) kept as wide as it is."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
            .replace("\u3000", "&nbsp;" * 3))


def para(text: str, size: float, *, align: int = TA_LEFT, colour: Any = colors.black) -> Paragraph:
    return Paragraph(escape(text), style(size, align=align, colour=colour))


def title_block(title: str, info: str, status: str = "", *, size: float = 17) -> list[Flowable]:
    """A form's title and its second line (county, township, village, period; 更正报 / 草稿)."""
    out: list[Flowable] = [Paragraph(escape(title), style(size, align=TA_CENTER, space_after=4))]
    line = escape(info) + (f"　　<font color='#B00000'>{escape(status)}</font>" if status else "")
    out.append(Paragraph(line, style(9.5, space_after=5)))
    return out


def signature_line(size: float = 10) -> Flowable:
    """填报人 / 审核人 / 填报日期, signed by hand."""
    p = Paragraph(SIGNATURE, style(size, leading=size * 1.6))
    p.spaceBefore = 10
    return p


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: header, relative width, alignment ("l", "c", "r")."""

    header: str
    weight: float
    align: str = "l"


_ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}
_PARA_ALIGN = {"l": TA_LEFT, "c": TA_CENTER, "r": TA_RIGHT}
PAD = 2.5


def ruled_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], *, width: float, size: float = 9,
                shaded_rows: Sequence[int] = (), empty_text: str = "（无）", padding: float = 2.0) -> Table:
    """A ruled table filling ``width``, its header row repeated on every page. A cell whose text is wider than its
    column wraps (a Paragraph); the others stay plain strings, which is many times faster to lay out.

    shaded_rows: 0-based data rows printed with a grey ground (totals, articles)."""
    register_font()
    total = sum(c.weight for c in columns)
    widths = [width * c.weight / total for c in columns]
    head_style = style(size, align=TA_CENTER, leading=size * 1.2)
    cell_styles = {a: style(size, align=_PARA_ALIGN[a], leading=size * 1.25) for a in "lcr"}
    data: list[list[Any]] = [[Paragraph(escape(c.header), head_style) for c in columns]]
    for row in rows:
        cells: list[Any] = []
        for text, col, w in zip(row, columns, widths):
            text = "" if text is None else str(text)
            if "\n" in text or pdfmetrics.stringWidth(text, FONT, size) > w - 2 * PAD:
                cells.append(Paragraph(escape(text), cell_styles[col.align]))
            else:
                cells.append(text)
        data.append(cells)
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size), ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("BOX", (0, 0), (-1, -1), 1, GRID_COLOUR), ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD), ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 0.5),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), _ALIGN[c.align]) for i, c in enumerate(columns)]
    commands += [("BACKGROUND", (0, r + 1), (-1, r + 1), SECTION_FILL) for r in shaded_rows]
    if not rows:
        data.append([empty_text] + [""] * (len(columns) - 1))
        commands += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


class FormStart(Flowable):
    """Marks where a form begins: the pages from here on are counted, and headed, as this form's."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._fp_form = (self.key, self.title)


@dataclass(frozen=True, slots=True)
class Furniture:
    """What every page carries: left of the header (village and month), right of it (更正报 / 草稿), and the
    footer's right part (app and time)."""

    head_left: str
    head_right: str
    foot_right: str


def furniture(c: "MonthContent") -> Furniture:
    """The page furniture of a month's forms."""
    return Furniture(head_left=f"{c.village.name}　{c.period_label}", head_right=c.status_text,
                     foot_right=f"fpdesk {c.app_version} · 生成于 {c.generated_at:%Y-%m-%d %H:%M}")


class _NumberedCanvas(Canvas):
    """Holds every page until the end, then draws each page's header and "第 x 页 共 y 页" counted per form."""

    def __init__(self, *args: Any, furniture: Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fp_pages: list[dict] = []
        self._fp_form = ("", "")
        self._fp_furniture = furniture

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._fp_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(page["_fp_form"][0] for page in self._fp_pages)
        seen: Counter[str] = Counter()
        for page in self._fp_pages:
            self.__dict__.update(page)
            key, title = self._fp_form
            seen[key] += 1
            self._furnish(title, seen[key], totals[key])
            Canvas.showPage(self)
        Canvas.save(self)

    def _furnish(self, title: str, number: int, total: int) -> None:
        f = self._fp_furniture
        width, height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        top = height - MARGIN + 5 * mm
        self.drawString(MARGIN, top, f.head_left + (f"　{title}" if title else "") + ("（续）" if number > 1 else ""))
        if f.head_right:
            self.setFillColor(colors.HexColor("#B00000"))
            self.drawRightString(width - MARGIN, top, f.head_right)
            self.setFillColor(MUTED)
        bottom = MARGIN - 7 * mm
        self.setFont(FONT, 9)
        self.setFillColor(colors.black)
        self.drawCentredString(width / 2, bottom, f"第 {number} 页 共 {total} 页")
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawRightString(width - MARGIN, bottom, f.foot_right)
        self.restoreState()


def build_pdf(story: list[Flowable], *, furniture: Furniture, first: str = PORTRAIT, title: str = "",
              author: str = "") -> bytes:
    """Lay out ``story`` (switching page templates with NextPageTemplate) and return the PDF's bytes."""
    register_font()
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=PAGE_SIZES[first], leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=title, author=author, creator="fpdesk", subject=title)
    templates = []
    order = [first] + [k for k in PAGE_SIZES if k != first]
    for kind in order:
        w, h = PAGE_SIZES[kind]
        frame = Frame(MARGIN, MARGIN, w - 2 * MARGIN, h - 2 * MARGIN, id=kind, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        templates.append(PageTemplate(id=kind, frames=[frame], pagesize=(w, h)))
    doc.addPageTemplates(templates)
    doc.build(story, canvasmaker=partial(_NumberedCanvas, furniture=furniture, initialFontName=FONT))
    return out.getvalue()
