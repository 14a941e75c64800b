"""The dashboard partial that shows a Peppol document's validation result."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

import lucy_events.web as web

TEMPLATES = Path(web.__file__).parent / "dashboard" / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
PARTIAL = "dashboard/document_validation.html"
ERRORS = [{"rule": "BR-CO-15", "flag": "fatal", "location": "/*:Invoice[1]",
           "message": "[BR-CO-15]-Invoice total amount with VAT <BT-112> = ..."},
          {"rule": "BR-CO-15", "flag": "fatal", "location": "/*:Invoice[1]", "message": "again"},
          {"rule": "PEPPOL-EN16931-R001", "flag": "fatal", "location": "/Invoice[1]",
           "message": "Business process MUST be provided."}]
WARNING = {"rule": "PEPPOL-COMMON-R044", "flag": "warning", "location": "/x",
           "message": "IPA Code must be stated in the correct format"}


def render(validation) -> str:
    return ENV.get_template(PARTIAL).render(peppol_validation=validation)


def test_an_invalid_document_shows_each_broken_rule_with_its_message_escaped():
    html = render({"valid": False, "rules": "UBL 2.1 XSD; ...", "errors": ERRORS,
                   "warnings": [WARNING], "rendition": {"file_name": "F-1.pdf"}})
    assert "3 fatal errors: this document is never sent automatically" in html
    assert "<code>BR-CO-15</code>" in html and "<code>PEPPOL-EN16931-R001</code>" in html
    assert "&lt;BT-112&gt;" in html and "<BT-112>" not in html
    assert "1 warning</summary>" in html and "PEPPOL-COMMON-R044" in html
    assert "F-1.pdf" in html and "Checked with UBL 2.1 XSD" in html


def test_a_valid_document_says_so_and_nothing_renders_without_a_result():
    html = render({"valid": True, "rules": "r", "errors": [], "warnings": [],
                   "rendition": None})
    assert "badge--success" in html and "No rule is broken." in html
    assert "Fatal errors" not in html
    assert render(None).strip() == ""


def test_the_list_badge_names_the_broken_rules_once_each_and_only_when_invalid():
    badge = ENV.get_template(PARTIAL).module.invalid_badge  # type: ignore[attr-defined]
    shown = str(badge({"valid": False, "errors": ERRORS}))
    assert 'title="Peppol rules broken: BR-CO-15, PEPPOL-EN16931-R001"' in shown
    assert str(badge({"valid": True, "errors": []})).strip() == ""
    assert str(badge(None)).strip() == ""
