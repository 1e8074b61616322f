"""Draw the application icon: resources/icons/fpdesk.png (256 px) and fpdesk.ico (16–256 px, for Windows).

    python installer/make_icon.py

A white ledger page with 账 (ledger) on a deep-blue tile and a green tick for "checked". Each size is drawn on
its own rather than scaled down from 256 px, so the small sizes Windows shows in the taskbar stay sharp; below
32 px the tick and the ruled lines are left out, as they would only blur. The .ico is written with Pillow when
it is installed (one image per size); otherwise Qt writes a single 256 px image.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor, QFont, QFontDatabase, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen,
)

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

TILE_TOP, TILE_BOTTOM = QColor("#2563a8"), QColor("#173d6b")
PAGE, INK, RULE = QColor("#ffffff"), QColor("#173d6b"), QColor("#b8c7da")
TICK_BG = QColor("#2e8b57")


def draw(size: int, family: str) -> QImage:
    """The icon at ``size`` × ``size`` pixels, transparent outside the rounded tile."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    s = float(size)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)

    # The tile.
    margin = 0.0 if size <= 24 else s * 0.03
    tile = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    gradient = QLinearGradient(tile.topLeft(), tile.bottomLeft())
    gradient.setColorAt(0, TILE_TOP)
    gradient.setColorAt(1, TILE_BOTTOM)
    path = QPainterPath()
    path.addRoundedRect(tile, s * 0.2, s * 0.2)
    p.fillPath(path, gradient)

    # The ledger page, with a darker binding strip on its left edge.
    page = QRectF(s * 0.2, s * 0.14, s * 0.6, s * 0.72) if size > 24 else QRectF(s * 0.16, s * 0.1, s * 0.68, s * 0.8)
    page_path = QPainterPath()
    page_path.addRoundedRect(page, s * 0.04, s * 0.04)
    p.fillPath(page_path, PAGE)
    if size >= 32:
        binding = QRectF(page.left(), page.top(), page.width() * 0.1, page.height())
        p.fillRect(binding, RULE)

    # 账, the ledger.
    font = QFont(family)
    font.setPixelSize(max(int(page.width() * (0.74 if size >= 32 else 0.86)), 8))
    font.setBold(True)
    p.setFont(font)
    p.setPen(INK)
    text_box = QRectF(page.left() + page.width() * (0.08 if size >= 32 else 0), page.top(),
                      page.width() * (0.92 if size >= 32 else 1), page.height() * (0.7 if size >= 32 else 1))
    p.drawText(text_box, Qt.AlignmentFlag.AlignCenter, "账")

    if size >= 32:
        # Two ruled lines under the character, like a ledger's rows.
        pen = QPen(RULE, max(s * 0.025, 1.0))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        left, right = page.left() + page.width() * 0.2, page.right() - page.width() * 0.1
        for frac in (0.74, 0.86):
            y = page.top() + page.height() * frac
            p.drawLine(QPointF(left, y), QPointF(right, y))

        # The green tick badge, bottom right: the ledgers are checked.
        r = s * 0.17
        centre = QPointF(s * 0.76, s * 0.76)
        p.setPen(QPen(QColor("#ffffff"), max(s * 0.03, 1.0)))
        p.setBrush(TICK_BG)
        p.drawEllipse(centre, r, r)
        tick = QPen(QColor("#ffffff"), max(s * 0.045, 1.5))
        tick.setCapStyle(Qt.PenCapStyle.RoundCap)
        tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(tick)
        p.setBrush(Qt.BrushStyle.NoBrush)
        mark = QPainterPath(QPointF(centre.x() - r * 0.45, centre.y() + r * 0.02))
        mark.lineTo(QPointF(centre.x() - r * 0.1, centre.y() + r * 0.38))
        mark.lineTo(QPointF(centre.x() + r * 0.5, centre.y() - r * 0.35))
        p.drawPath(mark)
    p.end()
    return image


def write_ico(images: dict[int, QImage], target: Path) -> str:
    """Write the .ico; returns how it was written."""
    try:
        from PIL import Image
    except ImportError:
        if not images[256].save(str(target), "ICO"):
            raise SystemExit(f"Qt could not write {target}")
        return "Qt (256 px only)"
    pil = {}
    for size, image in images.items():
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        from io import BytesIO

        pil[size] = Image.open(BytesIO(bytes(buffer.data()))).convert("RGBA")
    largest = pil[max(pil)]
    others = [pil[s] for s in sorted(pil) if s != max(pil)]
    largest.save(target, format="ICO", sizes=[(s, s) for s in sorted(pil)], append_images=others)
    return "Pillow (" + ", ".join(str(s) for s in sorted(pil)) + " px)"


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts need the app)
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise SystemExit(f"cannot load the bundled font {FONT}")
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size, families[0]) for size in ICO_SIZES}
    png = ICON_DIR / "fpdesk.png"
    images[256].save(str(png), "PNG")
    how = write_ico(images, ICON_DIR / "fpdesk.ico")
    print(f"{png}\n{ICON_DIR / 'fpdesk.ico'} via {how}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
