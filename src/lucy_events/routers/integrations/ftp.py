"""Delivery to a folder on the firm's FTP or FTPS server (explicit TLS, PROT P), where
the package's import picks documents up.

A document is written under a temporary dot-name, checked, then renamed to its final
name, so the package never sees half a file under a name it would import.
"""

from __future__ import annotations

import ftplib
import io
import ssl
from contextlib import suppress
from posixpath import basename

import structlog

from lucy_events.routers.integrations.base import (
    Delivered,
    Integration,
    Outgoing,
    PermanentDeliveryError,
    Target,
    TransientDeliveryError,
)
from lucy_events.routers.integrations.credentials import SecretStore
from lucy_events.routers.integrations.ftp_sessions import FtpSessions
from lucy_events.routers.integrations.payload import (
    is_sales,
    payload_of,
    remote_file_name,
    safe_name,
)

log = structlog.get_logger()

#: Where each package's import looks, as (purchase folder, sales folder) templates under
#: the portal's root: ``{client}`` is the client's folder, ``{year}`` the year the
#: document was received. The portal may override them (``purchase_folder``,
#: ``sales_folder``). Bank statements and other documents go with the purchases.
LAYOUTS: dict[str, tuple[str, str]] = {
    "expert-m": ("{client}/{year}/Invoices-IN", "{client}/{year}/Invoices-OUT"),
    "vero-online": ("{client}/{year}/Purchases", "{client}/{year}/Sales"),
    "sage-bob": ("{client}/{year}/Purchases", "{client}/{year}/Sales"),
    "account-2000": ("{client}/{year}/Purchases", "{client}/{year}/Sales"),
    "adsolut": ("{client}/{year}/Purchases", "{client}/{year}/Sales"),
    "ftp": ("{client}/{year}", "{client}/{year}"),
}


class FtpIntegration(Integration):
    def __init__(
        self, secrets: SecretStore, *, ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._sessions = FtpSessions(secrets, ssl_context, timeout)

    def deliver(self, outgoing: Outgoing, target: Target) -> Delivered:
        return self._upload(outgoing, target, check_first=False)

    def deliver_once(self, outgoing: Outgoing, target: Target) -> Delivered:
        """Look for the final name and upload in the same session: one login, not two."""
        return self._upload(outgoing, target, check_first=True)

    def _upload(self, outgoing: Outgoing, target: Target, *, check_first: bool) -> Delivered:
        folder = folder_for(outgoing, target)
        final = remote_file_name(outgoing)
        partial = f".{final}.part"
        content = payload_of(outgoing).content

        def upload(ftp: ftplib.FTP) -> Delivered:
            _enter(ftp, folder, create=True)
            if check_first and _exists(ftp, final):
                return Delivered(f"{folder}/{final}", existing=True)
            ftp.storbinary(f"STOR {partial}", io.BytesIO(content))
            with suppress(ftplib.error_perm):  # a server without SIZE cannot be asked
                size = ftp.size(partial)
                if size is not None and size != len(content):
                    raise TransientDeliveryError(
                        f"upload incomplete: {size} of {len(content)} bytes arrived")
            ftp.rename(partial, final)
            return Delivered(f"{folder}/{final}")

        delivered = self._sessions.run(target, upload)
        if not delivered.existing:
            log.info("document uploaded", package=target.package,
                     document_id=str(outgoing.document_id), folder=folder)
        return delivered

    def check_connection(self, target: Target) -> str:
        """Sign in and enter the portal's root folder, writing nothing; what was found.
        Raises the delivery errors a delivery would (a wrong password is permanent).
        Always on a new session: the check is of the password stored now."""
        root = (target.portal_settings.get("root") or "").strip("/")

        def check(ftp: ftplib.FTP) -> str:
            if root and not _enter(ftp, "/" + root, create=False):
                raise PermanentDeliveryError(f"FTP: the root folder /{root} does not exist")
            return f"signed in; the root folder is {ftp.pwd()}"

        return self._sessions.run(target, check, keep=False)

    def find_delivered(self, outgoing: Outgoing, target: Target) -> str | None:
        folder = folder_for(outgoing, target)
        final = remote_file_name(outgoing)

        def find(ftp: ftplib.FTP) -> str | None:
            if not _enter(ftp, folder, create=False):
                return None
            return f"{folder}/{final}" if _exists(ftp, final) else None

        return self._sessions.run(target, find)


def folder_for(outgoing: Outgoing, target: Target) -> str:
    """The folder, from the server's root, that this document belongs in."""
    portal = target.portal_settings
    purchase, sales = LAYOUTS.get(target.package, LAYOUTS["ftp"])
    if is_sales(outgoing.document_type):
        template = portal.get("sales_folder") or sales
    else:
        template = portal.get("purchase_folder") or purchase
    path = (template.replace("{client}", client_folder(outgoing, target))
            .replace("{year}", f"{outgoing.received_at:%Y}"))
    parts = [*(portal.get("root") or "").split("/"), *path.split("/")]
    if any(part in (".", "..") for part in parts):
        raise PermanentDeliveryError(f"{target.package} folder {path!r} leaves its root")
    return "/" + "/".join(part for part in parts if part)


def client_folder(outgoing: Outgoing, target: Target) -> str:
    """The client's own folder setting, else its enterprise number, else its name."""
    for chosen in (target.client_settings.get("folder"), outgoing.client_enterprise_number):
        parts = [safe_name(part, default="") for part in (chosen or "").split("/")]
        if any(parts):
            return "/".join(part for part in parts if part)
    return safe_name(outgoing.client_name, default="client")


def _enter(ftp: ftplib.FTP, folder: str, *, create: bool) -> bool:
    """Change to ``folder``, creating what is missing when asked; False if it is missing.
    One CWD when the folder is there (the usual case), step by step when it is not."""
    try:
        ftp.cwd(folder)
        return True
    except ftplib.error_perm:
        ftp.cwd("/")
    for part in folder.strip("/").split("/"):
        if not part:
            continue
        try:
            ftp.cwd(part)
        except ftplib.error_perm:
            if not create:
                return False
            try:
                ftp.mkd(part)
            except ftplib.error_perm:
                # Another session (another client's delivery, another router) may have made
                # it between our CWD and MKD ("550 File exists"): then it can be entered.
                try:
                    ftp.cwd(part)
                except ftplib.error_perm:
                    pass
                else:
                    continue
                raise  # MKD's own refusal (no permission, ...) says best what is wrong
            ftp.cwd(part)
    return True


def _exists(ftp: ftplib.FTP, name: str) -> bool:
    """Whether the current folder holds ``name``: SIZE (RFC 3659) asks in one reply
    however full the folder is; a server without SIZE is asked for the folder's list."""
    try:
        ftp.size(name)  # the session is in binary mode, where SIZE is defined
        return True
    except ftplib.error_perm as error:
        if not str(error).startswith(("500", "501", "502", "504")):
            return False  # 550: no such file
    try:
        names = ftp.nlst()
    except ftplib.error_perm:  # some servers answer 550 for an empty folder
        names = []
    ftp.voidcmd("TYPE I")  # NLST switched to ASCII; the next SIZE needs binary
    return name in {basename(n) for n in names}
