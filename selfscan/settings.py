"""Settings, read from the environment in this one place.

Defaults make `make demo` work on a fresh machine (debug on, SQLite under var/, console e-mail,
Celery tasks in-process). Production sets DJANGO_DEBUG=0 and must then also set a secret key and
its hosts; unsafe combinations stop the process with a one-line message.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SELFSCAN_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value and value.strip() else default


def refuse_to_start(message: str) -> None:
    """Stop with one clear line instead of a traceback (a misconfiguration, not a bug)."""
    sys.stderr.write(f"selfscan: {message}\n")
    raise SystemExit(1)


DEBUG = env_bool("DJANGO_DEBUG", True)
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG else [])

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        refuse_to_start(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 set DJANGO_SECRET_KEY to a long "
            "random value, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-demo-key-only-for-debug-mode-" + "x" * 20
if DEBUG and any(host not in [*LOCAL_HOSTS, "testserver"] for host in ALLOWED_HOSTS):
    refuse_to_start(
        "DJANGO_DEBUG is on while DJANGO_ALLOWED_HOSTS names a public host; set DJANGO_DEBUG=0 "
        "(and DJANGO_SECRET_KEY) for a public installation."
    )
if not DEBUG and not ALLOWED_HOSTS:
    refuse_to_start("DJANGO_ALLOWED_HOSTS is empty; set it to the host names of this installation.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "formtools",
    "axes",
    "csp",
    "simple_history",
    "selfscan.core",
    "selfscan.accounts",
    "selfscan.audit",
    "selfscan.organisations",
    "selfscan.norms",
    "selfscan.rounds",
    "selfscan.scans",
    "selfscan.plans",
    "selfscan.results",
    "selfscan.exports",
    "selfscan.surveys",
    "selfscan.imports",
    "selfscan.mailings",
    "selfscan.sso",
    "rest_framework",
    "drf_spectacular",
    "selfscan.api",
    "selfscan.perspectives",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews a used session every few minutes instead of writing it on every request.
    "selfscan.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication, so that the 400 page shows the user's navigation and language.
    "selfscan.core.middleware.RejectControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware must stay last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "selfscan.urls"
WSGI_APPLICATION = "selfscan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "selfscan.core.context_processors.navigation",
            ],
        },
    }
]

# Database: DATABASE_URL (postgres://user@host:5432/name), else an SQLite file under var/.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'selfscan.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let several team members save at once without
    # "database is locked" errors; the timeout makes a writer wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests use a file too, not Django's shared in-memory database: there a reader fails at once
    # while another connection writes ("table is locked"), which production SQLite never does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_selfscan.sqlite3")}
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: ten wrong passwords for one account lock it for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock by account, not by IP address: a whole school shares one public address, and one
# forgetful colleague must not lock out the team (docs/decisions/0003-login-throttling.md).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Addresses are case-insensitive: the lockout counts "A@x.nl" and "a@x.nl" as one account.
AXES_USERNAME_CALLABLE = "selfscan.accounts.models.axes_username"

# Sign in with the school's account (OpenID Connect, docs/decisions/0225-openid-connect-login.md):
# off unless SSO_PROVIDERS names providers, e.g. "microsoft,google"; per name N the variables
# SSO_N_ISSUER, SSO_N_CLIENT_ID, SSO_N_CLIENT_SECRET, SSO_N_LABEL (the button, e.g. "Inloggen met
# Microsoft") and optionally SSO_N_TRUST_EMAIL=1 for a provider that only issues verified addresses
# without saying so (an `email_verified` claim is otherwise required). SSO_REQUIRED_ROLES (e.g.
# "staff,admin") refuses the password login for those roles.
SSO_ROLES = {"school", "board", "adviser", "staff", "admin"}
SSO_PROVIDERS: list[dict[str, object]] = []
for _slug in env_list("SSO_PROVIDERS", []):
    _slug = _slug.lower()
    _prefix = f"SSO_{_slug.upper().replace('-', '_')}_"
    _provider = {
        "slug": _slug,
        "issuer": env_str(_prefix + "ISSUER").rstrip("/"),
        "client_id": env_str(_prefix + "CLIENT_ID"),
        "client_secret": env_str(_prefix + "CLIENT_SECRET"),
        "label": env_str(_prefix + "LABEL") or f"Inloggen met {_slug.capitalize()}",
        "trust_email": env_bool(_prefix + "TRUST_EMAIL", False),
    }
    _missing = [k for k in ("issuer", "client_id", "client_secret") if not _provider[k]]
    if _missing or not _slug.replace("-", "").isalnum():
        refuse_to_start(
            f"SSO provider {_slug!r}: set {', '.join(_prefix + k.upper() for k in _missing)} "
            "(names in SSO_PROVIDERS are letters, digits and dashes)."
        )
    SSO_PROVIDERS.append(_provider)
SSO_REQUIRED_ROLES = [role.lower() for role in env_list("SSO_REQUIRED_ROLES", [])]
if set(SSO_REQUIRED_ROLES) - SSO_ROLES:
    refuse_to_start(f"SSO_REQUIRED_ROLES: choose from {', '.join(sorted(SSO_ROLES))}.")
if SSO_REQUIRED_ROLES and not SSO_PROVIDERS:
    refuse_to_start("SSO_REQUIRED_ROLES is set but SSO_PROVIDERS is empty: nobody could log in.")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# A used session is renewed at most every SESSION_REFRESH_SECONDS (SessionRefreshMiddleware),
# not written on every request (one UPDATE per autosave).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)

# Cache: CACHE_URL (redis://host:6379/N) is shared by every app server; sessions are then read
# from it and written to both it and the database. Without it each process has its own memory
# cache and sessions stay in the database only (a per-process session cache would let a
# logged-out session live on in another worker). See docs/scaling.md.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "selfscan.core.cache.SharedClientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "selfscan",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "selfscan.core.staticfinders.PlotlyFinder",
]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True), else printed on the console.
_email = dj_email_url.parse(env_str("EMAIL_URL", "console:"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
    if _email.get(_key):
        globals()[_key] = _email[_key]
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zelfscan@passendonderwijsalmere.nl")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: with a broker a real worker runs the tasks; without one they run in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or (CELERY_BROKER_URL or None)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must fail a request fast (docs/decisions/0170-enqueue-and-sweeper.md): a
# few short tries to publish, short socket timeouts for the broker and the result store, then
# `selfscan.core.tasks.enqueue` marks the job failed with a message the person can act on.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 3
CELERY_REDIS_SOCKET_TIMEOUT = 30
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
}
# A task is acknowledged after it ran, so a worker killed mid-task (out of memory, a deploy)
# leaves it to be delivered again; every task is idempotent. Redis hands an unacknowledged task
# to another worker after the visibility timeout: longer than any task runs (exports and imports
# take minutes), short enough that a lost task is picked up again the same working day.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 2 * 3600),
    "socket_connect_timeout": 3,
    "socket_timeout": 30,
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
# Reminders: daily; the task picks the rounds whose close date is `reminder_days_before` away.
# Scheduled rounds ("gepland") open on their opening date, early in the morning.
CELERY_BEAT_SCHEDULE["rounds-open-due-rounds"] = {
    "task": "rounds.open_due_rounds",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["rounds-send-due-reminders"] = {
    "task": "rounds.send_due_reminders",
    "schedule": crontab(hour=7, minute=0),
}
# Round invitations: hourly for every open round, once per person (so a round that opens on a
# later date, or whose enqueue failed, is invited within the hour).
CELERY_BEAT_SCHEDULE["rounds-send-pending-invitations"] = {
    "task": "rounds.send_pending_invitations",
    "schedule": crontab(minute=15),
}

# Export files live in the database (decision 0042); finished ones are kept this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
if EXPORT_RETENTION_DAYS < 1:
    refuse_to_start("EXPORT_RETENTION_DAYS must be 1 or more (days to keep a finished export).")
CELERY_BEAT_SCHEDULE["exports-delete-old-jobs"] = {
    "task": "exports.delete_old_jobs",
    "schedule": crontab(hour=3, minute=30),
}

# Background jobs (exports, imports) without a sign of life this long are marked failed by the
# sweeper, so their pages offer to try again (docs/decisions/0170-enqueue-and-sweeper.md).
JOB_STALLED_AFTER_MINUTES = env_int("JOB_STALLED_AFTER_MINUTES", 30)
if JOB_STALLED_AFTER_MINUTES < 1:
    refuse_to_start("JOB_STALLED_AFTER_MINUTES must be 1 or more (minutes without progress).")
CELERY_BEAT_SCHEDULE["core-sweep-stalled-jobs"] = {
    "task": "core.sweep_stalled_jobs",
    "schedule": crontab(minute="*/5"),
}

# Security: on whenever debug is off. TLS ends at the reverse proxy, which sets X-Forwarded-Proto.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "selfscan.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # for browsers without CSP frame-ancestors

# Content-Security-Policy (django-csp, docs/decisions/0004): everything from this site, no inline
# script anywhere. Styles (docs/decisions/0005): plotly.js makes an empty <style> element and
# fills it through the CSSOM (allowed by the hash of the empty string), and at load it adds
# MapLibre's stylesheet (its hash; a plotly upgrade that changes it shows up as a violation in
# tests/browser/test_csp.py); it also sets a few style attributes, hence 'unsafe-inline' for
# style attributes only, never for <style> elements.
CSP_EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
CSP_PLOTLY_MAPLIBRE_STYLE = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, CSP_EMPTY_STYLE, CSP_PLOTLY_MAPLIBRE_STYLE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Without a broker tasks run in-process: kombu's "no hostname" warning for the producer
    # that eager mode still creates, and a trace line per task, would only be noise.
    LOGGING["loggers"].update(  # type: ignore[attr-defined]
        {"kombu.connection": {"level": "ERROR"}, "celery.app.trace": {"level": "WARNING"}}
    )

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The read-only API (/api/v1/, issue 20): personal tokens or the session, read only, throttled
# per user through the configured cache (docs/decisions/0220-api-framework.md).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "selfscan.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "selfscan.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_LIMIT, "anon": API_RATE_LIMIT},
    "EXCEPTION_HANDLER": "selfscan.api.views.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zelfscan basisondersteuning API",
    "DESCRIPTION": (
        "NL: alleen-lezen API van de zelfscan. Zie docs/api.md. — "
        "EN: read-only API of the self-scan. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "AUTHENTICATION_WHITELIST": ["selfscan.api.authentication.ApiTokenAuthentication"],
}
