"""A local Peppol directory for tests: an SML as a DNS server on a loopback port
(dnslib) answering NAPTR ``Meta:SMP`` records, and SMPs as local HTTP servers answering
service groups. ``silent`` makes the DNS server drop every query (an SML that is away)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

import pytest
from dnslib import NAPTR, QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer

from lucy_events.peppol.lookup import sml_name
from tests.integration.intake.local_dns import free_udp_port

ZONE = "sml.lucy.test"
INVOICE = ("busdox-docid-qns::urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice"
           "##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1")


@dataclass
class Naptr(BaseResolver):  # type: ignore[misc]
    records: dict[str, str] = field(default_factory=dict)  # name -> SMP URL
    silent: bool = False
    queries: list[str] = field(default_factory=list)

    def resolve(self, request: Any, handler: Any) -> Any:
        name = str(request.q.qname).rstrip(".").lower()
        self.queries.append(f"{QTYPE[request.q.qtype]} {name}")
        if self.silent:
            return None  # dnslib sends nothing: the client times out
        reply = request.reply()
        smp = self.records.get(name)
        if smp is None:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.NAPTR:
            reply.add_answer(RR(request.q.qname, QTYPE.NAPTR, ttl=60, rdata=NAPTR(
                100, 10, b"U", b"Meta:SMP", f"!^.*$!{smp}!".encode(), ".")))
        return reply


class LocalSml:
    def __init__(self) -> None:
        self.naptr = Naptr()
        self.port = free_udp_port()
        self.server = DNSServer(self.naptr, port=self.port, address="127.0.0.1",
                                logger=DNSLogger(prefix=False, logf=lambda _: None))

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def register(self, participant: str, smp_url: str) -> None:
        self.naptr.records[sml_name(participant, ZONE)] = smp_url


class Smp:
    """An SMP answering the service group of the participants it holds."""

    def __init__(self) -> None:
        self.groups: dict[str, list[str]] = {}
        smp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                participant = unquote(self.path.lstrip("/")).split("::", 1)[-1]
                types = smp.groups.get(participant)
                if types is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                base = f"http://127.0.0.1:{smp.port}"
                refs = "".join(
                    f'<ServiceMetadataReference href="{base}/'
                    f'{quote("iso6523-actorid-upis::" + participant, safe="")}/services/'
                    f'{quote(t, safe="")}"/>' for t in types)
                body = (
                    '<?xml version="1.0" encoding="UTF-8"?><ServiceGroup xmlns='
                    '"http://busdox.org/serviceMetadata/publishing/1.0/" xmlns:id='
                    '"http://busdox.org/transport/identifiers/1.0/"><id:ParticipantIdentifier '
                    f'scheme="iso6523-actorid-upis">{participant}</id:ParticipantIdentifier>'
                    f"<ServiceMetadataReferenceCollection>{refs}"
                    "</ServiceMetadataReferenceCollection></ServiceGroup>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.http.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextmanager
def peppol_directory() -> Iterator[tuple[LocalSml, Smp]]:
    sml, smp = LocalSml(), Smp()
    sml.server.start_thread()
    smp.thread.start()
    try:
        yield sml, smp
    finally:
        sml.server.stop()
        smp.stop()


@pytest.fixture(scope="session")
def empty_sml() -> Iterator[LocalSml]:
    """A local SML that knows no participant: the Peppol check of tests that are not
    about it answers "not registered" at once and never asks the internet's SML (where
    the test companies' real numbers may well be registered)."""
    sml = LocalSml()
    sml.server.start_thread()
    yield sml
    sml.server.stop()
