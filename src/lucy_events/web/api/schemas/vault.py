"""The vault: a client's shared files as the API shows them."""

from __future__ import annotations

from marshmallow import Schema, fields

from lucy_events.intake.media_types import VAULT_ACCEPTED
from lucy_events.web.api.schemas.common import Strict


class VaultFileSchema(Schema):
    id = fields.UUID(attribute="file_id")
    client_id = fields.UUID()
    file_name = fields.String()
    media_type = fields.String(metadata={"enum": list(VAULT_ACCEPTED)})
    size = fields.Integer(metadata={"description": "bytes"})
    sha256 = fields.String()
    added_at = fields.DateTime()
    added_by = fields.String(metadata={"description": "staff:<id>"})


class VaultListSchema(Schema):
    """Every file in the vault now, newest first (a vault is small: no pages)."""

    items = fields.List(fields.Nested(VaultFileSchema), required=True)
    total = fields.Integer(required=True)


class VaultUploadSchema(Strict):
    """The multipart form of a vault upload: one or more parts named ``file``."""

    file = fields.Raw(required=True, load_only=True,
                      metadata={"type": "string", "format": "binary",
                                "description": "repeat the part for several files"})
