"""A DNS server on a loopback port (dnslib), serving the TXT records a test gives it:
SPF policies and DKIM keys of made-up domains. Everything else is NXDOMAIN."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

from dnslib import QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TxtRecords(BaseResolver):  # type: ignore[misc]
    records: dict[str, list[str]] = field(default_factory=dict)
    queries: list[str] = field(default_factory=list)

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        self.queries.append(f"{QTYPE[request.q.qtype]} {name}")
        values = self.records.get(name)
        if values is None:
            reply.header.rcode = RCODE.NXDOMAIN
        elif request.q.qtype == QTYPE.TXT:
            for value in values:  # one TXT string holds at most 255 bytes
                chunks = [value[i:i + 255] for i in range(0, len(value), 255)]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, rdata=TXT(chunks), ttl=1))
        return reply


class LocalDns:
    def __init__(self) -> None:
        self.records = TxtRecords()
        self.port = free_udp_port()
        self.server = DNSServer(self.records, port=self.port, address="127.0.0.1",
                                logger=DNSLogger(prefix=False, logf=lambda _: None))

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def txt(self, name: str, *values: str) -> None:
        self.records.records[name.lower()] = list(values)

    def start(self) -> LocalDns:
        self.server.start_thread()
        return self

    def stop(self) -> None:
        self.server.stop()
