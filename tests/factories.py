"""Factories for tests: the smallest valid article, sentence, donor, category and pledge."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from articles.models import Article, Sentence
from tracker.models import Category, Donor, Pledge


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    language = "de"
    published_on = datetime.date(2025, 6, 4)
    body = "Die Verbündeten haben weitere Hilfe zugesagt."


class SentenceFactory(factory.django.DjangoModelFactory):
    """A sentence spanning the whole body of its article."""

    class Meta:
        model = Sentence

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)
    start = 0
    end = factory.LazyAttribute(lambda o: len(o.article.body))
    text = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"donor-{n}")
    name = factory.Sequence(lambda n: f"Donor {n}")
    kind = Donor.Kind.COUNTRY


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    donor = factory.SubFactory(DonorFactory)
    category = factory.SubFactory(CategoryFactory)
    sentence = factory.SubFactory(SentenceFactory)
    amount = Decimal("1000000")
    currency = "EUR"
    stage = Pledge.Stage.PLEDGED
    announced_on = datetime.date(2025, 6, 4)
