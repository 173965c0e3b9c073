"""The settings the tests run with: the project's, in development (DJANGO_DEBUG=1).

The project's settings default to production when DJANGO_DEBUG is unset. The variable is set
in the environment, not only here, so the commands the tests start (manage.py in
tests/test_backup.py) inherit it; tests of the production settings start theirs with the
DJANGO_* variables of their own (tests/test_deploy.py, tests/test_faults.py).
"""

from __future__ import annotations

import os

os.environ["DJANGO_DEBUG"] = "1"

from tracker.settings import *  # noqa: F403

# Django's fastest hasher (its documented advice for test suites): the project's default,
# PBKDF2, takes a quarter of a second for each user a test creates. Production keeps the default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A cache in this process's memory, emptied before every test (conftest.py): the database
# cache's own queries would count in every test that counts queries. tests/test_tracker_cache.py
# makes the project's default, the database cache, its default; its table is created with the
# test database.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tracker_cache",
    },
}
