"""How the API answers an upload that is too large: 413, naming the limit."""

from __future__ import annotations

from typing import Any

from lucy_events.intake.files import FileTooLarge
from lucy_events.web.api.blueprint import api
from lucy_events.web.errors import error_body


@api.errorhandler(FileTooLarge)
def _too_large(error: FileTooLarge) -> tuple[dict[str, Any], int]:
    return error_body("file_too_large", str(error), {error.field: error.message}), 413
