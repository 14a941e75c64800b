"""Pictures of documents' first pages: rendered once, cached on disk by content hash."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

from lucy_events.web.dashboard.previews import Previews
from tests.pdf_samples import pdf_invoice


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_pdfs_first_page_is_rendered_once_and_then_served_from_the_cache(tmp_path):
    previews, content, reads = Previews(tmp_path, width=600), pdf_invoice(), []

    def load() -> bytes:
        reads.append(1)
        return content

    assert previews.count(sha(content), "application/pdf", load) == 1
    assert previews.count(sha(content), "application/pdf", load) == 1
    assert len(reads) == 1  # the second time nothing was read or rendered
    path = previews.page(sha(content), 1)
    assert path is not None and path.parent.parent == tmp_path
    with Image.open(path) as picture:
        assert picture.format == "PNG" and picture.width == 600
        assert picture.height > picture.width  # an A4 page, upright
    assert previews.page(sha(content), 2) is None


def test_a_large_image_is_scaled_down_and_a_broken_file_has_no_preview(tmp_path):
    previews = Previews(tmp_path, width=400)
    photo = io.BytesIO()
    Image.new("RGB", (2000, 1000), "white").save(photo, "JPEG")
    content = photo.getvalue()
    assert previews.count(sha(content), "image/jpeg", lambda: content) == 1
    with Image.open(previews.page(sha(content), 1)) as picture:
        assert picture.size == (400, 200)
    broken = b"%PDF-1.7 not a PDF"
    assert previews.count(sha(broken), "application/pdf", lambda: broken) == 0
    assert previews.count(sha(b"<Invoice/>"), "application/xml", lambda: b"<Invoice/>") == 0
