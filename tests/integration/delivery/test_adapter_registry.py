"""Every package of the catalogue that delivers anywhere has its adapter."""

from __future__ import annotations

import pytest

from lucy_events.aggregates.packages import PACKAGES, IntegrationKind
from lucy_events.routers.integrations import (
    AdapterSettings,
    EmailIntegration,
    ExactOnline,
    FtpIntegration,
    InMemorySecretStore,
    Integrations,
    PermanentDeliveryError,
    SmtpRelay,
    Webhook,
    Yuki,
    integration_for,
)

SETTINGS = AdapterSettings(smtp_relay=SmtpRelay("127.0.0.1", 2525, "documents@lucy.test"))
EXPECTED = {IntegrationKind.EMAIL: EmailIntegration, IntegrationKind.FTP: FtpIntegration}
API = {"exact-online-api": ExactOnline, "exact-online-nl-api": ExactOnline, "yuki-api": Yuki,
       "wolters-kluwer-api": Webhook, "syneton-dms-api": Webhook, "webhook": Webhook}


@pytest.mark.parametrize("code", sorted(c for c, p in PACKAGES.items()
                                        if p.kind is not IntegrationKind.NONE))
def test_every_package_that_delivers_has_an_adapter(code):
    kind = PACKAGES[code].kind
    expected = API[code] if kind is IntegrationKind.API else EXPECTED[kind]
    adapter = integration_for(code, secrets=InMemorySecretStore(), settings=SETTINGS)
    assert isinstance(adapter, expected)


def test_no_integration_and_unknown_packages_have_no_adapter():
    for code in ("none", "quickbooks"):
        with pytest.raises(PermanentDeliveryError, match="no delivery adapter"):
            integration_for(code, secrets=InMemorySecretStore(), settings=SETTINGS)


def test_e_mail_delivery_without_a_mail_backend_is_a_permanent_failure():
    with pytest.raises(PermanentDeliveryError, match="no outgoing-mail backend"):
        integration_for("winbooks", secrets=InMemorySecretStore())


def test_one_process_shares_each_adapter_so_tokens_and_rate_limits_are_shared():
    integrations = Integrations(InMemorySecretStore(), SETTINGS)
    assert integrations.for_package("exact-online-api") is \
        integrations.for_package("exact-online-api")
    # Exact Online NL is another address for the same adapter, not a copy of it.
    assert integrations.for_package("exact-online-nl-api") is \
        integrations.for_package("exact-online-api")
    assert integrations.for_package("expert-m") is integrations.for_package("adsolut")
    assert integrations.for_package("webhook") is not integrations.for_package("yuki-api")
