"""Kinerja settings: one module, driven by environment variables.

Every value has a safe development default; a bad value fails at start with a clear message.
See docs/operator.md for the production settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KINERJA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_config(url: str) -> dict[str, Any]:
    if not url.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:// or postgres://, got {url.split(':')[0]!r}"
        )
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=600))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def cache_config(url: str) -> dict[str, Any]:
    """The default cache from CACHE_URL: empty or locmem:// (one process), redis:// or
    rediss:// (shared by every worker; an outage is logged and fails open, kinerja/core/cache.py),
    db://table (shared; run `manage.py createcachetable`)."""
    if url in {"", "locmem://"}:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "kinerja.core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if url.startswith("db://"):
        table = url.removeprefix("db://")
        if not table.isidentifier():
            raise ImproperlyConfigured(
                f"CACHE_URL db:// needs a table name of letters, digits and _, got {table!r}"
            )
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    raise ImproperlyConfigured(
        "CACHE_URL must be empty or start with locmem://, redis://, rediss:// or db://, "
        f"got {url.split(':')[0]!r}"
    )


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("KINERJA_TESTING", False)

_secret = os.environ.get("SECRET_KEY", "")
if not _secret:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (50+ random characters) or DEBUG=true "
            "for local development."
        )
    _secret = "django-insecure-development-only-key-kinerja-do-not-use-in-production"  # noqa: S105
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "kinerja.core",
    "kinerja.accounts",
    "kinerja.audit",
    "kinerja.org",
    "kinerja.plans",
    "kinerja.progress",
    "kinerja.notify",
    "kinerja.surveys",
    "kinerja.assessments",
    "kinerja.development",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kinerja.core.middleware.request_id_middleware",
    "kinerja.core.middleware.api_errors_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.core.middleware.LocaleMiddleware",  # pages: the chosen language, else Indonesian
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kinerja" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.org.context_processors.navigation",
                "kinerja.notify.context_processors.unread",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}"
    )
}
# The SKM rate limit and duplicate window, and the verification-page limit, live here: set a
# shared cache (Redis) when more than one process serves the app (docs/operator.md).
CACHES = {"default": cache_config(os.environ.get("CACHE_URL", "").strip())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kinerja" / "static", BASE_DIR / "var" / "assets"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

_storage_backend = os.environ.get("STORAGE_BACKEND", "local")
if _storage_backend not in {"local", "s3"}:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be 'local' or 's3', got {_storage_backend!r}")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if _storage_backend == "s3":  # pragma: no cover - needs an S3 service
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
        },
    }

_mail_options: dict[str, Any] = {}
_smtp_host = os.environ.get("EMAIL_HOST", "")
if _smtp_host:
    _mail_backend = "django.core.mail.backends.smtp.EmailBackend"
    _mail_options = {
        "host": _smtp_host,
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
else:
    _mail_backend = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kinerja@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

KINERJA_IMPORT_MAX_BYTES = env_int("KINERJA_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024
KINERJA_EVIDENCE_MAX_BYTES = env_int("KINERJA_EVIDENCE_MAX_MB", 10, minimum=1) * 1024 * 1024
# The public base URL printed in the verification QR code of issued documents
# (e.g. https://kinerja.example.go.id); empty: the host of the request that issues them.
KINERJA_PUBLIC_URL = os.environ.get("KINERJA_PUBLIC_URL", "").strip().rstrip("/")
DATA_UPLOAD_MAX_MEMORY_SIZE = KINERJA_IMPORT_MAX_BYTES
# Public SKM questionnaire (docs/skm.md): submissions per client per window, the duplicate
# window, and how long a form token stays valid. Limits live in the cache (CACHES above).
KINERJA_SKM_RATE_LIMIT = env_int("KINERJA_SKM_RATE_LIMIT", 30, minimum=1)
KINERJA_SKM_RATE_WINDOW = env_int("KINERJA_SKM_RATE_WINDOW_SECONDS", 600, minimum=1)
KINERJA_SKM_DUPLICATE_WINDOW = env_int("KINERJA_SKM_DUPLICATE_WINDOW_SECONDS", 600, minimum=1)
KINERJA_SKM_TOKEN_MAX_AGE = env_int("KINERJA_SKM_TOKEN_MAX_AGE_SECONDS", 6 * 3600, minimum=60)
# Behind a reverse proxy: the META key holding the client address, e.g. HTTP_X_REAL_IP.
KINERJA_CLIENT_IP_HEADER = os.environ.get("KINERJA_CLIENT_IP_HEADER", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"faker": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
