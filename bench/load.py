"""Load runs against gunicorn at city size: each page's req/s and latency with 8 clients, as a
share of the same server's cheapest response in the same run, and the workers' memory.

    .venv/bin/python bench/city.py [--database sqlite|postgres]      # the city first
    .venv/bin/python bench/load.py [--database sqlite|postgres] [--seconds 10] [--clients 8]

It serves the city that city.py built (same --database, --name, --dir) the way production does: the
repository's gunicorn.conf.py with 2 sync workers on a free port of 127.0.0.1, DEBUG off, the
city's SECRET_KEY and field keys, ALLOWED_HOSTS=127.0.0.1, static files collected into the city's
directory and served by whitenoise, and Redis on 127.0.0.1:6379 for the cache when it answers
(under a key prefix of the run's own); sessions are the database's, read with their member. Two
departures, both printed: gunicorn's max_requests is off (a run measures the pages, not worker
restarts, and the memory column shows any growth that a restart would hide), and the per-member
limits on messages and on newcomers' posts are raised (RATE_LIMIT_MESSAGES_PER_HOUR,
RATE_LIMIT_NEWCOMER_POSTS_PER_DAY) so that the writes measure writing, not the 429 page.

The load client is wrk (Debian's; bin/ensure-wrk installs it), one thread and 8 connections,
driven by bench/load.lua from a file of requests per page; its CPU share is printed beside each
page to show it is not the bottleneck. Each page: a warm-up of 2 s (read pages), then --seconds
of load. A page that is read gets them in --rounds turns (3), each right after a turn of the
ceiling of the same length: its share is the median of the three, each against the ceiling of
that moment (this machine is shared, and its speed moves by a third from minute to minute); its
latencies are the median of the turns'. Writes send each request once: posts by vouched members
(no newcomer limit), claims of distinct open needs by volunteers holding nothing (at most the
network's cap each), messages by volunteers on needs they hold; each write run is then counted
in the database. Personas log in through the log-in form; the volunteers of the claim and message
runs, hundreds of them, get their sessions made directly (Django's own login(), as the test
client's force_login does).

Errors: any status but the one the page answers when it works (200 for a page, 302 for a write),
and socket errors and time-outs. The ceiling is the fastest of the cheapest answers the server
gives (a small static file through whitenoise, and /healthz); it is named in the output.
"""

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cityenv  # noqa: E402

ROOT = cityenv.ROOT
LUA = Path(__file__).resolve().parent / "load.lua"
WARM_UP = 2  # seconds
# The cheapest page a logged-in member can ask for: what the data export holds, a template with no
# query of its own (bench_pages.py times every page).
EMPTY_PAGE = "/me/account/export/"


@dataclass
class Page:
    """One load run: the requests (method, path, cookie, body), what a success answers, and
    whether each request is sent once (a write) or again and again (a read)."""

    name: str
    requests: list[tuple[str, str, str, str]]
    ok: int = 200
    once: bool = False
    note: str = ""
    result: dict = field(default_factory=dict)


# The server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def server_environ(args, port: int) -> dict[str, str]:
    """The city's environment, as a production server of it runs."""
    env = {
        **cityenv.environ(args),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_MESSAGES_PER_HOUR": "1000000",
        "RATE_LIMIT_NEWCOMER_POSTS_PER_DAY": "1000000",
    }
    if redis_answers():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        env["CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}-{secrets.token_hex(3)}"
    else:
        env["ALLOW_PROCESSES_WITHOUT_REDIS"] = "1"
    return env


class Server:
    """gunicorn serving the city, with its workers' peak memory sampled while it runs."""

    def __init__(self, args, env: dict[str, str], port: int):
        self.port, self.peak_kb, self.sampling = port, 0, False
        # Kept open for the server's life (closed by stop()).
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "mutualaid.wsgi",
            "--config", str(ROOT / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers),
            "--worker-class", "sync",
            "--max-requests", "0",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            command, cwd=ROOT, env={**os.environ, **env}, stdout=self.log, stderr=self.log
        )

    def wait_until_up(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if get(self.port, path)[0] == 200 and len(self.workers()) >= 1:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.log.seek(0)
        sys.exit(f"gunicorn did not start:\n{self.log.read().decode()[-3000:]}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def rss_kb(self) -> int:
        """The largest resident memory of one worker now."""
        largest = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            largest = max(largest, int(found.group(1)) if found else 0)
        return largest

    def sample(self, page: Page) -> None:
        """Keep the peak worker RSS while ``page`` runs (a thread of its own)."""
        self.sampling, peak = True, 0

        def run():
            nonlocal peak
            while self.sampling:
                peak = max(peak, self.rss_kb())
                time.sleep(0.25)
            page.result["rss_mb"] = peak / 1024

        self.sampler = threading.Thread(target=run, daemon=True)
        self.sampler.start()

    def stop_sampling(self) -> None:
        self.sampling = False
        self.sampler.join()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# HTTP, for logging in and checks ---------------------------------------------------------------


def get(port: int, path: str, cookie: str = "") -> tuple[int, dict, bytes]:
    return request(port, "GET", path, cookie)


def request(port, method, path, cookie="", body="") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key] = rest.split(";")[0]
        return response.status, cookies, response.read()
    finally:
        connection.close()


def log_in(port: int, handle: str) -> str:
    """A session through the log-in form, as a person gets one: the cookie header to send."""
    _status, cookies, _body = get(port, "/accounts/login/")
    csrf = cookies["csrftoken"]
    form = urlencode(
        {"username": handle, "password": cityenv.PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    status, cookies, _body = request(port, "POST", "/accounts/login/", f"csrftoken={csrf}", form)
    if status != 302 or "sessionid" not in cookies:
        sys.exit(f"could not log in as {handle}: {status}")
    return f"sessionid={cookies['sessionid']}; csrftoken={cookies.get('csrftoken', csrf)}"


def csrf_of(cookie: str) -> str:
    return re.search(r"csrftoken=(\w+)", cookie).group(1)


def session_for(member) -> str:
    """A session made directly (Django's login(), as force_login does), with a CSRF token of
    its own: for the hundreds of volunteers of the write runs."""
    from django.test import Client

    client = Client()
    client.force_login(member)
    token = secrets.token_hex(16)  # 32 characters: a CSRF secret Django accepts as it is
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"


# The pages -------------------------------------------------------------------------------------


def static_path(env: dict[str, str]) -> str:
    """The smallest file collectstatic wrote, by its hashed name (as the pages link it)."""
    root = Path(env["MUTUALAID_VAR_DIR"]) / "staticfiles"
    paths = json.loads((root / "staticfiles.json").read_text())["paths"]
    smallest = min(paths, key=lambda name: (root / name).stat().st_size)
    return f"/static/{paths[smallest]}"


def read_pages(port: int, env) -> list[Page]:
    """The ceiling candidates and the pages that are read, each by its persona."""
    from mutualaid.aid.models import Need, NeedStatus, Visibility

    healthy = get(port, "/healthz")[0] == 200  # 503 without a task worker's heartbeat
    member = log_in(port, cityenv.MEMBER)
    organizer = log_in(port, cityenv.DISPATCHER)
    admin = log_in(port, cityenv.ADMIN)
    codes = (
        Need.objects.filter(
            status=NeedStatus.OPEN, visibility=Visibility.MEMBERS, hidden_at__isnull=True
        )
        .exclude(requester__handle=cityenv.MEMBER)
        .values_list("code", flat=True)[:500]
    )
    return [
        Page("ceiling: a static file", [("GET", static_path(env), "", "")]),
        *([Page("ceiling: /healthz", [("GET", "/healthz", "", "")])] if healthy else []),
        Page("board (member's areas)", [("GET", "/needs/", member, "")], note=cityenv.MEMBER),
        Page("board, all areas", [("GET", "/needs/?area=", organizer, "")],
             note=cityenv.DISPATCHER),
        Page("offers board", [("GET", "/offers/", member, "")], note=cityenv.MEMBER),
        Page("need page", [("GET", f"/needs/{code}/", member, "") for code in codes],
             note=f"{len(codes)} open needs in turn"),
        Page("an empty page, logged in", [("GET", EMPTY_PAGE, member, "")], note=EMPTY_PAGE),
        Page("vouch tree", [("GET", "/trust/tree/", admin, "")], note=cityenv.ADMIN),
    ]  # fmt: skip


def post_page(port: int, count: int, rng: random.Random) -> Page:
    """New needs by eight vouched members (logged in through the form), each one distinct."""
    from mutualaid.accounts.models import Level, Member
    from mutualaid.aid.models import Category
    from mutualaid.areas.models import Area

    hashed = "argon2"  # members who can log in (callers have no password)
    posters = (
        Member.objects.filter(level=Level.VOUCHED, is_active=True, password__startswith=hashed)
        .exclude(role_grants__isnull=False)
        .order_by("pk")[100:108]
    )
    cookies = [log_in(port, poster.handle) for poster in posters]
    categories = list(Category.objects.values_list("slug", flat=True))
    areas = [
        str(code)
        for code in Area.objects.filter(parent__isnull=False).values_list("code", flat=True)
    ]
    words = ["Groceries", "A ride", "Help", "Soup", "Boxes", "Blankets", "A heater", "Forms"]
    when = ["this week", "on Saturday", "after school", "before the weekend", "tomorrow"]
    requests = []
    for i in range(count):
        cookie = cookies[i % len(cookies)]
        form = {
            "csrfmiddlewaretoken": csrf_of(cookie),
            "category": rng.choice(categories),
            "summary": f"{rng.choice(words)} needed {rng.choice(when)}, request {i + 1}",
            "area": rng.choice(areas),
            "urgency": rng.choice(["today", "soon", "week", "anytime"]),
            "details": "Second floor, ring twice. Mornings are best.",
            "visibility": "members",
            "recurrence": "",
        }
        requests.append(("POST", "/needs/new/", cookie, urlencode(form)))
    return Page("post a need", requests, ok=302, once=True, note=f"{len(posters)} members")


def claim_page(count: int, rng: random.Random) -> Page:
    """Claims of distinct open needs, each volunteer up to the network's cap."""
    from django.db.models import Q

    from mutualaid.accounts.models import Block, Level, Member
    from mutualaid.aid.models import Need, NeedStatus, Visibility
    from mutualaid.network.models import NetworkSettings

    cap = NetworkSettings.load().max_active_claims
    blocked = set(Block.objects.values_list("blocker_id", flat=True))
    blocked |= set(Block.objects.values_list("blocked_id", flat=True))
    needs = list(
        Need.objects.filter(
            status=NeedStatus.OPEN, visibility=Visibility.MEMBERS, hidden_at__isnull=True
        )
        .exclude(requester_id__in=blocked)
        .values_list("code", "requester_id")[:count]
    )
    volunteers = list(
        Member.objects.filter(
            level=Level.VOUCHED, is_active=True, max_active_claims__isnull=True,
            available_days=[],
        )
        .exclude(pk__in=blocked)
        .exclude(Q(claimed_needs__isnull=False) | Q(role_grants__isnull=False))
        .distinct()
        .order_by("?")[: len(needs) // cap + 2]
    )  # fmt: skip
    sessions = [session_for(volunteer) for volunteer in volunteers]
    requests, held = [], {}
    for code, requester in needs:
        for slot in range(len(volunteers)):
            taker = (len(requests) + slot) % len(volunteers)
            if volunteers[taker].pk != requester and held.get(taker, 0) < cap:
                break
        else:
            continue
        held[taker] = held.get(taker, 0) + 1
        form = urlencode({"csrfmiddlewaretoken": csrf_of(sessions[taker])})
        requests.append(("POST", f"/needs/{code}/claim/", sessions[taker], form))
    rng.shuffle(requests)
    note = f"{len(volunteers)} volunteers, {cap} at most each"
    return Page("claim a need", requests, ok=302, once=True, note=note)


def message_page(count: int, rng: random.Random) -> Page:
    """Messages by volunteers on needs they hold, each one distinct."""
    from mutualaid.accounts.models import Block
    from mutualaid.aid.models import Claim, NeedStatus

    blocked = set(Block.objects.values_list("blocker_id", "blocked_id"))
    held = [
        claim
        for claim in Claim.objects.filter(
            ended_at__isnull=True, need__status=NeedStatus.CLAIMED, need__hidden_at__isnull=True
        ).select_related("need", "volunteer")[:200]
        if (claim.need.requester_id, claim.volunteer_id) not in blocked
    ]
    sessions = {}
    for claim in held:
        if claim.volunteer_id not in sessions:
            sessions[claim.volunteer_id] = session_for(claim.volunteer)
    sayings = ["On my way", "Running ten minutes late", "I have the bags", "At the door now"]
    requests = []
    for i in range(count):
        claim = held[i % len(held)]
        cookie = sessions[claim.volunteer_id]
        form = {
            "csrfmiddlewaretoken": csrf_of(cookie),
            "body": f"{rng.choice(sayings)} (message {i + 1})",
            "claim": str(claim.code),
        }
        requests.append(("POST", f"/needs/{claim.need.code}/messages/", cookie, urlencode(form)))
    note = f"{len(sessions)} volunteers on {len(held)} needs"
    return Page("send a message", requests, ok=302, once=True, note=note)


# Running ---------------------------------------------------------------------------------------


def wrk(port: int, page: Page, seconds: int, clients: int) -> dict:
    """One wrk run of the page's requests; its RESULT line, with the client's CPU seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".requests") as listing:
        listing.writelines("\t".join(parts) + "\n" for parts in page.requests)
        listing.flush()
        command = [
            "wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "60s",
            "-s", str(LUA), f"http://127.0.0.1:{port}/",
            "--", listing.name, "once" if page.once else "cycle",
        ]  # fmt: skip
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(  # noqa: S603 (Debian's wrk, our own arguments)
            command, capture_output=True, text=True
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode or "RESULT " not in done.stdout:
        sys.exit(f"wrk failed on {page.name}:\n{done.stdout}{done.stderr}")
    result = json.loads(done.stdout.split("RESULT ", 1)[1])
    result["client_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


def run_page(server: Server, page: Page, args, ceiling: Page | None = None) -> None:
    """Load the page; a page that is read, in --rounds turns each right after the ceiling's own
    turn of the same length, so that each share is against the ceiling of that moment."""
    if not page.once:
        wrk(server.port, page, WARM_UP, args.clients)
    load_before = os.getloadavg()[0]
    server.sample(page)
    results, shares = [], []
    try:
        if page.once or ceiling is None:
            results.append(wrk(server.port, page, args.seconds, args.clients))
        else:
            turn = max(1, round(args.seconds / args.rounds))
            for _ in range(args.rounds):
                against = wrk(server.port, ceiling, turn, args.clients)
                results.append(wrk(server.port, page, turn, args.clients))
                shares.append(_rate(results[-1]) / _rate(against))
    finally:
        server.stop_sampling()
    result = _merged(results)
    statuses = {int(code): n for code, n in result["statuses"].items()}
    sockets = sum(result[kind] for kind in ("connect", "read", "write", "timeout"))
    page.result.update(
        result,
        rate=result["requests"] / result["seconds"],
        errors=sum(n for code, n in statuses.items() if code != page.ok) + sockets,
        successes=statuses.get(page.ok, 0),
        load=max(load_before, os.getloadavg()[0]),
        statuses=statuses,
        shares=shares,
    )


def _rate(result: dict) -> float:
    return result["requests"] / result["seconds"]


def _merged(results: list[dict]) -> dict:
    """One page's turns as one: counts added up, each latency percentile the median of the
    turns'."""
    if len(results) == 1:
        return results[0]
    merged = {
        name: sum(r[name] for r in results)
        for name in ("sent", "requests", "seconds", "connect", "read", "write", "timeout")
    }
    merged["client_cpu"] = sum(r["client_cpu"] for r in results)
    for name in ("p50", "p95", "p99"):
        merged[name] = statistics.median(r[name] for r in results)
    merged["max"] = max(r["max"] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    merged["statuses"] = statuses
    return merged


def count_writes(page: Page, since) -> tuple[int, int]:
    """How many of the run's writes the database holds, and how many of them are distinct: a
    need by its summary, a message by its words (each request's text is numbered), a claim by
    its need (which the database keeps unique)."""
    from mutualaid.aid.models import Claim, Message, Need

    if page.name == "post a need":
        texts = list(Need.objects.filter(created_at__gte=since).values_list("summary", flat=True))
    elif page.name == "send a message":
        texts = [m.body for m in Message.objects.filter(created_at__gte=since)]
    else:
        texts = list(Claim.objects.filter(created_at__gte=since).values_list("need_id", flat=True))
    return len(texts), len(set(texts))


def check_writes(page: Page, held: int, distinct: int, clients: int) -> None:
    """Every write that answered success is in the database, once; a few more may be, answered
    after the run's end (at most one a client). Fewer is an error (a success that wrote nothing),
    and so is a write made twice."""
    successes = page.result["successes"]
    page.note += f"; {held} written for {successes} successes ({page.result['sent']} sent)"
    if not successes <= held <= successes + clients or distinct != held:
        page.result["errors"] += abs(held - successes) + (held - distinct)
        page.note += f" (MISMATCH: {held - distinct} twice)"


def report(args, pages: list[Page], ceiling: Page, command: str, env) -> None:
    print(f"\n$ {command}")
    print(
        f"city on {args.database}; gunicorn {args.workers} sync workers, {args.clients} clients "
        f"(wrk), {args.seconds:g} s a page; cache: "
        f"{'Redis' if env.get('REDIS_URL') else 'each process its own (no Redis answered)'}; "
        "sessions: the database, read with their member"
    )
    print(
        f"ceiling: {ceiling.name.split(': ')[1]} at {ceiling.result['rate']:,.0f} req/s "
        "(the fastest of the cheapest answers: a static file, and /healthz when it is healthy)"
    )
    head = f"{'page':<28}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}"
    print(head + f"{'share':>8}{'RSS MB':>8}{'wrk CPU':>9}{'load':>6}  notes")
    for page in pages:
        r = page.result
        # A page read: the median of its turns' shares, each against the ceiling's turn just
        # before it. A write (sent once): against the ceiling measured at the start.
        at_start = r["rate"] / ceiling.result["rate"]
        share = statistics.median(r["shares"]) if r["shares"] else at_start
        print(
            f"{page.name:<28}{r['rate']:>8.0f}{r['p50'] / 1000:>8.1f}{r['p95'] / 1000:>8.1f}"
            f"{r['p99'] / 1000:>8.1f}{r['errors']:>8}{share:>8.1%}{r['rss_mb']:>8.0f}"
            f"{r['client_cpu'] / r['seconds']:>9.0%}{r['load']:>6.1f}  {page.note}"
        )
        odd = {code: n for code, n in r["statuses"].items() if code != page.ok}
        if odd:
            print(f"{'':<28}answers other than {page.ok}: {odd}")
    print(
        f"share: req/s over the ceiling's (a page read: the median of {args.rounds} turns, each "
        "against the ceiling's turn just before it; a write: against the ceiling at the start); "
        "RSS: the largest worker's peak during the run; wrk CPU: the client's CPU time over the "
        "run's; load: the machine's 1-minute load average"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    cityenv.add_arguments(parser)
    parser.add_argument("--seconds", type=int, default=10, help="of load a page (default 10)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writes", type=int, default=3000, help="at most, a write page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns of a read page, each after the ceiling's"
    )
    args = parser.parse_args()
    command = shlex.join(["bench/load.py", *sys.argv[1:]])
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: bin/ensure-wrk installs Debian's")
    if args.database == "sqlite" and not cityenv.sqlite_path(args).exists():
        sys.exit(f"no city at {cityenv.sqlite_path(args)}: run bench/city.py first")

    port = free_port()
    env = server_environ(args, port)
    cityenv.setup_django(args, **env)
    from django.db import connection
    from django.utils import timezone

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env={**os.environ, **env}, check=True,
    )  # fmt: skip
    server = Server(args, env, port)
    rng = random.Random(args.seed)
    try:
        server.wait_until_up(static_path(env))
        pages = read_pages(port, env)
        pages += [
            post_page(port, args.writes, rng),
            claim_page(args.writes, rng),
            message_page(args.writes, rng),
        ]
        connection.close()  # the runner stays off the database while the server is loaded
        candidates = [page for page in pages if page.name.startswith("ceiling")]
        for page in candidates:
            print(f"  {page.name}...", flush=True)
            run_page(server, page, args)
        ceiling = max(candidates, key=lambda page: page.result["rate"])
        for page in pages:
            if page in candidates:
                continue
            since = timezone.now()
            print(f"  {page.name}...", flush=True)
            run_page(server, page, args, ceiling)
            if page.once:
                check_writes(page, *count_writes(page, since), args.clients)
                connection.close()
    finally:
        server.stop()
    report(args, [p for p in pages if p not in candidates], ceiling, command, env)


if __name__ == "__main__":
    main()
