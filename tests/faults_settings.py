"""The production settings as tests/test_faults.py serves them with gunicorn and
tests/test_deploy.py probes them.

One difference: static files are linked by their plain names, so the server starts without a
`collectstatic` run (production links the hashed copies from the manifest it writes).
"""

from __future__ import annotations

from tracker.settings import *  # noqa: F403
from tracker.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
