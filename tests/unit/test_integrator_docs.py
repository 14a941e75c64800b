"""docs/integrators.md keeps up with the contract: every event type on its topic's row, and
no file named outside this repository (integrators get the repository, nothing else)."""

from __future__ import annotations

import re
from pathlib import Path

from lucy_events.bus.avro import SchemaRegistryFile
from lucy_events.bus.catalogue import TOPICS

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrators.md"


def test_every_event_type_is_listed_on_its_topics_row_with_its_schema_id():
    text = DOC.read_text()
    for topic in TOPICS:
        [row] = [line for line in text.splitlines() if line.startswith(f"| `{topic}` |")]
        for schema in SchemaRegistryFile().schemas:
            if schema.topic == topic:
                assert re.search(rf"\b{schema.event_type}\b", row), (topic, schema.event_type)
                assert str(schema.id) in row, (topic, schema.event_type, schema.id)


def test_the_integrators_page_names_no_file_outside_the_repository():
    text = DOC.read_text()
    assert "../" not in text
    assert "/work/" not in text and "shared/" not in text
