"""The domain's error tree. Each aggregate module defines its own rules beside it."""

from __future__ import annotations


class DomainError(Exception):
    """Raised when a command breaks a business rule; the message says which."""

    code = "rule_broken"


class InvalidValue(DomainError):
    """Raised when a command argument is malformed; ``field`` names the argument."""

    code = "invalid"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(DomainError):
    """Raised when the firm, client, document or staff member does not exist
    (or belongs to another firm, which the caller must not be able to tell apart)."""

    code = "not_found"


class Gone(DomainError):
    """Raised when what was asked for existed but was removed for good (for example a
    document's contents at the end of the retention period); the trail about it stays."""

    code = "gone"


class PermissionDenied(DomainError):
    """Raised when the acting person's role does not allow the command."""

    code = "forbidden"


class ConcurrencyConflict(DomainError):
    """Raised when the same aggregate kept changing under a command after the bounded
    number of retries; the caller may try again."""

    code = "conflict"
