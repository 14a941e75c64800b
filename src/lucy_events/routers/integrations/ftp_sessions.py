"""Signed-in FTP(S) sessions for the FTP adapter: opened with the password from the
secret store, kept per worker thread for the next delivery to the same account
(``kept_sessions.py``), and every ftplib failure turned into the delivery error that
tells the router what to do next."""

from __future__ import annotations

import ftplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from lucy_events.kept_sessions import KeptSessions
from lucy_events.routers.integrations.base import (
    PermanentDeliveryError,
    Target,
    TransientDeliveryError,
    setting,
)
from lucy_events.routers.integrations.credentials import SecretStore

log = structlog.get_logger()
T = TypeVar("T")
_TRUE = ("true", "1", "yes", "on")


@dataclass(frozen=True)
class FtpAccount:
    """Where a session signs in: what makes a kept session usable for a target."""

    host: str
    port: int
    username: str
    tls: bool
    credentials_ref: str | None

    @classmethod
    def of(cls, target: Target) -> FtpAccount:
        portal = target.portal_settings
        where = f"{target.package} portal"
        host = setting(portal, "host", where)
        username = setting(portal, "username", where)
        try:
            port = int(portal.get("port") or 21)
        except ValueError:
            raise PermanentDeliveryError(f"{where} setting 'port' is not a number") from None
        tls = (portal.get("tls") or "true").strip().lower() in _TRUE
        return cls(host, port, username, tls, target.credentials_ref)


class FtpSessions:
    def __init__(self, secrets: SecretStore, ssl_context: ssl.SSLContext | None,
                 timeout: float) -> None:
        self.secrets = secrets
        self.ssl_context = ssl_context
        self.timeout = timeout
        self._kept: KeptSessions[ftplib.FTP] = KeptSessions(close, name="FTP")

    def run(self, target: Target, work: Callable[[ftplib.FTP], T], *,
            keep: bool = True) -> T:
        """``work`` in this thread's kept session to the target's account (``keep``),
        else in a new one. A kept session the server has closed meanwhile fails with a
        transient error: the work is done once more in a new session (it is idempotent:
        the delivery key is looked for first, the upload goes to a temporary name)."""
        account = FtpAccount.of(target)
        return self._kept.run(account, lambda: self._open(account),
                              lambda ftp: _translated(account.host, lambda: work(ftp)),
                              stale=_transient, keep=keep)

    def _open(self, account: FtpAccount) -> ftplib.FTP:
        """A signed-in session in binary mode (SIZE is defined in it; the adapter's
        delivery-key question relies on it). The password is read from the secret store
        here, once a session."""
        return _translated(account.host, lambda: self._signed_in(account))

    def _signed_in(self, account: FtpAccount) -> ftplib.FTP:
        password = self.secrets.value(account.credentials_ref, "password")
        ftp = (
            ftplib.FTP_TLS(context=self.ssl_context or ssl.create_default_context(),
                           timeout=self.timeout)
            if account.tls else ftplib.FTP(timeout=self.timeout)
        )
        try:
            ftp.connect(account.host, account.port)
            ftp.login(account.username, password)  # FTP_TLS secures the channel first
            if isinstance(ftp, ftplib.FTP_TLS):
                ftp.prot_p()
            ftp.voidcmd("TYPE I")
        except BaseException:
            close(ftp)
            raise
        return ftp


def _transient(error: Exception) -> bool:
    return isinstance(error, TransientDeliveryError)


def _translated(host: str, call: Callable[[], T]) -> T:
    """``call()``, its ftplib failures as the delivery errors that say what to do next."""
    try:
        return call()
    except ftplib.error_temp as error:
        raise TransientDeliveryError(f"FTP {host}: {error}") from error
    except ftplib.error_perm as error:
        raise PermanentDeliveryError(f"FTP {host}: {error}") from error
    except (ftplib.error_reply, ftplib.error_proto, EOFError) as error:
        raise TransientDeliveryError(f"FTP {host}: unexpected reply {error!r}") from error
    except ssl.SSLCertVerificationError as error:
        raise PermanentDeliveryError(f"FTP {host}: TLS certificate rejected") from error
    except OSError as error:
        raise TransientDeliveryError(f"FTP {host} unreachable: {error}") from error


def close(ftp: ftplib.FTP) -> None:
    if ftp.sock is None:  # never connected
        return
    try:
        ftp.quit()
    except (OSError, EOFError, ftplib.Error):
        pass
    finally:
        ftp.close()
