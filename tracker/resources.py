"""Pledges as spreadsheet rows for the admin's import and export (django-import-export).

Related records are written by their natural keys (donor and category slugs, a sentence as
``article-slug#position``), so a file exported from one database imports into another. EUR
values are not columns: they are recomputed from amount, currency and date on save.

Text a spreadsheet would run as a formula is written with a leading quote, as in the public
CSV (``tracker.formulas``), in every format; the import takes the quote off again, so a file
exported and imported back changes nothing.

Each row carries the pledge's ``version``: a row exported before someone saved the pledge
again is refused on import, so a spreadsheet edited offline never undoes an edit made in the
meantime. A file without the column is imported without that check.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import fields, resources, widgets
from import_export.tmp_storages import TempFolderStorage

from articles.models import Sentence
from tracker.formulas import cell_neutralise, cell_restore
from tracker.models import Category, Donor, Pledge
from tracker.services.review import pledge_reopen_if_changed


def sentence_key(sentence: Sentence) -> str:
    return f"{sentence.article.slug}#{sentence.position}"


def sentence_from_key(key: str) -> Sentence:
    slug, separator, position = key.strip().rpartition("#")
    if not separator or not position.isdigit():
        raise ValueError(f"“{key}” is not a sentence: write article-slug#position.")
    try:
        return Sentence.objects.select_related("article").get(
            article__slug=slug, position=int(position)
        )
    except Sentence.DoesNotExist as error:
        raise ValueError(f"No sentence {position} in an article “{slug}”.") from error


class SlugWidget(widgets.ForeignKeyWidget):
    """A donor or category by its slug; a slug that matches nothing is named."""

    def __init__(self, model) -> None:
        super().__init__(model, "slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as error:
            name = self.model._meta.verbose_name
            raise ValueError(f"No {name} has the slug “{value}”.") from error


class SentenceWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if not value:
            raise ValueError("Give the sentence that states the pledge: article-slug#position.")
        return sentence_from_key(value)

    def render(self, value, obj=None, **kwargs):
        return sentence_key(value) if value else ""


class EvidenceWidget(widgets.ManyToManyWidget):
    """Further evidence sentences, separated by " | "."""

    def __init__(self, **kwargs):
        super().__init__(Sentence, separator="|", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return [sentence_from_key(key) for key in (value or "").split("|") if key.strip()]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        sentences = value.select_related("article").order_by("article__slug", "position")
        return " | ".join(sentence_key(sentence) for sentence in sentences)


class ExactTempFolderStorage(TempFolderStorage):
    """The upload kept between the import's preview and its confirmation, read back as it was
    sent. TempFolderStorage reads text files with newline translation, which turned each
    carriage return in a cell (every line break of a note typed in a browser is "\r\n") into
    "\n": the import changed what the export had written. The format decodes the bytes."""

    def read(self) -> bytes:
        with open(self.get_full_path(), "rb") as file:
            return file.read()


class PledgeResource(resources.ModelResource):
    donor = fields.Field(attribute="donor", column_name="donor", widget=SlugWidget(Donor))
    category = fields.Field(
        attribute="category", column_name="category", widget=SlugWidget(Category)
    )
    sentence = fields.Field(attribute="sentence", column_name="sentence", widget=SentenceWidget())
    evidence = fields.Field(attribute="evidence", column_name="evidence", widget=EvidenceWidget())
    part_of = fields.Field(
        attribute="part_of", column_name="part_of", widget=widgets.ForeignKeyWidget(Pledge, "pk")
    )
    # Shown, never read: a pledge is reviewed by a second editor, not by a spreadsheet cell.
    review_status = fields.Field(
        attribute="review_status", column_name="review_status", readonly=True
    )

    class Meta:
        model = Pledge
        fields = (
            "id",
            "donor",
            "recipient",
            "amount",
            "currency",
            "qualifier",
            "quantity",
            "item",
            "category",
            "stage",
            "announced_on",
            "date_precision",
            "period",
            "part_of",
            "is_aggregate",
            "sentence",
            "evidence",
            "notes",
            "review_status",
            "version",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Pledge.objects.select_related("donor", "category", "sentence__article", "part_of")

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return cell_neutralise(value) if isinstance(value, str) else value

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = cell_restore(value)

    def import_instance(self, instance, row, **kwargs):
        stored = Pledge.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
        super().import_instance(instance, row, **kwargs)
        if instance.version is None:  # an empty cell: not from an export, nothing to compare
            instance.version = stored or 1
        elif stored is not None and instance.version != stored:
            raise ValidationError(
                {
                    "version": gettext(
                        "Pledge #%(id)s was saved again after this file was exported "
                        "(version %(yours)s, now %(stored)s): export it again and re-apply "
                        "your changes."
                    )
                    % {"id": instance.pk, "yours": instance.version, "stored": stored}
                }
            )

    def before_save_instance(self, instance, row, **kwargs):
        stored = Pledge.objects.filter(pk=instance.pk).first() if instance.pk else None
        if stored is None:
            instance.origin = Pledge.Origin.IMPORT
            return
        # An imported change is a change like any other: a reviewed pledge goes back to review.
        changed = {
            field.name
            for field in Pledge._meta.concrete_fields
            if field.name in self._meta.fields
            and getattr(instance, field.attname) != getattr(stored, field.attname)
        }
        pledge_reopen_if_changed(pledge=instance, changed_fields=changed)
