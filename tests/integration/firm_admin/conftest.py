"""The onboarding site (the service from bootstrap, Flask over it, mail through a real
aiosmtpd relay) for the firm-admin tests."""

from tests.integration.onboarding.conftest import Site, outbox_site, site  # noqa: F401
from tests.mail_support import Inbox, smtp_inbox  # noqa: F401
