"""A PDF's text layer, as words with positions (pdfplumber).

An encrypted PDF (one that needs a password to open) or a corrupt one raises
``UnreadablePdf`` with a reason a person can act on. A PDF whose pages carry (almost) no
text is a scan: ``has_text`` says so and the pipeline turns to OCR.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

from lucy_events.recognition.layout import Word

#: Pages read at most: an invoice's fields are on its first pages, and a 300-page annex
#: must not hold the worker.
MAX_PAGES = 8
#: Fewer characters than this on the pages read means there is no usable text layer.
MIN_TEXT_CHARS = 40


class UnreadablePdf(Exception):
    """Raised when a PDF cannot be opened; ``str()`` is the reason to show."""


class TimeLimitExceeded(Exception):
    """Raised when reading a document takes longer than its time limit."""


def check_deadline(deadline: float, doing: str) -> None:
    if time.monotonic() > deadline:
        raise TimeLimitExceeded(f"the time limit ran out while {doing}")


def pdf_pages(content: bytes, deadline: float) -> list[tuple[Sequence[Word], float]]:
    """Each page's words and height, for the first ``MAX_PAGES`` pages."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    pages: list[tuple[Sequence[Word], float]] = []
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            for page in pdf.pages[:MAX_PAGES]:
                check_deadline(deadline, "reading the PDF's text")
                words = [
                    Word(w["text"], float(w["x0"]), float(w["x1"]), float(w["top"]),
                         float(w["bottom"]))
                    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
                ]
                pages.append((words, float(page.height)))
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadablePdf("the PDF is encrypted (it needs a password to open)") from None
        raise UnreadablePdf(f"the PDF is corrupt or not a PDF ({type(cause).__name__})") from None
    except TimeLimitExceeded:
        raise
    except Exception as error:  # pdfminer raises many kinds on broken files
        raise UnreadablePdf(f"the PDF is corrupt ({type(error).__name__})") from None
    return pages


def has_text(pages: Sequence[tuple[Sequence[Word], float]]) -> bool:
    return sum(len(w.text) for words, _ in pages for w in words) >= MIN_TEXT_CHARS
