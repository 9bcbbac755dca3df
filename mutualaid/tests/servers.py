"""Real servers for the tests that need them: gunicorn as production runs it, on a scratch database
of its own, HAProxy in front, and browsers that speak to them over HTTP on 127.0.0.1.

The servers run with production settings (DEBUG off, a real secret key, field keys of their own),
from an environment built here, not the test process's: nothing of the suite's own database,
cache or keys leaks into them. Data is written into the scratch database before they start, and
read back afterwards, by a Django process of that same environment (``in_django``, running the
functions of ``server_data``).
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
import requests

from mutualaid.lib.crypto import new_key_entry
from mutualaid.test import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# The process environment a server keeps: what finds programs and files, nothing of settings.py's.
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
# A server that has not answered by then is broken: its log says why.
START_SECONDS = 60
REQUEST_SECONDS = 30


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the system's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_admin_url() -> str:
    """The PostgreSQL server the suite uses (DATABASE_URL), else the local one, at its
    maintenance database, from where scratch databases are made and dropped."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = POSTGRES_URL
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def postgres_answers() -> bool:
    try:
        psycopg.connect(postgres_admin_url(), connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def haproxy_program() -> str | None:
    """HAProxy, wherever Debian's package put it (bin/ensure-haproxy installs it)."""
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"  # sbin: not on every user's PATH
    return found if os.access(found, os.X_OK) else None


def suite_uses_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


class SqliteDatabase:
    """A scratch SQLite file, in WAL mode with the settings' synchronous level."""

    def __init__(self, directory: Path):
        self.path = directory / "servers.sqlite3"

    def env(self) -> dict[str, str]:
        return {"SQLITE_PATH": str(self.path)}

    def rows(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchall()

    def integrity_problems(self) -> list:
        """SQLite's own checks of its file and of every foreign key; [] when all is well."""
        problems = [row for row in self.rows("PRAGMA integrity_check") if row != ("ok",)]
        return problems + self.rows("PRAGMA foreign_key_check")

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class PostgresDatabase:
    """A scratch database of its own on the suite's PostgreSQL server, dropped afterwards."""

    def __init__(self):
        self.name = f"mutualaid_servers_{os.getpid()}_{secrets.token_hex(3)}"
        self.url = urlunsplit(urlsplit(postgres_admin_url())._replace(path=f"/{self.name}"))
        self._admin(f'CREATE DATABASE "{self.name}"')

    @staticmethod
    def _admin(sql: str) -> None:
        with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
            connection.execute(sql)

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url}

    def rows(self, sql: str) -> list[tuple]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql).fetchall()

    def integrity_problems(self) -> list:
        """amcheck over every B-tree index (each must match its table's rows), when the server
        has the extension; [] when all is well."""
        try:
            self.rows("CREATE EXTENSION IF NOT EXISTS amcheck")
        except psycopg.Error:
            return []
        indexes = self.rows(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'"
        )
        problems = []
        for (index,) in indexes:
            try:
                self.rows(f"SELECT bt_index_check('{index}'::regclass, true)")
            except psycopg.Error as error:
                problems.append((index, str(error)))
        return problems

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def scratch_database(directory: Path, *, postgres: bool):
    return PostgresDatabase() if postgres else SqliteDatabase(directory)


def server_env(database, directory: Path, **variables: str) -> dict[str, str]:
    """A production server's environment on ``database``: DEBUG off, its own secret and field
    keys, plain HTTP on loopback (no Secure cookies), ``directory`` for its files."""
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="mutualaid.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        MUTUALAID_FIELD_KEYS=new_key_entry("servers1"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        MUTUALAID_VAR_DIR=str(directory),
        LOG_LEVEL="WARNING",
        **database.env(),
        **variables,
    )
    return env


# Runs a function of server_data inside Django and prints what it returns, as JSON, last.
_IN_DJANGO = (
    "import json, sys, django; django.setup(); from mutualaid.tests import server_data; "
    "print(json.dumps(getattr(server_data, sys.argv[1])(*json.loads(sys.argv[2]))))"
)


def in_django(env: dict[str, str], function: str, *args):
    """``server_data.<function>(*args)`` in a Django process of the servers' environment."""
    done = subprocess.run(  # noqa: S603 (this interpreter, our own module)
        [sys.executable, "-c", _IN_DJANGO, function, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"server_data.{function} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


class Process:
    """A program in a process group of its own, so that killing it kills its children too."""

    def __init__(self, log: Path):
        self.log = log
        self.process: subprocess.Popen | None = None

    def spawn(self, command: list[str], env: dict[str, str] | None = None) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (fixed programs, our own arguments)
                command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )

    def kill(self) -> None:
        """SIGKILL to the whole group (gunicorn's master and its workers): no clean-up at all."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL)
        self.process.wait()

    def _signal(self, number: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # gone already
            os.killpg(self.process.pid, number)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def wait_until(self, ready, what: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while not ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start:\n{self.log_tail()}")
            time.sleep(0.05)


class AppServer(Process):
    """gunicorn serving the project, as a production start runs it, on a port of its own."""

    def __init__(self, env: dict[str, str], directory: Path, name: str, *, workers=1, threads=2):
        super().__init__(directory / f"{name}.log")
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        options = {
            "--bind": f"127.0.0.1:{self.port}",
            "--workers": str(self.workers),
            "--threads": str(self.threads),
            "--timeout": str(REQUEST_SECONDS),
            "--graceful-timeout": "5",
        }
        program = [sys.executable, "-m", "gunicorn", "mutualaid.wsgi"]
        self.spawn([*program, *(word for pair in options.items() for word in pair)], self.env)
        self.wait_until(self._answers, f"gunicorn on port {self.port}")

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/accounts/login/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False


class Proxy(Process):
    """HAProxy on a port of its own, sharing requests round robin between ``servers``; each
    answer says which server gave it (X-Served-By: a, b...)."""

    def __init__(self, servers: list[AppServer], directory: Path):
        super().__init__(directory / "haproxy.log")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = directory / "haproxy.cfg"
        self.config.write_text(self._config(servers))

    def _config(self, servers: list[AppServer]) -> str:
        backends = "".join(
            f"    server {chr(ord('a') + n)} 127.0.0.1:{server.port}\n"
            for n, server in enumerate(servers)
        )
        return (
            "defaults\n"
            "    mode http\n"
            "    timeout connect 5s\n"
            f"    timeout client {REQUEST_SECONDS}s\n"
            f"    timeout server {REQUEST_SECONDS}s\n"
            "frontend web\n"
            f"    bind 127.0.0.1:{self.port}\n"
            "    default_backend app\n"
            "backend app\n"
            "    balance roundrobin\n"
            "    option forwardfor\n"
            "    http-response set-header X-Served-By %[srv_name]\n"
            f"{backends}"
        )

    def start(self) -> None:
        self.spawn([haproxy_program(), "-db", "-f", str(self.config)])
        self.wait_until(self._listens, f"HAProxy on port {self.port}")

    def _listens(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True


class FormReader(HTMLParser):
    """The hidden fields of each form on a page, by the path the form posts to."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            action = urlsplit(attributes.get("action") or self.page_path).path
            self._current = self.forms.setdefault(action, {})
        elif tag == "input" and self._current is not None and attributes.get("type") == "hidden":
            self._current[attributes.get("name", "")] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


class Browser:
    """One member's browser. Its cookies go to every server on 127.0.0.1 (a cookie knows no
    port), so a session started on one server is offered to the others; redirects are not
    followed, so that each answer is seen as it was given."""

    def __init__(self, timeout: float = REQUEST_SECONDS):
        self.http = requests.Session()
        self.timeout = timeout

    def get(self, url: str, **headers) -> requests.Response:
        return self.http.get(url, headers=headers, allow_redirects=False, timeout=self.timeout)

    def post(self, url: str, fields: dict | None = None, *, htmx=False) -> requests.Response:
        """A form sent with the CSRF token of the browser's cookie (and as htmx sends it)."""
        data = {"csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""), **(fields or {})}
        headers = {"HX-Request": "true"} if htmx else {}
        return self.http.post(
            url, data=data, headers=headers, allow_redirects=False, timeout=self.timeout
        )

    def hidden_fields(self, page_url: str, action: str | None = None) -> dict[str, str]:
        """The hidden fields (CSRF token, one-time key...) of the page's form posting to
        ``action`` (a path; the page's own by default), as a fresh load of the page shows them."""
        response = self.get(page_url)
        response.raise_for_status()
        page_path = urlsplit(page_url).path
        reader = FormReader(page_path)
        reader.feed(response.text)
        return reader.forms[action or page_path]

    def log_in(self, base_url: str, handle: str, password: str = PASSWORD) -> requests.Response:
        """The log-in form, as a member fills it in (the page first, for its CSRF cookie)."""
        url = f"{base_url}/accounts/login/"
        fields = self.hidden_fields(url)
        return self.post(url, {**fields, "username": handle, "password": password})
