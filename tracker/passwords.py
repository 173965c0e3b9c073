"""The password rule for staff: long, and not built from what an attacker would try first.

Django's validators (AUTH_PASSWORD_VALIDATORS) apply to every account; this one adds, for
staff and for accounts being created (the admin creates an account first and gives it staff
status on the next page, so a new account's password must already be good enough for staff):

- at least ``min_length`` characters (12);
- once the guessable parts are taken out (the user's names, the site's words and the years
  around the war, below), at least ``min_rest`` letters and digits must be left, and not only
  digits: ``anna1234``, ``Ukraine2024!!`` and ``anna12345678`` are refused, a passphrase passes.

Existing accounts without staff status keep Django's rules alone.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

#: What the site is about: the first words anyone guessing a staff password here would try.
#: Stems cover their forms ("ukrain" covers Ukraine, Ukraina, Ukrainian).
SITE_WORDS = (
    "ukrain",
    "ukrajin",
    "kyiv",
    "kiev",
    "kiew",
    "slava",
    "aid",
    "pledge",
    "tracker",
    "kiel",
    "donor",
    "editor",
    "admin",
    "password",
    "passwort",
)
#: Ukraine's independence, then every year from the annexation of Crimea to the next one.
FIRST_WAR_YEAR = 2014
INDEPENDENCE_YEAR = 1991


def guessable_years(today: date | None = None) -> list[str]:
    this_year = (today or date.today()).year
    return [str(INDEPENDENCE_YEAR), *map(str, range(FIRST_WAR_YEAR, this_year + 2))]


def user_words(user) -> list[str]:
    """The user's names: login, first and last name, the e-mail's local part, and their parts
    of three letters or more."""
    names = [
        getattr(user, "username", ""),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        (getattr(user, "email", "") or "").partition("@")[0],
    ]
    words: set[str] = set()
    for name in filter(None, names):
        name = name.lower()
        words.update(part for part in [name, *re.split(r"[\W_]+", name)] if len(part) >= 3)
    return sorted(words)


def is_staff_rule(user) -> bool:
    return user is not None and (user.is_staff or user.is_superuser or user.pk is None)


class StaffPasswordValidator:
    def __init__(self, min_length: int = 12, min_rest: int = 8) -> None:
        self.min_length = min_length
        self.min_rest = min_rest

    def validate(self, password: str, user=None) -> None:
        if not is_staff_rule(user):
            return
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "A staff password needs at least %(min_length)d character.",
                    "A staff password needs at least %(min_length)d characters.",
                    self.min_length,
                ),
                code="staff_password_too_short",
                params={"min_length": self.min_length},
            )
        own = self.own_part(password, user)
        if len(own) < self.min_rest or own.isdigit():
            raise ValidationError(
                _(
                    "This password is built from the user name, the site's words (Ukraine, "
                    "Kyiv, aid, pledge, tracker, Kiel …) or recent years. Besides those, a "
                    "staff password needs at least %(min_rest)d letters or digits of its own, "
                    "and not only digits."
                ),
                code="staff_password_guessable",
                params={"min_rest": self.min_rest},
            )

    @staticmethod
    def own_part(password: str, user) -> str:
        """The letters and digits of ``password`` that are not the user's names, the site's
        words or the years above."""
        words = sorted({*user_words(user), *SITE_WORDS, *guessable_years()}, key=len, reverse=True)
        rest = re.sub("|".join(map(re.escape, words)), "", password.lower())
        return "".join(character for character in rest if character.isalnum())

    def get_help_text(self) -> str:
        return _(
            "A staff password needs at least %(min_length)d characters and must not be built "
            "from the user name, the site's words or recent years."
        ) % {"min_length": self.min_length}
