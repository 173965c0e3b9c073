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
