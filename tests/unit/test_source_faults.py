"""Each failure of a source says what kind it was, set where it is raised: the bot's reply to
WhatsApp is chosen by that kind, never by reading the sentence."""

from __future__ import annotations

import socket

import pymysql
import pytest
import requests

from app.core.i18n import tr
from app.core.sources import Fault, SourceError
from app.sources.http import HttpClient, Wording
from app.sources.pi.status import status_sentence
from app.sources.sql.mysql import MySqlSource

WORDS = Wording("The plant server", "the plant server", "connection settings",
                "http://plant-server")


def client() -> HttpClient:
    return HttpClient("http://10.1.2.3:5450/piwebapi", WORDS, timeout_s=5)


@pytest.mark.parametrize(("raised", "kind"), [
    (requests.exceptions.ConnectionError(ConnectionRefusedError(111, "refused")),
     Fault.UNREACHABLE),
    (requests.exceptions.ConnectionError(socket.gaierror(-2, "Name or service not known")),
     Fault.UNREACHABLE),
    (requests.exceptions.ConnectTimeout("connect timed out"), Fault.UNREACHABLE),
    (requests.exceptions.ReadTimeout("read timed out"), Fault.TIMEOUT),
    (requests.exceptions.InvalidURL("bad"), Fault.SETUP),
    (requests.exceptions.ChunkedEncodingError("cut"), Fault.UNREACHABLE),
])
def test_network_failures_have_a_kind(raised, kind):
    error = client().network_error(raised, 1.5)
    assert isinstance(error, SourceError) and error.kind is kind


@pytest.mark.parametrize(("status", "subject", "kind"), [
    (401, "", Fault.SIGN_IN), (403, "", Fault.REFUSED), (404, "DRUM.PRESS", Fault.NO_DATA),
    (404, "", Fault.SETUP), (429, "", Fault.BUSY), (503, "", Fault.BUSY),
    (500, "", Fault.FAILED), (400, "", Fault.REFUSED),
])
def test_pi_status_answers_have_a_kind(status, subject, kind):
    assert status_sentence("PI Web API", "basic", status, "", subject).kind is kind


@pytest.mark.parametrize(("code", "kind"), [
    (1045, Fault.SIGN_IN), (1049, Fault.SETUP), (1146, Fault.NO_DATA), (1064, Fault.REFUSED),
    (1040, Fault.BUSY), (3024, Fault.TIMEOUT), (1234, Fault.REFUSED),
])
def test_mysql_errors_have_a_kind(code, kind):
    database = MySqlSource({"host": "db.plant", "database": "lims", "username": "ro"},
                             {"password": "x"})
    error = database._error(pymysql.err.OperationalError(code, "server said no"))
    assert error.kind is kind


def test_an_error_raised_without_a_kind_is_a_plain_failure():
    assert SourceError("Something odd.").kind is Fault.FAILED


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_kind_has_a_sentence_in_both_languages_that_names_the_connection(lang):
    for kind in Fault:
        assert "LIMS" in tr(lang, f"fault_{kind}", source="LIMS")
