"""Reading an uploaded file from a multipart request, within the upload limit.

The limit (25 MB; ``LUCY_MAX_UPLOAD_BYTES`` in the app config to change it) is checked
on the declared length before anything is read, then while reading, so neither a large
Content-Length nor a chunked body without one makes the server read more than that.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import request
from marshmallow import ValidationError

from lucy_events.web.api.blueprint import api
from lucy_events.web.errors import error_body

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
#: Room for the multipart framing and the small form fields around the file.
_FRAMING = 64 * 1024


class FileTooLarge(Exception):
    """Raised when an upload is larger than the limit."""


@dataclass(frozen=True)
class UploadedFile:
    content: bytes
    file_name: str
    media_type: str


def upload_limit(config: Mapping[str, Any]) -> int:
    return int(config.get("LUCY_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:g} MB" if size >= 1_048_576 else f"{size} bytes"


def uploaded_file(config: Mapping[str, Any]) -> UploadedFile:
    limit = upload_limit(config)
    if (request.content_length or 0) > limit + _FRAMING:
        raise FileTooLarge(f"the upload is larger than {_megabytes(limit)}, the limit")
    request.max_content_length = limit + _FRAMING
    unknown = [name for name in request.files if name != "file"]
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    files = request.files.getlist("file")
    if len(files) != 1:
        raise ValidationError({"file": ["Send exactly one file, as the form field 'file'."]})
    storage = files[0]
    content = storage.read(limit + 1)
    if len(content) > limit:
        raise FileTooLarge(f"the file is larger than {_megabytes(limit)}, the limit")
    # Browsers send a bare name; other clients may send a path, which is nobody's business.
    file_name = (storage.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    file_name = file_name or "upload"
    media_type = (storage.mimetype if storage.mimetype != "application/octet-stream"
                  else None) or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    return UploadedFile(content, file_name, media_type)


@api.errorhandler(FileTooLarge)
def _too_large(error: FileTooLarge) -> tuple[dict[str, Any], int]:
    return error_body("file_too_large", str(error)), 413
