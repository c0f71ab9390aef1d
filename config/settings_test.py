"""Test settings: the real settings with a handful of overrides."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
# A fixed test key (subprocesses started by tests inherit it).
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA=")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from .settings import *  # noqa: E402, F403
from .settings import CACHES, DATABASES  # noqa: E402

# Two checkouts testing against one server can keep their test databases apart.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

# Static files come from the finders; there is no collectstatic in tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Most tests run tasks in-process; collector and reliability tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Parallel test workers share one Redis: keep their cache keys apart.
CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Tests run tasks eagerly: rendering every proposed version's PDF in both languages would
# cost each test that proposes terms. tests/reliability/test_pdf_rendered_once.py turns
# it on; elsewhere the first download renders.
TERMS_PDF_AT_PROPOSAL = False
# Copied thumbnails and pictures go to a throwaway folder, not the checkout's media/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="partnerships-test-media-"))
# The demo seeds its data sources (pointed at a fake server no test starts at this port).
DEMO_FAKE_PROVIDERS_URL = os.environ.get("DEMO_FAKE_PROVIDERS_URL", "http://127.0.0.1:8765")
