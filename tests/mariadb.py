"""A real MariaDB server for integration tests, started from Debian's packages on a free port."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymysql
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DATABASE = "plant"
BIG_ROWS = 100_000
START_TIMEOUT_S = 30.0
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")  # not on a normal user's PATH


@dataclass(frozen=True)
class MariaDbServer:
    """Where the test server listens and who may log in; `root()` opens an admin connection."""

    host: str
    port: int
    socket_path: str
    database: str
    version: str
    users: dict[str, str]  # user → password: "plant_rw" may write, "plant_ro" may only read
    tls_ca: str  # the CA that signed the server's certificate (for 127.0.0.1)
    other_ca: str  # a CA that did not

    def config(self, user: str = "plant_ro", **extra: Any) -> dict[str, Any]:
        """A data-source config for one of the test users."""
        return {"host": self.host, "port": self.port, "database": self.database,
                "username": user, "connect_timeout_s": 5, **extra}

    def secrets(self, user: str = "plant_ro") -> dict[str, str]:
        return {"password": self.users[user]}

    def root(self) -> pymysql.connections.Connection:
        return pymysql.connect(unix_socket=self.socket_path, user="root", database=self.database,
                               autocommit=True)


def _program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in _SBIN:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name | None = None,
                 issuer_key: ec.EllipticCurvePrivateKey | None = None) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=2)))
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), True)
        builder = builder.add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    else:
        assert issuer_key is not None
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def _write_tls_files(folder: Path) -> dict[str, Path]:
    """A test CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA."""
    pem = serialization.Encoding.PEM
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("WA-Integration test CA", ca_key)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, ca.subject, ca_key)
    other = _certificate("Unrelated CA", ec.generate_private_key(ec.SECP256R1()))
    files = {"ca": folder / "ca.pem", "cert": folder / "server-cert.pem",
             "key": folder / "server-key.pem", "other_ca": folder / "other-ca.pem"}
    files["ca"].write_bytes(ca.public_bytes(pem))
    files["cert"].write_bytes(server.public_bytes(pem))
    files["key"].write_bytes(server_key.private_bytes(
        pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    files["other_ca"].write_bytes(other.public_bytes(pem))
    return files


def _log_tail(path: Path) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-30:])
    except OSError:
        return "(no server log)"


_SCHEMA = [
    f"CREATE DATABASE {DATABASE}",
    f"USE {DATABASE}",
    """CREATE TABLE lab_results (
        id INT AUTO_INCREMENT PRIMARY KEY,
        sample_point VARCHAR(40) NOT NULL,
        parameter VARCHAR(40) NOT NULL,
        value DOUBLE NOT NULL,
        unit VARCHAR(16) NOT NULL,
        sampled_at DATETIME NOT NULL) ENGINE=InnoDB""",
    """INSERT INTO lab_results (sample_point, parameter, value, unit, sampled_at)
        SELECT ELT(1 + seq % 3, 'B1', 'B2', 'Condensate'),
               ELT(1 + seq % 4, 'pH', 'Conductivity', 'Silica', 'Iron'),
               ROUND(5 + (seq * 37 % 100) / 10, 2),
               ELT(1 + seq % 4, 'pH', 'uS/cm', 'ppb', 'ppb'),
               TIMESTAMP('2024-05-01 00:00:00') + INTERVAL seq HOUR
        FROM seq_1_to_300""",
    # A name with a quote proves that bound values are compared as plain strings.
    """INSERT INTO lab_results (sample_point, parameter, value, unit, sampled_at)
        VALUES ('O''Brien tank', 'pH', 7.1, 'pH', '2024-06-01 08:00:00')""",
    """CREATE TABLE alarms (
        id INT AUTO_INCREMENT PRIMARY KEY,
        tag VARCHAR(40) NOT NULL,
        message VARCHAR(200) NOT NULL,
        priority INT NOT NULL,
        raised_at DATETIME NOT NULL,
        acknowledged TINYINT(1) NOT NULL DEFAULT 0) ENGINE=InnoDB""",
    """INSERT INTO alarms (tag, message, priority, raised_at, acknowledged)
        SELECT CONCAT(ELT(1 + seq % 3, 'B1', 'B2', 'T1'), '.',
                      ELT(1 + seq % 2, 'DRUM_P', 'FW_FLOW')),
               CONCAT('Limit exceeded #', seq), 1 + seq % 3,
               TIMESTAMP('2024-05-01 00:00:00') + INTERVAL seq * 10 MINUTE, seq % 2
        FROM seq_1_to_400""",
    """CREATE TABLE readings (
        id INT PRIMARY KEY,
        tag VARCHAR(40) NOT NULL,
        value DOUBLE NOT NULL,
        ts DATETIME NOT NULL) ENGINE=InnoDB""",
    f"""INSERT INTO readings
        SELECT seq, ELT(1 + seq % 4, 'B1.DRUM_P', 'B1.FW_FLOW', 'B2.DRUM_P', 'T1.MW'),
               seq * 0.5, TIMESTAMP('2024-01-01 00:00:00') + INTERVAL seq MINUTE
        FROM seq_1_to_{BIG_ROWS}""",
    "CREATE USER 'plant_rw'@'127.0.0.1' IDENTIFIED BY 'rw-Secret-1'",
    f"GRANT ALL ON {DATABASE}.* TO 'plant_rw'@'127.0.0.1'",
    "CREATE USER 'plant_ro'@'127.0.0.1' IDENTIFIED BY 'ro-Secret-1'",
    f"GRANT SELECT ON {DATABASE}.* TO 'plant_ro'@'127.0.0.1'",
]
USERS = {"plant_rw": "rw-Secret-1", "plant_ro": "ro-Secret-1"}


def in_ci() -> bool:
    """CI sets CI=true (.ci/run runs there): a missing peer is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() == "true"


def server_programs() -> tuple[str, str]:
    """mariadbd and mariadb-install-db; without them the MariaDB tests skip, or fail in CI."""
    server_bin, install_bin = _program("mariadbd"), _program("mariadb-install-db")
    if server_bin is None or install_bin is None:
        if in_ci():
            pytest.fail("MariaDB is missing: CI must install mariadb-server (.ci/run does), "
                        "so the MariaDB tests fail here instead of skipping.", pytrace=False)
        pytest.skip("MariaDB is not installed (apt-get install mariadb-server)")
    return server_bin, install_bin


@pytest.fixture(scope="session")
def mariadb() -> Iterator[MariaDbServer]:
    """A MariaDB server with the `plant` database; skipped locally, a failure in CI, if absent."""
    with running_server() as server:
        yield server


@contextlib.contextmanager
def running_server() -> Iterator[MariaDbServer]:
    """The `mariadb` fixture's server, for the benches too: started, filled, stopped after."""
    server_bin, install_bin = server_programs()

    root_dir = Path(tempfile.mkdtemp(prefix="wa-mariadb-"))
    data, run, tls = root_dir / "data", root_dir / "run", root_dir / "tls"
    for folder in (data, run, tls):
        folder.mkdir()
    tls_files = _write_tls_files(tls)
    as_root = os.geteuid() == 0
    user_args = ["--user=mysql"] if as_root else []
    if as_root:  # mariadbd drops to `mysql`, which must own its files
        for path in (root_dir, data, run, tls, *tls_files.values()):
            shutil.chown(path, "mysql", "mysql")
    log_path = root_dir / "server.log"
    socket_path = str(run / "mysqld.sock")
    port = _free_port()
    process: subprocess.Popen[bytes] | None = None
    try:
        installed = subprocess.run(
            [install_bin, "--no-defaults", *user_args, f"--datadir={data}", "--skip-test-db",
             "--auth-root-authentication-method=normal"],
            capture_output=True, text=True, timeout=START_TIMEOUT_S, check=False)
        if installed.returncode != 0:
            pytest.fail(f"mariadb-install-db failed:\n{installed.stdout}\n{installed.stderr}",
                        pytrace=False)
        process = subprocess.Popen(
            [server_bin, "--no-defaults", *user_args, f"--datadir={data}",
             f"--socket={socket_path}", f"--pid-file={run / 'mysqld.pid'}", f"--port={port}",
             "--bind-address=127.0.0.1", "--skip-name-resolve", f"--log-error={log_path}",
             "--innodb-use-native-aio=0", "--innodb-buffer-pool-size=64M",
             "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin",
             f"--ssl-ca={tls_files['ca']}", f"--ssl-cert={tls_files['cert']}",
             f"--ssl-key={tls_files['key']}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        root = _wait_for_server(process, socket_path, log_path)
        try:
            with root.cursor() as cursor:
                for statement in _SCHEMA:
                    cursor.execute(statement)
            root.commit()
            version = root.get_server_info()
        finally:
            root.close()
        yield MariaDbServer("127.0.0.1", port, socket_path, DATABASE, version, dict(USERS),
                            str(tls_files["ca"]), str(tls_files["other_ca"]))
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(root_dir, ignore_errors=True)


def _wait_for_server(process: subprocess.Popen[bytes], socket_path: str,
                     log_path: Path) -> pymysql.connections.Connection:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"mariadbd exited with {process.returncode}:\n{_log_tail(log_path)}",
                        pytrace=False)
        try:
            # pymysql leaks its socket when a Unix-socket connect fails, so probe first.
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(socket_path)
            return pymysql.connect(unix_socket=socket_path, user="root", connect_timeout=2)
        except (OSError, pymysql.err.OperationalError):
            if time.monotonic() > deadline:
                pytest.fail(f"mariadbd did not start in {START_TIMEOUT_S:g} s:\n"
                            f"{_log_tail(log_path)}", pytrace=False)
            time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
