from __future__ import annotations

import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers import serialize

from articles.anchoring import sentence_context
from articles.models import Article, Sentence
from bench.corpus import (
    CURRENCY_WORDS,
    SLUG_PREFIX,
    CorpusError,
    corpus_generate,
    corpus_purge,
)
from tracker.fx import pledge_convert_to_eur
from tracker.models import Pledge
from tracker.services.rollup import rollup_differences

pytestmark = pytest.mark.django_db

PLEDGES, ARTICLES, SEED = 300, 20, 7
EVIDENCE = Pledge.evidence.through


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_corpus", stdout=out, **options)
    return out.getvalue()


def generated_pledges():
    return Pledge.objects.filter(sentence__article__slug__startswith=SLUG_PREFIX)


def generated_articles():
    return Article.objects.filter(slug__startswith=SLUG_PREFIX)


def seed_snapshot() -> tuple:
    """Everything the seed fixtures hold, to compare before and after."""
    articles = Article.objects.exclude(slug__startswith=SLUG_PREFIX).order_by("slug")
    sentences = Sentence.objects.exclude(article__slug__startswith=SLUG_PREFIX).order_by(
        "article__slug", "position"
    )
    pledges = Pledge.objects.exclude(pk__in=generated_pledges()).order_by("pk")
    return (
        list(articles.values_list("pk", "slug", "title", "body", "published_on")),
        list(sentences.values_list("pk", "article__slug", "position", "start", "end", "text")),
        serialize("json", pledges),
    )


def corpus_snapshot() -> tuple:
    pledge_fields = [field.attname for field in Pledge._meta.concrete_fields]
    sentences = Sentence.objects.filter(article__slug__startswith=SLUG_PREFIX)
    return (
        list(
            generated_articles()
            .order_by("pk")
            .values_list("pk", "slug", "title", "url", "publisher", "published_on", "body")
        ),
        list(sentences.order_by("pk").values_list("pk", "article", "position", "start", "text")),
        list(generated_pledges().order_by("pk").values_list(*pledge_fields)),
        list(
            EVIDENCE.objects.filter(pledge__in=generated_pledges())
            .order_by("pk")
            .values_list("pk", "pledge", "sentence")
        ),
    )


@pytest.fixture
def corpus(seeded) -> str:
    return generate(pledges=PLEDGES, articles=ARTICLES, seed=SEED)


class TestGenerate:
    def test_writes_exactly_the_pledges_and_articles_asked_for(self, corpus):
        assert generated_articles().count() == ARTICLES
        assert generated_pledges().count() == PLEDGES
        assert Pledge.objects.count() == PLEDGES + 8
        assert Article.objects.count() == ARTICLES + 5
        cited = generated_articles().filter(sentences__pledges__isnull=False).distinct()
        assert cited.count() == ARTICLES

    def test_reports_progress_with_rows_per_second(self, corpus):
        progress = [line for line in corpus.splitlines() if "% " in line]
        assert 15 <= len(progress) <= 21
        assert all("rows/s" in line for line in progress)
        assert progress[-1].startswith("100%")
        assert f"Wrote {ARTICLES} articles" in corpus

    def test_every_generated_sentence_is_its_slice_of_the_body(self, corpus):
        sentences = Sentence.objects.filter(article__slug__startswith=SLUG_PREFIX)
        assert sentences.count() > PLEDGES
        assert not sentences.moved().exists()
        for article in generated_articles().prefetch_related("sentences"):
            positions = []
            for sentence in article.sentences.all():
                assert article.body[sentence.start : sentence.end] == sentence.text
                assert (sentence.prefix, sentence.suffix) == sentence_context(
                    article.body, sentence.start, sentence.end
                )
                assert sentence.is_content
                positions.append(sentence.position)
            assert positions == list(range(1, len(positions) + 1))
            assert article.language in ("de", "en")
            assert article.title and article.publisher and article.published_on

    def test_every_pledge_cites_a_generated_sentence_stating_its_figure(self, corpus):
        assert Pledge.objects.exclude(pk__in=generated_pledges()).count() == 8
        pledges = generated_pledges().select_related("sentence__article")
        for pledge in pledges:
            article, text = pledge.sentence.article, pledge.sentence.text
            assert article.slug.startswith(SLUG_PREFIX)
            assert pledge.announced_on <= article.published_on
            if pledge.quantity is not None:
                assert pledge.amount is None and pledge.item in text
            else:
                german, english = CURRENCY_WORDS[pledge.currency]
                assert (german if article.language == "de" else english) in text
            assert pledge.search_text == pledge.search_words()

    def test_some_pledges_have_further_evidence_from_another_generated_article(self, corpus):
        links = EVIDENCE.objects.filter(pledge__in=generated_pledges()).select_related(
            "pledge__sentence", "sentence__article"
        )
        assert 3 <= len(links) <= 30
        for link in links:
            assert link.sentence.article.slug.startswith(SLUG_PREFIX)
            assert link.sentence.article_id != link.pledge.sentence.article_id
            published, announced = link.sentence.article.published_on, link.pledge.announced_on
            assert published is not None and announced is not None and published >= announced

    def test_a_sample_of_pledges_passes_the_editor_form_rules(self, corpus):
        pledges = list(generated_pledges().order_by("pk"))
        special = [p for p in pledges if p.part_of_id or p.is_aggregate or p.quantity]
        for pledge in random.Random(0).sample(pledges, 50) + special:
            pledge.full_clean()

    def test_eur_values_are_those_save_would_compute(self, corpus):
        currencies: Counter[str] = Counter()
        for pledge in generated_pledges().filter(amount__isnull=False):
            stored = (pledge.amount_eur, pledge.fx_rate, pledge.fx_date)
            pledge_convert_to_eur(pledge)
            assert stored == (pledge.amount_eur, pledge.fx_rate, pledge.fx_date), pledge.pk
            currencies[pledge.currency] += 1
        assert currencies["EUR"] < sum(currencies.values()) * 0.7
        assert {"USD", "GBP", "SEK"} <= set(currencies)

    def test_parts_belong_to_an_earlier_larger_pledge_of_the_same_donor(self, corpus):
        parts = generated_pledges().filter(part_of__isnull=False).select_related("part_of")
        assert parts
        for part in parts:
            whole = part.part_of
            assert whole.pk < part.pk and whole.donor_id == part.donor_id
            assert whole.amount_eur > part.amount_eur
            assert whole.announced_on <= part.announced_on
            assert not whole.is_aggregate and whole.part_of_id is None

    def test_donors_categories_and_stages_follow_the_kiel_data(self, corpus):
        pledges = generated_pledges()
        donors = Counter(pledges.values_list("donor__slug", flat=True))
        (first, count), (_, second_count) = donors.most_common(2)
        assert first == "united-states"
        assert 0.12 < count / PLEDGES < 0.32 and second_count < count
        tops = Counter(pledges.values_list("category__parent__slug", flat=True))
        assert tops.most_common(1)[0][0] == "military" and None not in tops
        stages = Counter(pledges.values_list("stage", flat=True))
        assert stages["allocated"] + stages["delivered"] > PLEDGES * 0.7
        assert stages["pledged"] and stages["proposed"]
        assert pledges.filter(is_aggregate=True).exists()
        in_kind = pledges.filter(amount__isnull=True)
        assert 0.05 < in_kind.count() / PLEDGES < 0.15
        assert not in_kind.filter(quantity__isnull=True).exists()
        assert set(pledges.values_list("origin", flat=True)) == {Pledge.Origin.IMPORT}
        reviewed = pledges.filter(review_status=Pledge.Review.REVIEWED).count()
        assert reviewed > PLEDGES * 0.8

    def test_new_rows_after_the_corpus_get_fresh_ids(self, corpus):
        article = Article.objects.create(slug="after-the-corpus", title="After", body="Eins.")
        sentence = Sentence.objects.create(
            article=article, position=1, start=0, end=5, text="Eins."
        )
        pledge = Pledge.objects.create(
            donor_id=Pledge.objects.all()[0].donor_id,
            category_id=Pledge.objects.all()[0].category_id,
            amount=1,
            currency="EUR",
            sentence=sentence,
        )
        pledge.evidence.add(sentence)
        assert article.pk > generated_articles().order_by("-pk").first().pk
        assert pledge.pk > generated_pledges().order_by("-pk").first().pk

    def test_writes_no_history(self, seeded):
        before = Pledge.history.count(), Article.history.count()
        generate(pledges=50, articles=5)
        assert (Pledge.history.count(), Article.history.count()) == before


class TestSeedAndSafety:
    def test_the_same_seed_gives_the_same_rows(self, seeded):
        generate(pledges=PLEDGES, articles=ARTICLES, seed=SEED)
        first = corpus_snapshot()
        generate(pledges=PLEDGES, articles=ARTICLES, seed=SEED, purge=True)
        assert corpus_snapshot() == first
        generate(pledges=PLEDGES, articles=ARTICLES, seed=SEED + 1, purge=True)
        assert corpus_snapshot() != first

    def test_purge_removes_only_generated_rows(self, seeded):
        before = seed_snapshot()
        generate(pledges=PLEDGES, articles=ARTICLES, seed=SEED)
        out = generate(purge=True)
        assert f"Deleted {ARTICLES} articles" in out
        assert not generated_articles().exists()
        assert not Sentence.objects.filter(article__slug__startswith=SLUG_PREFIX).exists()
        assert seed_snapshot() == before

    def test_purge_refuses_when_an_editors_pledge_cites_a_generated_sentence(self, corpus):
        demo = Pledge.objects.exclude(pk__in=generated_pledges())[0]
        demo.evidence.add(generated_pledges()[0].sentence)
        with pytest.raises(CorpusError, match="1 cite generated sentences"):
            corpus_purge()
        assert generated_pledges().count() == PLEDGES

    def test_purge_refuses_when_an_editors_pledge_is_part_of_a_generated_one(self, corpus):
        demo = Pledge.objects.exclude(pk__in=generated_pledges())[0]
        Pledge.objects.filter(pk=demo.pk).update(part_of=generated_pledges()[0])
        with pytest.raises(CorpusError, match="1 pledges outside the corpus are part of"):
            corpus_purge()
        assert generated_pledges().count() == PLEDGES

    def test_a_second_run_without_append_is_refused(self, corpus):
        with pytest.raises(CommandError, match=r"beyond the seed data.*--append"):
            generate(pledges=10)
        assert generated_pledges().count() == PLEDGES

    def test_append_adds_to_the_corpus(self, corpus):
        generate(pledges=40, articles=3, seed=SEED + 1, append=True)
        assert generated_pledges().count() == PLEDGES + 40
        assert generated_articles().count() == ARTICLES + 3

    def test_purge_then_generate_replaces_the_corpus(self, corpus):
        generate(pledges=50, articles=5, purge=True)
        assert generated_pledges().count() == 50
        assert generated_articles().count() == 5

    def test_the_rollup_and_its_summary_follow_generate_and_purge(self, corpus):
        assert rollup_differences() == []
        generate(purge=True)
        assert rollup_differences() == []

    def test_refused_without_the_reference_data(self, db):
        with pytest.raises(CommandError, match="loaddata reference"):
            generate(pledges=10)
        assert not Article.objects.exists()

    def test_needs_pledges_or_purge(self, seeded):
        with pytest.raises(CommandError, match="--pledges"):
            generate()

    def test_refuses_more_articles_than_pledges(self, seeded):
        with pytest.raises(CorpusError, match="articles"):
            corpus_generate(pledges=5, articles=6)
