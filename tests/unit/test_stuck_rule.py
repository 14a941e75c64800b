"""When a document counts as stuck in Sending (a rule of document_rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lucy_events.aggregates.document_rules import DocumentStatus, NotStuck, check_stuck

NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def test_a_send_requested_before_the_threshold_and_still_in_sending_is_stuck():
    check_stuck(DocumentStatus.SENDING, NOON - timedelta(hours=1), NOON)


def test_a_send_requested_after_the_threshold_may_still_be_on_its_way():
    with pytest.raises(NotStuck, match="may still be on its way"):
        check_stuck(DocumentStatus.SENDING, NOON + timedelta(seconds=1), NOON)


@pytest.mark.parametrize("status", [DocumentStatus.SENT, DocumentStatus.FAILED,
                                    DocumentStatus.INBOX])
def test_only_a_document_in_sending_can_be_stuck(status):
    with pytest.raises(NotStuck, match="only a document in Sending"):
        check_stuck(status, NOON - timedelta(days=1), NOON)
