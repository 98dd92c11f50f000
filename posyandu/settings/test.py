"""Test settings: speed overrides only. The database and broker are real:
DATABASE_URL and CELERY_BROKER_URL come from the environment (.ci/run and the
Makefile point them at the local PostgreSQL and Redis)."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="posyandu-media-"))  # noqa: F405
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="posyandu-static-"))  # noqa: F405
# Unit tests run tasks in-process; the integration tests start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
