"""The settings helpers: good values are read, bad ones stop the start with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import BASE_DIR, database_config, env_bool, env_int, env_list

# --- env_bool -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " yes "])
def test_env_bool_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "NO", "off", " off "])
def test_env_bool_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_unset_or_empty_is_the_default(
    monkeypatch: pytest.MonkeyPatch, default: bool
) -> None:
    monkeypatch.delenv("DEBUG", raising=False)
    assert env_bool("DEBUG", default) is default
    monkeypatch.setenv("DEBUG", "")
    assert env_bool("DEBUG", default) is default


@pytest.mark.parametrize("raw", ["perhaps", "2", "y", "benar", "true!"])
def test_env_bool_refuses_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("DEBUG", raw)
    with pytest.raises(ImproperlyConfigured) as info:
        env_bool("DEBUG", False)
    assert str(info.value) == f"DEBUG must be true or false, got {raw!r}"


# --- env_int ------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [("5", 5), ("1", 1), (" 12 ", 12), ("0100", 100)])
def test_env_int_reads_whole_numbers(monkeypatch: pytest.MonkeyPatch, raw: str, value: int) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", raw)
    assert env_int("AXES_FAILURE_LIMIT", 5, minimum=1) == value


def test_env_int_unset_or_empty_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AXES_FAILURE_LIMIT", raising=False)
    assert env_int("AXES_FAILURE_LIMIT", 5, minimum=1) == 5
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "")
    assert env_int("AXES_FAILURE_LIMIT", 7) == 7


@pytest.mark.parametrize("raw", ["abc", "1.5", "5x", "lima", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured) as info:
        env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
    assert str(info.value) == f"AXES_FAILURE_LIMIT must be a whole number, got {raw!r}"


@pytest.mark.parametrize(("raw", "minimum"), [("0", 1), ("-3", 0), ("4", 5)])
def test_env_int_refuses_values_below_the_minimum(
    monkeypatch: pytest.MonkeyPatch, raw: str, minimum: int
) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured) as info:
        env_int("AXES_FAILURE_LIMIT", 5, minimum=minimum)
    assert str(info.value) == f"AXES_FAILURE_LIMIT must be at least {minimum}, got {int(raw)}"


def test_env_int_minimum_is_inclusive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "1")
    assert env_int("AXES_FAILURE_LIMIT", 5, minimum=1) == 1
    monkeypatch.setenv("KINERJA_IMPORT_MAX_MB", "0")
    assert env_int("KINERJA_IMPORT_MAX_MB", 50) == 0  # the default minimum is 0


# --- env_list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("kinerja.contoh.go.id", ["kinerja.contoh.go.id"]),
        ("a.go.id, b.go.id", ["a.go.id", "b.go.id"]),
        (" a.go.id ,, b.go.id , ", ["a.go.id", "b.go.id"]),
    ],
)
def test_env_list_splits_on_commas(
    monkeypatch: pytest.MonkeyPatch, raw: str, value: list[str]
) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", raw)
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == value


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_list_unset_or_blank_is_the_default(
    monkeypatch: pytest.MonkeyPatch, raw: str | None
) -> None:
    if raw is None:
        monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    else:
        monkeypatch.setenv("ALLOWED_HOSTS", raw)
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


# --- database_config ----------------------------------------------------------------------


def test_sqlite_url(tmp_path: Path) -> None:
    config = database_config(f"sqlite:///{tmp_path / 'kinerja.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "kinerja.sqlite3")
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert not config.get("CONN_HEALTH_CHECKS")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_url_is_parsed_without_connecting(scheme: str) -> None:
    config = database_config(f"{scheme}://kinerja:rahasia@db.internal:5433/kinerja_prod")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == (
        "kinerja_prod",
        "kinerja",
        "rahasia",
    )
    assert (config["HOST"], config["PORT"]) == ("db.internal", 5433)
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("mysql://kinerja:rahasia@localhost/kinerja", "mysql"),
        ("oracle://kinerja@localhost/xe", "oracle"),
        ("kinerja.sqlite3", "kinerja.sqlite3"),
        ("", ""),
    ],
)
def test_other_databases_are_refused(url: str, scheme: str) -> None:
    with pytest.raises(ImproperlyConfigured) as info:
        database_config(url)
    assert str(info.value) == (
        f"DATABASE_URL must start with sqlite:// or postgres://, got {scheme!r}"
    )


# --- importing the settings module in a clean process -------------------------------------

UNSET = ("SECRET_KEY", "DEBUG", "KINERJA_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")


def import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c "import config.settings"` with only the given variables set."""
    clean = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("AXES_")}
    clean["KINERJA_VAR_DIR"] = str(tmp_path / "var")
    clean.update(env)
    code = "import config.settings as s; print('DEBUG', s.DEBUG, 'AXES', s.AXES_FAILURE_LIMIT)"
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_start_without_secret_key_fails_clearly(tmp_path: Path) -> None:
    result = import_settings(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr
    assert "DEBUG=true" in result.stderr  # the message says how to fix it
    assert not (tmp_path / "var").exists()  # it stopped before touching anything


def test_a_secret_key_or_debug_lets_the_settings_load(tmp_path: Path) -> None:
    with_key = import_settings(tmp_path, SECRET_KEY="k" * 60)
    assert with_key.returncode == 0, with_key.stderr
    assert with_key.stdout.strip() == "DEBUG False AXES 5"
    debug = import_settings(tmp_path, DEBUG="true")
    assert debug.returncode == 0, debug.stderr
    assert debug.stdout.strip() == "DEBUG True AXES 5"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "perhaps"}, "DEBUG must be true or false, got 'perhaps'"),
        ({"AXES_FAILURE_LIMIT": "abc"}, "AXES_FAILURE_LIMIT must be a whole number, got 'abc'"),
        ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT must be at least 1, got 0"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be 'local' or 's3', got 'ftp'"),
        ({"CACHE_URL": "memcached://m:11211"}, "CACHE_URL must be empty or start with"),
    ],
    ids=["debug-perhaps", "axes-abc", "axes-zero", "storage-ftp", "cache-memcached"],
)
def test_a_bad_value_stops_the_start(tmp_path: Path, env: dict[str, str], message: str) -> None:
    result = import_settings(tmp_path, SECRET_KEY="k" * 60, **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr
