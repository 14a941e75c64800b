"""Pictures of a document's first pages for its page on the dashboard: PDFs rendered to
PNG with pypdfium2, images scaled down, cached on disk by content hash (a document's
content never changes, so a cached page never goes stale)."""

from __future__ import annotations

import io
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import structlog
from PIL import Image

log = structlog.get_logger()

#: How many pages the document page shows, and how wide (pixels) each picture is.
PAGES = 3
WIDTH = 900
IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp")
#: pdfium is not thread-safe: one rendering at a time in this process.
_PDFIUM = threading.Lock()


class PreviewUnavailable(Exception):
    """Raised when the content cannot be pictured (not a PDF or image, corrupt,
    encrypted): the page says so and offers the download instead."""


class Previews:
    def __init__(self, directory: Path, *, pages: int = PAGES, width: int = WIDTH) -> None:
        self.directory = directory
        self.pages = pages
        self.width = width

    def can_show(self, media_type: str) -> bool:
        return media_type == "application/pdf" or media_type in IMAGE_TYPES

    def _path(self, sha256: str, page: int) -> Path:
        return self.directory / sha256[:2] / f"{sha256}-{self.width}-{page}.png"

    def count(self, sha256: str, media_type: str, content: Callable[[], bytes]) -> int:
        """How many pages there are pictures of (rendering them on first use)."""
        if not self.can_show(media_type):
            return 0
        cached = [p for p in range(1, self.pages + 1) if self._path(sha256, p).exists()]
        if cached:
            return len(cached)
        try:
            pictures = self._render(content(), media_type)
        except PreviewUnavailable as error:
            log.info("no preview", reason=str(error))
            return 0
        for number, png in enumerate(pictures, start=1):
            self._store(self._path(sha256, number), png)
        return len(pictures)

    def page(self, sha256: str, number: int) -> Path | None:
        """The cached picture of page ``number`` (``count`` renders them)."""
        path = self._path(sha256, number)
        return path if 1 <= number <= self.pages and path.exists() else None

    def _render(self, content: bytes, media_type: str) -> list[bytes]:
        if media_type in IMAGE_TYPES:
            try:
                with Image.open(io.BytesIO(content)) as image:
                    return [self._png(image.convert("RGB"))]
            except (OSError, ValueError) as error:
                raise PreviewUnavailable(f"the image cannot be opened ({error})") from None
        with _PDFIUM:
            try:
                pdf = pypdfium2.PdfDocument(content)
            except pypdfium2.PdfiumError as error:
                raise PreviewUnavailable(f"the PDF cannot be opened ({error})") from None
            try:
                pictures = []
                for index in range(min(len(pdf), self.pages)):
                    page = pdf[index]
                    scale = self.width / max(page.get_width(), 1)
                    bitmap = page.render(scale=scale)
                    pictures.append(self._png(bitmap.to_pil()))
                return pictures
            finally:
                pdf.close()

    def _png(self, image: Image.Image) -> bytes:
        if image.width > self.width:
            image = image.resize((self.width, round(image.height * self.width / image.width)))
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()

    @staticmethod
    def _store(path: Path, png: bytes) -> None:
        """Written aside and renamed into place: a reader never sees half a picture."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(png)
        os.replace(temporary, path)
