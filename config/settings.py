"""Kaopei settings: everything comes from the environment (DESIGN.md §2).

SQLite is used when ``DATABASE_URL`` is unset. A bad value fails loudly at start-up.
"""

from __future__ import annotations

import os
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KAOPEI_DATA_DIR", BASE_DIR / "var"))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    TIME_ZONE=(str, "Asia/Shanghai"),
    LANGUAGE_CODE=(str, "zh-hans"),
    SESSION_IDLE_SECONDS=(int, 30 * 60),
    LOGIN_MAX_FAILURES=(int, 5),
    LOGIN_MAX_FAILURES_PER_ADDRESS=(int, 100),
    LOGIN_LOCKOUT_SECONDS=(int, 15 * 60),
    TRUSTED_PROXIES=(int, 0),
    IMPORT_MAX_BYTES=(int, 200 * 1024 * 1024),
    IMPORT_BACKGROUND_ROWS=(int, 5000),
    KAOPEI_PRODUCTION=(bool, False),
)

DEBUG: bool = env("DEBUG")
PRODUCTION: bool = env("KAOPEI_PRODUCTION")


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or a locally generated development key.

    Production (``KAOPEI_PRODUCTION=true``) refuses to start without one.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise environ.ImproperlyConfigured("SECRET_KEY must be set in production.")
    path = DATA_DIR / "secret_key.txt"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS: list[str] = env("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "kaopei.core",
    "kaopei.imports",
    "kaopei.org",
    "kaopei.facts",
    "kaopei.assessment",
    "kaopei.feedback",
    "kaopei.training",
    "kaopei.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kaopei.core.middleware_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kaopei.core.middleware.IdleSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend behind the sign-in limits, for every sign-in path.
    "kaopei.core.throttle.ThrottledModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaopei.core.context_processors.navigation",
            ],
        },
    },
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'kaopei.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_IDLE_SECONDS: int = env("SESSION_IDLE_SECONDS")
# Failed sign-ins are counted in the database (kaopei.core.throttle), shared by every process:
# per account (this locks the account for LOGIN_LOCKOUT_SECONDS) and, separately and much
# higher, per client address (this refuses only that address, and locks no account).
LOGIN_MAX_FAILURES: int = env("LOGIN_MAX_FAILURES")
LOGIN_MAX_FAILURES_PER_ADDRESS: int = env("LOGIN_MAX_FAILURES_PER_ADDRESS")
LOGIN_LOCKOUT_SECONDS: int = env("LOGIN_LOCKOUT_SECONDS")
# How many reverse proxies in front of Kaopei append the client's address to
# X-Forwarded-For (0: none, REMOTE_ADDR is the client). Only their entries are trusted.
TRUSTED_PROXIES: int = env("TRUSTED_PROXIES")
if TRUSTED_PROXIES < 0:
    raise environ.ImproperlyConfigured("TRUSTED_PROXIES must be 0 or more.")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# --- Transport security (docs/deploy.md). On in production; each can be overridden, e.g.
# behind a proxy that terminates TLS and already redirects: SECURE_SSL_REDIRECT=false.
SESSION_COOKIE_SECURE: bool = env.bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE: bool = env.bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS: int = env.int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if PRODUCTION else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION
)
# Only a request to hstspreload.org puts a host on browsers' preload lists; the flag is
# the consent that request needs, and does nothing else.
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)


def _proxy_ssl_header() -> tuple[str, str] | None:
    """``SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto`` (or ``NAME=value``, value ``https`` by
    default): trust that header, set by the TLS-terminating proxy, to mean HTTPS. Opt-in,
    since a client could send it itself when no proxy overwrites it."""
    raw = env.str("SECURE_PROXY_SSL_HEADER", default="").strip()
    if not raw:
        return None
    name, _sep, value = raw.partition("=")
    name = name.strip().upper().replace("-", "_")
    if not name or " " in name:
        raise environ.ImproperlyConfigured(f"SECURE_PROXY_SSL_HEADER is not a header: {raw!r}")
    return (name if name.startswith("HTTP_") else f"HTTP_{name}", value.strip() or "https")


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Content-Security-Policy (kaopei/core/middleware_security.py): no inline script, no
# plugin, no framing. Style attributes are allowed (ECharts tooltips and the Django admin
# write them); style elements are not.
KAOPEI_CSP: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}
# Path prefixes with a policy of their own: the one declared place for exceptions.
KAOPEI_CSP_PATHS: dict[str, dict[str, str]] = {}

LANGUAGE_CODE: str = env("LANGUAGE_CODE")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE: str = env("TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

REDIS_URL: str = env("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kaopei"}
    )
}
CELERY_BROKER_URL = REDIS_URL or None
# Without a broker, long work runs in a background thread of the web process (DESIGN.md §2).
KAOPEI_JOBS_BACKEND = "celery" if REDIS_URL else "thread"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = TIME_ZONE

IMPORT_MAX_BYTES: int = env("IMPORT_MAX_BYTES")
IMPORT_BACKGROUND_ROWS: int = env("IMPORT_BACKGROUND_ROWS")
# What an .xlsx may unpack to (a decompression bomb is refused before it is opened): the
# total of its parts, the packed-to-unpacked ratio of any part above 1 MB, and the size of
# the parts read whole (shared strings, styles), which cost about 5 times their size in memory.
IMPORT_MAX_UNPACKED_BYTES: int = env.int(
    "IMPORT_MAX_UNPACKED_BYTES", default=min(10 * IMPORT_MAX_BYTES, 1024 * 1024 * 1024)
)
IMPORT_MAX_UNPACK_RATIO: int = env.int("IMPORT_MAX_UNPACK_RATIO", default=100)
IMPORT_MAX_SHARED_STRINGS_BYTES: int = env.int(
    "IMPORT_MAX_SHARED_STRINGS_BYTES", default=32 * 1024 * 1024
)
# How long uploaded files are kept (the batch record and what it imported stay for good):
# committed and rolled-back imports, and refused or dry-run ones, which go much sooner.
IMPORT_KEEP_DAYS: int = env.int("IMPORT_KEEP_DAYS", default=90)
IMPORT_KEEP_UNUSED_DAYS: int = env.int("IMPORT_KEEP_UNUSED_DAYS", default=2)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# How far the people's targets of a unit may roll up away from the unit's own target (a
# fraction: 0.05 = 5 %) before the roll-up page flags it and target-setting warns.
try:
    KAOPEI_TARGET_ROLLUP_MARGIN = Decimal(env.str("KAOPEI_TARGET_ROLLUP_MARGIN", default="0.05"))
except InvalidOperation:
    KAOPEI_TARGET_ROLLUP_MARGIN = Decimal(-1)
if not Decimal(0) <= KAOPEI_TARGET_ROLLUP_MARGIN < Decimal(10):
    raise environ.ImproperlyConfigured(
        "KAOPEI_TARGET_ROLLUP_MARGIN must be a fraction such as 0.05"
    )
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail (notifications; docs/deploy.md). EMAIL_URL names the mail server, e.g.
# smtp+tls://user:password@mail.example.com:587 (STARTTLS) or smtp+ssl://…:465; the default
# consolemail:// prints each e-mail to the console (demo and development). EMAIL_BACKEND, when
# set, overrides the backend (the tests use Django's locmem backend).
_EMAIL = {k: v for k, v in env.email_url("EMAIL_URL", default="consolemail://").items() if v}
EMAIL_BACKEND: str = env.str("EMAIL_BACKEND", default=_EMAIL.pop("EMAIL_BACKEND"))
EMAIL_HOST: str = _EMAIL.get("EMAIL_HOST", "localhost")
EMAIL_PORT: int = _EMAIL.get("EMAIL_PORT", 25)
EMAIL_HOST_USER: str = _EMAIL.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD: str = _EMAIL.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS: bool = _EMAIL.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL: bool = _EMAIL.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT: int = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="Kaopei <kaopei@localhost>")
SERVER_EMAIL: str = DEFAULT_FROM_EMAIL
# Where people open Kaopei: the links in e-mails start with it.
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Secrets in paths (customer answer and survey links, suggestion receipt codes): never in a log line
# (kaopei.core.logging). Each pattern keeps its first group and redacts the rest.
LOG_REDACT_PATTERNS = [
    r"(/feedback/(?:answer|survey)/)[^/\s?\"']+",
    r"(/api/v1/feedback/answer/)[^/\s?\"']+",
    r"(/api/v1/feedback/suggestions/receipt/)[^/\s?\"']+",  # a suggestion's receipt code
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "kaopei.core.logging.RedactSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The development server's access log goes through the same redaction.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
