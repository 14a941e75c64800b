"""The client portal's site: the onboarding tests' site (the service from bootstrap,
its Flask app, a firm with an admin signed in to the dashboard), with mail through a
real aiosmtpd server (``site``) or to the outbox (``outbox_site``)."""

from __future__ import annotations

from tests.integration.onboarding.conftest import Site, outbox_site, site  # noqa: F401
from tests.mail_support import Inbox, smtp_inbox  # noqa: F401
