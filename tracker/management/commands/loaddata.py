"""Django's loaddata, which names the file, the record and the problem when a fixture fails.

Django loads every fixture of one call in one transaction, so a failure loads nothing. What
this adds:

- every record of the pledge data (articles, sentences, donors, categories, pledges) is
  checked before it is saved, as a form would check it: loaddata saves raw, so a missing
  title or an invalid URL would otherwise load as it is. A missing required relation, or one
  given by a natural key that matches nothing, is named instead of failing as a NOT NULL
  error. (A sentence must also be its article's characters ``start`` to ``end``: that check
  is a ``pre_save`` receiver in articles/models.py, so it holds for every save.)
- every failure is one message: ``<file>, record <n> (<model> <natural key or pk>): <problem>``,
  with "not valid JSON" and the position for a file that cannot be read at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DatabaseError, models
from django.utils.functional import cached_property

#: The records checked field by field before they are saved (the others, such as history
#: records and Kiel figures, are loaded as Django loads them).
CHECKED_MODELS = {
    "articles.article",
    "articles.sentence",
    "tracker.donor",
    "tracker.category",
    "tracker.pledge",
}


class Command(loaddata.Command):
    help = (
        "Installs the named fixture(s) in the database, all or nothing; a record that cannot "
        "be loaded is named with its file, position and problem."
    )

    @cached_property
    def compression_formats(self) -> dict:
        # Django opens each fixture file through one of these: the hook that tells which
        # file the records being loaded come from.
        # Django's own table, computed as its cached_property does (the stubs type the
        # property as its value, not as the descriptor that keeps the function).
        formats = loaddata.Command.compression_formats.func(self)  # type: ignore[attr-defined]
        return {name: (self._opener(open_), mode) for name, (open_, mode) in formats.items()}

    def _opener(self, open_: Callable) -> Callable:
        def open_fixture(path, *args):
            self.fixture_path, self.record_position = str(path), 0
            return open_(path, *args)

        return open_fixture

    def loaddata(self, fixture_labels) -> None:
        self.fixture_path, self.record_position = "", 0
        try:
            super().loaddata(fixture_labels)
        except CommandError:
            raise
        except DatabaseError as error:
            # Relations are checked once every file is in (a record may point forward).
            raise CommandError(f"{', '.join(fixture_labels)}: {error}") from error

    def load_label(self, fixture_label: str) -> None:
        try:
            super().load_label(fixture_label)
        except CommandError:
            raise
        except Exception as error:
            # Raised while reading the next record, before it could be saved.
            raise CommandError(self._reading_failure(error)) from error

    def save_obj(self, obj: DeserializedObject) -> bool:
        self.record_position += 1
        where = self._where(obj.object)
        if obj.object._meta.label_lower in CHECKED_MODELS:
            problems = _record_problems(obj)
            if problems:
                raise CommandError(f"{where}: {problems}")
        try:
            saved = super().save_obj(obj)
        except ValidationError as error:
            raise CommandError(f"{where}: {' '.join(error.messages)}") from error
        except (DatabaseError, ValueError) as error:
            # Django put "Could not load <model>(pk=...): " before the database's message.
            message = str(error).split("): ", 1)[-1]
            raise CommandError(f"{where}: {message}") from error
        if obj.deferred_fields and self.objs_with_deferred_fields[-1:] == [obj]:
            # Relations given by natural keys of records further on are set at the end:
            # a failure then is still this record's.
            self.objs_with_deferred_fields[-1] = _Deferred(obj, where)
        return saved

    def _where(self, instance: models.Model) -> str:
        return f"{self.fixture_path}, record {self.record_position} ({record_name(instance)})"

    def _reading_failure(self, error: Exception) -> str:
        if isinstance(error, UnicodeDecodeError):
            return f"{self.fixture_path}: not UTF-8 text (byte {error.start}: {error.reason})."
        if isinstance(error.__cause__, json.JSONDecodeError):
            return f"{self.fixture_path}: not valid JSON ({error.__cause__})."
        message = str(error).removeprefix(f"Problem installing fixture '{self.fixture_path}': ")
        return f"{self.fixture_path}, record {self.record_position + 1}: {message}"


class _Deferred(DeserializedObject):
    """A record whose forward relations are set once the files are in, with its place."""

    def __init__(self, record: DeserializedObject, where: str) -> None:
        super().__init__(record.object, record.m2m_data, record.deferred_fields)
        self.where = where

    def save_deferred_fields(self, using=None) -> None:
        try:
            super().save_deferred_fields(using=using)
        except (DeserializationError, ObjectDoesNotExist) as error:
            fields = ", ".join(field.name for field in self.deferred_fields)
            raise CommandError(
                f"{self.where}: {fields}: a natural key that nothing in the database or the "
                f"fixtures has ({error})."
            ) from error
        except (DatabaseError, ValidationError, ValueError) as error:
            raise CommandError(f"{self.where}: {error}") from error


def record_name(instance: models.Model) -> str:
    """``articles.sentence ["hilfe", 4]``, ``tracker.pledge pk=7``: a record as one finds it."""
    label = instance._meta.label_lower
    if hasattr(instance, "natural_key"):
        try:
            return f"{label} {json.dumps(list(instance.natural_key()), ensure_ascii=False)}"
        except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
            pass  # a natural key through a relation that is itself missing
    return f"{label} pk={instance.pk}" if instance.pk is not None else label


def _record_problems(obj: DeserializedObject) -> str:
    """What a form would refuse in this record: missing or malformed fields, unknown keys."""
    instance = obj.object
    problems = []
    relations = []
    for field in instance._meta.concrete_fields:
        if not field.is_relation:
            continue
        relations.append(field.name)
        if field in obj.deferred_fields and not field.null:
            # Forward references are for nullable relations; this one names nothing known.
            value = json.dumps(obj.deferred_fields[field], ensure_ascii=False)
            related = field.related_model
            model = related._meta.label_lower if isinstance(related, type) else "record"
            problems.append(f"{field.name}: no {model} has the natural key {value}.")
        elif getattr(instance, field.attname) is None and not field.null:
            problems.append(f"{field.name}: missing; this field is required.")
    try:
        # Relations are left to the database: a record may name one further on.
        instance.clean_fields(exclude=relations)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.append(f"{name}: {' '.join(messages)}")
    return " ".join(problems)
