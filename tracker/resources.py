"""Pledges as spreadsheet rows for the admin's import and export (django-import-export).

Related records are written by their natural keys (donor and category slugs, a sentence as
``article-slug#position``), so a file exported from one database imports into another. EUR
values are not columns: they are recomputed from amount, currency and date on save.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from articles.models import Sentence
from tracker.models import Category, Donor, Pledge


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
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Pledge.objects.select_related("donor", "category", "sentence__article", "part_of")

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None or not Pledge.objects.filter(pk=instance.pk).exists():
            instance.origin = Pledge.Origin.IMPORT
