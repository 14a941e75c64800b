"""The ``Idempotency-Key`` header of uploads: a retry gets the first answer again.

Only a successful answer is kept: a first attempt that failed recorded nothing, so its
retry simply runs (and meets the same rule again if the request is still wrong).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from uuid import UUID

from flask import request

from lucy_events.aggregates.errors import ConcurrencyConflict, InvalidValue
from lucy_events.idempotency import (
    Answer,
    IdempotentRequests,
    KeyReused,
    Replayed,
    StillRunning,
)
from lucy_events.intake.files import IncomingFile
from lucy_events.web.api.access import services
from lucy_events.web.auth import Viewer

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
Reply = tuple[Any, int, dict[str, str]]


def fingerprint(files: Iterable[IncomingFile], fields: Mapping[str, Any]) -> str:
    """What makes two requests the same: method, path, form fields, and each file's
    name and content (not the multipart boundary, which every client draws anew)."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    for name in sorted(fields):
        digest.update(f"{name}={fields[name]}\n".encode())
    for file in files:
        content = hashlib.sha256(file.content).hexdigest()
        digest.update(f"{file.file_name}\x00{content}\n".encode())
    return digest.hexdigest()


def answered_once(viewer: Viewer | UUID, request_fingerprint: str, run: Callable[[], Reply]
                  ) -> Reply:
    """``run``'s reply; with an Idempotency-Key seen before, the first reply instead.
    Keys are kept per firm (a staff member's ``viewer``), or per the id given (a client
    portal user's company: their keys never meet the firm's)."""
    scope = viewer if isinstance(viewer, UUID) else viewer.firm_id
    key = request.headers.get(HEADER)
    if key is None:
        return run()
    if not _KEY.match(key):
        raise InvalidValue(HEADER, "must be 1 to 255 visible ASCII characters")
    store = IdempotentRequests(services().read_db)
    try:
        held = store.claim(scope, key, request_fingerprint)
    except KeyReused as error:
        raise InvalidValue(HEADER, str(error)) from None
    except StillRunning as error:
        raise ConcurrencyConflict(str(error)) from None
    if isinstance(held, Replayed):
        answer = held.answer
        return answer.body, answer.status, {**answer.headers, REPLAYED_HEADER: "true"}
    try:
        body, status, headers = run()
    except BaseException:
        store.release(scope, key, held)
        raise
    store.complete(scope, key, held, Answer(status, body, headers))
    return body, status, headers
