"""Real processes for the fault tests: a recording mail server, Celery workers and beat, and a
Redis server of a test's own that can be stopped and started.

Everything here is real: workers and beat are ``celery`` processes on the pytest PostgreSQL test
database (as the application role, under Row-Level Security), their broker a ``redis-server``,
their mail real SMTP to a server in the test process that records each message it accepts.
"""

from __future__ import annotations

import email
import os
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WORKER_READY_SECONDS = 45


# --- A recording SMTP server --------------------------------------------------------------------


class RecordingSMTPServer(socketserver.ThreadingTCPServer):
    """Just enough ESMTP for Django's SMTP backend. Accepted messages are kept in order (and
    written one file each to ``spool``); ``hold_next`` makes the server sit on the next
    message after its DATA, accepting it only if the client is still connected when released.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, spool: Path):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.spool = spool
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.dropped: list[dict] = []
        self.hold_next = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def take_hold(self) -> bool:
        with self.lock:
            if self.hold_next > 0:
                self.hold_next -= 1
                return True
            return False

    def record(self, raw: bytes, *, accepted: bool) -> None:
        message = email.message_from_bytes(raw)
        entry = {"message_id": message["Message-ID"], "to": message["To"],
                 "subject": message["Subject"], "at": time.monotonic()}
        with self.lock:
            if accepted:
                self.accepted.append(entry)
                (self.spool / f"{len(self.accepted):04d}.eml").write_bytes(raw)
            else:
                self.dropped.append(entry)

    def accepted_ids(self) -> list[str]:
        with self.lock:
            return [m["message_id"] for m in self.accepted]


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 recorder ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-recorder\r\n250 8BITMIME\r\n")
                self.wfile.flush()
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                if not self.receive():
                    return
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not here")

    def receive(self) -> bool:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line:
                return False
            if line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        raw = b"".join(lines)
        server: RecordingSMTPServer = self.server
        if server.take_hold():
            server.holding.set()
            if not self.client_stays(server):
                server.record(raw, accepted=False)
                return False
        server.record(raw, accepted=True)
        self.reply("250 queued")
        return True

    def client_stays(self, server: RecordingSMTPServer) -> bool:
        """Wait for the release; False if the client hung up (died) meanwhile."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not server.release.is_set():
            readable, _w, _x = select.select([self.connection], [], [], 0.05)
            if readable and self.connection.recv(1, socket.MSG_PEEK) == b"":
                return False
        return True


@contextmanager
def recording_smtp_server(spool: Path):
    spool.mkdir(exist_ok=True)
    server = RecordingSMTPServer(spool)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- Celery processes ---------------------------------------------------------------------------


def database_url() -> str:
    """The pytest test database, as a URL for another process."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


class CeleryProcess:
    """A ``celery -A config <command>`` process in a session of its own, logging to a file."""

    ready_marker = ""

    def __init__(self, name: str, log: Path, env: dict, arguments: list[str]):
        self.name, self.log_path = name, log
        self.log_file = log.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
            [sys.executable, "-m", "celery", "-A", "config", *arguments],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_SECONDS
        while time.monotonic() < deadline:
            if self.ready_marker in self.log():
                return
            if not self.alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL, to the whole process group (a prefork pool's children too)."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self.log_file.close()

    def stop(self) -> None:
        """Warm shutdown (a running task finishes), bounded; then SIGKILL."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()


class Worker(CeleryProcess):
    ready_marker = " ready."

    def __init__(self, name: str, log: Path, env: dict, *, pool: str = "solo",
                 queue: str = "celery"):
        super().__init__(name, log, env, [
            "worker", f"--pool={pool}", "--concurrency=1", "--loglevel=INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat", "-Q", queue,
            "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"])

    def pool_processes(self) -> list[int]:
        """The pids of a prefork pool's processes (children of the main process)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def tasks_run(self, name: str) -> list[str]:
        """Results of each run of task ``name`` ("True", "False", "3" …) from the log; a name
        without a dot is one of conversations.tasks."""
        marker = (name if "." in name else f"conversations.tasks.{name}") + "["
        return [line.rsplit(": ", 1)[-1].strip() for line in self.log().splitlines()
                if marker in line and " succeeded in " in line]


class Beat(CeleryProcess):
    ready_marker = "beat: Starting..."

    def __init__(self, name: str, log: Path, env: dict, *, schedule: Path):
        super().__init__(name, log, env, ["beat", "--loglevel=INFO", "-s", str(schedule)])


def celery_env(*, broker_url: str, smtp_port: int, **extra: str) -> dict:
    from django.conf import settings

    # Not a test process: the broker given is the one to use (settings would move a test
    # process's Redis database on by its xdist number).
    inherited = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "DATABASE_APP_ROLE": settings.DATABASE_APP_ROLE,
        "REDIS_URL": broker_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


# --- A Redis server of the test's own -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A ``redis-server`` on a free port, nothing persisted: stopping it loses every key, as a
    broker that crashed or was replaced would."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: a server that is gone should say so at once.
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5,
                           retry=Retry(NoBackoff(), 0))

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable, "redis-server is needed on the PATH"
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line of ours
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        from redis.exceptions import ConnectionError as NotYet

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(NotYet, OSError):
                if self.client().ping():
                    return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        """SHUTDOWN NOSAVE: the server goes, and everything it held with it."""
        if self.process is None or self.process.poll() is not None:
            return
        from redis.exceptions import ConnectionError as Gone

        # The connection drops as the server exits.
        with suppress(Gone, OSError):
            self.client().shutdown(nosave=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def queue_length(self, queue: str = "celery") -> int:
        return self.client().llen(queue)


@contextmanager
def celery_app_on(broker_url: str):
    """Point this process's Celery app at ``broker_url`` (and off eager mode) for a while:
    what the code under test enqueues goes to that broker."""
    from kombu import pools

    from config.celery import app

    def forget_connections():
        # kombu keeps one pool per broker URL: close them all and let the app make new ones
        # for the broker it is pointed at.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url, app.conf.task_always_eager
    forget_connections()
    app.conf.broker_url, app.conf.task_always_eager = broker_url, False
    try:
        yield app
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.task_always_eager = previous


def redeliver_unacked(broker_url: str) -> int:
    """Hand every unacknowledged message back to its queue, as Redis' transport does for a
    message not acknowledged within the visibility timeout (an hour in production): kombu's
    own restore, with the timeout at zero. Returns how many there were."""
    from kombu import Connection

    with Connection(broker_url, transport_options={"visibility_timeout": 0}) as conn:
        channel = conn.default_channel
        count = channel.client.hlen(channel.unacked_key)
        channel.qos.restore_visible(num=1000)
        return count


def wait_until(condition, *, seconds: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    shown = "\n".join(f"--- {p.name}\n{p.log()[-4000:]}" for p in logs)
    raise AssertionError(f"timed out waiting for {what}\n{shown}")
