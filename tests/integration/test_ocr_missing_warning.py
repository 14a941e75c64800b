"""Where tesseract is missing (``make run`` could not install it), the service says so
once where the recognition worker starts, and scans then stay unrecognised."""

from __future__ import annotations

from pathlib import Path

import pytest
from structlog.testing import capture_logs

from lucy_events.bootstrap import bootstrap
from lucy_events.config import Settings
from lucy_events.recognition import ocr
from tests.conftest import service_missing


def test_the_worker_says_once_at_start_that_ocr_is_not_installed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr.ocr_unavailable_reason.cache_clear()  # asked once per process; ask again here
    monkeypatch.setattr(ocr, "ocr_unavailable_reason", ocr.ocr_unavailable_reason.__wrapped__)
    services = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path)}))
    try:
        with capture_logs() as logs:
            [worker] = services.recognition_handlers()
        warnings = [e for e in logs if e["event"] == "recognition runs without OCR"]
        assert len(warnings) == 1 and warnings[0]["log_level"] == "warning"
        assert warnings[0]["reason"].startswith("OCR is not installed")
        assert worker.name == "recognition"
    finally:
        services.close()


def test_with_tesseract_installed_nothing_is_said(tmp_path: Path):
    ocr.ocr_unavailable_reason.cache_clear()
    if ocr.ocr_unavailable_reason() is not None:
        service_missing("Debian's tesseract-ocr (make test installs it)")
    services = bootstrap(Settings.from_env({"LUCY_DATA_DIR": str(tmp_path)}))
    try:
        with capture_logs() as logs:
            services.recognition_handlers()
        assert not [e for e in logs if e["event"] == "recognition runs without OCR"]
    finally:
        services.close()
