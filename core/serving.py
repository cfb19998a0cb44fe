"""Start the production stack: gunicorn app servers with config/gunicorn.conf.py.

Used by ``manage.py serve_production`` and by whatever needs real app servers on loopback (the
tests of serving and faults, the load test): ``start_app_servers([8001, 8002], workers=2)``
returns running servers once each answers ``/healthz``; ``stop_app_servers`` ends them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

# No Django settings needed: a load-test script can import this before configuring Django.
PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = PROJECT_DIR / "config" / "gunicorn.conf.py"


@dataclass
class AppServer:
    host: str
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def gunicorn_command(
    bind: str, *, workers: int | None = None, threads: int | None = None
) -> list[str]:
    """The command line of one gunicorn server on ``bind`` (``host:port``)."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "--bind", bind]
    if workers is not None:
        command += ["--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    return command


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn for {url} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer within {timeout}s")


def start_app_servers(
    ports: Iterable[int],
    *,
    host: str = "127.0.0.1",
    workers: int | None = None,
    threads: int | None = None,
    env: Mapping[str, str] | None = None,
    stdout=None,
    stderr=None,
    timeout: float = 30,
) -> list[AppServer]:
    """One gunicorn per port, each with ``env`` over this process's environment."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **(env or {})}
    servers = []
    try:
        for port in ports:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                gunicorn_command(f"{host}:{port}", workers=workers, threads=threads),
                cwd=PROJECT_DIR,
                env=environment,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
            servers.append(AppServer(host, port, process))
        for server in servers:
            wait_until_healthy(server.url, server.process, timeout)
    except BaseException:
        stop_app_servers(servers)
        raise
    return servers


def stop_app_servers(servers: Iterable[AppServer], timeout: float = 20) -> None:
    """SIGTERM each gunicorn master (a graceful stop), then SIGKILL what is left."""
    servers = list(servers)
    for server in servers:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
