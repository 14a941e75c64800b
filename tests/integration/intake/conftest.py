from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.intake.local_dns import LocalDns
from tests.mails import DkimKey, dkim_key


@pytest.fixture(scope="session")
def local_dns() -> Iterator[LocalDns]:
    dns = LocalDns().start()
    yield dns
    dns.stop()


@pytest.fixture(scope="session")
def supplier_key() -> DkimKey:
    return dkim_key("supplier.example")
