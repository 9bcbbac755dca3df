"""Nothing acknowledged is lost when the server is killed: gunicorn (production settings) is killed
with SIGKILL, master and workers at once, at a random moment of a write load, twenty times.

Members post needs, volunteers race to claim them and write to the requesters, through the real
forms, all the while. After the last restart, every write that got a success answer is stored,
no need has two holders, and the database's own integrity checks pass. The database is the
suite's kind: a SQLite file in WAL mode with the settings' synchronous level, or PostgreSQL.
"""

import random
import string
import threading
import time

import pytest
import requests

from mutualaid.tests.servers import (
    AppServer,
    Browser,
    in_django,
    postgres_answers,
    scratch_database,
    server_env,
    suite_uses_postgres,
)

KILLS = 20
# Seconds of writes between a restart and the next kill, drawn at random.
BURST = (0.5, 1.5)
REQUESTERS = ["ruth", "remy"]
VOLUNTEERS = ["vera", "vito", "vlad"]
CLAIMED = "Say hello to them below"
# A client waits no longer for an answer: a server killed under it never gives one.
CLIENT_SECONDS = 10
# How long a client waits before trying again while the server is down.
RETRY_SECONDS = 0.05


def words() -> str:
    """A few letters no other write has (letters only: the summary guard frowns on numbers)."""
    return "".join(random.choices(string.ascii_lowercase, k=12))


def refused(error: BaseException) -> bool:
    """The connection was refused: the server was down, and the request never reached it."""
    while error is not None:
        if isinstance(error, ConnectionRefusedError):
            return True
        error = error.__cause__ or error.__context__
    return False


class Ledger:
    """What the server acknowledged, written by the clients' threads; and how many writes were
    sent but never answered (cut by a kill), to show that the kills met writes in flight."""

    def __init__(self):
        self.lock = threading.Lock()
        self.needs: dict[str, str] = {}  # code -> summary
        self.claims: dict[str, str] = {}  # need code -> volunteer
        self.messages: set[tuple[str, str, str]] = set()  # (need code, sender, body)
        self.unanswered = 0

    def posted(self, code: str, summary: str) -> None:
        with self.lock:
            self.needs[code] = summary

    def claimed(self, code: str, handle: str) -> None:
        with self.lock:
            self.claims[code] = handle

    def sent(self, code: str, handle: str, body: str) -> None:
        with self.lock:
            self.messages.add((code, handle, body))

    def cut(self) -> None:
        with self.lock:
            self.unanswered += 1

    def unclaimed(self) -> str | None:
        """A need acknowledged as posted and not (as far as anyone was told) claimed yet."""
        with self.lock:
            free = [code for code in self.needs if code not in self.claims]
        return random.choice(free) if free else None


class Client(threading.Thread):
    """One member writing for as long as the test runs, through kills and restarts."""

    def __init__(self, browser: Browser, base_url: str, ledger: Ledger, stop: threading.Event):
        super().__init__(daemon=True)
        self.browser, self.base_url, self.ledger, self.stop = browser, base_url, ledger, stop

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.write()
            except requests.RequestException:  # the server is down, or was killed under us
                time.sleep(RETRY_SECONDS)

    def send(self, url: str, fields: dict | None = None, **options) -> requests.Response:
        """A write: unanswered if the server took it and died before it answered."""
        try:
            return self.browser.post(url, fields, **options)
        except requests.RequestException as error:
            if not refused(error):
                self.ledger.cut()
            raise


class Requester(Client):
    """Posts needs through the posting form, with the page's one-time key and CSRF token;
    ``form_values``: the area and kind of help to choose."""

    def __init__(self, form_values: dict, *args):
        super().__init__(*args)
        self.form_values = form_values

    def write(self) -> None:
        url = f"{self.base_url}/needs/new/"
        summary = f"Shopping for a neighbor, {words()}"
        fields = {**self.browser.hidden_fields(url), **self.form_values}
        answer = self.send(url, {**fields, "summary": summary, "urgency": "week"})
        if answer.status_code == 302 and answer.headers["Location"].startswith("/needs/"):
            self.ledger.posted(answer.headers["Location"].split("/")[2], summary)


class Volunteer(Client):
    """Claims a posted need (the others may race for it), then writes to its requester."""

    def __init__(self, handle: str, *args):
        super().__init__(*args)
        self.handle = handle

    def write(self) -> None:
        code = self.ledger.unclaimed()
        if code is None:
            time.sleep(RETRY_SECONDS)
            return
        answer = self.send(f"{self.base_url}/needs/{code}/claim/", htmx=True)
        if answer.status_code == 200 and CLAIMED in answer.text:
            self.ledger.claimed(code, self.handle)
            self.write_to_requester(code)

    def write_to_requester(self, code: str) -> None:
        page = f"{self.base_url}/needs/{code}/"
        action = f"/needs/{code}/messages/"
        body = f"On my way, {words()}"
        fields = self.browser.hidden_fields(page, action)
        answer = self.send(f"{self.base_url}{action}", {**fields, "body": body})
        if answer.status_code == 302:
            self.ledger.sent(code, self.handle, body)


@pytest.fixture
def database(tmp_path):
    postgres = suite_uses_postgres()
    if postgres and not postgres_answers():
        pytest.skip("PostgreSQL is not answering")
    database = scratch_database(tmp_path, postgres=postgres)
    yield database
    database.drop()


def _logged_in(server: AppServer, handle: str) -> Browser:
    browser = Browser(timeout=CLIENT_SECONDS)
    answer = browser.log_in(server.url, handle)
    assert answer.status_code == 302, answer.text[:500]
    return browser


def _clients(server: AppServer, form_values: dict, ledger: Ledger, stop) -> list[Client]:
    return [
        Requester(form_values, _logged_in(server, handle), server.url, ledger, stop)
        for handle in REQUESTERS
    ] + [
        Volunteer(handle, _logged_in(server, handle), server.url, ledger, stop)
        for handle in VOLUNTEERS
    ]


def _kill_and_restart(server: AppServer, times: int) -> None:
    for _ in range(times):
        time.sleep(random.uniform(*BURST))
        server.kill()
        server.start()


def test_every_acknowledged_write_survives_twenty_kills(database, tmp_path):
    # Messages are not limited here: the load writes more than a member would in an hour.
    env = server_env(database, tmp_path, RATE_LIMIT_MESSAGES_PER_HOUR="0")
    form_values = in_django(env, "write_load", REQUESTERS, VOLUNTEERS)
    # One process, several threads: no REDIS_URL is needed for one process.
    server = AppServer(env, tmp_path, "app", workers=1, threads=4)
    server.start()
    ledger, stop = Ledger(), threading.Event()
    clients = _clients(server, form_values, ledger, stop)
    try:
        for client in clients:
            client.start()
        _kill_and_restart(server, KILLS)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=CLIENT_SECONDS + 5)
        server.kill()

    assert ledger.unanswered > 0, "no kill met a write in flight: the test proved nothing"
    assert len(ledger.needs) > KILLS and ledger.claims and ledger.messages, "too few writes"
    stored = in_django(env, "stored")
    needs = dict(stored["needs"])
    assert {code: needs.get(code) for code in ledger.needs} == ledger.needs
    holders: dict[str, str] = {}
    for code, handle in stored["live_claims"]:
        assert code not in holders, f"need {code} has two holders"
        holders[code] = handle
    assert dict(stored["claimed"]) == holders
    assert {code: holders.get(code) for code in ledger.claims} == ledger.claims
    assert ledger.messages - {tuple(message) for message in stored["messages"]} == set()
    assert database.integrity_problems() == []
