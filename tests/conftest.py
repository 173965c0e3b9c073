from __future__ import annotations

import pytest
from django.core.management import call_command

SEED_FIXTURES = ("reference", "articles", "demo_pledges")


@pytest.fixture
def seeded(db):
    """The database `make run` serves: reference data, the five seed articles, demo pledges."""
    call_command("loaddata", *SEED_FIXTURES, verbosity=0)


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="a-long-editor-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
