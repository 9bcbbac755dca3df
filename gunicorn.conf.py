"""gunicorn's settings for the production start: `.venv/bin/gunicorn mutualaid.wsgi`, run in the
project's folder, reads this file (or name it with `-c gunicorn.conf.py`).

Where to listen and how many processes come from the environment, as every other setting does:
WEB_BIND (default 127.0.0.1:8000, behind the reverse proxy) and WEB_CONCURRENCY (default 2). A
`--workers` or `--bind` on the command line wins over both.

Several processes need REDIS_URL, so that they share one count of each rate limit and one cache:
the server refuses to start without it (with the reason, and a non-zero exit) unless
ALLOW_PROCESSES_WITHOUT_REDIS=1 says that running them so is meant.
"""

import os

from mutualaid.lib.checks import several_processes_problem

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# gunicorn's own defaults hold for the rest: sync processes, a request cut after 30 s, 30 s to
# finish the requests in hand on SIGTERM, errors to stderr (systemd's journal), and no access log
# (the reverse proxy may keep one; this server keeps no record of who came when).

YES = {"1", "true", "yes", "on"}


def on_starting(server):
    """Before any process starts, with the number really asked for (the command line's too):
    refuse several processes without a shared cache, and tell the app that number, so that its
    own check (mutualaid/lib/checks.py) sees the same."""
    problem = several_processes_problem(
        server.cfg.workers,
        redis_url=os.environ.get("REDIS_URL") or os.environ.get("REDIS_URL_FILE", ""),
        allowed=os.environ.get("ALLOW_PROCESSES_WITHOUT_REDIS", "").strip().lower() in YES,
    )
    if problem:
        raise RuntimeError(problem)  # gunicorn prints it and exits with status 1
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)
