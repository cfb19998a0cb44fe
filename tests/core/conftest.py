"""Fixtures for the production stack: gunicorn servers, fake network peers, object storage.

Ports (loopback only) are picked free when the suite starts, so two runs of the suite on one
machine (CI runs SQLite and PostgreSQL side by side) never meet: app servers, the S3-compatible
server, a port where nothing listens, a listener that accepts and never answers, and a
switchable proxy in front of PostgreSQL or Redis.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.serving import AppServer, start_app_servers, stop_app_servers

ROOT = Path(__file__).resolve().parents[2]


def free_ports(count: int) -> list[int]:
    """``count`` different loopback ports nothing listens on now, picked by the system."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def free_port() -> int:
    return free_ports(1)[0]


S3_PORT, DEAD_PORT, SILENT_PORT, PROXY_PORT = free_ports(4)


def production_env(**overrides: str) -> dict[str, str]:
    """This process's environment with the production variables, minus its database and cache."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith(("AWS_", "PYTEST_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_FORMAT": "json",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    return env | overrides


def manage(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> dict[str, str]:
    """Production variables for a site whose static files are collected and database migrated
    (a SQLite file: these tests look at serving, not at the database)."""
    root = tmp_path_factory.mktemp("production")
    env = production_env(
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
    )
    for command in (("migrate", "--no-input"), ("collectstatic", "--no-input")):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stderr
    return env


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float = 0.0

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        return self.body.decode()


def get(url: str, path: str, *, https: bool = True, timeout: float = 20, **headers) -> Reply:
    """GET without following redirects; ``https`` says what the proxy in front would forward."""
    import time
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = {"Host": "127.0.0.1", **{k.replace("_", "-"): v for k, v in headers.items()}}
    if https:
        sent["X-Forwarded-Proto"] = "https"
    started = time.monotonic()
    try:
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return Reply(response.status, response.headers, body, time.monotonic() - started)


@contextmanager
def app_server(env: dict[str, str], port: int, log: Path, **options) -> Iterator[AppServer]:
    with log.open("wb") as output:
        servers = start_app_servers(
            [port], env=env, stdout=output, stderr=subprocess.STDOUT, **options
        )
        try:
            yield servers[0]
        finally:
            stop_app_servers(servers)


@pytest.fixture(scope="session")
def site_server(built_site, tmp_path_factory) -> Iterator[AppServer]:
    """The production stack on loopback: gunicorn, DEBUG off, WhiteNoise, no Redis."""
    log = tmp_path_factory.mktemp("logs") / "site.log"
    with app_server(built_site, free_port(), log) as server:
        server.log = log
        yield server


def _close_listening(server: socket.socket) -> None:
    # close() alone leaves the port bound while a thread still waits in accept();
    # shutdown() wakes that thread, so the port is free at once for the next test.
    with suppress(OSError):
        server.shutdown(socket.SHUT_RDWR)
    server.close()


class SilentListener:
    """Accepts connections and never answers: a database or Redis that hangs."""

    def __init__(self, port: int):
        self.socket = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        _close_listening(self.socket)
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def silent_listener() -> Iterator[SilentListener]:
    listener = SilentListener(SILENT_PORT)
    yield listener
    listener.close()


@dataclass
class Proxy:
    """A TCP proxy that can be switched off (refusing, existing connections cut) and on."""

    port: int
    target: tuple[str, int]
    server: socket.socket | None = None
    connections: list[socket.socket] = field(default_factory=list)

    def start(self) -> None:
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.server,), daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            _close_listening(self.server)
            self.server = None
        for connection in self.connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self.connections.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
