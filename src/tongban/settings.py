"""The one settings module. Everything configurable comes from ``TONGBAN_*`` environment variables.

This is the only module that reads ``os.environ`` (see docs/configuration.md for every variable).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


HOME = Path(os.environ.get("TONGBAN_HOME", Path.cwd() / "var")).resolve()
HOME.mkdir(parents=True, exist_ok=True)
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    given = os.environ.get("TONGBAN_SECRET_KEY")
    if given:
        return given
    path = HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("TONGBAN_DEBUG", default=False)
ALLOWED_HOSTS = env_list("TONGBAN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TONGBAN_CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = os.environ.get("TONGBAN_SITE_NAME", "通办 · 重庆市一网通办")

INSTALLED_APPS = [
    "tongban.console",  # before django.contrib.admin: its admin templates (Chinese branding) take precedence
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "tongban.core",
    "tongban.crypto",
    "tongban.audit",
    "tongban.accounts",
    "tongban.catalog",
    "tongban.notify",
    "tongban.files",
    "tongban.workflow",
    "tongban.cases",
    "tongban.insight",
    "tongban.portal",
    "tongban.workbench",
    "django.contrib.admin",
    "tongban.api",
]

MIDDLEWARE = [
    "tongban.api.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongban.portal.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tongban.urls"
WSGI_APPLICATION = "tongban.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
CSRF_FAILURE_VIEW = "tongban.api.views.csrf_failure"  # problem+json under /api/, Django's page elsewhere

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tongban.core.context.site",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("TONGBAN_DATABASE_URL") or f"sqlite:///{HOME / 'tongban.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("TONGBAN_DB_CONN_MAX_AGE", 600))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE avoids lock upgrades failing under load.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TONGBAN_TEST_SQLITE_NAME") or None}
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TONGBAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
MEDIA_ROOT = Path(os.environ.get("TONGBAN_MEDIA_ROOT", HOME / "files"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TONGBAN_MAX_BODY_BYTES", 12 * 1024 * 1024)
TONGBAN_MAX_UPLOAD_BYTES = env_int("TONGBAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Refused from Content-Length before anything is read or spooled to disk (uploads plus form overhead).
TONGBAN_MAX_REQUEST_BYTES = env_int("TONGBAN_MAX_REQUEST_BYTES", TONGBAN_MAX_UPLOAD_BYTES + 2 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TONGBAN_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

REDIS_URL = os.environ.get("TONGBAN_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

HUEY = {
    "name": "tongban",
    "immediate": env_bool("TONGBAN_TASKS_IMMEDIATE", default=False),
    "consumer": {"workers": env_int("TONGBAN_WORKER_THREADS", 2), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(HOME / "tasks.sqlite3")}

# Keys for personal-data encryption (SM4) and blind indexes (HMAC-SM3). Generated on first run when absent.
TONGBAN_KEYS_FILE = Path(os.environ.get("TONGBAN_KEYS_FILE", HOME / "keys.json"))
TONGBAN_FIELD_KEYS = os.environ.get("TONGBAN_FIELD_KEYS", "")

# Policy knobs.
TONGBAN_FOUR_EYES = env_bool("TONGBAN_FOUR_EYES", default=True)
TONGBAN_SLA_WARNING_RATIO = float(os.environ.get("TONGBAN_SLA_WARNING_RATIO", "0.8"))
TONGBAN_RECTIFY_DAYS = env_int("TONGBAN_RECTIFY_DAYS", 5)
TONGBAN_IDEMPOTENCY_HOURS = env_int("TONGBAN_IDEMPOTENCY_HOURS", 24)
TONGBAN_MASK_ID_POLICY = os.environ.get("TONGBAN_MASK_ID_POLICY", "1+2")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TONGBAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "huey": {"level": "WARNING", "handlers": ["console"], "propagate": False},  # run_huey adds none then
        "spiff": {"level": "WARNING"},  # the workflow engine logs every task transition at INFO
        "SpiffWorkflow": {"level": "WARNING"},
    },
}
