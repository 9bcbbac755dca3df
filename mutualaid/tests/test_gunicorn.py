"""The production start, for real: gunicorn with gunicorn.conf.py, in production settings.

Several web processes without REDIS_URL would each count rate limits and cache on their own:
gunicorn refuses to start them (a clear message, a non-zero exit), and so does the app itself
(its system check and wsgi.py), unless ALLOW_PROCESSES_WITHOUT_REDIS says it is meant. Started,
the server answers /healthz, on plain HTTP even when it redirects everything else to HTTPS.
"""

import http.client
import json
import socket
import subprocess
import sys
import time

import pytest
import redis

from mutualaid.lib.checks import several_processes_problem
from mutualaid.notifications.models import WorkerBeat
from mutualaid.notifications.tests.test_outbox_worker_killed import worker_env
from mutualaid.tests.test_check_deploy import ROOT, production_env, run

HOST = "aid.example.org"
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
# Read by gunicorn.conf.py or settings.py: none may leak in from the environment the tests run in.
SERVING_VARIABLES = ("WEB_BIND", "WEB_CONCURRENCY", "REDIS_URL", "ALLOW_PROCESSES_WITHOUT_REDIS")
UNREACHABLE_DATABASE = "postgres://postgres@127.0.0.1:1/mutualaid"  # nothing listens on port 1


def serving_env(tmp_path, **changes) -> dict[str, str]:
    return production_env(tmp_path, **{**dict.fromkeys(SERVING_VARIABLES), **changes})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn(env, *args) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (this interpreter's gunicorn, our own arguments)
        [sys.executable, "-m", "gunicorn", "mutualaid.wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def refusal(env, *args) -> str:
    """gunicorn's message, after checking that it exited with an error before serving."""
    server = gunicorn({**env, "WEB_BIND": f"127.0.0.1:{free_port()}"}, *args)
    try:
        _, errors = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode != 0, errors
    return errors


def healthz(port: int, server: subprocess.Popen) -> tuple[int, dict | str]:
    """The probe's status and body, once the server answers (within 30 s). Redirects are not
    followed: the probe must answer where it is asked."""
    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz", headers={"Host": HOST})
            response = connection.getresponse()
            body = response.read().decode()
            is_json = response.getheader("Content-Type") == "application/json"
            return response.status, json.loads(body) if is_json else body
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn never answered: {server.stderr.read()}") from None
            time.sleep(0.1)
        finally:
            connection.close()


def serve(env, *args) -> tuple[int, dict]:
    port = free_port()
    server = gunicorn({**env, "WEB_BIND": f"127.0.0.1:{port}"}, *args)
    try:
        return healthz(port, server)
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_gunicorn_refuses_several_processes_without_redis(tmp_path):
    errors = refusal(serving_env(tmp_path, WEB_CONCURRENCY="2"))
    assert "2 web processes would run without REDIS_URL" in errors
    assert "ALLOW_PROCESSES_WITHOUT_REDIS=1" in errors


def test_a_workers_option_on_the_command_line_is_held_to_the_same_rule(tmp_path):
    errors = refusal(serving_env(tmp_path, WEB_CONCURRENCY="1"), "--workers", "3")
    assert "3 web processes would run without REDIS_URL" in errors


def test_told_explicitly_it_serves_and_the_probe_names_an_unreachable_database(tmp_path):
    env = serving_env(
        tmp_path,
        WEB_CONCURRENCY="2",
        ALLOW_PROCESSES_WITHOUT_REDIS="1",
        DATABASE_URL=UNREACHABLE_DATABASE,
    )
    assert serve(env) == (503, {"database": "unavailable", "worker": "unknown"})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_several_processes_serve_and_the_probe_says_all_is_well(tmp_path):
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}")
    finally:
        client.close()
    WorkerBeat.objects.create(worker_id="worker")  # a task worker beating now
    env = serving_env(tmp_path, WEB_CONCURRENCY="2", REDIS_URL=REDIS_TEST_URL)
    database = worker_env()  # this test's own, SQLite or PostgreSQL
    for name in ("SQLITE_PATH", "DATABASE_URL"):
        if name in database:
            env[name] = database[name]
    assert serve(env) == (200, {"database": "ok", "worker": "ok"})


def test_the_app_refuses_too_when_started_without_gunicorn_conf(tmp_path):
    env = serving_env(tmp_path, WEB_CONCURRENCY="4")
    check = run(["manage.py", "check"], env)
    assert check.returncode != 0
    assert "mutualaid.E004" in check.stderr
    started = run(["-c", "import mutualaid.wsgi"], env)
    assert started.returncode != 0
    assert "4 web processes would run without REDIS_URL" in started.stderr


def test_one_process_or_a_shared_cache_or_an_explicit_yes_is_allowed():
    assert several_processes_problem(1, redis_url="", allowed=False) is None
    assert several_processes_problem(2, redis_url="", allowed=True) is None
    assert several_processes_problem(2, redis_url="redis://127.0.0.1", allowed=False) is None
    assert several_processes_problem(2, redis_url="", allowed=False)
