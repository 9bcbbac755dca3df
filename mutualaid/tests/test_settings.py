import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from mutualaid import settings as project_settings
from mutualaid.lib.checks import check_secret_key, refuse_dev_secret_key
from mutualaid.test import settings_of_a_process

ROOT = Path(__file__).resolve().parents[2]


def test_envbool_reads_common_spellings(monkeypatch):
    for value, expected in [("1", True), ("yes", True), ("off", False), ("False", False)]:
        monkeypatch.setenv("SOME_FLAG", value)
        assert project_settings.envbool("SOME_FLAG", not expected) is expected


def test_envbool_fails_loudly_on_nonsense(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        project_settings.envbool("SOME_FLAG", False)


def test_envint_fails_loudly_on_nonsense_and_on_too_small(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "seven")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        project_settings.envint("SOME_NUMBER", 1)
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        project_settings.envint("SOME_NUMBER", 1, minimum=1)


def test_envsecret_reads_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))
    assert project_settings.envsecret("SOME_SECRET", "default") == "from-a-file"


def test_envsecret_fails_loudly_on_a_missing_file(monkeypatch, tmp_path):
    monkeypatch.setenv("SOME_SECRET_FILE", str(tmp_path / "nope"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        project_settings.envsecret("SOME_SECRET", "default")


def test_argon2_is_the_first_password_hasher():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    options = project_settings.DATABASES["default"].get("OPTIONS", {})
    if project_settings.DATABASE_URL:
        pytest.skip("this run uses DATABASE_URL")
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5
    assert options["transaction_mode"] == "IMMEDIATE"


@override_settings(DEBUG=False, SECRET_KEY=project_settings.DEV_SECRET_KEY)
def test_a_production_start_refuses_the_dev_secret_key():
    with pytest.raises(ImproperlyConfigured, match="development key"):
        refuse_dev_secret_key()
    assert [error.id for error in check_secret_key(None)] == ["mutualaid.E001"]


@override_settings(DEBUG=False, SECRET_KEY="a-real-secret-from-the-environment")
def test_a_production_start_accepts_a_real_key():
    refuse_dev_secret_key()
    assert check_secret_key(None) == []


def test_the_wsgi_module_refuses_to_start_with_the_dev_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import mutualaid.wsgi"],
        cwd=ROOT,
        env={**env, "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_the_wsgi_module_starts_with_a_real_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import mutualaid.wsgi"],
        cwd=ROOT,
        env={**env, "DEBUG": "0", "SECRET_KEY": "a-real-secret-from-the-environment"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def databases_with(**env):
    """settings.DATABASES["default"] as a process started with ``env`` would have it."""
    return settings_of_a_process('s.DATABASES["default"]', without=("DATABASE_URL",), **env)


def test_postgresql_prepares_the_queries_it_runs_often_unless_told_not_to():
    url = "postgres://someone@127.0.0.1:5432/somewhere"
    options = databases_with(DATABASE_URL=url)["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    options = databases_with(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0").get("OPTIONS", {})
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
    sqlite = databases_with(DATABASE_URL="")
    assert "server_side_binding" not in sqlite["OPTIONS"]
    assert sqlite["CONN_MAX_AGE"] == 600
