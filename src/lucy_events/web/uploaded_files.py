"""The files of a multipart upload request (the API's and the dashboard's), each one
checked by ``intake.files`` before anything is stored.

The request's declared length is checked again here (the edge, ``body_limit``, already
refused one larger than the whole request may be), and each file is read no further
than one byte past the limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import request
from marshmallow import ValidationError

from lucy_events.intake.files import Destination, FileTooLarge, IncomingFile, accepted_file
from lucy_events.intake.files import size_text as size_text
from lucy_events.web.body_limit import request_body_limit

FIELD = "file"


def upload_limit(config: Mapping[str, Any]) -> int:
    return int(config["LUCY_MAX_UPLOAD_BYTES"])


def uploaded_files(config: Mapping[str, Any], destination: Destination,
                   *, extra_fields: frozenset[str] = frozenset()) -> list[IncomingFile]:
    """Every part named ``file``, in order; an error names ``file`` (one file) or
    ``file[i]`` (the i-th of several, from 0) and the file's name."""
    limit = upload_limit(config)
    if (request.content_length or 0) > request_body_limit(limit):
        raise FileTooLarge(FIELD, f"the upload is larger than {size_text(limit)}, the limit")
    request.max_content_length = request_body_limit(limit)
    unknown = [name for name in request.files if name != FIELD and name not in extra_fields]
    if unknown:
        raise ValidationError({name: ["Unknown field."] for name in unknown})
    parts = [part for part in request.files.getlist(FIELD)
             if part.filename or part.stream.read(1)]  # a form sent with no file chosen
    for part in parts:
        part.stream.seek(0)
    if not parts:
        raise ValidationError({FIELD: ["Send one or more files, as the form field 'file'."]})
    files = []
    for index, part in enumerate(parts):
        field = FIELD if len(parts) == 1 else f"{FIELD}[{index}]"
        content = part.read(limit + 1)
        files.append(accepted_file(part.filename, content, limit=limit,
                                   destination=destination, field=field))
    return files
