"""Two app servers behind a reverse proxy keep no state of their own: everything a member's
requests share lives in PostgreSQL and Redis, so a session, a rate limit and the claim race hold
whichever server answers.

Two gunicorn servers (production settings) on a scratch PostgreSQL database and a Redis database
of the test's own, HAProxy in front of them round robin, all on 127.0.0.1. Each check forces its
requests to a given server by speaking to the servers directly, beside the proxy.
"""

import os
import secrets
import threading
from types import SimpleNamespace

import pytest
import redis

from mutualaid.tests.servers import (
    AppServer,
    Browser,
    PostgresDatabase,
    Proxy,
    haproxy_program,
    in_django,
    postgres_answers,
    redis_answers,
    server_env,
)

# A Redis database of these tests' own; their keys have a prefix of their own besides (two runs
# of the suite may share the database), and are deleted afterwards.
REDIS_URL = "redis://127.0.0.1:6379/13"
LOGIN_FAILURES_ALLOWED = 3
REQUESTER = "rosa"
VOLUNTEERS = ["vic", "val"]
OTHERS = ["sol", "lena"]
RACES = 6
CLAIMED = "Say hello to them below"
# What the loser of a claim race is told: the need's "gone" page, or the service's refusal.
TAKEN = ("has just taken this need", "just took this need")


def _skip_unless_available() -> None:
    if haproxy_program() is None:
        pytest.skip("HAProxy is not installed (bin/ensure-haproxy installs it)")
    if not postgres_answers():
        pytest.skip("PostgreSQL is not answering")
    if not redis_answers(REDIS_URL):
        pytest.skip("Redis is not answering on 127.0.0.1:6379")


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """Two servers a and b, the proxy in front of them, and the codes of the open needs."""
    _skip_unless_available()
    directory = tmp_path_factory.mktemp("two-servers")
    prefix = f"two-servers-{os.getpid()}-{secrets.token_hex(4)}"
    database = PostgresDatabase()
    started = []
    try:
        env = server_env(
            database,
            directory,
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=prefix,
            RATE_LIMIT_LOGIN_FAILURES_PER_HANDLE=str(LOGIN_FAILURES_ALLOWED),
        )
        data = in_django(env, "two_servers", REQUESTER, VOLUNTEERS, OTHERS, RACES)
        servers = [AppServer(env, directory, name) for name in ("a", "b")]
        proxy = Proxy(servers, directory)
        for process in (*servers, proxy):
            started.append(process)
            process.start()
        yield SimpleNamespace(a=servers[0], b=servers[1], proxy=proxy, env=env, **data)
    finally:
        for process in started:
            process.kill()
        database.drop()
        cache = redis.Redis.from_url(REDIS_URL)
        for key in cache.scan_iter(f"{prefix}:*"):
            cache.delete(key)


def test_a_session_started_on_one_server_holds_on_the_other(network):
    browser = Browser()
    login = browser.log_in(network.a.url, "sol")
    assert login.status_code == 302, login.text[:500]
    for server in (network.a, network.b):
        page = browser.get(f"{server.url}/me/account/")
        assert page.status_code == 200 and "sol" in page.text, server.url

    # Through the proxy, both servers answer in turn, with the same session.
    answers = [browser.get(f"{network.proxy.url}/me/account/") for _ in range(4)]
    assert {answer.headers["X-Served-By"] for answer in answers} == {"a", "b"}
    assert all(answer.status_code == 200 and "sol" in answer.text for answer in answers)


def test_a_log_out_on_one_server_ends_the_session_on_the_other(network):
    browser = Browser()
    assert browser.log_in(network.a.url, "sol").status_code == 302
    assert browser.get(f"{network.a.url}/me/account/").status_code == 200  # a has read it
    kept = browser.http.cookies["sessionid"]

    assert browser.post(f"{network.b.url}/accounts/logout/").status_code == 302
    # The cookie, kept from before the log-out, opens nothing on the server that had read it.
    replay = Browser()
    replay.http.cookies.set("sessionid", kept)
    page = replay.get(f"{network.a.url}/me/account/")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/accounts/login/")


def test_failed_logins_are_counted_once_for_both_servers(network):
    browser = Browser()
    servers = [network.a, network.b, network.a]
    assert len(servers) == LOGIN_FAILURES_ALLOWED
    for server in servers:
        failed = browser.log_in(server.url, "lena", password="not her password")
        assert failed.status_code == 422, server.url

    # b has seen one failure, a two: together, the limit. Not even the right password works now.
    for url in (network.b.url, network.a.url, network.proxy.url):
        refused = browser.log_in(url, "lena")
        assert refused.status_code == 429, url
        assert "Retry-After" in refused.headers


def _claim_at_once(browsers, urls, code) -> list:
    """Each browser claims the need through its own server, both at the same moment."""
    start = threading.Barrier(len(browsers))
    answers = [None] * len(browsers)

    def claim(n):
        start.wait()
        answers[n] = browsers[n].post(f"{urls[n]}/needs/{code}/claim/", htmx=True)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_two_volunteers_claiming_at_once_through_two_servers_make_one_holder(network):
    browsers = [Browser(), Browser()]
    for browser, handle in zip(browsers, VOLUNTEERS, strict=True):
        assert browser.log_in(network.proxy.url, handle).status_code == 302
    winners = {}
    for n, code in enumerate(network.needs):
        # Each volunteer goes through a and through b in turn.
        urls = [network.a.url, network.b.url][:: 1 if n % 2 else -1]
        answers = _claim_at_once(browsers, urls, code)
        won = [CLAIMED in answer.text for answer in answers]
        assert won.count(True) == 1, [(a.status_code, a.text[:300]) for a in answers]
        loser = answers[won.index(False)]
        assert loser.status_code in (200, 409)
        assert any(words in loser.text for words in TAKEN), loser.text[:500]
        winners[code] = VOLUNTEERS[won.index(True)]

    stored = in_django(network.env, "stored")
    holders = {}
    for code, handle in stored["live_claims"]:
        assert code not in holders, f"need {code} has two holders"
        holders[code] = handle
    assert holders == winners
    assert dict(stored["claimed"]) == winners
