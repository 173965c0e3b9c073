"""News articles and the sentences pledges cite.

A sentence is a span of its article's body: ``article.body[start:end] == text``, offsets in
code points. Both models have natural keys (the article's slug, and slug + position), so the
fixtures that carry them load again and again onto the same rows.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SlugKeyManager(models.Manager):
    """For models whose natural key is their unique slug (articles, donors, categories)."""

    def get_by_natural_key(self, slug: str) -> models.Model:
        return self.get(slug=slug)


class Article(models.Model):
    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True, help_text="Empty when unknown.")
    language = models.CharField(max_length=2, choices=Language.choices)
    body = models.TextField(help_text="The article text exactly as received.")
    source_name = models.CharField(
        max_length=255, blank=True, help_text="The file the article was loaded from."
    )

    history = HistoricalRecords()
    # loaddata saves raw, which skips auto_now_add and auto_now: the database fills the
    # timestamps the fixture leaves out (and a reload stamps the load time).

    objects = SlugKeyManager()

    class Meta:
        ordering = (models.F("published_on").desc(nulls_last=True), "title")
        constraints = [
            models.UniqueConstraint(
                fields=("url",),
                condition=~models.Q(url=""),
                name="article_url_unique",
                violation_error_message="Another article already has this URL.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def passage(self, position: int, *, around: int = 2) -> list[list[Sentence]]:
        """The sentence at ``position`` with ``around`` neighbours each side, in paragraphs."""
        window = self.sentences.filter(
            position__gte=position - around, position__lte=position + around
        ).order_by("position")
        return self.paragraphs(list(window))

    def paragraphs(self, sentences: list[Sentence]) -> list[list[Sentence]]:
        """Group sentences (in position order) into the paragraphs of the body.

        A new paragraph starts where the text between two sentences holds a line break.
        """
        paragraphs: list[list[Sentence]] = []
        previous_end = None
        for sentence in sentences:
            gap = self.body[previous_end : sentence.start] if previous_end is not None else "\n"
            if "\n" in gap or not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(sentence)
            previous_end = sentence.end
        return paragraphs


class SentenceQuerySet(models.QuerySet["Sentence"]):
    def content(self) -> SentenceQuerySet:
        return self.filter(kind=Sentence.Kind.CONTENT)


class SentenceManager(models.Manager.from_queryset(SentenceQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, article_slug: str, position: int) -> Sentence:
        return self.get(article__slug=article_slug, position=position)


class Sentence(models.Model):
    class Kind(models.TextChoices):
        CONTENT = "content", _("Content")
        HEADLINE = "headline", _("Headline")
        MENU = "menu", _("Menu or navigation")
        DATELINE = "dateline", _("Date or byline")
        BOILERPLATE = "boilerplate", _("Boilerplate (ads, paywall, comments)")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField(help_text="1 for the first segment of the article.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.CONTENT,
        help_text="Anything but content is page furniture: menus, headlines without a full stop, "
        "date lines, ads.",
    )

    objects = SentenceManager()

    class Meta:
        ordering = ("article", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("article", "position"), name="sentence_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="sentence_span_not_empty",
                violation_error_message="A sentence must end after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="sentence_position_from_one"
            ),
        ]

    def __str__(self) -> str:
        text = Truncator(" ".join(self.text.split())).chars(110)
        return f"#{self.position} {text} — {Truncator(self.article.title).chars(50)}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.article.natural_key(), self.position)

    natural_key.dependencies = ["articles.article"]

    @property
    def is_content(self) -> bool:
        return self.kind == self.Kind.CONTENT

    @property
    def anchor(self) -> str:
        return f"s-{self.position}"
