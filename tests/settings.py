"""Test settings: the real settings, with a throw-away data directory, jobs run inline, a fast hasher.

Everything else (database engine from DATABASE_URL, middleware, CSP, Argon2 in the hasher list) is the
production configuration, so the suite runs on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

import os
import tempfile
from pathlib import Path

_default_dir = Path(tempfile.gettempdir()) / f"etabli-tests-{os.getuid()}"
os.environ.setdefault("ETABLI_DATA_DIR", str(_default_dir))
os.environ.setdefault("ETABLI_TESTING", "1")
os.environ.setdefault("ETABLI_JOBS_IMMEDIATE", "1")

from etabli.settings import *  # noqa: E402,F401,F403
from etabli.settings import HUEY  # noqa: E402

HUEY = {**HUEY, "immediate": os.environ.get("ETABLI_JOBS_IMMEDIATE") == "1"}
EMAIL_BACKEND = os.environ.get("ETABLI_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
AXES_FAILURE_LIMIT = 5
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns about a missing directory
