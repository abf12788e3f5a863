"""Django settings for Établi.

Everything comes from environment variables with safe local defaults, so that `make run` works on a fresh
machine with nothing configured and `etabli check --deploy` can say what a production setup is missing.
Data lives under ETABLI_DATA_DIR (default: ./var): the SQLite database, uploaded files, the job queue, the
secret key and backups.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("ETABLI_PROJECT_DIR", BASE_DIR.parent.parent)).resolve()
DATA_DIR = Path(os.environ.get("ETABLI_DATA_DIR", PROJECT_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "oui", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


def _load_or_create_secret_key() -> str:
    """Use ETABLI_SECRET_KEY, or a random key kept in the data directory (mode 0600) across restarts."""
    from_env = os.environ.get("ETABLI_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _load_or_create_secret_key()
DEBUG = env_bool("ETABLI_DEBUG", False)
TESTING = env_bool("ETABLI_TESTING", False)
HTTPS = env_bool("ETABLI_HTTPS", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ETABLI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ETABLI_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SITE_URL = os.environ.get("ETABLI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "huey.contrib.djhuey",
    "ninja",
    "etabli.core",
]
# Business apps: each plugs into the core through etabli.core.registry (see its registrations.py).
ETABLI_APPS: list[str] = [
    "etabli.billing",
    "etabli.documents",
    "etabli.banking",
    "etabli.assistant",
    "etabli.writing",
]
INSTALLED_APPS += ETABLI_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "etabli.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "etabli.core.middleware.ActorMiddleware",
    "etabli.core.middleware.ActiveCompanyMiddleware",
    "etabli.core.middleware.TwoFactorMiddleware",
    # Axes must be last: it turns lockouts raised by authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "etabli.urls"
WSGI_APPLICATION = "etabli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "etabli.core.context_processors.shell",
            ],
            "builtins": ["etabli.core.templatetags.etabli"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------------
# SQLite by default (one file under the data directory); DATABASE_URL=postgres://… switches to PostgreSQL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'etabli.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL + a busy timeout let the web server and the worker write without "database is locked".
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Each web thread keeps its connection: opening one (file, WAL, pragmas) costs more than most queries of a
    # page. Tests open and close per request so that the live server never holds the test base open.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A file (not :memory:) so that the live server, the worker and CLI subprocesses share the test base.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-etabli.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Authentication and security ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users. Production keeps Argon2 first.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

AXES_FAILURE_LIMIT = int(os.environ.get("ETABLI_LOCKOUT_ATTEMPTS", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ETABLI_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "etabli.core.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "etabli.core.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("ETABLI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script, no third-party origin (everything is served locally).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

OTP_TOTP_ISSUER = "Établi"

# Requests larger than this are refused with a clear message before Django reads them (uploads included).
ETABLI_MAX_REQUEST_BYTES = int(os.environ.get("ETABLI_MAX_REQUEST_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Internationalisation: French everywhere ---------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files --------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries are installed from npm at install time (package.json), never committed.
NODE_MODULES_DIR = Path(os.environ.get("ETABLI_NODE_MODULES", PROJECT_DIR / "node_modules"))
STATICFILES_DIRS = [
    (prefix, NODE_MODULES_DIR / path)
    for prefix, path in (("vendor/htmx", "htmx.org/dist"), ("vendor/chartjs", "chart.js/dist"))
    if (NODE_MODULES_DIR / path).is_dir()
]
MEDIA_ROOT = DATA_DIR / "files"
MEDIA_URL = "/fichiers/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail ---------------------------------------------------------------------------------------------
# With no SMTP server configured, e-mails are written as files under var/mail (nothing is lost, nothing sent).
EMAIL_HOST = os.environ.get("ETABLI_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("ETABLI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ETABLI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ETABLI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ETABLI_SMTP_TLS", False)
EMAIL_USE_SSL = env_bool("ETABLI_SMTP_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("ETABLI_FROM_EMAIL", "Établi <etabli@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Background jobs (Huey) ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("ETABLI_REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.PriorityRedisHuey", "name": "etabli", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "etabli",
        "filename": os.environ.get("ETABLI_QUEUE_FILE", str(DATA_DIR / "jobs.sqlite3")),
        "immediate": env_bool("ETABLI_JOBS_IMMEDIATE", False),
    }
HUEY["consumer"] = {"workers": int(os.environ.get("ETABLI_WORKERS", "2")), "worker_type": "thread"}

# --- API ------------------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# --- Logging --------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ETABLI_LOG_LEVEL", "WARNING")},
    "loggers": {
        "etabli": {"level": os.environ.get("ETABLI_LOG_LEVEL", "INFO"), "propagate": True},
        # Huey's consumer adds its own handler to a "huey" logger that has none, and that logger also
        # propagates to the root: every job was printed twice. One handler, ours, no propagation.
        "huey": {"handlers": ["console"], "level": os.environ.get("ETABLI_LOG_LEVEL", "INFO"), "propagate": False},
    },
}
