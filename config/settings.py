"""Trellis settings: one module, driven by the environment.

Every value has a safe local default so that ``make run`` works on a fresh machine with SQLite and
no Redis; production sets ``DJANGO_DEBUG=false``, ``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``,
``EMAIL_URL`` and ``ALLOWED_HOSTS``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env(
    "SECRET_KEY",
    default="local-only-insecure-key-3b8f0a6c1d2e4f5a9b7c8d6e5f4a3b2c1d0e9f8a7b6c5d4e",
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "organizations",
    "skills",
    "careers",
    "conversations",
    "hr_admin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files need no policy), before anything that renders a page.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organizations.middleware.TenantMiddleware",
    "organizations.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]
# Benchmarks over HTTP (bench/bench_http.py) read each response's server time and SQL queries
# from a Server-Timing header; off unless TRELLIS_SERVER_TIMING=1.
if env.bool("TRELLIS_SERVER_TIMING", default=False):
    MIDDLEWARE.insert(0, "organizations.server_timing.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "organizations.context_processors.tenancy",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL is the connection. In production the web and worker processes connect as the
# application role (not the tables' owner, no BYPASSRLS) and migrations run with the owner's URL.
# DATABASE_APP_ROLE makes an owner connection switch to the application role for every request and
# task (``SET LOCAL ROLE``); the test suite uses it so that Row-Level Security is really exercised.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The local worker and web server share one file: wait for a lock rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("timeout", 20)
DATABASE_APP_ROLE = env("DATABASE_APP_ROLE", default="")
# The role that migrations grant data privileges to, when it differs from the one above.
DATABASE_APP_ROLE_GRANT = env("DATABASE_APP_ROLE_GRANT", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # Parallel test processes (make test) share one Redis: each takes the database after the
    # configured one by its number (gw0 the next, gw1 the one after), as each has its own
    # PostgreSQL test database, so that one's cache flushes and queues never meet another's.
    _redis = urlsplit(REDIS_URL)
    _db = int(_redis.path.strip("/") or 0) + 1 + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_db}"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="trellis"),
        }
    }
else:
    # A file cache is shared by every local process, so sign-in rate limits hold across them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / ".local" / "cache"),
        }
    }

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _queue_dir = BASE_DIR / ".local" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(BASE_DIR / ".local" / "queue-processed"),
        "control_folder": str(BASE_DIR / ".local" / "queue-control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Periodic work. What is due is always read from the database, so a missed or doubled beat only
# delays or repeats a scan, never an email (see conversations/tasks.py).
CELERY_BEAT_SCHEDULE: dict = {
    "conversations-reminders": {
        "task": "conversations.tasks.reminders_scan",
        "schedule": env.float("REMINDER_SCAN_INTERVAL_SECONDS", default=300.0),
    },
    "conversations-digests": {
        "task": "conversations.tasks.digests_scan",
        "schedule": 3600.0,
    },
    # Opens and closes health-check surveys on their dates; invites and reminds.
    "health-surveys": {
        "task": "hr_admin.tasks_health.health_surveys_scan",
        "schedule": 600.0,
    },
    # Interim scores of open surveys (final scores are computed when a survey closes).
    "health-scoring": {
        "task": "hr_admin.tasks_scoring.health_scoring_scan",
        "schedule": 900.0,
    },
    # Conversation events (scheduled, moved, cancelled, held) whose telling was lost.
    "conversation-events": {
        "task": "conversations.tasks.conversation_events_scan",
        "schedule": 300.0,
    },
    # Emerging skills: notices (and their emails) still due, whose task was lost.
    "emerging-skill-notices": {
        "task": "skills.tasks.emerging_skills_scan",
        "schedule": 900.0,
    },
    # Invitations whose email was lost with its queued task: a new link, sent again.
    "invitations-unsent": {
        "task": "organizations.tasks.invitations_unsent_scan",
        "schedule": 300.0,
    },
    # People imports whose task was lost (queued or applying, nobody on them): queued again.
    "people-import-recovery": {
        "task": "hr_admin.tasks.people_import_recover_scan",
        "schedule": 300.0,
    },
    # Leadership metric snapshots: each organisation's, once a night after 02:00 its time.
    "metrics-snapshots": {
        "task": "hr_admin.tasks_metrics.metrics_snapshot_scan",
        "schedule": 3600.0,
    },
}
# A reminder claimed this long ago and still not sent belongs to a worker that died mid-send: the
# next scan sends it again. Must exceed the send task's time limit (90 s).
REMINDER_CLAIM_TIMEOUT_SECONDS = env.int("REMINDER_CLAIM_TIMEOUT_SECONDS", default=600)
CELERY_TIMEZONE = "UTC"

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "organizations.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "organizations.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Trellis] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Trellis"

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".local" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email --------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Trellis <no-reply@trellis.localhost>")

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organizations.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "organizations.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "organizations.api_errors.exception_handler",
    # "api": per personal token, or per account for the browser (organizations/throttling.py).
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="600/min"), "anon": "60/min"},
    "DEFAULT_THROTTLE_CLASSES": [
        "organizations.throttling.PersonalTokenRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Trellis API",
    "DESCRIPTION": "Career development platform. Every resource lives under "
    "/api/v1/o/{org_slug}/ and answers 404 outside the caller's organisations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No online validator badge: it would send the schema's address to swagger.io, and the
    # Content Security Policy does not allow its image anyway.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Several resources have a "kind" or a "status" with choices of their own: name each enum
    # after its choices rather than after the field.
    "ENUM_NAME_OVERRIDES": {
        "MoveKindEnum": "hr_admin.models.MoveKind",
        "MetricKeyEnum": "hr_admin.metric_definitions.metric_choices",
        "GoalComparisonEnum": "hr_admin.models.GoalComparison",
        "GoalStatusEnum": "hr_admin.serializers_metrics.STATUS_CHOICES",
        "MetricUnitEnum": "hr_admin.serializers_metrics.UNIT_CHOICES",
        "MetricSourceEnum": "hr_admin.serializers_metrics.SOURCE_CHOICES",
        "MoveSourceEnum": "hr_admin.models.MoveSource",
        "OpportunityKindEnum": "hr_admin.models.OpportunityKind",
        "OpportunityStatusEnum": "hr_admin.models.OpportunityStatus",
        "InterestStatusEnum": "hr_admin.models.InterestStatus",
        "ManagerApprovalEnum": "hr_admin.models.ManagerApproval",
        "CriticalityEnum": "hr_admin.models.Criticality",
        "ReadinessEnum": "hr_admin.models.Readiness",
        "ImportStatusEnum": "hr_admin.models.ImportStatus",
        "StoryStatusEnum": "hr_admin.models.StoryStatus",
        "NominationStatusEnum": "hr_admin.models.NominationStatus",
        "ChampionCriterionEnum": "hr_admin.models.ChampionCriterion",
        "RecommendationKindEnum": "conversations.models.RecommendationKind",
        "RecommendationStatusEnum": "conversations.models.RecommendationStatus",
        "RecommendationDecisionEnum": "conversations.serializers.feedback.decision_choices",
    },
}

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The number of proxies in front of Trellis that append to X-Forwarded-For (1 behind the TLS
# proxy of docker-compose.yml). Per-address limits (sign-in, anonymous API calls) count the
# visitor's address instead of the proxy's; 0 trusts no forwarded address at all.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

# Content Security Policy (django-csp). Scripts run only from Trellis's own static files: no
# inline script, no event-handler attribute, no eval (tests/test_hardening.py scans every
# template). The API docs page is the one inline script, Swagger UI's start-up: it carries the
# request's nonce (templates/drf_spectacular/swagger_ui.html), and a nonce is added to the header
# only on the responses that use one.
# Stylesheets and <style> elements are 'self' only. Style *attributes* are allowed
# (style-src-attr): bars, meters and rings take their size from the data (style="width: 40%",
# style="--value: 3"). An attribute can neither run script nor use selectors to read the page,
# anything it could load is held to img-src and font-src, and templates autoescape every value
# they put in one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's own "django" logger setup, which would print every line twice.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

# --- Trellis ------------------------------------------------------------------------------------
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
