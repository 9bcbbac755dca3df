"""One settings file, configured by environment variables.

Every value that differs between a laptop and a server comes from the environment, read through the
small helpers below, which fail loudly on a value they cannot understand. A secret can also be read
from a file named by ``NAME_FILE`` (for container and systemd secrets).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MUTUALAID_VAR_DIR", BASE_DIR / "var"))
# The SQLite database, the test databases and collected static files live here: a fresh clone has
# no var/ yet (it is not in git), so it is made on start.
VAR_DIR.mkdir(exist_ok=True)

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from None
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("SECRET_KEY", DEV_SECRET_KEY)
# A production start (DEBUG off) refuses this key: see mutualaid/lib/checks.py and wsgi.py.

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = envstr("SITE_NAME", "Mutual Aid")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "mutualaid.accounts",
    "mutualaid.areas",
    "mutualaid.aid",
    "mutualaid.privacy",
    "mutualaid.trust",
    "mutualaid.network",
    "mutualaid.safety",
    "mutualaid.notifications",
    "mutualaid.dispatch",
    "mutualaid.figures",
    "mutualaid.spreadsheets",
    "mutualaid.api",
    "mutualaid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mutualaid.lib.csp.CSPMiddleware",  # django-csp's, building the policy once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mutualaid.lib.sessions.SessionMiddleware",  # Django's, but a poll keeps no session alive
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, given the member read with the session (accounts/sessions.py).
    "mutualaid.accounts.middleware.AuthenticationMiddleware",
    # A logged-in member reads pages in the language they chose (visitors: cookie, browser).
    "mutualaid.accounts.middleware.MemberLanguageMiddleware",
    "mutualaid.trust.middleware.SuspendedMemberMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mutualaid.privacy.middleware.NoStoreForMembersMiddleware",
    # Last, so that it sees a view's error first: a write the database refused (disk full,
    # read-only) gets the 503 page, not a 500.
    "mutualaid.lib.disk_full.DiskFullMiddleware",
]

ROOT_URLCONF = "mutualaid.urls"
WSGI_APPLICATION = "mutualaid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mutualaid" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mutualaid.context_processors.site",
                # After Django's own: the same token, masked faster (lib/csrf.py).
                "mutualaid.lib.csrf.csrf",
            ],
            # {% fragment %}: a rendered fragment kept until what it shows changes.
            # {{ text|plain_markdown }}: admins' text on public pages (lib/text.py).
            # {% url %}: Django's, with the address of a constant name kept (lib/url_tag.py).
            # {% csrf_token %}: Django's field, written without format_html (lib/csrf.py).
            "builtins": ["mutualaid.lib.url_tag", "mutualaid.lib.csrf"],
            # {% load i18n %}: Django's, with {% translate "constant words" %} kept (lib/i18n.py).
            "libraries": {
                "fragments": "mutualaid.lib.fragments",
                # {% flash %}: the notice area, its empty rendering kept (lib/flash.py).
                "flash": "mutualaid.lib.flash",
                "text": "mutualaid.lib.text",
                "i18n": "mutualaid.lib.i18n",
            },
        },
    },
]

# Meant: {% load i18n %} loads lib/i18n.py, Django's library with one tag kept, so the name is
# taken twice on purpose. lib/tests/test_i18n_kept.py checks that no other library name is.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Databases: SQLite (WAL, busy timeout, immediate write transactions) unless DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # Parameters bound by the server, and a query run five times on a connection prepared there:
    # PostgreSQL spent more planning the need page's queries than running them (0.8 ms against
    # 0.2 ms). Off behind a pooler in transaction mode (PgBouncer), which cannot keep them.
    if envbool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
    # One test database per test process, so that two suites can run side by side.
    DATABASES["default"]["TEST"] = {"NAME": f"test_mutualaid_{os.getpid()}"}
else:
    DATABASES = {
        "default": {
            # Django's, waiting for the write lock in short steps (lib/sqlite/base.py).
            "ENGINE": "mutualaid.lib.sqlite",
            "NAME": envstr("SQLITE_PATH", str(VAR_DIR / "mutualaid.sqlite3")),
            # A process keeps its connection between requests, as on PostgreSQL: opening one
            # (the file, its schema, the pragmas, Django's functions) cost about 2 ms a request.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # A writer waits up to 20 s for the lock instead of failing at once.
                "timeout": 20,
                # BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock
                # on a lock upgrade.
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests use a file, not shared memory, so that threads really race on the same file;
            # one per test process, so that two suites can run side by side.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Member"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "aid:board"
LOGOUT_REDIRECT_URL = "home"

# Django's ModelBackend, reading the member's live roles with the member (one query a request).
AUTHENTICATION_BACKENDS = ["mutualaid.accounts.backends.MemberBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["handle", "email"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The network's language: a visitor's until they choose, and a member's who chose none
# (Member.language). The interface's languages, each in its own name (the footer's picker shows
# them so); their catalogs are locale/<code>/LC_MESSAGES/django.po, compiled by `make`.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# Our catalog first (makemessages writes to it), then Django's own messages said in our words:
# both come before every app's catalog, so Django's forms address the reader as ours do.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
# Dates in each language's own order (mutualaid/formats/<code>/formats.py).
FORMAT_MODULE_PATH = ["mutualaid.formats"]
# The languages members may say they speak (each in its own name): the match engine prefers a
# volunteer who shares one with the requester. A network adds its own with MUTUALAID_SPOKEN.
SPOKEN_LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh", "中文"),
    ("vi", "Tiếng Việt"),
    ("tl", "Tagalog"),
    ("ar", "العربية"),
    ("fr", "Français"),
    ("ht", "Kreyòl ayisyen"),
    ("ko", "한국어"),
    ("ru", "Русский"),
    ("pt", "Português"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("so", "Soomaali"),
    ("asl", "ASL"),
]
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Sessions live in the database, each read with its member in one query (accounts/sessions.py):
# every process reads the same rows, and a Redis restart logs nobody out. A session ends after 14
# days without the member's activity: a request renews it when it was last renewed more than an
# hour ago (mutualaid/lib/sessions.py), not on every request.
SESSION_ENGINE = "mutualaid.accounts.sessions"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER = 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
# The language a visitor chose in the footer (accounts.views.language), for a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
# The health probe answers on plain HTTP too: a load balancer asks the app server directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
# Once HSTS is on (SECURE_HSTS_SECONDS > 0): for subdomains too, and with consent to the browsers'
# preload list (which lists a domain only when someone submits it). Turn either off if another
# subdomain still needs plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Every asset is ours: no inline script, no third party, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

TASKS = {
    "default": {
        "BACKEND": envstr("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The task worker (`manage.py worker`) beats every few seconds. One that has not beaten for this
# long is taken for lost: /healthz says so, and housekeeping puts its running tasks back in the
# queue (mutualaid/notifications/workers.py).
WORKER_LOST_AFTER_SECONDS = envint("WORKER_LOST_AFTER_SECONDS", 120, minimum=30)
# Finished tasks' results (and lost workers' heartbeats) are deleted after this many days.
TASK_RESULTS_KEEP_DAYS = envint("TASK_RESULTS_KEEP_DAYS", 7, minimum=1)

# Field encryption keys (see mutualaid/lib/crypto.py), independent of SECRET_KEY: a list of
# id:base64key, oldest first; the newest seals. `make demo` writes var/field-keys on first run.
FIELD_KEYS = envsecret("MUTUALAID_FIELD_KEYS", "")

# The loop's clocks.
# A fulfilled need its requester leaves unconfirmed is confirmed for them after this many days.
AUTO_CONFIRM_DAYS = envint("AUTO_CONFIRM_DAYS", 7, minimum=1)
# An open need with no needed-by date expires after this many days without a helper.
OPEN_NEED_EXPIRY_DAYS = envint("OPEN_NEED_EXPIRY_DAYS", 30, minimum=1)

# The cache holds the rate limits' counters (mutualaid/lib/ratelimit.py). Local memory counts per
# process: with several web processes, set REDIS_URL so that they share one count.
REDIS_URL = envsecret("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "mutualaid.lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "mutualaid"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "mutualaid.lib.cache.LocMemCache"}}
# How many web processes serve the site: gunicorn's WEB_CONCURRENCY, which gunicorn.conf.py sets to
# the number it really starts. Several need REDIS_URL, or each would keep its own rate-limit counts
# and cache; the server refuses to start so (mutualaid/lib/checks.py) unless
# ALLOW_PROCESSES_WITHOUT_REDIS says that is meant.
WEB_CONCURRENCY = envint("WEB_CONCURRENCY", 1, minimum=1)
ALLOW_PROCESSES_WITHOUT_REDIS = envbool("ALLOW_PROCESSES_WITHOUT_REDIS", False)

# Rate limits: scope -> (hits allowed, per window of seconds); 0 turns a limit off. A refused
# request gets the 429 page, which says when to try again.
RATE_LIMITS = {
    # Sign-ups that pass the form, per client address.
    "signup": (envint("RATE_LIMIT_SIGNUPS_PER_HOUR", 5), 3600),
    # Every sign-up form sent, valid or not, per client address: the form says whether a handle
    # can be had, so trying handle after handle is throttled.
    "signup-attempts": (envint("RATE_LIMIT_SIGNUP_ATTEMPTS_PER_HOUR", 20), 3600),
    # Failed logins (a successful one is not counted), per handle tried and per client address.
    "login-handle": (envint("RATE_LIMIT_LOGIN_FAILURES_PER_HANDLE", 10), 15 * 60),
    "login-address": (envint("RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS", 30), 15 * 60),
    # Password reset requests, per client address and per handle asked (whether or not it is
    # anybody's, so that the limit tells nothing), so nobody's inbox is flooded with links.
    "password-reset-address": (envint("RATE_LIMIT_PASSWORD_RESETS_PER_ADDRESS", 20), 3600),
    "password-reset-handle": (envint("RATE_LIMIT_PASSWORD_RESETS_PER_HANDLE", 5), 3600),
    # Needs and offers posted by a newcomer, together, per member.
    "newcomer-posts": (envint("RATE_LIMIT_NEWCOMER_POSTS_PER_DAY", 5), 24 * 3600),
    "messages": (envint("RATE_LIMIT_MESSAGES_PER_HOUR", 30), 3600),
    "vouches": (envint("RATE_LIMIT_VOUCHES_PER_DAY", 10), 24 * 3600),
    # A newcomer asking to be vouched for tells organizers and neighbors: once a day.
    "vouch-requests": (envint("RATE_LIMIT_VOUCH_REQUESTS_PER_DAY", 1), 24 * 3600),
    "reports": (envint("RATE_LIMIT_REPORTS_PER_DAY", 10), 24 * 3600),
    # Messages to the organizers from the public contact form, per client address and per member.
    "contact": (envint("RATE_LIMIT_CONTACT_MESSAGES_PER_HOUR", 5), 3600),
    # New reference codes for callers, per organizer (dispatch: a caller who lost theirs).
    "new-references": (envint("RATE_LIMIT_NEW_REFERENCES_PER_HOUR", 10), 3600),
    # API requests per token, and requests with a wrong token per client address (mutualaid/api).
    "api": (envint("RATE_LIMIT_API_REQUESTS_PER_MINUTE", 120), 60),
    "api-bad-tokens": (envint("RATE_LIMIT_API_BAD_TOKENS_PER_HOUR", 30), 3600),
}
# Behind a reverse proxy REMOTE_ADDR is the proxy's: set this so that the limits read the address
# the proxy appended to X-Forwarded-For. Never set it without such a proxy: clients can send it.
RATE_LIMIT_TRUST_X_FORWARDED_FOR = envbool("TRUST_X_FORWARDED_FOR", False)

# Email (password reset links, notifications): written as files into var/mail in DEBUG (the
# demo's mail folder), sent by SMTP otherwise. The test runner swaps in Django's locmem backend.
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# The site's address as members reach it, for the links in emails and chat messages (no trailing
# slash). Required to send them when DEBUG is off.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "mutualaid@localhost")
# Members' chat addresses may not point a self-hosted service at a private address (the server
# must not be made to post into its own network), unless the network's chat server lives there.
CHAT_ALLOW_PRIVATE_HOSTS = envbool("CHAT_ALLOW_PRIVATE_HOSTS", False)

DEFAULT_EXCEPTION_REPORTER_FILTER = "mutualaid.privacy.reporting.PrivateExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
}
