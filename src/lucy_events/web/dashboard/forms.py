"""Errors of a form, shown next to the field they name.

A domain error names its field (``contact_person.email``, ``settings.purchase_address``);
the forms use those names for their inputs, so the message lands beside the input that
caused it. Rules that are not about one field show above the form's button.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import request

from lucy_events.aggregates.client_rules import ClientNotFound
from lucy_events.aggregates.document_rules import DocumentNotFound
from lucy_events.aggregates.errors import DomainError, InvalidValue, PermissionDenied


@dataclass(frozen=True)
class FormErrors:
    #: Which form of the page failed (a page can hold several).
    form: str
    message: str
    fields: Mapping[str, str] = field(default_factory=dict)

    def on(self, form: str, name: str) -> str | None:
        return self.fields.get(name) if form == self.form else None


def form_errors(form: str, error: DomainError, rename: Mapping[str, str] | None = None
                ) -> FormErrors:
    """The error as the page shows it. A client or document that is not (or no longer)
    visible is not a form error: it is re-raised, and the page answers 404."""
    if isinstance(error, ClientNotFound | DocumentNotFound):
        raise error
    if isinstance(error, InvalidValue):
        name = (rename or {}).get(error.field, error.field)
        several = getattr(error, "fields", None)  # every rule an issued invoice broke
        return FormErrors(form, str(error), dict(several) if several else
                          {name: error.message})
    return FormErrors(form, str(error))


def status_for(error: DomainError) -> int:
    """The page's status: the same codes the API answers with."""
    if isinstance(error, InvalidValue):
        return 422
    if isinstance(error, PermissionDenied):
        return 403
    return 409


def checked(name: str) -> bool:
    return request.form.get(name, "").lower() in ("on", "1", "true", "yes")


def text(name: str) -> str:
    return request.form.get(name, "").strip()
