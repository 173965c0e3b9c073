"""Create (or update) a staff account in the Editors group."""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

PASSWORD_VARIABLE = "EDITOR_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        f"Create an editor account. The password comes from ${PASSWORD_VARIABLE} or, "
        "when that is unset, from a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--display-name",
            help=(
                "The name public pages show beside this editor's changes (stored as the "
                "account's first name); without one they show the role, never the login. "
                '"" removes it.'
            ),
        )

    def handle(self, *args, username: str, email: str, display_name: str | None, **options):
        User = get_user_model()
        if display_name is not None:
            display_name = display_name.strip()
            limit = User._meta.get_field("first_name").max_length
            if limit is not None and len(display_name) > limit:
                raise CommandError(f"The display name is longer than {limit} characters.")
            if display_name.casefold() == username.casefold():
                raise CommandError(
                    "The display name is the login: public pages would show it. Choose another."
                )
        password = os.environ.get(PASSWORD_VARIABLE) or self._prompt_password()
        user = User.objects.filter(username=username).first() or User(username=username)
        # Before the check: staff passwords have a rule of their own, which reads the names.
        user.is_staff = True
        user.email = email or user.email
        if display_name is not None:
            user.first_name, user.last_name = display_name, ""
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        try:
            group = Group.objects.get(name="Editors")
        except Group.DoesNotExist as error:
            raise CommandError("The Editors group is missing: run `manage.py migrate`.") from error

        created = user.pk is None
        user.set_password(password)
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor {username!r}."))

    def _prompt_password(self) -> str:
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError(f"No password given (set ${PASSWORD_VARIABLE}).") from error
        if password != again:
            raise CommandError("The passwords do not match.")
        if not password:
            raise CommandError("The password cannot be empty.")
        return password
