"""FTP and FTPS delivery against a real pyftpdlib server with a temporary home."""

from __future__ import annotations

import ssl
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from lucy_events.routers.integrations import (
    FtpIntegration,
    InMemorySecretStore,
    PermanentDeliveryError,
    Target,
    TransientDeliveryError,
)
from tests.integration.delivery.conftest import PDF, unused_port
from tests.integration.delivery.ftp_server import (
    PASSWORD,
    READER,
    READER_PASSWORD,
    USERNAME,
)

SECRETS = InMemorySecretStore({
    "ftp-firm": {"password": PASSWORD},
    "ftp-reader": {"password": READER_PASSWORD},
    "ftp-wrong": {"password": "not-the-password"},
})


def target(server, package: str = "expert-m", *, tls: bool, credentials: str = "ftp-firm",
           username: str = USERNAME, client: dict[str, str] | None = None,
           **portal: str) -> Target:
    settings = {"host": server.host, "port": str(server.port), "username": username,
                "tls": "true" if tls else "false", "root": "/lucy", **portal}
    return Target(package, "ftp", client or {}, settings, credentials)


def adapter(context: ssl.SSLContext | None = None) -> FtpIntegration:
    return FtpIntegration(SECRETS, ssl_context=context, timeout=5.0)


def test_an_expert_m_purchase_invoice_lands_in_the_clients_invoices_in_folder_over_ftps(
        ftps, certificate, outgoing):
    document = outgoing()
    delivered = adapter(certificate.client_context()).deliver(document, target(ftps, tls=True))

    name = f"lucy-{document.document_id.hex}-invoice-2026-117.pdf"
    path = ftps.home / "lucy" / "0123456749" / "2026" / "Invoices-IN" / name
    assert path.read_bytes() == PDF
    assert delivered.remote_reference == f"/lucy/0123456749/2026/Invoices-IN/{name}"
    assert all(secured for _, _, _, secured in ftps.log)  # TLS control channel and PROT P


def test_a_sales_invoice_lands_in_invoices_out_under_the_clients_own_folder(ftp, outgoing):
    document = outgoing(document_type="sales-invoice", ubl=b"<Invoice/>")
    adapter().deliver(document, target(ftp, tls=False, client={"folder": "Janssens"}))

    folder = ftp.home / "lucy" / "Janssens" / "2026" / "Invoices-OUT"
    assert [p.name for p in folder.iterdir()] == [
        f"lucy-{document.document_id.hex}-invoice-2026-117.xml"]
    assert next(folder.iterdir()).read_bytes() == b"<Invoice/>"


def test_a_generic_ftp_server_gets_a_client_and_year_folder_and_the_portal_may_override_it(
        ftp, outgoing):
    plain = outgoing(client_enterprise_number=None)
    adapter().deliver(plain, target(ftp, "ftp", tls=False))
    overridden = outgoing(document_type="sales-invoice")
    adapter().deliver(overridden, target(ftp, "ftp", tls=False,
                                         sales_folder="Sales/{year}/{client}"))

    assert (ftp.home / "lucy" / "Bakkerij-Janssens-BV" / "2026").is_dir()
    assert (ftp.home / "lucy" / "Sales" / "2026" / "0123456749").is_dir()


def test_a_half_written_ftp_upload_is_never_visible_under_its_final_name(ftp, outgoing):
    document = outgoing()
    adapter().deliver(document, target(ftp, tls=False))

    final = f"lucy-{document.document_id.hex}-invoice-2026-117.pdf"
    assert ftp.commands() == [("STOR", f".{final}.part"), ("RNFR", f".{final}.part"),
                              ("RNTO", final)]
    stor, _, rnto = ftp.log
    assert final not in stor[2]  # nothing under the final name while bytes arrive
    assert f".{final}.part" in rnto[2] and final not in rnto[2]


def test_an_upload_cut_off_midway_leaves_only_its_temporary_file_and_is_retried(
        ftp, outgoing):
    document = outgoing()
    ftp.cut_after = 4096
    with pytest.raises(TransientDeliveryError):
        adapter().deliver(document, target(ftp, tls=False))

    folder = ftp.home / "lucy" / "0123456749" / "2026" / "Invoices-IN"
    final = f"lucy-{document.document_id.hex}-invoice-2026-117.pdf"
    assert [p.name for p in folder.iterdir()] == [f".{final}.part"]
    assert adapter().find_delivered(document, target(ftp, tls=False)) is None

    ftp.cut_after = None
    adapter().deliver(document, target(ftp, tls=False))
    assert (folder / final).read_bytes() == PDF
    assert not (folder / f".{final}.part").exists()


def test_a_document_already_at_the_remote_is_found_by_its_delivery_key(ftps, certificate,
                                                                         outgoing):
    integration = adapter(certificate.client_context())
    document, other = outgoing(), outgoing()
    assert integration.find_delivered(document, target(ftps, tls=True)) is None  # no folder

    delivered = integration.deliver(document, target(ftps, tls=True))

    assert integration.find_delivered(document, target(ftps, tls=True)) == \
        delivered.remote_reference
    assert integration.find_delivered(other, target(ftps, tls=True)) is None


def test_a_wrong_ftp_password_is_a_permanent_failure(ftp, outgoing):
    with pytest.raises(PermanentDeliveryError, match="530"):
        adapter().deliver(outgoing(), target(ftp, tls=False, credentials="ftp-wrong"))
    assert list(ftp.home.iterdir()) == []


def test_an_ftp_account_without_write_permission_is_a_permanent_failure(ftp, outgoing):
    (ftp.home / "lucy" / "0123456749" / "2026" / "Invoices-IN").mkdir(parents=True)
    with pytest.raises(PermanentDeliveryError, match="550"):
        adapter().deliver(outgoing(), target(ftp, tls=False, username=READER,
                                             credentials="ftp-reader"))
    assert list((ftp.home / "lucy" / "0123456749" / "2026" / "Invoices-IN").iterdir()) == []


def test_an_ftps_server_whose_certificate_does_not_verify_is_a_permanent_failure(
        ftps, outgoing):
    with pytest.raises(PermanentDeliveryError, match="certificate"):
        adapter(ssl.create_default_context()).deliver(outgoing(), target(ftps, tls=True))


def test_an_unreachable_ftp_server_is_a_transient_failure(ftp, outgoing):
    unreachable = target(ftp, tls=False, port=str(unused_port()))
    with pytest.raises(TransientDeliveryError, match="unreachable"):
        adapter().deliver(outgoing(), unreachable)


def test_a_client_folder_setting_cannot_climb_out_of_the_root(ftp, outgoing):
    document = outgoing()
    adapter().deliver(document, target(ftp, tls=False, client={"folder": "../../etc"}))

    assert (ftp.home / "lucy" / "etc" / "2026" / "Invoices-IN").is_dir()


def test_deliveries_racing_to_create_the_same_new_folder_all_land(ftp, outgoing):
    # Clients sharing a folder (a firm-wide root, the same year) are delivered concurrently;
    # the loser of a CWD-then-MKD race hears "550 File exists" and must not fail for it.
    documents = [outgoing() for _ in range(12)]
    start = threading.Barrier(len(documents))

    def deliver(document):
        start.wait()
        return adapter().deliver(document, target(ftp, "ftp", tls=False))

    with ThreadPoolExecutor(max_workers=len(documents)) as pool:
        delivered = list(pool.map(deliver, documents))

    folder = ftp.home / "lucy" / "0123456749" / "2026"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        d.remote_reference.rsplit("/", 1)[1] for d in delivered)
    assert len(delivered) == 12
