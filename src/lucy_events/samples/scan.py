"""Scans of generated PDFs: the page rasterised (pypdfium2), turned slightly as a sheet
on a scanner glass, with sensor noise and a little blur, saved as PNG, JPEG, TIFF or an
image-only PDF. The noise comes from the seed, so a scan is the same for a seed."""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter

#: Image kind -> (media type, file extension)
KINDS = {"png": ("image/png", ".png"), "jpeg": ("image/jpeg", ".jpg"),
         "tiff": ("image/tiff", ".tif"), "pdf": ("application/pdf", ".pdf")}
DPI = 200


def rasterise(pdf: bytes, dpi: int = DPI) -> Image.Image:
    """The first page of ``pdf`` as a greyscale image."""
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        document.close()


def _noise(size: tuple[int, int], rng: random.Random, strength: int) -> Image.Image:
    """Grey noise around 128 (+- ``strength``), drawn from ``rng``."""
    raw = rng.randbytes(size[0] * size[1])
    table = [128 - strength + (v * (2 * strength + 1)) // 256 for v in range(256)]
    return Image.frombytes("L", size, raw).point(table)


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    """Rotate 0.5-2 degrees either way, add noise and blur, as a cheap scanner would."""
    angle = rng.uniform(0.5, 2.0) * rng.choice((-1, 1))
    turned = page.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    noise = _noise(turned.size, rng, rng.randrange(12, 30))
    # page + noise - 128: the noise darkens and lightens around the page's own grey.
    noisy = ImageChops.add(turned, noise, scale=1.0, offset=-128)
    return noisy.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))


def encode(image: Image.Image, kind: str, dpi: int = DPI) -> bytes:
    out = io.BytesIO()
    if kind == "png":
        image.save(out, "PNG", compress_level=1)
    elif kind == "jpeg":
        image.save(out, "JPEG", quality=82, dpi=(dpi, dpi))
    elif kind == "tiff":
        image.save(out, "TIFF", compression="tiff_lzw", dpi=(dpi, dpi))
    elif kind == "pdf":
        image.save(out, "PDF", resolution=dpi, title="Scan", creationDate=None,
                   modDate=None)
    else:
        raise ValueError(f"unknown scan kind {kind!r}; one of {', '.join(KINDS)}")
    return out.getvalue()


def scan(pdf: bytes, kind: str, rng: random.Random, dpi: int = DPI) -> bytes:
    """``pdf``'s first page as a scanned image of ``kind`` (png, jpeg, tiff or pdf)."""
    return encode(degrade(rasterise(pdf, dpi), rng), kind, dpi)
