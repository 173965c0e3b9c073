"""Shared by the data migrations that grant the Editors group its permissions.

Django's migration loader skips modules whose names start with an underscore, so this is a
helper, not a migration.
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions


def permissions_create(apps) -> None:
    """Create every model's permissions now: Django normally does it after all migrations,
    too late for a data migration on a fresh database to grant them."""
    for app_config in apps.get_app_configs():
        # create_permissions skips app configs without a models module, which is every
        # historical one; lend it a true value for the call and put the original back.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
