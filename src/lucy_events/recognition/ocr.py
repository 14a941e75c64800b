"""Reading scans: page images through Debian's tesseract (nld, fra, deu, eng).

Tesseract runs as a subprocess (pytesseract) with a timeout taken from the document's
time limit, so a pathological image is killed rather than blocking the worker. PDF pages
are rendered with pypdfium2 at ``DPI``.
"""

from __future__ import annotations

import io
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from statistics import median
from typing import Any

from lucy_events.recognition.layout import Word
from lucy_events.recognition.pdf_text import TimeLimitExceeded, UnreadablePdf, check_deadline

LANGUAGES = ("nld", "fra", "deu", "eng")
#: 300 dpi is tesseract's sweet spot; a scan at 200 dpi reads nearly as well at half the
#: pixels, which matters on a 2-core machine.
DPI = 250
#: Pages OCR'd at most: the fields of an invoice are on its first pages.
MAX_PAGES = 3
#: Words tesseract is less sure of than this (0-100) are dropped as noise.
MIN_WORD_CONFIDENCE = 30
NOT_INSTALLED = (
    "OCR is not installed (Debian's tesseract-ocr with the nld, fra, deu and eng language "
    "data): scans stay unrecognised until it is"
)


@lru_cache(maxsize=1)
def ocr_unavailable_reason() -> str | None:
    """None when OCR works here, else the sentence to say once at start and to give as
    the reason a scan stays unrecognised."""
    if shutil.which("tesseract") is None:
        return NOT_INSTALLED
    try:
        import pytesseract

        installed = set(pytesseract.get_languages(config=""))
    except Exception:
        return NOT_INSTALLED
    missing = [language for language in LANGUAGES if language not in installed]
    if missing:
        return f"{NOT_INSTALLED} (missing language data: {', '.join(missing)})"
    return None


def _images(content: bytes, media_type: str) -> Iterator[object]:
    from PIL import Image, ImageSequence

    if media_type == "application/pdf":
        import pypdfium2

        try:
            pdf = pypdfium2.PdfDocument(content)
        except pypdfium2.PdfiumError as error:
            raise UnreadablePdf(f"the PDF cannot be rendered ({error})") from None
        try:
            for index in range(min(len(pdf), MAX_PAGES)):
                yield pdf[index].render(scale=DPI / 72).to_pil().convert("L")
        finally:
            pdf.close()
        return
    try:
        image = Image.open(io.BytesIO(content))
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)][:MAX_PAGES]
    except (OSError, Image.DecompressionBombError) as error:
        raise UnreadablePdf(f"the image cannot be read ({error})") from None
    yield from frames


def ocr_pages(
    content: bytes, media_type: str, deadline: float,
) -> list[tuple[Sequence[Word], float]]:
    """Each page's words (with positions in pixels) and its height, by OCR."""
    import pytesseract

    # Tesseract's OpenMP threads spin against each other and every other process on a
    # small machine: one thread per run reads a page in 0.65 s instead of 1.8 s on 2 busy
    # cores (measured), and the worker runs documents in parallel anyway. pytesseract
    # hands tesseract this process's environment, so the setting goes there; an
    # operator's own value is kept.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pages: list[tuple[Sequence[Word], float]] = []
    for image in _images(content, media_type):
        check_deadline(deadline, "rendering the pages for OCR")
        timeout = max(deadline - time.monotonic(), 0.1)
        try:
            data = pytesseract.image_to_data(
                image, lang="+".join(LANGUAGES), config="--psm 3",
                output_type=pytesseract.Output.DICT, timeout=timeout,
            )
        except RuntimeError as error:  # pytesseract's way of saying the timeout killed it
            if "timeout" in str(error).lower():
                raise TimeLimitExceeded("the time limit ran out during OCR") from None
            raise
        pages.append((_words(data), float(image.height)))  # type: ignore[attr-defined]
    return pages


def _words(data: dict[str, list[Any]]) -> list[Word]:
    """Tesseract's words, their positions turned back by the page's skew.

    A sheet lies on the scanner glass a degree or two askew: across an A4 page a label and
    its value at the right margin then sit half a line apart. Tesseract's own text lines
    follow the skew, so their median slope is the page's, and subtracting it puts each
    label back on the line of its value.
    """
    rows = [
        (str(text), float(left), float(top), float(width), float(height), key)
        for text, conf, left, top, width, height, key in zip(
            data["text"], data["conf"], data["left"], data["top"], data["width"],
            data["height"], zip(data["block_num"], data["par_num"], data["line_num"],
                                strict=True),
            strict=True,
        )
        if str(text).strip() and float(conf) >= MIN_WORD_CONFIDENCE
    ]
    lines: dict[tuple[int, int, int], list[tuple[float, float, float]]] = defaultdict(list)
    for _, left, top, width, height, key in rows:
        lines[key].append((left + width / 2, top + height / 2, height))
    slopes = []
    for centres in lines.values():
        (x0, y0, h), (x1, y1, _) = centres[0], centres[-1]
        if x1 - x0 > 8 * h:
            slopes.append((y1 - y0) / (x1 - x0))
    slope = median(slopes) if slopes else 0.0
    return [
        Word(text, left, left + width, top - slope * (left + width / 2),
             top + height - slope * (left + width / 2))
        for text, left, top, width, height, _ in rows
    ]
