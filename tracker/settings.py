"""Settings for the Aid Pledge Tracker.

Everything that differs between a laptop and production comes from the environment. DEBUG is
off unless DJANGO_DEBUG=1 says otherwise (`make run` and the tests say so), so a server started
without it never shows tracebacks; the database defaults to SQLite in the project folder.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from import_export.formats import base_formats

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", False)
# What a command run without DJANGO_DEBUG (production, then) needs to hear.
_FOR_DEVELOPMENT = " For development on this machine, set DJANGO_DEBUG=1 instead."

# Refused below whenever DEBUG is off.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or _DEV_SECRET_KEY
# The same bar as `check --deploy` (security.W009): a key anyone could guess signs nothing.
if not DEBUG and (
    SECRET_KEY == _DEV_SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random key of at least 50 characters when DJANGO_DEBUG is"
        " 0 or unset (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        + _FOR_DEVELOPMENT
    )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else ""
    ).split(",")
    if host.strip()
]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set DJANGO_ALLOWED_HOSTS to the site's host names when DJANGO_DEBUG is 0 or unset."
        + _FOR_DEVELOPMENT
    )
# "*" accepts any Host header, and the export's sentence links are built from it.
if not DEBUG and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts when DJANGO_DEBUG=0, not '*'."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    # The API's docs page (Swagger UI) is served from the package's static files, not a CDN.
    "ninja",
    "django_http_compression",
    "template_partials.apps.SimpleAppConfig",
    "simple_history",
    "import_export",
    "articles",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Pages and fragments go out compressed (static files are precompressed by WhiteNoise), in
    # the best coding the browser accepts: Zstandard (level 3), Brotli (quality 4) or gzip.
    # A table fragment takes zstd 0.06 ms, Brotli 0.2 ms, gzip 0.4 ms, for 6 kB out of 59 kB.
    # Django masks the CSRF token per response, which keeps compression safe from BREACH.
    "django_http_compression.middleware.HttpCompressionMiddleware",
    # A database that does not answer gives every page a plain 503, never a traceback.
    "tracker.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A NUL in an admin address (search, filter, autocomplete) is refused with a message.
    "tracker.admin_input.AdminNulRefusalMiddleware",
    # Last, as django-axes asks: turns a login refused for too many failures into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Partials read exactly like Django 6.0's built-in ones; moving to 6.0 means
            # dropping this loader wrapping and the builtin below.
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database that stops answering fails the request in seconds (a 503, as when it refuses),
    # instead of holding the worker until gunicorn kills it. Parameters of the same names in
    # DATABASE_URL (`?connect_timeout=N`, `?tcp_user_timeout=N`, ...) win.
    # - a host that drops packets: the connection attempt gives up after 5 s;
    _options.setdefault("connect_timeout", 5)
    # - a host or network gone while a connection is open: keepalive probes after 5 s of
    #   silence, and data left unacknowledged for 10 s, drop the connection;
    _options.setdefault("keepalives", 1)
    _options.setdefault("keepalives_idle", 5)
    _options.setdefault("keepalives_interval", 2)
    _options.setdefault("keepalives_count", 3)
    _options.setdefault("tcp_user_timeout", 10_000)  # milliseconds
    # - a statement that waits on a lock, or runs, longer than any page needs (the slowest
    #   page's SQL takes 0.3 s at a million pledges): the server cancels it. Seconds, 0 for
    #   none. These bound web requests only: manage.py sets both to 0 unless they are set,
    #   because commands rightly run long (loaddata, rollup rebuilds, the benchmark's
    #   generate_corpus at a million pledges, a migration on a large table); the CSV export
    #   lifts the statement timeout for its COPY, which streams as long as the client reads.
    _timeouts = {
        "statement_timeout": env_int("DJANGO_DB_STATEMENT_TIMEOUT", 10),
        "lock_timeout": env_int("DJANGO_DB_LOCK_TIMEOUT", 5),
    }
    _settings = [f"-c {name}={seconds}s" for name, seconds in _timeouts.items()]
    _options["options"] = " ".join([*_settings, _options.get("options", "")]).strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time; wait for it instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Totals, charts and breakdowns are cached under the data's version, which every write
# changes (tracker/cache.py), and so are the analyst pages' rendered parts, under the alias
# "template_fragments". By default in tables of the database, which every worker shares (a
# migration creates them; `manage.py createcachetable` if CACHES changes later); REDIS_URL
# (redis://host:6379/0) moves both to Redis.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragments",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tracker_cache",
            # Every combination of filters is a key: room for many; a third goes when full.
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        },
        # Rendered parts of pages, up to some 150 KB each: fewer of them, in a table of their
        # own, so that they never push the small figures out.
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tracker_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000},
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Staff: 12 characters at least, and not built from names, the site's words or years.
    {"NAME": "tracker.passwords.StaffPasswordValidator", "OPTIONS": {"min_length": 12}},
]

# Login throttling (django-axes; tracker/login_throttle.py). After DJANGO_LOGIN_FAILURE_LIMIT
# wrong passwords for one account from one address, logins to that account from that address
# are refused for DJANGO_LOGIN_LOCKOUT_MINUTES after the last attempt (each attempt meanwhile
# starts the wait again), or until an admin deletes the lock (admin: Axes → Access attempts;
# `manage.py axes_reset_username NAME`). The pair is locked, not the account everywhere: an
# attacker elsewhere cannot lock the account's owner out, and other accounts from the same
# address go on working. The counts live in the database, which every worker shares.
AUTHENTICATION_BACKENDS = [
    "tracker.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tracker.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tracker.login_throttle.client_address"
# Every failed login kept for the admins to read (Axes → Access failures), 1000 per account.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a proxy every request comes from the proxy's address. DJANGO_CLIENT_IP_HEADER names
# the header in which it passes on the client's (X-Forwarded-For, X-Real-IP); the proxy must
# set it on every request. Unset, the header is ignored: a client could write anything there.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "").strip()

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats per language (tracker/formats/<lang>/formats.py), Django's for the rest.
FORMAT_MODULE_PATH = ["tracker.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# In development (and tests) static files are served from the source folders as they are;
# production serves the compressed, hashed copies `collectstatic` writes to STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 0 if DEBUG else 60 * 60 * 24 * 365

# HTTPS only in production. Behind a proxy that terminates TLS, DJANGO_SECURE_PROXY_SSL_HEADER=1
# trusts its X-Forwarded-Proto (the proxy must set it and drop the client's own);
# DJANGO_SECURE_SSL_REDIRECT=0 serves plain HTTP, for local benchmark and load runs only.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Only announces eligibility: a domain joins browsers' preload lists when submitted.
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Nothing leaves the site in a Referer; same-origin requests keep it (CSRF checks read it).
SECURE_REFERRER_POLICY = "same-origin"


def csp_hash(source: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


# Style attributes that packages write, allowed by their exact value and no other: the
# import preview's diff (diff-match-patch) and simple_history's list of versions.
TRUSTED_STYLE_ATTRIBUTES = ("background:#e6ffe6;", "background:#ffe6e6;", "border-top: 0")

# The same policy in development and production, so a page that breaks it breaks early:
# scripts and styles from our own files only (no inline script or event handler, no eval, no
# inline style but the ones above), nothing framed, no plugins, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_HASHES, *map(csp_hash, TRUSTED_STYLE_ATTRIBUTES)],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# dumpdata's JSON with times to the microsecond, so that a backup restores them exactly.
SERIALIZATION_MODULES = {"json": "tracker.serializers"}

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Importing pledges changes them: only editors who may change pledges import; any viewer exports.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The upload waits for its confirmation in a temporary file, read back without changing its
# line breaks, so that an exported file imports back without a change.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "tracker.resources.ExactTempFolderStorage"
# The admin's formats, named: openpyxl (installed for the table's XLSX download) would otherwise
# add XLSX here, whose cells the admin's formula rule (tracker/resources.py) is not tested on.
IMPORT_EXPORT_FORMATS = [
    base_formats.CSV,
    base_formats.TSV,
    base_formats.JSON,
    base_formats.HTML,
]

#: The most rows the table's XLSX download writes: the file is built whole before it is sent
#: (openpyxl keeps every distinct text in memory), so past this the CSV, streamed, is the way.
PLEDGE_XLSX_MAX_ROWS = 100_000

#: The licence the data are published under, stated in every API response.
DATA_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}

#: Requests an anonymous client (one address) may make to the API: "<number>/<second, minute,
#: hour or day>"; empty for no limit. Past it, a 429 with Retry-After.
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT", "120/minute").strip()
