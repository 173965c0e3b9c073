#!/usr/bin/env python
"""Django's command-line utility for the Aid Pledge Tracker."""

from __future__ import annotations

import importlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    # The database timeouts bound web requests (tracker/settings.py). Commands rightly run
    # long: loaddata, rollup rebuilds, the benchmark's generate_corpus (bench/) at a million
    # pledges, a migration on a large table. They run without them unless the variables are set.
    os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    os.environ.setdefault("DJANGO_DB_LOCK_TIMEOUT", "0")
    # These write the project's own source files on a developer's machine; they serve nothing
    # and sign nothing, so they run in development unless DJANGO_DEBUG says otherwise.
    if sys.argv[1:2] in (["makemigrations"], ["makemessages"]):
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # The settings first: a variable the environment lacks (DJANGO_DEBUG unset means
    # production) is named in one line instead of at the end of a traceback.
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as error:
        sys.exit(f"{sys.argv[0]}: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
