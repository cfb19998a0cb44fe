"""Settings for the policy CMS: one module, configured by environment variables.

The defaults run the demo on a local SQLite file with DEBUG on. Production sets
``DEBUG=false``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` (PostgreSQL)
and ``REDIS_URL``. A value that cannot be read stops start-up with a message
that names the variable to fix.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags, process_link
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (got {raw!r}).") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must be 0 or more (got {raw!r}).")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate limit such as ``60/minute`` (per second, minute, hour or day)."""
    raw = (os.environ.get(name) or default).strip()
    count, _, period = raw.partition("/")
    if not count.isdigit() or period not in {
        "s",
        "sec",
        "second",
        "m",
        "min",
        "minute",
        "h",
        "hour",
        "d",
        "day",
    }:
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/minute (got {raw!r}).")
    return raw


def env_str_choice(name: str, default: str, choices: tuple[str, ...] = ()) -> str:
    raw = (os.environ.get(name) or default).strip()
    if choices and raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)} (got {raw!r}).")
    return raw


def env_database(name: str, default: str, *, conn_max_age: int) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=conn_max_age)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL ({exc}). Use e.g. "
            "postgres://user@127.0.0.1:5432/policycms or sqlite:///path/to/db.sqlite3."
        ) from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} names an unknown database scheme: {raw!r}.")
    return config


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: export SECRET_KEY to a long random string."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "django_prose_editor",
    # Spreadsheet import and export on the admin's lists (core.spreadsheets).
    "import_export",
    # Admin sign-in: lockout after failed passwords, and two-factor devices (see below).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    # Background tasks in a database queue (webhook deliveries): manage.py db_worker runs them.
    "django_tasks",
    "django_tasks_db",
    "core",
    # Site pages in a tree (About, Team, the home page), built from blocks: a platform type.
    "core.sitepages",
    "events",
    "initiatives",
    "publications",
    # The top of the chain: home, site search, the demo and benchmark commands.
    "config",
]

MIDDLEWARE = [
    # --- Production (issue 9): request id first, so every response and log line has one;
    # then the security headers and WhiteNoise, so static files get the headers too; then
    # database outages as 503 (see core.faults). Keep these in this order, before the rest.
    "core.requestid.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.faults.OutageMiddleware",
    "core.security.MediaNonceMiddleware",
    # --- end of the production block
    # An API body over DATA_UPLOAD_MAX_MEMORY_SIZE is a JSON 413 before anything reads it.
    "core.api.bodies.ApiBodyLimitMiddleware",
    # Scheduled pending changes whose time has come are published before anything reads the
    # content, the page cache included (see core.pending).
    "core.pending.PendingChangesMiddleware",
    # Cache-Control, ETag and 304 for the public site (see core.caching).
    "core.caching.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once a second factor was given this session.
    "django_otp.middleware.OTPMiddleware",
    # Staff with a device verify it, and (ADMIN_REQUIRE_2FA) editors set one up, before the admin.
    "core.admin.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # 404s only: a redirect from an old address, or 410 Gone for a removed one (core.redirects).
    "core.redirects.RedirectFallbackMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
#: The model partner API keys belong to (the platform names no content app itself).
PARTNER_ORGANISATION_MODEL = "events.Organisation"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Rich text is shown with |rich_text (core.richtext.render_rich_text), never |safe.
            "builtins": ["core.templatetags.rich_text"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.requestid.request_id_context",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Persistent connections (seconds each is kept; CONN_HEALTH_CHECKS below tests one before
# reuse): without them every request opens a new connection to PostgreSQL.
DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Bounded waits: a Redis that is down or hung costs this, then local memory (issue 9).
REDIS_CONNECT_TIMEOUT = env_float("REDIS_CONNECT_TIMEOUT", 0.5)
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.5)
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5.0)
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {REDIS_URL!r})."
        )
    CACHES = {
        "default": {
            # Redis, falling back to local memory while it is unreachable (core.resilient_cache).
            "BACKEND": "core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "policycms"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
                "RETRY_SECONDS": REDIS_RETRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A sheet between its import preview and the confirmation: in Redis when there is one (so any
# app server may take the confirmation), else in this machine's temporary folder.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages." + (
    "CacheStorage" if REDIS_URL else "TempFolderStorage"
)

# ---------------------------------------------------------------------------
# Admin sign-in: lockout after failed passwords (django-axes) and two-factor (django-otp).
# Failed attempts are kept in the database, so every app server sees the same count.

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account or address before the password is even checked.
    "core.admin.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
#: Failed passwords before the account, or the address, is locked out.
AXES_FAILURE_LIMIT = env_int("ADMIN_LOCKOUT_FAILURES", 5)
#: Minutes a lockout lasts (0: until an administrator unlocks it).
ADMIN_LOCKOUT_MINUTES = env_int("ADMIN_LOCKOUT_MINUTES", 30)
if AXES_FAILURE_LIMIT < 1 or ADMIN_LOCKOUT_MINUTES < 0:
    raise ImproperlyConfigured(
        "ADMIN_LOCKOUT_FAILURES must be 1 or more and ADMIN_LOCKOUT_MINUTES 0 or more."
    )
AXES_COOLOFF_TIME = timedelta(minutes=ADMIN_LOCKOUT_MINUTES) if ADMIN_LOCKOUT_MINUTES else None
# Counted per account (any address) and per address (any account), each on its own.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Not a banner on every manage.py command.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "core.admin.lockout.lockout_response"
# Behind a reverse proxy the client address is taken from X-Forwarded-For, trusting this
# many hops (the same rule as the API's rate limits).
ADMIN_NUM_PROXIES = env_int("ADMIN_NUM_PROXIES", env_int("API_NUM_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "core.admin.lockout.client_address"
#: The admin sidebar's groups and which model is listed under which (core.admin.navigation).
ADMIN_NAVIGATION = "config.navigation"
#: Editors and administrators must set up a second factor before they reach the admin.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "Data for Policy")
#: Recovery codes issued at a time; each works once.
ADMIN_RECOVERY_CODES = 10
#: How long an editor's lock on an item lasts after they take it (core.locking).
ADMIN_LOCK_MINUTES = env_int("ADMIN_LOCK_MINUTES", 30)
if ADMIN_LOCK_MINUTES < 1:
    raise ImproperlyConfigured("ADMIN_LOCK_MINUTES must be 1 or more.")

# E-mail: review notifications (core.notifications). The console in the demo; SMTP otherwise,
# configured with Django's EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# ---------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # axe-core for the admin's accessibility checker, from the installed package (no copy kept).
    "core.packaged_static.PackageFileFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# The rich-text editor's link dialog with a search for our own items, and its images chosen
# from the media library (core.richtext): modules of the site's static files, the first
# replacing the editor's Link extension.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [static_lazy("admin-extra/item-link.js")], "extensions": {"Link": process_link}},
    {
        "js": [static_lazy("admin-extra/library-image.js")],
        "extensions": {
            "LibraryImage": html_tags(["figure", "figcaption", "img"], {"img": ["data-ref", "alt"]})
        },
    },
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: images are checked by content (see core.images); these are the limits.
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
PDF_MAX_BYTES = env_int("PDF_MAX_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------
# API edges (core.api.bodies, core.api.conditional, core.api.idempotency).
#: API request bodies nested deeper than this many lists and objects are refused (400).
API_MAX_JSON_DEPTH = env_int("API_MAX_JSON_DEPTH", 32)
#: How long the API remembers when a body was first served, for Last-Modified (seconds).
API_LAST_MODIFIED_SECONDS = env_int("API_LAST_MODIFIED_SECONDS", 24 * 60 * 60)
#: How long a partner's Idempotency-Key is remembered, with the response it got (hours).
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)
CSRF_FAILURE_VIEW = "core.api.errors.csrf_failure"
# ---------------------------------------------------------------------------

# How long browsers and proxies may keep a public page or export for anonymous visitors.
# Kept short because scheduled publishing (publish_at) purges nothing: this is how late a
# scheduled item may appear to someone holding a cached copy.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)
if PUBLIC_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(
        f"PUBLIC_CACHE_SECONDS must be 0 or more (got {PUBLIC_CACHE_SECONDS})."
    )

# The server-side cache of anonymous pages (core.pagecache): how long a rendered page may be
# served at most (0: off); edits, publishing and schedules invalidate it before that.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
if PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(f"PAGE_CACHE_SECONDS must be 0 or more (got {PAGE_CACHE_SECONDS}).")
#: How long a request waits for another's render of the same page before rendering it too.
PAGE_CACHE_WAIT_SECONDS = env_float("PAGE_CACHE_WAIT_SECONDS", 2.0)
#: The deployed release (a commit or tag): part of cached pages' keys and ETags. Empty: a
#: digest of the code and templates, computed once per process.
RELEASE = os.environ.get("RELEASE", "").strip()

SITE_NAME = os.environ.get("SITE_NAME", "Data for Policy")
# The main menu and footer while editors have made none (core.menus): (label, URL name).
DEFAULT_MENUS = {
    "main": [
        ("Events", "event-list"),
        ("Speakers", "person-list"),
        ("Organisations", "organisation-list"),
        ("Initiatives", "initiative-list"),
        ("Journal", "article-list"),
        ("News", "news-list"),
    ],
    "footer": [
        ("Search the site", "search"),
        ("Countries", "country-list"),
        ("Journal", "article-list"),
        ("News", "news-list"),
    ],
}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: URLs per page of a sitemap section (the protocol allows at most 50,000).
SITEMAP_LIMIT = 50_000
# The contact harvesters see in OAI-PMH Identify (publications.oai); empty: webmaster@ the host.
OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "")

# Countries: ISO 3166-1 alpha-2, plus the European Union as a jurisdiction.
COUNTRIES_OVERRIDE = {"EU": "European Union"}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.ApiSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # The partner API (see core.api): keys, limits, pages and one error format.
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.keys.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.DepthLimitedJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonymousThrottle",
        "core.api.throttles.PartnerThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_RATE_ANONYMOUS", "60/minute"),
        "partner": env_rate("API_RATE_PARTNER", "600/minute"),
    },
    # Rate limits count per client address: behind a reverse proxy, say how many hops to trust.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": (
        "Published events, sessions, people, organisations, topics, initiatives, the journal "
        "and news, read-only for everyone; side-session submissions for partners. "
        "Send a partner key as `Authorization: Bearer <key>` or `X-API-Key: <key>`. "
        'Errors have one shape: `{"error": {"status", "code", "message", "fields"}}`. '
        "Send an `Idempotency-Key` header with a submission to make retrying it safe. "
        "Bodies over 5 MiB get 413; JSON nested more than 32 levels deep gets 400. "
        "Partners register webhook endpoints at `/api/v1/webhooks/` and receive signed "
        "deliveries of published, changed and withdrawn items (see `webhooks`)."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    # 3.1 for its `webhooks` section: what partners' endpoints receive (core.api.webhooks).
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": [
        "core.api.webhooks.item_published",
        "core.api.webhooks.item_changed",
        "core.api.webhooks.item_withdrawn",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "events.models.Event.Kind",
        "SessionKindEnum": "events.models.Session.Kind",
        "OrganisationKindEnum": "events.models.Organisation.Kind",
        "InitiativeKindEnum": "initiatives.models.Initiative.Kind",
        "RecordingKindEnum": "events.models.Recording.Kind",
        "InitiativeStatusEnum": "initiatives.models.Initiative.InitiativeStatus",
        "EventStatusEnum": "events.models.Event.EventStatus",
        "PublishingStatusEnum": "core.publishing.Status",
        "LicenceEnum": "publications.models.Licence",
        "WebhookEventEnum": "core.models.WebhookEvent",
    },
}

# ---------------------------------------------------------------------------
# Webhooks for partners (core.webhooks): deliveries wait in a database queue (django-tasks
# with its database backend) until `manage.py db_worker` sends them.
TASKS = {
    "default": {
        "BACKEND": env_str_choice("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
#: Endpoints may be plain http:// on 127.0.0.1/localhost (the demo, tests); never in production.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", DEBUG)
#: Seconds to wait for a receiver to answer.
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10.0)
#: Attempts per delivery; retries wait about BASE * 2^(n-1) seconds (with jitter), up to MAX.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_float("WEBHOOK_RETRY_BASE_SECONDS", 30.0)
WEBHOOK_RETRY_MAX_SECONDS = env_float("WEBHOOK_RETRY_MAX_SECONDS", 6 * 60 * 60.0)
#: Failed attempts in a row after which an endpoint is disabled (and its contact told).
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 15)
#: How often the worker looks for items whose publish or unpublish time has passed (seconds).
WEBHOOK_SCHEDULE_CHECK_SECONDS = env_int("WEBHOOK_SCHEDULE_CHECK_SECONDS", 60)
#: Hours a rotated secret keeps signing deliveries beside the new one.
WEBHOOK_SECRET_OVERLAP_HOURS = env_int("WEBHOOK_SECRET_OVERLAP_HOURS", 24)
if WEBHOOK_MAX_ATTEMPTS < 1 or WEBHOOK_DISABLE_AFTER_FAILURES < 1:
    raise ImproperlyConfigured(
        "WEBHOOK_MAX_ATTEMPTS and WEBHOOK_DISABLE_AFTER_FAILURES must be 1 or more."
    )

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After", "Link")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

# ---------------------------------------------------------------------------
# Production (issue 9): serving, security headers, health, logs and faults.
# core.serving, core.security, core.health, core.requestid and core.faults read these.

# Database: bounded waits, so a database that is down or hung gives a 503 within seconds
# (core.faults) instead of holding a worker; a persistent connection is tested before reuse.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 15_000)  # milliseconds
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if DATABASE_STATEMENT_TIMEOUT:
        _options["options"] = (
            _options.get("options", "") + f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}"
        ).strip()
OUTAGE_RETRY_AFTER_SECONDS = env_int("OUTAGE_RETRY_AFTER_SECONDS", 30)

# Static files: WhiteNoise serves them from STATIC_ROOT (run collectstatic first), compressed,
# with content-hashed names cached for a year. The unhashed copies stay too: the 500 and 503
# pages link /static/css/site.css directly, since they must render without the manifest.
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
# Development and tests look files up per request (no collectstatic needed); production scans
# STATIC_ROOT once at start-up.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = env_int("STATIC_MAX_AGE", 0 if DEBUG else 3600)  # names without a hash

# Media: local disk (MEDIA_ROOT) unless a bucket is named; then S3-compatible object storage,
# so the app servers keep nothing on their disks and several can run behind a load balancer.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)
MEDIA_MAX_AGE = env_int("MEDIA_MAX_AGE", 86_400)
if AWS_STORAGE_BUCKET_NAME:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Unsigned URLs by default: a page then renders the same bytes twice, so its ETag
            # holds and proxies can keep it. Needs a bucket (or CDN) that lets the public read.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
            # Two uploads called photo.jpg must not overwrite each other.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": f"public, max-age={MEDIA_MAX_AGE}"},
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": env_str_choice(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# HTTPS and headers. Behind a proxy that ends TLS, TRUST_X_FORWARDED_PROTO=true lets Django see
# the original scheme (only if the proxy always sets or strips that header).
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", not DEBUG)
if TRUST_X_FORWARDED_PROTO:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
}

# Content-Security-Policy (django-csp): scripts only from the site itself, or inline with this
# response's nonce; no plugins, no framing, forms post only here. Styles allow inline because
# Swagger UI and the rich-text editor set style attributes from their scripts.
_media_origin = []
if AWS_STORAGE_BUCKET_NAME:
    _custom = os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    _endpoint = os.environ.get("AWS_S3_ENDPOINT_URL")
    if _custom:
        _media_origin = [f"https://{_custom}"]
    elif _endpoint:
        _media_origin = [_endpoint.rstrip("/")]
    else:
        _media_origin = ["https://*.amazonaws.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_media_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs: one JSON object per line on stderr (python-json-logger), each with the request id.
LOG_FORMAT = env_str_choice("LOG_FORMAT", "text" if DEBUG else "json", ("json", "text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own request logger repeats what core.requests and core.faults already say.
    "loggers": {"django.request": {"level": "ERROR"}},
}
# --- end of the production block
