"""Poison, outage or bug: what a failure while handling a message means."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from eventsourcing.persistence import OperationalError as StoreOperationalError
from kafka.errors import KafkaConnectionError, KafkaTimeoutError
from psycopg_pool import PoolTimeout

from lucy_events.aggregates.document_rules import AlreadySent
from lucy_events.aggregates.errors import ConcurrencyConflict, InvalidValue
from lucy_events.bus.avro import UndecodableMessage
from lucy_events.bus.faults import Fault, InvalidMessage, classify, is_infrastructure_failure
from lucy_events.bus.relay_reader import ReaderError


def wrapped(error: BaseException, outer: BaseException) -> BaseException:
    try:
        try:
            raise error
        except BaseException as inner:
            raise outer from inner
    except BaseException as caught:
        return caught


@pytest.mark.parametrize("error", [
    psycopg.OperationalError("connection refused"),
    psycopg.InterfaceError("the connection is closed"),
    PoolTimeout("couldn't get a connection after 2.00 sec"),
    sqlite3.OperationalError("database is locked"),
    sqlite3.OperationalError("disk I/O error"),
    KafkaConnectionError("111 ECONNREFUSED"),
    KafkaTimeoutError(),
    ConnectionResetError(104, "reset by peer"),
    TimeoutError("timed out"),
    ReaderError("reading failed: OperationalError", outage=True),
])
def test_an_outage_of_the_database_broker_or_network_is_waited_out(error):
    assert is_infrastructure_failure(error)
    assert classify(error) is Fault.OUTAGE


def test_eventsourcings_wrapper_of_a_lost_connection_is_an_outage():
    error = wrapped(psycopg.OperationalError("server closed the connection"),
                    StoreOperationalError("server closed the connection"))
    assert classify(error) is Fault.OUTAGE


def test_an_outage_behind_a_handlers_own_error_is_still_an_outage():
    error = wrapped(PoolTimeout("couldn't get a connection"), RuntimeError("saving failed"))
    assert classify(error) is Fault.OUTAGE


def test_contention_on_an_aggregate_is_waited_out_like_an_outage():
    assert classify(ConcurrencyConflict("the document kept changing")) is Fault.OUTAGE


@pytest.mark.parametrize("error", [
    UndecodableMessage("unknown magic byte 0x7b", b"{}"),
    InvalidMessage("SendRequested without an attempt"),
    InvalidValue("reason", "must not be empty"),
    AlreadySent("the document was already sent"),
])
def test_a_message_that_cannot_be_decoded_or_is_refused_as_invalid_is_poison(error):
    assert not is_infrastructure_failure(error)
    assert classify(error) is Fault.MESSAGE


@pytest.mark.parametrize("error", [
    KeyError("client_id"),
    TypeError("unsupported operand"),
    sqlite3.OperationalError("no such table: lucy_documents"),
    wrapped(sqlite3.OperationalError("no such column: x"), StoreOperationalError("x")),
    ReaderError("the reader answered out of step"),
])
def test_any_other_error_is_a_bug_neither_parked_nor_waited_out(error):
    assert classify(error) is Fault.BUG
