"""Start and stop gunicorn on loopback against the bench database, for benchmarks over HTTP.

``start()`` serves ``config.wsgi`` the way ``docker-compose.yml`` does (gunicorn, sync workers,
``--workers=2`` here for the 2-core machine) on ``127.0.0.1`` at a free port, as production
configures it: ``DJANGO_DEBUG=false``, the bench database (``BENCH_DATABASE_URL``) with the
application role (``DATABASE_APP_ROLE``), so Row-Level Security is part of what is measured,
persistent connections (``CONN_MAX_AGE``), no Redis (local-memory cache, in-memory broker:
nothing here sends mail) and ``TRELLIS_SERVER_TIMING=1`` so that every response says how long
the server took and how many queries it made (``organizations/server_timing.py``).

TLS is not terminated here: the client sends ``X-Forwarded-Proto: https`` as the proxy would, so
secure cookies and the HTTPS CSRF checks behave as in production. Static files are collected
first if they never were (``DJANGO_DEBUG=false`` serves them from the manifest).

``DJANGO_SETTINGS_MODULE`` passes through: a settings module that adds the timing middleware
(see the README, *Performance*) until config/settings.py does so itself.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
START_TIMEOUT = 60


@dataclass
class Server:
    """A running gunicorn: its process and where it listens."""

    process: subprocess.Popen
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The workers' process ids (the children of gunicorn's arbiter)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment the web workers need: production settings on loopback."""
    env = dict(os.environ)
    env.update({
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": database_url,
        "DATABASE_APP_ROLE": env.get("DATABASE_APP_ROLE", "trellis_app"),
        "CONN_MAX_AGE": "60",
        "REDIS_URL": "",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "TRELLIS_SERVER_TIMING": "1",
        "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    })
    env.update(extra)
    return env


def collect_static(env: dict[str, str]) -> None:
    if (ROOT / ".local" / "staticfiles" / "staticfiles.json").exists():
        return
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)


def start(database_url: str, *, workers: int = WORKERS, **extra: str) -> Server:
    """Start gunicorn and wait until ``/healthz`` answers."""
    env = environment(database_url, **extra)
    collect_static(env)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", f"--bind=127.0.0.1:{port}", f"--workers={workers}",
         "--timeout=60", "--log-level=warning"],
        cwd=ROOT, env=env, start_new_session=True)
    server = Server(process=process, port=port)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    stop(server)
    raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT} s")


def stop(server: Server) -> None:
    """Stop gunicorn gracefully (SIGTERM to the arbiter), killing it after 20 s."""
    if server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
