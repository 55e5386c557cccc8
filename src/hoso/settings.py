"""Settings, all from environment variables with safe defaults.

With nothing set, hoso runs on SQLite (WAL) under ./var/ — the embedded default.
HOSO_DATABASE_URL   database URL (postgres://… for production); default sqlite under data dir
HOSO_DATA_DIR       where the SQLite file, keys and uploads live (default ./var)
HOSO_SECRET_KEY     Django secret; default: generated once into the data dir
HOSO_DEBUG          1 to show debug pages (never in production)
HOSO_ALLOWED_HOSTS  comma-separated host names (default localhost,127.0.0.1)
HOSO_PROVINCE       the province whose policy file is in force
HOSO_LOCKOUT_ATTEMPTS, HOSO_LOCKOUT_MINUTES  login lockout policy
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"HOSO_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _persistent_secret(filename: str, factory) -> str:
    """A secret kept in the data dir, created on first use (never in the repository)."""
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(factory())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _persistent_secret(
    "secret_key", lambda: secrets.token_urlsafe(50)
)
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "hoso.core",
    "hoso.audit",
    "hoso.org",
    "hoso.accounts",
    "hoso.catalogs",
    "hoso.records",
    "hoso.documents",
    "hoso.workflow",
    "hoso.signing",
    "hoso.reports",
    "hoso.notifications",
    "hoso.oversight",
    "hoso.search",
    "hoso.stats",
    "hoso.annual",
    "hoso.hr",
    "hoso.api",
    "hoso.demo",
    "hoso.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hoso.core.middleware.RequestContextMiddleware",
    "hoso.accounts.middleware.AccountStateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hoso.urls"
WSGI_APPLICATION = "hoso.wsgi.application"

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
                "hoso.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'hoso.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # IMMEDIATE transactions serialise writers up front, so the audit chain's head is
    # never read by two writers at once; WAL (set on connect) lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hoso.accounts.passwords.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = ["hoso.accounts.backends.LockoutModelBackend"]
LOCKOUT_ATTEMPTS = int(env("LOCKOUT_ATTEMPTS", "5"))
LOCKOUT_MINUTES = int(env("LOCKOUT_MINUTES", "15"))

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
# Each app keeps its catalog in <app>/locale/vi/LC_MESSAGES/django.po.
LOCALE_PATHS: list = []
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even empty
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

OTP_TOTP_ISSUER = env("OTP_ISSUER", "hoso")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hoso.api.auth.TokenAuthentication",
        "hoso.api.auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hoso.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hoso API",
    "DESCRIPTION": "API của cơ sở dữ liệu hồ sơ cán bộ, công chức, viên chức",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from local static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Encryption at rest (DESIGN principle 8): Fernet keys, newest first; the keyed hash
# key for exact-match look-ups. Defaults live in the data dir, never in the repository.
ENCRYPTION_KEYS = [
    k.strip()
    for k in (
        env("ENCRYPTION_KEYS")
        or _persistent_secret(
            "fernet.key",
            lambda: __import__("cryptography.fernet").fernet.Fernet.generate_key().decode(),
        )
    ).split(",")
    if k.strip()
]
HASH_KEY = env("HASH_KEY") or _persistent_secret("hash.key", lambda: secrets.token_hex(32))

PROVINCE = env("PROVINCE", "vinh-phuc")
# One TOML file per province (DESIGN principle 4): <POLICY_DIR>/<PROVINCE>.toml.
POLICY_DIR = Path(env("POLICY_DIR", str(BASE_DIR.parent.parent / "policies")))
# Yearly working-day adjustments beyond the shipped ones (core/data/workdays.toml): a
# TOML file of the same shape that an administrator keeps (HOSO_WORKDAY_OVERRIDES).
WORKDAY_OVERRIDES = env("WORKDAY_OVERRIDES", "")

# Background tasks (reminders, long imports) on the default database: `hoso db_worker`
# runs them; HOSO_TASKS_IMMEDIATE=1 runs each at once in the caller (tests, scripts).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE") else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Mail (reminders): Django's SMTP backend when HOSO_EMAIL_HOST is set, else the
# console (the demo) — tests use Django's in-memory outbox.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "hoso@localhost")
# Links in e-mails point here (the address people open the site at).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# Reminders (hoso.notifications): this many working days before a due date, then every
# this many working days while it is overdue, sent each morning at this local hour.
REMINDER_DAYS_BEFORE = int(env("REMINDER_DAYS_BEFORE", "2"))
REMINDER_OVERDUE_EVERY = int(env("REMINDER_OVERDUE_EVERY", "3"))
REMINDER_HOUR = int(env("REMINDER_HOUR", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# --- catalogs ---

# --- records ---
# The profile schema (records/schema): its Vietnamese catalog, the system check that
# validates the form definitions at start-up, and the directory of the province's
# extensions to the form (YAML files of the same shape; HOSO_SCHEMA_EXTENSIONS).
INSTALLED_APPS.append("hoso.records.schema")
LOCALE_PATHS.append(BASE_DIR / "records" / "schema" / "locale")
SCHEMA_EXTENSIONS = env("SCHEMA_EXTENSIONS")

# --- documents ---
# Scanned evidence (Vĩnh Phúc Đ7.3, Lai Châu 2.2): the largest upload accepted, and
# where the files live: local files under the data dir, or S3-compatible object
# storage when HOSO_EVIDENCE_S3_BUCKET is set (with _ENDPOINT_URL, _ACCESS_KEY,
# _SECRET_KEY, _REGION for a non-AWS store such as MinIO).
EVIDENCE_MAX_MB = int(env("EVIDENCE_MAX_MB", "20"))
from hoso.documents.storage import evidence_storage  # noqa: E402

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    **globals().get("STORAGES", {}),
    "evidence": evidence_storage(
        data_dir=DATA_DIR,
        bucket=env("EVIDENCE_S3_BUCKET"),
        endpoint_url=env("EVIDENCE_S3_ENDPOINT_URL"),
        access_key=env("EVIDENCE_S3_ACCESS_KEY"),
        secret_key=env("EVIDENCE_S3_SECRET_KEY"),
        region=env("EVIDENCE_S3_REGION"),
    ),
}

# --- workflow ---
# One name per choice set in the OpenAPI document: a change request's status, and the
# file sections (a consent grant's and an evidence document's).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    **SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}),
    "ChangeRequestStatusEnum": "hoso.workflow.models.Status",
    "SectionsEnum": "hoso.records.sections.SECTIONS.items",
    "ProvinceBatchStatusEnum": "hoso.oversight.models.BatchStatus",
}

# --- signing ---
# Digital signatures (hoso.signing; docs/operators.md "Signatures"). Trust anchors are a
# directory of root (and intermediate) certificates, never built in; `hoso pki demo`
# puts the demo root there. Revocation: require | soft | off.
SIGNING_PKI_DIR = Path(env("PKI_DIR", str(DATA_DIR / "pki")))
SIGNING_TRUST_ANCHORS = Path(env("TRUST_ANCHORS", str(DATA_DIR / "trust")))
SIGNING_CRL_DIR = env("CRL_DIR", "")  # default: <trust anchors>/crl
SIGNING_REVOCATION = env("REVOCATION", "soft").strip().lower()
SIGNING_TSA_URL = env("TSA_URL", "")
SIGNING_SIGNERS_FILE = Path(env("SIGNERS_FILE", str(SIGNING_PKI_DIR / "signers.toml")))
SIGNING_FONT = env(
    "SIGNATURE_FONT", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
)
SIGNING_FONT_BOLD = env(
    "SIGNATURE_FONT_BOLD", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
)
SIGNING_UPLOAD_MAX_BYTES = int(env("SIGNING_UPLOAD_MAX_MB", "20")) * 1024 * 1024

# --- reports ---
# The printed CV (hoso.reports.cv) embeds Liberation Serif, a Times-compatible face with
# the whole Vietnamese alphabet (Debian: fonts-liberation2): the directory holding
# LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf.
REPORTS_FONT_DIR = Path(env("FONT_DIR", "/usr/share/fonts/truetype/liberation2"))
