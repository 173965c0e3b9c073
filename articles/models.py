"""News articles and the sentences pledges cite.

A sentence is a span of its article's body: ``article.body[start:end] == text``, offsets in
code points, stored with the words around it (``prefix``, ``suffix``; ``articles.anchoring``)
so that it can be found again if the body changes. Both models have natural keys (the
article's slug, and slug + position), so the fixtures that carry them load again and again
onto the same rows.

Once a pledge cites a sentence (``sentence.pledges`` / ``sentence.supporting_pledges``, reverse
names the pledge app gives, used here by name so that this app does not import it), the
sentence must keep saying what it said: a save that would change a cited sentence's position,
offsets or text, or an article body in which a cited sentence is no longer its own slice, is
refused. Nor is any sentence saved whose text is not its span of the body. The guards are
``pre_save`` receivers because ``loaddata`` saves raw, past ``save()``.
"""

from __future__ import annotations

import re
from typing import TypeVar
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Substr
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.anchoring import CONTEXT_LENGTH, sentence_context
from articles.date_window import stored_in_window, validate_date_in_window

#: Controls that change the direction of the text after them until closed: embeddings,
#: overrides and isolates (U+202A to U+202E, U+2066 to U+2069).
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ISOLATE_STARTS = "\u2066\u2067\u2068"
_ISOLATE_END = "\u2069"


def bidi_isolated(text: str) -> str:
    """``text`` as one unit whose direction controls end where it ends.

    A right-to-left override in a donor's name must not turn around the figure printed after
    it ("RUE 000,000,2"): text holding such controls is wrapped in an isolate (U+2068 ...
    U+2069), which closes every embedding and override opened inside. An isolate end without
    its start is dropped, since it would close the wrapping isolate early. Text without
    controls, nearly all of it, comes back as it is.
    """
    if not _BIDI_CONTROLS.search(text):
        return text
    kept, open_isolates = [], 0
    for char in text:
        if char in _ISOLATE_STARTS:
            open_isolates += 1
        elif char == _ISOLATE_END:
            if not open_isolates:
                continue
            open_isolates -= 1
        kept.append(char)
    return "\u2068" + "".join(kept) + _ISOLATE_END * (open_isolates + 1)


_Model = TypeVar("_Model", bound=models.Model)


class SlugKeyManager(models.Manager[_Model]):
    """For models whose natural key is their unique slug (articles, donors, categories)."""

    def get_by_natural_key(self, slug: str) -> _Model:
        return self.get(slug=slug)


class ArticleManager(SlugKeyManager["Article"]):
    def get_by_natural_key(self, slug: str) -> Article:
        # A fixture names the article of each of its sentences by its slug, and loading it
        # looks the article up each time: the body (megabytes, for a long article) is read
        # only where it is used.
        return self.defer("body").get(slug=slug)


class Article(models.Model):
    class Language(models.TextChoices):
        GERMAN = "de", _("German")
        ENGLISH = "en", _("English")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(
        null=True,
        blank=True,
        validators=[validate_date_in_window],
        help_text="Empty when unknown.",
    )
    language = models.CharField(max_length=2, choices=Language.choices)
    body = models.TextField(help_text="The article text exactly as received.")
    source_name = models.CharField(
        max_length=255, blank=True, help_text="The file the article was loaded from."
    )

    history = HistoricalRecords()
    # Set by the querysets of the admin's list and the reader's index.
    n_sentences: int
    # loaddata saves raw, which skips auto_now_add and auto_now: the database fills the
    # timestamps the fixture leaves out (and a reload stamps the load time).

    objects = ArticleManager()

    class Meta:
        ordering = (models.F("published_on").desc(nulls_last=True), "title")
        constraints = (
            models.UniqueConstraint(
                fields=("url",),
                condition=~models.Q(url=""),
                name="article_url_unique",
                violation_error_message="Another article already has this URL.",
            ),
            # A fixed window: a constraint cannot know "a year after today", which the
            # field's validator holds (articles/date_window.py).
            models.CheckConstraint(
                condition=stored_in_window("published_on"),
                name="article_published_in_window",
                violation_error_message="The publication date lies from 1990 to 2099.",
            ),
        )

    def __str__(self) -> str:
        return bidi_isolated(self.title)

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.slug])

    @property
    def link_url(self) -> str:
        """The source URL as a link target, when it is a web address; else nothing.

        The form validates URLs, but a value loaded past it ("javascript:...") must still
        never become a link a reader can click.
        """
        return self.url if urlsplit(self.url).scheme.lower() in ("http", "https") else ""

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        super().clean()
        if self.pk is not None and self.body != self._stored_body():
            article_body_change_check(article=self, new_body=self.body)

    def _stored_body(self, using: str | None = None) -> str | None:
        stored = Article.objects.using(using).filter(pk=self.pk)
        return stored.values_list("body", flat=True).first()

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

    def cited(self) -> SentenceQuerySet:
        """Sentences a pledge cites, as its source or as further evidence."""
        cited = models.Q(pledges__isnull=False) | models.Q(supporting_pledges__isnull=False)
        return self.filter(cited).distinct()

    def moved(self) -> SentenceQuerySet:
        """Sentences whose text is no longer their slice of the body, with ``found``: the slice.

        Compared in the database, one query for any number of sentences: SQLite's substr and
        PostgreSQL's substring count characters (code points), as Python's slices do.
        """
        return self.annotate(found=_slice()).exclude(found=models.F("text"))

    def in_place(self) -> SentenceQuerySet:
        """Sentences whose text is still their slice of the body."""
        return self.annotate(found=_slice()).filter(found=models.F("text"))


def _slice() -> Substr:
    """A sentence's slice of its article's body, ``body[start:end]``, in the database."""
    return Substr("article__body", models.F("start") + 1, models.F("end") - models.F("start"))


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
    prefix = models.TextField(
        blank=True,
        default="",
        help_text="The body just before the sentence, exactly as it is there: up to "
        f"{CONTEXT_LENGTH} characters, from the start of a word. Kept to find the sentence "
        "again if the body changes; empty at the start of the body.",
    )
    suffix = models.TextField(
        blank=True,
        default="",
        help_text="The body just after the sentence, exactly as it is there: up to "
        f"{CONTEXT_LENGTH} characters, to the end of a word. Kept to find the sentence "
        "again if the body changes; empty at the end of the body.",
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.CONTENT,
        help_text="Anything but content is page furniture: menus, headlines without a full stop, "
        "date lines, ads.",
    )

    objects = SentenceManager()

    # Set by the reader (articles.views) on the sentences it shows: the pledges citing each.
    cited_by: list[models.Model]

    class Meta:
        ordering = ("article", "position")
        constraints = (
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
        )

    def __str__(self) -> str:
        text = Truncator(" ".join(self.text.split())).chars(110)
        title = Truncator(self.article.title).chars(50)
        return f"#{self.position} {bidi_isolated(text)} — {bidi_isolated(title)}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def natural_key(self) -> tuple[str, int]:
        # The article's slug is read alone: ``self.article`` would read its whole body too,
        # for each sentence of a fixture being loaded (Django asks every record for its key),
        # which made loading a long article take minutes.
        articles = Article._base_manager.using(self._state.db)
        slug = articles.values_list("slug", flat=True).get(pk=self.article_id)
        return (slug, self.position)

    # Django's serializers read this attribute of the method.
    natural_key.dependencies = ("articles.article",)  # type: ignore[attr-defined]

    @property
    def is_content(self) -> bool:
        return self.kind == self.Kind.CONTENT

    @property
    def anchor(self) -> str:
        return self.anchor_of(self.position)

    @staticmethod
    def anchor_of(position: int) -> str:
        """The reader's fragment id of the sentence at ``position``: ``#s-<position>``."""
        return f"s-{position}"


def article_body_change_check(*, article: Article, new_body: str) -> None:
    """Refuse ``new_body`` when a cited sentence would no longer be ``new_body[start:end]``.

    A pledge cites a sentence by its position and offsets; a body that moves the sentence
    would make the pledge's evidence say something else, or nothing.
    """
    if article.pk is None:
        return
    cited = Sentence.objects.filter(article_id=article.pk).cited().order_by("position")
    moved = [s for s in cited if new_body[s.start : s.end] != s.text]
    if moved:
        raise ValidationError(
            "The new text would move sentences that pledges cite: "
            + "; ".join(sentence_describe(sentence=s) for s in moved)
            + ". Change the text only around them.",
            code="cited_sentence_moved",
        )


def sentence_describe(*, sentence: Sentence, found: str | None = None) -> str:
    """``#7 (chars 120–184) "Deutschland sagt …"``, and what the body holds there if given."""
    described = f"#{sentence.position} (chars {sentence.start}–{sentence.end}) " + quoted(
        sentence.text
    )
    if found is not None:
        described += f", found {quoted(found)}"
    return described


def quoted(text: str) -> str:
    """``text`` on one line, cut to a length a message can hold, in quotation marks."""
    return "“" + Truncator(" ".join(text.split())).chars(60) + "”"


_EVIDENCE_FIELDS = ("article_id", "position", "start", "end", "text")


@receiver(pre_save, sender=Article, dispatch_uid="articles.article_body_keeps_evidence")
def _article_body_keeps_evidence(
    sender, instance: Article, using: str, update_fields=None, **kwargs
) -> None:
    if instance.pk is None or (update_fields is not None and "body" not in update_fields):
        return
    stored = instance._stored_body(using)
    if stored is not None and stored != instance.body:
        article_body_change_check(article=instance, new_body=instance.body)


@receiver(pre_save, sender=Sentence, dispatch_uid="articles.cited_sentence_stays")
def _cited_sentence_stays(
    sender, instance: Sentence, using: str, update_fields=None, **kwargs
) -> None:
    if instance.pk is None:
        return
    if update_fields is not None and not {"article", "position", "start", "end", "text"} & set(
        update_fields
    ):
        return
    stored = Sentence.objects.using(using).filter(pk=instance.pk)
    old = stored.values_list(*_EVIDENCE_FIELDS).first()
    new = tuple(getattr(instance, name) for name in _EVIDENCE_FIELDS)
    if old is None or old == new or not stored.cited().exists():
        return
    article = Article.objects.using(using).filter(pk=old[0]).values_list("slug", flat=True)
    raise ValidationError(
        f"Sentence #{old[1]} of article {article.first()} is cited by pledges: its position, "
        "offsets and text cannot change.",
        code="cited_sentence_moved",
    )


@receiver(pre_save, sender=Sentence, dispatch_uid="articles.sentence_is_its_span")
def _sentence_is_its_span(
    sender, instance: Sentence, using: str, update_fields=None, **kwargs
) -> None:
    """A sentence is characters ``start`` to ``end`` of its article's body, or is not saved;
    saved, it gets the words around it there (``prefix`` and ``suffix``).

    One query, compared in the database: only the span and the words around it travel, not
    the body. It runs after the guard above, whose message says more about a cited sentence.
    Every way a sentence is made (fixtures, imports, the admin, factories) saves it through
    here, ``loaddata``'s raw saves included.
    """
    if update_fields is not None and not {"article", "start", "end", "text"} & set(update_fields):
        return
    start, end = instance.start, instance.end
    if start is None or end is None or end <= start:
        return  # the database's constraints refuse these
    # One character more than the context on each side: sentence_context needs to see whether
    # its window starts or ends inside a word.
    low = max(start - CONTEXT_LENGTH - 1, 0)
    article = (
        Article.objects.using(using)
        .filter(pk=instance.article_id)
        .values_list("slug", Substr("body", low + 1, end + CONTEXT_LENGTH + 1 - low))
        .first()
    )
    if article is None:
        return  # an unknown article is the foreign key's to refuse
    slug, window = article
    found = window[start - low : end - low]
    if found == instance.text:
        instance.prefix, instance.suffix = sentence_context(window, start - low, end - low)
        return
    raise ValidationError(
        f"Sentence #{instance.position} of article {slug}: its text is not characters "
        f"{start}–{end} of the article's body, which read {quoted(found)}; the sentence says "
        f"{quoted(instance.text)}.",
        code="sentence_not_its_span",
    )
