"""Donors, categories and pledges: one row per donor x commitment x item.

Every pledge cites the sentence that states it. Rules that keep the data true (an amount
has a currency, a subset is never part of itself, ...) live in the database as constraints,
with messages an editor can act on when the admin form trips them.
"""

from __future__ import annotations

import unicodedata
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F, Q
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import formats
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.date_window import stored_in_window, validate_date_in_window
from articles.models import Sentence, SlugKeyManager, bidi_isolated
from tracker.fx import pledge_convert_to_eur


class Donor(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        ORGANISATION = "organisation", _("Organisation")
        GROUP = "group", _("Group of donors")

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    name_de = models.CharField("German name", max_length=120, blank=True)
    iso2 = models.CharField(
        "ISO 3166 code",
        max_length=2,
        blank=True,
        help_text="Two capital letters, for countries only (GB, DE, US).",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.COUNTRY)

    objects = SlugKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("iso2",),
                condition=~Q(iso2=""),
                name="donor_iso2_unique",
                violation_error_message="Another donor already has this ISO code.",
            ),
            models.CheckConstraint(
                condition=Q(iso2="") | Q(iso2__regex=r"^[A-Z]{2}$"),
                name="donor_iso2_shape",
                violation_error_message="The ISO code is two capital letters, such as GB.",
            ),
        )

    def __str__(self) -> str:
        return bidi_isolated(self.name)

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def local_name(self) -> str:
        return localized(self.name, self.name_de)


class Category(models.Model):
    """Military, financial or humanitarian at the top, sub-categories one level below."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    name_de = models.CharField("German name", max_length=120, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugKeyManager()

    class Meta:
        ordering = ("position", "name")
        verbose_name_plural = "categories"
        constraints = (
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="category_not_own_parent",
            ),
        )

    def __str__(self) -> str:
        name = bidi_isolated(self.name)
        return f"{bidi_isolated(self.parent.name)} › {name}" if self.parent else name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def local_name(self) -> str:
        return localized(self.name, self.name_de)

    @property
    def top(self) -> Category:
        return self.parent or self


def localized(name: str, name_de: str | None, language: str | None = None) -> str:
    """The German name when there is one and German is active, else the English one.

    Isolated, if it holds direction controls, so that they cannot turn around what follows.
    ``language``: the active language, for a caller that names many things at once and has
    looked it up already.
    """
    if language is None:
        language = get_language()
    if name_de and (language or "").startswith("de"):
        return bidi_isolated(name_de)
    return bidi_isolated(name)


def name_sort_key(name: str) -> tuple[str, str]:
    """Where ``name`` sorts in a list of names, in German as in English: accents and case
    aside (DIN 5007 for dictionaries), so "Österreich" sorts among the Os, not after the Zs
    as a database's binary order would put it. Ties keep a fixed order by the name itself."""
    letters = unicodedata.normalize("NFKD", name)
    base = "".join(char for char in letters if not unicodedata.combining(char))
    return (base.casefold(), name)


class PledgeQuerySet(models.QuerySet["Pledge"]):
    def for_table(self) -> PledgeQuerySet:
        """The pledges in the table's default order, newest first. The table's rows, the
        exports and the totals each read the values they need from it
        (tracker/selectors/table_rows.py, export.py), never whole instances."""
        return self.order_by("-announced_on", "-id")

    def for_detail(self) -> PledgeQuerySet:
        """A pledge page: the pledge, its sentences with their articles, its parts."""
        return self.select_related(
            "donor", "category__parent", "sentence__article", "part_of__donor", "reviewed_by"
        ).prefetch_related(
            models.Prefetch("evidence", queryset=Sentence.objects.select_related("article")),
            models.Prefetch("parts", queryset=Pledge.objects.select_related("donor")),
        )


class EditConflict(Exception):
    """The pledge was saved by someone else since this copy of it was read."""


class Pledge(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        APPROX = "approx", _("about")
        OVER = "over", _("over")
        AT_LEAST = "at_least", _("at least")
        UP_TO = "up_to", _("up to")

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLEDGED = "pledged", _("Pledged")
        ALLOCATED = "allocated", _("Allocated")
        DELIVERED = "delivered", _("Delivered")

    class Review(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Typed by an editor")
        SUGGESTION = "suggestion", _("Accepted suggestion")
        IMPORT = "import", _("Imported file")

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    # IATI transaction types: outgoing pledge, outgoing commitment, disbursement.
    IATI_TRANSACTION_TYPE: ClassVar[dict[str, str]] = {
        Stage.PLEDGED: "12",
        Stage.ALLOCATED: "2",
        Stage.DELIVERED: "3",
    }

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    recipient = models.CharField(max_length=120, default="Ukraine")
    amount = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The figure as the article states it, in full: 6.6 billion is 6600000000.",
    )
    currency = models.CharField(
        max_length=3, blank=True, help_text="ISO 4217 code (EUR, USD, GBP) when there is an amount."
    )
    qualifier = models.CharField(max_length=8, choices=Qualifier.choices, default=Qualifier.EXACT)
    quantity = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="For in-kind pledges: how many items."
    )
    item = models.CharField(
        max_length=200, blank=True, help_text="What is given in kind, e.g. “Gravehawk systems”."
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="pledges")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLEDGED)
    announced_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_window],
        help_text="For month or year precision, the first day of that month or year.",
    )
    date_precision = models.CharField(
        max_length=5, choices=Precision.choices, default=Precision.DAY
    )
    period = models.CharField(
        max_length=60,
        blank=True,
        help_text="Years the pledge covers: “2025”, “annual”, “until 2029”.",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="The larger pledge this one is a subset of (“davon”, “darunter”).",
    )
    is_aggregate = models.BooleanField(
        "reported aggregate",
        default=False,
        help_text="A cumulative figure the article reports, not a new pledge. Never summed.",
    )
    sentence = models.ForeignKey(
        Sentence,
        on_delete=models.PROTECT,
        related_name="pledges",
        help_text="The sentence that states this pledge.",
    )
    evidence = models.ManyToManyField(
        Sentence,
        blank=True,
        related_name="supporting_pledges",
        verbose_name="further evidence",
        help_text="Other sentences, in this or other articles, that report the same pledge.",
    )
    notes = models.TextField(blank=True)

    amount_eur = models.DecimalField(
        "amount in EUR", max_digits=20, decimal_places=2, null=True, blank=True, editable=False
    )
    fx_rate = models.DecimalField(
        "EUR rate", max_digits=18, decimal_places=6, null=True, blank=True, editable=False
    )
    fx_date = models.DateField("rate date", null=True, blank=True, editable=False)
    fx_provisional = models.BooleanField(
        "provisional rate",
        default=False,
        db_default=False,
        editable=False,
        help_text="The day's ECB rate was not known yet: the latest earlier one stands in.",
    )

    review_status = models.CharField(
        "review", max_length=8, choices=Review.choices, default=Review.DRAFT, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.MANUAL, editable=False
    )
    search_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Donor names, item, notes and sentence, for the full-text search.",
    )
    suggestion = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The suggestion as proposed, when the pledge began as one.",
    )

    version = models.PositiveIntegerField(
        default=1,
        db_default=1,
        help_text="Counts the saves; a save made from an older version is refused.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[evidence])

    # Set on an instance, never stored: django-simple-history's note and switch for the
    # next save, and the row a save replaces (services.rollup).
    _change_reason: str
    skip_history_when_saving: bool
    _rollup_before: dict[str, object] | None

    class Meta:
        ordering = ("-announced_on", "-id")
        permissions: ClassVar[list] = [
            ("review_pledge", "Can mark a pledge reviewed"),
            # Editors delete drafts; a pledge once reviewed is deleted by an admin.
            ("delete_reviewed_pledge", "Can delete a pledge that has been reviewed"),
        ]
        # PostgreSQL also gets one index per sort the table offers, in its exact order
        # (undated and unconverted pledges last), created by migration 0008: SQLite cannot
        # declare NULLS LAST in an index.
        indexes = (
            models.Index(fields=("announced_on", "id"), name="pledge_announced_idx"),
            models.Index(fields=("amount_eur", "id"), name="pledge_amount_eur_idx"),
            models.Index(fields=("stage",), name="pledge_stage_idx"),
            models.Index(fields=("currency",), name="pledge_currency_idx"),
        )
        constraints = (
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="pledge_amount_not_negative",
                violation_error_message="An amount cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="")
                | Q(amount__isnull=False, currency__regex=r"^[A-Z]{3}$"),
                name="pledge_currency_with_amount",
                violation_error_message=(
                    "An amount needs its currency as a three-letter ISO code (EUR, USD, GBP), "
                    "and a currency needs an amount."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gt=0),
                name="pledge_quantity_positive",
                violation_error_message="A quantity is at least 1; leave it empty if unknown.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=False) | Q(quantity__isnull=False) | ~Q(item=""),
                name="pledge_states_something",
                violation_error_message=(
                    "A pledge needs an amount, a quantity or at least the item given."
                ),
            ),
            models.CheckConstraint(
                condition=Q(part_of__isnull=True) | ~Q(part_of=models.F("pk")),
                name="pledge_not_part_of_itself",
                violation_error_message="A pledge cannot be part of itself.",
            ),
            # A fixed window: a constraint cannot know "a year after today", which the
            # field's validator holds (articles/date_window.py).
            models.CheckConstraint(
                condition=stored_in_window("announced_on"),
                name="pledge_announced_in_window",
                violation_error_message="The announcement date lies from 1990 to 2099.",
            ),
        )

    def __str__(self) -> str:
        return f"{self.donor}: {self.figure}"

    def save(self, *args, **kwargs) -> None:
        # The EUR figure is derived: recompute it on every save, so it can never lag behind
        # a changed amount, currency or date. (loaddata saves raw; fixtures carry the values.)
        pledge_convert_to_eur(self)
        self.search_text = self.search_words()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {
                *("amount_eur", "fx_rate", "fx_date", "fx_provisional"),
                *("search_text", "version"),
            }
            kwargs["update_fields"] = {*update_fields, *derived}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        if self._state.adding or self.pk is None:  # a new row, or a copy saved as one
            # One transaction for the row and its share of the roll-up (services/rollup.py).
            with transaction.atomic(using=using, savepoint=False):
                super().save(*args, **kwargs)
            return
        # Nobody's edit is lost: the row must still be at the version this copy was read at.
        # The conditional UPDATE decides that in the database, so two saves racing each other
        # cannot both pass; the row stays locked until the transaction ends, which also moves
        # the pledge's share of the roll-up.
        with transaction.atomic(using=using):
            claimed = (
                Pledge._base_manager.using(using)
                .filter(pk=self.pk, version=self.version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise EditConflict(
                    gettext("Pledge #%(id)s was saved by someone else since version %(version)s.")
                    % {"id": self.pk, "version": self.version}
                )
            self.version += 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.version -= 1
                raise

    def search_words(self) -> str:
        """What the ``q`` search reads; kept in one column so one index serves it."""
        # The same words, in the same order, as services.search.pledges_search_refresh writes.
        donor, sentence = self.donor, self.sentence
        return " ".join((donor.name, donor.name_de, self.item, self.notes, sentence.text))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.currency:
            self.currency = self.currency.strip().upper()
        if self.amount is not None and not self.currency:
            errors["currency"] = "Give the currency of this amount, e.g. EUR."
        if self.currency and self.amount is None:
            errors["amount"] = "Give the amount in this currency, or clear the currency."
        if self.quantity is not None and not self.item:
            errors["item"] = "Say what the quantity counts, e.g. “drones”."
        if self.part_of_id and self.pk and self.part_of_id == self.pk:
            errors["part_of"] = "A pledge cannot be part of itself."
        if self.announced_on and self.date_precision != self.Precision.DAY:
            first = (
                self.announced_on.replace(day=1)
                if self.date_precision == self.Precision.MONTH
                else self.announced_on.replace(month=1, day=1)
            )
            if first != self.announced_on:
                errors["announced_on"] = gettext(
                    "With this precision, use the first day: %(first)s."
                ) % {"first": first.isoformat()}
        if errors:
            raise ValidationError(errors)

    @property
    def figure(self) -> str:
        """The pledge as a reader would say it: "over 3,000,000,000 USD", "15 Gravehawk"."""
        parts = []
        if self.amount is not None:
            qualifier = (
                "" if self.qualifier == self.Qualifier.EXACT else f"{self.get_qualifier_display()} "
            )
            amount = formats.number_format(self.amount, 0, use_l10n=True, force_grouping=True)
            parts.append(f"{qualifier}{amount} {self.currency}")
        if self.quantity is not None or self.item:
            quantity = ""
            if self.quantity is not None:
                count = formats.number_format(self.quantity, 0, use_l10n=True, force_grouping=True)
                quantity = f"{count} "
            parts.append(f"{quantity}{bidi_isolated(self.item)}".strip())
        return " · ".join(parts)

    @property
    def iati_transaction_type(self) -> str | None:
        return self.IATI_TRANSACTION_TYPE.get(self.stage)


@receiver(pre_save, sender=Pledge, dispatch_uid="tracker.loaded_pledge_keeps_history")
def _loaded_pledge_keeps_history(sender, instance: Pledge, raw: bool = False, **kwargs) -> None:
    # loaddata saves raw, then sets the further evidence, which django-simple-history records
    # as a change made now by nobody: a restored backup would gain versions, and after
    # `loaddata demo_pledges` populate_history --auto would skip every pledge as already done.
    if raw:
        instance.skip_history_when_saving = True


class PledgeReviewQueue(Pledge):
    """The drafts waiting for a second editor, oldest first (an admin view of pledges)."""

    class Meta:
        proxy = True
        verbose_name = "pledge to review"
        verbose_name_plural = "review queue"
