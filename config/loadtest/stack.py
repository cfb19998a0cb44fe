"""The production stack on loopback for the load test: database, app servers, object storage.

Every process is started in its own process group and stopped (TERM, then KILL) by
:meth:`Stack.stop`, which the command calls from ``finally``; nothing binds beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from psycopg import sql

from core.serving import gunicorn_command

BASE_DIR = Path(settings.BASE_DIR)


def loopback_environment(
    *, database_url: str, redis_url: str, key_prefix: str, **extra: str
) -> dict[str, str]:
    """The environment of production app servers run on loopback by a measuring command.

    Production settings (``DEBUG`` off) with what a script on 127.0.0.1 needs: plain HTTP
    (cookies marked Secure would not come back), no second factor for its editor, no
    per-address API limits (every client has the same address; the figures would be 429s),
    and cache keys of this run only, removed at its end, in a Redis database others share.
    """
    env = os.environ.copy()
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": key_prefix,
            "SECURE_COOKIES": "false",
            "ADMIN_REQUIRE_2FA": "false",
            "API_RATE_ANONYMOUS": "1000000/minute",
            "API_RATE_PARTNER": "1000000/minute",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


class StackError(RuntimeError):
    """Something the load test needs could not be started; the message says what."""


def database_url_named(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def recreate_database(url: str) -> None:
    """Drop and create the database ``url`` names, connecting to its server's ``postgres``."""
    name = urlsplit(url).path.lstrip("/")
    admin_url = database_url_named(url, "postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise StackError(f"Cannot create the load-test database {name!r}: {exc}") from None


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    try:
        with psycopg.connect(database_url_named(url, "postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    except psycopg.Error:
        pass  # best effort: the next run drops it anyway


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_http(url: str, *, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Wait until ``url`` answers at all; fail early if the process dies."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{url} exited with {process.returncode}:\n{tail(log)}")
        try:
            # Any answer will do; a redirect to HTTPS must not be followed (nothing speaks
            # TLS here), and the proxy header avoids it where the app would redirect.
            requests.get(
                url, headers={"X-Forwarded-Proto": "https"}, timeout=2, allow_redirects=False
            )
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise StackError(f"{url} did not answer within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stack:
    """The processes the load test started, so that all of them can be stopped."""

    log_dir: Path
    servers: list[Server] = field(default_factory=list)
    others: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)

    def _spawn(
        self, name: str, argv: list[str], env: dict[str, str]
    ) -> tuple[subprocess.Popen, Path]:
        log = self.log_dir / f"{name}.log"
        handle = log.open("ab")
        try:
            process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                argv,
                cwd=BASE_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so TERM reaches its workers
            )
        finally:
            handle.close()
        return process, log

    def start_moto(self, port: int, bucket: str) -> str:
        """moto's S3-compatible server on 127.0.0.1:``port`` with ``bucket``; returns its URL."""
        if not port_is_free(port):
            raise StackError(f"Port {port} (object storage) is in use.")
        process, log = self._spawn(
            "s3",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            os.environ.copy(),
        )
        self.others.append(("s3", process, log))
        endpoint = f"http://127.0.0.1:{port}"
        wait_for_http(f"{endpoint}/", process=process, log=log, timeout=30)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="loadtest",
            aws_secret_access_key="loadtest",  # noqa: S106 (moto accepts any key)
        ).create_bucket(Bucket=bucket)
        return endpoint

    def start_app_server(
        self, name: str, port: int, env: dict[str, str], *, workers: int, threads: int
    ) -> Server:
        if not port_is_free(port):
            raise StackError(f"Port {port} ({name}) is in use.")
        # The command every app server runs (core.serving), with the error log on this
        # process's pipe and a name to tell the two servers apart.
        argv = [
            *gunicorn_command(
                f"127.0.0.1:{port}", workers=workers or None, threads=threads or None
            ),
            "--error-logfile",
            "-",
            "--name",
            f"policycms-{name}",
            "config.wsgi:application",
        ]
        process, log = self._spawn(name, argv, env)
        server = Server(name=name, port=port, process=process, log=log)
        self.servers.append(server)
        return server

    def wait_until_serving(self, timeout: float = 60) -> None:
        for server in self.servers:
            wait_for_http(
                f"{server.url}/robots.txt", process=server.process, log=server.log, timeout=timeout
            )

    def died(self) -> list[str]:
        """Names of the processes that exited on their own."""
        named = [(s.name, s.process) for s in self.servers] + [(n, p) for n, p, _ in self.others]
        return [name for name, process in named if process.poll() is not None]

    def stop(self) -> None:
        """TERM every process group, then KILL what has not exited after ten seconds."""
        processes = [s.process for s in self.servers] + [p for _, p, _ in self.others]
        for process in processes:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
