"""Staff passwords: at least 12 characters, and not built from names, the site's words or years.

The rule (tracker/passwords.py) is one of AUTH_PASSWORD_VALIDATORS, so it holds wherever Django
checks a password: the admin's user forms, `create_editor`, `createsuperuser`, `changepassword`.
Accounts without staff status keep Django's rules alone.
"""

from __future__ import annotations

import getpass

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from tracker.passwords import StaffPasswordValidator, guessable_years

pytestmark = pytest.mark.django_db

GOOD = "amber lantern quietly folds"
WEAK = {
    "anna1234": "staff_password_too_short",
    "ukraine2024": "staff_password_too_short",
    "Ukraine2024!!": "staff_password_guessable",  # 13 characters: a site word and a year
    "anna12345678": "staff_password_guessable",  # the user name with digits
    "Anna.Schmidt-2025": "staff_password_guessable",  # the user's own names
    "Kyiv-Aid-Tracker-2025": "staff_password_guessable",
    "PledgeTracker!Kiel": "staff_password_guessable",
    "Slava-Ukraini-1991": "staff_password_guessable",
}


@pytest.fixture
def anna(django_user_model):
    return django_user_model.objects.create_user(
        "anna",
        password=GOOD,
        is_staff=True,
        first_name="Anna",
        last_name="Schmidt",
        email="a.schmidt@example.org",
    )


def codes(password: str, user) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [item.code for item in error.error_list]
    return []


@pytest.mark.parametrize("password", WEAK)
def test_weak_staff_passwords_are_refused(anna, password):
    assert WEAK[password] in codes(password, anna)


def test_a_passphrase_passes(anna):
    assert codes(GOOD, anna) == []
    assert codes("x7$Qp9!mZ2@k", anna) == []  # a password manager's
    assert codes("ukraine tracker plus amber lantern", anna) == []  # site words and enough more


def test_the_years_run_to_next_year():
    from datetime import date

    years = guessable_years(date(2031, 5, 1))
    assert years[0] == "1991" and "2014" in years and years[-1] == "2032"


def test_superusers_and_new_accounts_are_held_to_it(django_user_model):
    root = django_user_model(username="root", is_superuser=True, is_staff=False)
    root.save()
    assert "staff_password_guessable" in codes("Ukraine2024!!", root)
    newcomer = django_user_model(username="newcomer")  # not saved: being created
    assert "staff_password_guessable" in codes("Ukraine2024!!", newcomer)


def test_accounts_without_staff_status_keep_djangos_rules(django_user_model):
    reader = django_user_model.objects.create_user("reader")
    assert codes("Ukraine2024!!", reader) == []
    assert codes("ukraine2024", reader) == []
    assert codes("1234", reader) != []  # Django's own rules still apply


def test_the_help_text_says_it():
    assert "at least 12 characters" in StaffPasswordValidator(min_length=12).get_help_text()


class TestInTheAdmin:
    def test_adding_a_user(self, admin_client, django_user_model):
        response = admin_client.post(
            "/admin/auth/user/add/",
            {
                "username": "ben",
                "usable_password": "true",
                "password1": "Ukraine2024!!",
                "password2": "Ukraine2024!!",
            },
        )
        assert response.status_code == 200
        assert "This password is built from the user name" in response.content.decode()
        assert not django_user_model.objects.filter(username="ben").exists()

    def test_setting_a_staff_users_password(self, admin_client, anna):
        response = admin_client.post(
            f"/admin/auth/user/{anna.pk}/password/",
            {"usable_password": "true", "password1": "anna12345678", "password2": "anna12345678"},
        )
        assert response.status_code == 200
        assert "This password is built from the user name" in response.content.decode()
        anna.refresh_from_db()
        assert anna.check_password(GOOD)

    def test_changing_ones_own(self, client, anna):
        client.force_login(anna)
        response = client.post(
            "/admin/password_change/",
            {"old_password": GOOD, "new_password1": "anna1234", "new_password2": "anna1234"},
        )
        assert response.status_code == 200
        assert "A staff password needs at least 12 characters." in response.content.decode()
        anna.refresh_from_db()
        assert anna.check_password(GOOD)

    def test_in_german(self, client, anna):
        client.force_login(anna)
        new = {"new_password1": "Kyiv-Aid-2025", "new_password2": "Kyiv-Aid-2025"}
        with translation.override("en"):  # the request's German stays with the request
            response = client.post(
                "/admin/password_change/",
                {"old_password": GOOD, **new},
                headers={"Accept-Language": "de"},
            )
        assert "Dieses Passwort besteht aus dem Benutzernamen" in response.content.decode()


class TestInCommands:
    def test_create_editor(self, monkeypatch, django_user_model):
        monkeypatch.setenv("EDITOR_PASSWORD", "Ukraine2024!!")
        with pytest.raises(CommandError, match="This password is built from the user name"):
            call_command("create_editor", "anna")
        assert not django_user_model.objects.exists()

    def test_create_editor_making_an_account_staff(self, monkeypatch, django_user_model):
        django_user_model.objects.create_user("reader", password=GOOD)
        monkeypatch.setenv("EDITOR_PASSWORD", "reader12345678")
        with pytest.raises(CommandError, match="This password is built from the user name"):
            call_command("create_editor", "reader")
        assert not django_user_model.objects.get(username="reader").is_staff

    def test_changepassword(self, monkeypatch, anna, capsys):
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": "anna12345678")
        with pytest.raises(CommandError, match="after 3 attempts"):
            call_command("changepassword", "anna")
        assert "This password is built from the user name" in capsys.readouterr().err
        anna.refresh_from_db()
        assert anna.check_password(GOOD)

    def test_createsuperuser(self, monkeypatch, django_user_model, capsys):
        passwords = iter(["Ukraine2024!!", "Ukraine2024!!", GOOD, GOOD])
        answers = iter(["root", "root@example.org", "n"])  # name, e-mail, bypass? no
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(passwords))
        monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))

        class Terminal:
            def isatty(self) -> bool:
                return True

        call_command("createsuperuser", interactive=True, stdin=Terminal())
        assert "This password is built from the user name" in capsys.readouterr().err
        assert django_user_model.objects.get(username="root").check_password(GOOD)
