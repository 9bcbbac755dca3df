"""With production settings (DEBUG off, from the environment), Django's deployment checklist passes,
and sessions are short-lived and kept in Secure, HttpOnly cookies."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from mutualaid.lib.crypto import new_key_entry

ROOT = Path(__file__).resolve().parents[2]

# Every variable settings.py reads that a production start sets below, or that must not leak in
# from the environment the tests run in (DATABASE_URL, say, on the PostgreSQL run).
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "SQLITE_PATH",
    "MUTUALAID_VAR_DIR",
    "MUTUALAID_FIELD_KEYS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_TLS_PROXY",
}


def production_env(tmp_path, **changes) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SETTINGS_VARIABLES and name.removesuffix("_FILE") not in SETTINGS_VARIABLES
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mutualaid.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="aid.example.org",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        MUTUALAID_FIELD_KEYS=new_key_entry(),
        MUTUALAID_VAR_DIR=str(tmp_path),
        SQLITE_PATH=str(tmp_path / "mutualaid.sqlite3"),
    )
    env.update(changes)
    return {name: value for name, value in env.items() if value is not None}


def run(args, env):
    return subprocess.run(  # noqa: S603 (this interpreter, with our own arguments)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def check_deploy(env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_a_real_secret_key(tmp_path):
    result = check_deploy(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "mutualaid.E001" in result.stderr


def test_check_deploy_fails_without_field_keys(tmp_path):
    result = check_deploy(production_env(tmp_path, MUTUALAID_FIELD_KEYS=None))
    assert result.returncode != 0
    assert "mutualaid.E002" in result.stderr


def production_settings(tmp_path, *names) -> dict:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}))"
    )
    result = run(["-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_are_secure_and_httponly(tmp_path):
    values = production_settings(
        tmp_path,
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
    }


def test_production_sessions_end_after_fourteen_idle_days_at_most(tmp_path):
    values = production_settings(tmp_path, "SESSION_COOKIE_AGE", "SESSION_RENEW_AFTER")
    assert values["SESSION_COOKIE_AGE"] <= 14 * 24 * 3600
    # A request renews the session when it was last renewed over an hour ago: the expiry counts
    # from the last visit (to within that hour), so it is an idle limit.
    assert values["SESSION_RENEW_AFTER"] <= 3600


def test_production_sends_hsts_for_subdomains_and_redirects_to_https(tmp_path):
    values = production_settings(
        tmp_path,
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_sessions_are_kept_in_the_database_with_redis_or_without(tmp_path):
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SESSION_ENGINE)"
    )
    with_redis = run(["-c", code], production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9"))
    alone = run(["-c", code], production_env(tmp_path))
    # read with their member in one query (accounts/sessions.py): a Redis restart logs nobody out
    assert with_redis.stdout.strip() == "mutualaid.accounts.sessions"
    assert alone.stdout.strip() == "mutualaid.accounts.sessions"
