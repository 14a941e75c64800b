"""Delivery adapters: one per way of reaching an accounting package (e-mail, FTP(S),
Exact Online, Yuki, signed webhook), behind the ``Integration`` contract."""

from lucy_events.routers.integrations.base import (
    Delivered,
    DeliveryError,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    RejectedByPackage,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.credentials import (
    FileSecretStore,
    InMemorySecretStore,
    SecretMissing,
    SecretStore,
)
from lucy_events.routers.integrations.email import EmailIntegration, SmtpRelay
from lucy_events.routers.integrations.exact_online import ExactOnline
from lucy_events.routers.integrations.ftp import FtpIntegration
from lucy_events.routers.integrations.rate_limit import RateLimiter
from lucy_events.routers.integrations.registry import (
    AdapterSettings,
    Integrations,
    integration_for,
)
from lucy_events.routers.integrations.webhook import Webhook
from lucy_events.routers.integrations.yuki import Yuki

__all__ = [
    "AdapterSettings",
    "Delivered",
    "DeliveryError",
    "EmailIntegration",
    "ExactOnline",
    "FileSecretStore",
    "FtpIntegration",
    "InMemorySecretStore",
    "Integration",
    "Integrations",
    "Outgoing",
    "PermanentDeliveryError",
    "RateLimiter",
    "RejectedByPackage",
    "SecretMissing",
    "SecretStore",
    "SmtpRelay",
    "Target",
    "TransientDeliveryError",
    "Webhook",
    "Yuki",
    "integration_for",
]
