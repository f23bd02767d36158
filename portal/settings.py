"""Settings for the 政府信息公开 portal. Every value comes from the environment (see README)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portal import storage
from portal.env import env_bool, env_int, env_list, env_networks, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
# Former keys after a rotation: sessions, signed values and 查询码 made under them stay valid.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS: {_origin!r} must start with http:// or https://"
        )

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "mptt",
    "portal.apps.PortalAxesConfig",
    "portal.apps.PortalConfig",
    "disclosure.apps.DisclosureConfig",
    "applications.apps.ApplicationsConfig",
    "disclosure.reports.apps.ReportsConfig",
    "api.apps.ApiConfig",
    "disclosure.guides.apps.GuidesConfig",
    "compliance.apps.ComplianceConfig",
    "interaction.apps.InteractionConfig",
]

MIDDLEWARE = [
    # The client's address (X-Forwarded-For from TRUSTED_PROXIES only), for limits and logs.
    "portal.clientip.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages straight from the shared cache, before sessions, CSRF and the view.
    # The API's per-client rate limit and CORS, before the cache so cached answers count too.
    "api.middleware.ApiMiddleware",
    "portal.pagecache.PageCacheMiddleware",
    # Pages rendered for visitors without a session read from the replica, if there is one.
    "portal.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and 304 answers for pages that carry Last-Modified (entries, reports).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.ImportMapCSPMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    # Last, so a locked-out login is answered before the admin view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    }
]

# Database: SQLite file in the project folder unless DATABASE_URL says otherwise.
_database_url = env_url("DATABASE_URL", ("sqlite", "postgres", "postgresql", "pgsql"))
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
# A PostgreSQL streaming replica for anonymous reads (portal/replica.py).
_replica_url = env_url("DATABASE_REPLICA_URL", ("postgres", "postgresql", "pgsql"))
if _replica_url:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL too")
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    # A stopped replica is noticed in two seconds; requests then read from the primary.
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    # Tests read the primary through this alias (the real replica has its own test).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.replica.ReplicaRouter"]
# Seconds a visitor who sent a form, and everyone after a publication, read from the primary.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10, minimum=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, sessions and rate limits share Redis when REDIS_URL is set.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
# Without Redis each process keeps its own cache: another worker would serve a withdrawn entry
# for minutes and count rate limits apart. Production needs Redis or an explicit single process.
CACHE_SINGLE_PROCESS = env_bool("CACHE_SINGLE_PROCESS", False)
if not DEBUG and not REDIS_URL and not CACHE_SINGLE_PROCESS:
    raise ImproperlyConfigured(
        "REDIS_URL must be set when DEBUG is off (several workers share one cache); "
        "set CACHE_SINGLE_PROCESS=1 to run a single process with a local cache"
    )
# A hung Redis must cost a page little: one short timeout, then the breaker skips it.
_cache_timeout = env_int("CACHE_TIMEOUT_MS", 50, minimum=1) / 1000
_cache_breaker = env_int("CACHE_BREAKER_SECONDS", 5, minimum=1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            "TIMEOUT": 300,
            "BREAKER_SECONDS": _cache_breaker,
            "OPTIONS": {
                "socket_connect_timeout": _cache_timeout,
                "socket_timeout": _cache_timeout,
            },
        }
    }
    # cached_db: a Redis outage costs speed, not logged-in sessions.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How often a process looks in the database for a cache flush another process owes (seconds).
CACHE_FLUSH_CHECK_SECONDS = 10

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Permissions come from the role of each unit membership, never from groups.
    "portal.permissions.UnitRoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff login lockout (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
# A lockout holds for this username from this address only: one address guessing a clerk's
# password cannot lock the clerk out everywhere (the address is the client's, see TRUSTED_PROXIES).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/lockout.html"
AXES_VERBOSE = False

# Staff sessions end after 30 minutes without activity.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our own translations: the rich-text editor's labels (djangojs).
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Applicants' files never live under MEDIA_ROOT: they are served only through checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
# Uploaded files in folders (shared by NFS between instances) or in one S3-compatible bucket.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    FILE_STORAGES = storage.filesystem_storages()
elif MEDIA_STORAGE == "s3":
    if not env_str("S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET")
    FILE_STORAGES = storage.s3_storages(
        bucket=env_str("S3_BUCKET"),
        endpoint_url=env_str("S3_ENDPOINT_URL"),
        region=env_str("S3_REGION"),
        access_key=env_str("S3_ACCESS_KEY_ID"),
        secret_key=env_str("S3_SECRET_ACCESS_KEY"),
    )
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'")
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "portal.storage.StaticFiles"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
WHITENOISE_USE_FINDERS = DEBUG

ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 50, minimum=1) * 1024 * 1024
# The site's own address, for links in e-mails (the tracking page): the first allowed host over
# HTTPS in production unless set.
SITE_URL = (
    env_url("SITE_URL", ("http", "https"))
    or ("http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}")
).rstrip("/")
# Official documents embed this font (portal/pdffont.py); Debian's fonts-noto-cjk by default.
PDF_FONT_FILE = env_str("PDF_FONT_FILE", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
# A reply's attachments go with the e-mail up to this total; larger ones by a link (查询码 needed).
EMAIL_ATTACHMENT_MAX_MB = env_int("EMAIL_ATTACHMENT_MAX_MB", 10, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Path of the staff admin; changing it hides the login page from casual scanners.
ADMIN_PATH = (env_str("ADMIN_PATH", "admin") or "admin").strip("/") + "/"

# Email: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "政府信息公开平台 <noreply@localhost>")
# "queue": e-mails wait in the OutboundEmail table for `manage.py send_queued_mail` (production);
# "immediate": also sent right after commit (development and tests, where no timer runs).
EMAIL_DELIVERY = env_str("EMAIL_DELIVERY", "immediate" if DEBUG else "queue")
if EMAIL_DELIVERY not in ("queue", "immediate"):
    raise ImproperlyConfigured("EMAIL_DELIVERY must be 'queue' or 'immediate'")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. HTTPS settings default on in production and can be relaxed only explicitly.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets this header itself (see deploy/nginx.conf).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz(/live)?$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin sets a few style attributes; scripts stay strictly external.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines can carry query strings; keep them out of logs below WARNING.
        "django.request": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Addresses (or CIDR ranges) of the reverse proxies in front of gunicorn: only a request from one
# of them has its X-Forwarded-For believed (portal/clientip.py). Empty: the peer is the client.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# Rate limits for public forms (per IP, through the cache).
RATE_LIMIT_SUBMISSIONS = env_int("RATE_LIMIT_SUBMISSIONS", 10, minimum=1)  # per hour
RATE_LIMIT_LOOKUPS = env_int("RATE_LIMIT_LOOKUPS", 30, minimum=1)  # per 10 minutes
# Per request and day, whoever sends them (one tracking session once filed 25 in a second).
RATE_LIMIT_COMPLAINTS = env_int("RATE_LIMIT_COMPLAINTS", 3, minimum=1)
RATE_LIMIT_SUPPLEMENTS = env_int("RATE_LIMIT_SUPPLEMENTS", 5, minimum=1)
FORM_MIN_FILL_SECONDS = env_int("FORM_MIN_FILL_SECONDS", 3, minimum=0)

# Disclosure catalog (issue 3): the rich-text editor's static files (ProseMirror, served locally,
# no CDN) and the catalog's page size.
INSTALLED_APPS += ["django_prose_editor"]
CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 20, minimum=5)

# Public read-only API (api/): requests per client and minute, cached answers included.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600, minimum=1)
