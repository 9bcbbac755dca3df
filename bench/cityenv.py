"""Where a benchmark city lives and the environment its processes run with.

The generator (city.py), the load runner (load.py) and the page crawl (bench_pages.py) meet here:
the same database, the same SECRET_KEY and field keys (kept in files beside the city, made once),
so that what one writes the others can read, and the known password of its members.

Imported before ``django.setup()``: nothing here touches Django's settings.
"""

import os
import secrets
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "var" / "bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
# Every member of a city has this password (one argon2 hash, shared: see city.py).
PASSWORD = "city-bench-password-1"  # noqa: S105 (a benchmark city's, printed by city.py)

# The members the load runner and the page crawl act as (handles made by city.py).
ADMIN = "city-admin"
DISPATCHER = "city-dispatcher"
TRIAGER = "city-triager"
SAFETY = "city-safety"
MEMBER = "city-member"


def add_arguments(parser) -> None:
    """The options that name a city: shared by the three scripts."""
    parser.add_argument(
        "--database", choices=["sqlite", "postgres"], default="sqlite", help="default: sqlite"
    )
    parser.add_argument(
        "--name", default="city", help="the SQLite file's stem, or the PostgreSQL database's name"
    )
    parser.add_argument(
        "--dir", type=Path, default=DEFAULT_DIR, help="the city's files (default: var/bench)"
    )


def postgres_url(name: str) -> str:
    """The database ``name`` on the server DATABASE_URL names (default: 127.0.0.1:5432)."""
    server = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    return urlunsplit(server._replace(path=f"/{name}"))


def postgres_answers(url: str | None = None) -> bool:
    """Whether the PostgreSQL server accepts a connection (so `make bench` may run on it)."""
    server = urlsplit(url or postgres_url("postgres"))
    try:
        with socket.create_connection((server.hostname, server.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def ensure_secrets(directory: Path) -> tuple[Path, Path]:
    """The city's SECRET_KEY and field key files, made on first use and kept (0600): the
    database's sealed fields and email digests are only readable with them."""
    directory.mkdir(parents=True, exist_ok=True)
    secret, keys = directory / "secret-key", directory / "field-keys"
    if not secret.exists():
        _write_private(secret, secrets.token_urlsafe(50))
    if not keys.exists():
        sys.path.insert(0, str(ROOT))
        from mutualaid.lib.crypto import new_key_entry

        _write_private(keys, new_key_entry("city1"))
    return secret, keys


def _write_private(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text + "\n")


def environ(args) -> dict[str, str]:
    """The variables a process of this city runs with: production settings (DEBUG off), the
    city's secrets, its database, and its own var directory (static files, scratch)."""
    secret, keys = ensure_secrets(args.dir)
    env = {
        "DJANGO_SETTINGS_MODULE": "mutualaid.settings",
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(secret),
        "MUTUALAID_FIELD_KEYS_FILE": str(keys),
        "MUTUALAID_VAR_DIR": str(args.dir),
        "REDIS_URL": "",
    }
    if args.database == "sqlite":
        env["DATABASE_URL"] = ""
        env["SQLITE_PATH"] = str(sqlite_path(args))
    else:
        env["DATABASE_URL"] = postgres_url(args.name)
    return env


def sqlite_path(args) -> Path:
    return args.dir / f"{args.name}.sqlite3"


def setup_django(args, **extra) -> None:
    """Set this process up as the city's (``extra``: more variables), then Django."""
    os.environ.update({**environ(args), **extra})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


if __name__ == "__main__":
    # `make bench` asks whether to run on PostgreSQL too: exit 0 when the server answers.
    sys.exit(0 if postgres_answers() else 1)
