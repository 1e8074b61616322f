"""Reading back the PDFs the program writes, in pure Python (pypdf, pinned in the ``test`` extra), so that the tests
need no system programs such as poppler-utils' pdftotext, pdfinfo or pdffonts.

The text comes from the fonts' ToUnicode maps, which reportlab writes for the subset TrueType font, so a Chinese
title reads back exactly as it was written. Pages are counted from 1, as pdftotext's ``-f``/``-l`` do.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text of pages ``first`` to ``last`` (all by default), a form feed after each page, like pdftotext."""
    pages = PdfReader(path).pages
    first, last = first or 1, last or len(pages)
    assert 1 <= first <= last <= len(pages), f"pages {first}–{last} of a {len(pages)}-page PDF"
    return "".join(pages[n - 1].extract_text() + "\n\f" for n in range(first, last + 1))


def pdf_pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def page_size(path: Path, page: int = 1) -> tuple[float, float, int]:
    """Width and height of a page's media box in points, and the page's rotation in degrees."""
    p = PdfReader(path).pages[page - 1]
    return float(p.mediabox.width), float(p.mediabox.height), p.rotation


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Every font any page (or form on it) uses, by its base name (subset prefix kept), and whether it is embedded.

    The same facts ``pdffonts`` lists in its name and ``emb`` columns."""
    fonts: dict[str, bool] = {}

    def walk(resources, seen: set[int]) -> None:
        resources = resources.get_object() if resources is not None else None
        if resources is None or id(resources) in seen:      # a form may share its page's resources
            return
        seen.add(id(resources))
        for font in dict(resources.get("/Font", DictionaryObject()).get_object()).values():
            font = font.get_object()
            described = font
            if font.get("/Subtype") == "/Type0":       # a composite font: the descendant has the descriptor
                described = font["/DescendantFonts"].get_object()[0].get_object()
            descriptor = described.get("/FontDescriptor")
            embedded = descriptor is not None and any(k in descriptor.get_object() for k in FONT_FILES)
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            fonts[name] = fonts.get(name, True) and embedded
        for xobject in dict(resources.get("/XObject", DictionaryObject()).get_object()).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"), seen)

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"), set())
    return fonts
