from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, ManagementUtility, call_command
from django.db.models import F

from articles.models import Article, Sentence, article_body_change_check
from tests.factories import ArticleFactory, PledgeFactory, SentenceFactory

pytestmark = pytest.mark.django_db

BODY = "Deutschland sagt weitere Hilfe zu. Die Lieferung kommt im Juli. Das Paket ist groß."


@pytest.fixture
def article() -> Article:
    article = ArticleFactory(slug="hilfe", body=BODY)
    for position, text in enumerate(
        (
            "Deutschland sagt weitere Hilfe zu.",
            "Die Lieferung kommt im Juli.",
            "Das Paket ist groß.",
        ),
        start=1,
    ):
        start = BODY.index(text)
        SentenceFactory(
            article=article, position=position, start=start, end=start + len(text), text=text
        )
    return article


def sentence(article: Article, position: int) -> Sentence:
    return article.sentences.get(position=position)


def stored_body(article: Article) -> str:
    return Article.objects.values_list("body", flat=True).get(pk=article.pk)


def check_evidence(*args: str) -> str:
    out = StringIO()
    call_command("check_evidence", *args, stdout=out)
    return out.getvalue()


class TestBodyGuard:
    def test_an_edit_that_moves_a_cited_sentence_is_refused(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        article.body = "Deutschland sagt mehr Hilfe zu. " + BODY.split(" zu. ", 1)[1]
        with pytest.raises(ValidationError) as caught:
            article.save()
        assert caught.value.messages == [
            "The new text would move sentences that pledges cite: "
            "#2 (chars 35–63) “Die Lieferung kommt im Juli.”. Change the text only around them."
        ]
        assert stored_body(article) == BODY

    def test_further_evidence_counts_as_cited(self, article):
        pledge = PledgeFactory(sentence=sentence(article, 1))
        pledge.evidence.add(sentence(article, 3))
        article.body = BODY.replace("groß", "klein")
        with pytest.raises(ValidationError, match=r"#3 \(chars 64–83\)"):
            article.save()
        assert stored_body(article) == BODY

    def test_appending_after_the_last_sentence_is_allowed(self, article):
        PledgeFactory(sentence=sentence(article, 3))
        article.body = BODY + " Weitere Pakete sollen folgen."
        article.save()
        assert stored_body(article) == article.body

    def test_an_edit_around_the_cited_sentence_is_allowed(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        article.body = BODY.replace("Paket ist groß", "Paket ist klein")
        article.save()
        assert stored_body(article) == article.body

    def test_an_article_nobody_cites_may_change(self, article):
        article.body = "Ganz anders."
        article.save()
        assert stored_body(article) == "Ganz anders."

    def test_saving_other_fields_does_not_look_at_the_body(
        self, article, django_assert_num_queries
    ):
        PledgeFactory(sentence=sentence(article, 2))
        article.title = "Neue Hilfe"
        article.body = "Ganz anders."
        with django_assert_num_queries(2):  # the update and its history record
            article.save(update_fields=["title"])

    def test_clean_gives_the_editor_the_same_message(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        article.body = BODY.replace("Lieferung", "Sendung")
        with pytest.raises(ValidationError, match=r"#2 \(chars 35–63\)"):
            article.full_clean()

    def test_the_check_names_every_moved_sentence(self, article):
        for position in (1, 2, 3):
            PledgeFactory(sentence=sentence(article, position))
        with pytest.raises(ValidationError) as caught:
            article_body_change_check(article=article, new_body="x" + BODY)
        assert [part.split(" (")[0] for part in caught.value.messages[0].split("; ")] == [
            "The new text would move sentences that pledges cite: #1",
            "#2",
            "#3",
        ]

    def test_loaddata_cannot_move_a_cited_sentence(self, article, tmp_path):
        PledgeFactory(sentence=sentence(article, 2))
        fixture = tmp_path / "changed.json"
        fields = {"slug": "hilfe", "title": "Hilfe", "language": "de", "body": "x" + BODY}
        fixture.write_text(json.dumps([{"model": "articles.article", "fields": fields}]))
        with pytest.raises(
            CommandError, match=r'changed.json, record 1 \(articles.article \["hilfe"\]\): .*#2'
        ):
            call_command("loaddata", str(fixture), verbosity=0)
        assert stored_body(article) == BODY


class TestSentenceGuard:
    def test_a_cited_sentence_keeps_its_offsets_and_text(self, article):
        cited = sentence(article, 2)
        PledgeFactory(sentence=cited)
        cited.start += 1
        with pytest.raises(ValidationError, match="Sentence #2 of article hilfe is cited"):
            cited.save()

    def test_a_cited_sentence_may_change_its_kind(self, article):
        cited = sentence(article, 2)
        PledgeFactory(sentence=cited)
        cited.kind = Sentence.Kind.BOILERPLATE
        cited.save()
        assert sentence(article, 2).kind == Sentence.Kind.BOILERPLATE

    def test_a_sentence_nobody_cites_may_move(self, article):
        uncited = sentence(article, 2)
        uncited.start += 1
        uncited.text = uncited.text[1:]
        uncited.save()
        assert sentence(article, 2).text == "ie Lieferung kommt im Juli."


class TestCheckEvidence:
    def test_the_seeds_pass(self, seeded):
        cited = Sentence.objects.cited().count()
        assert cited > 0
        assert check_evidence() == f"{cited} cited sentences checked, 0 moved.\n"
        assert check_evidence("--all") == "162 sentences checked, 0 moved.\n"

    def test_a_moved_cited_sentence_fails_and_is_named(self, seeded):
        moved = Sentence.objects.cited().select_related("article").order_by("pk").first()
        # QuerySet.update goes past every guard, as a careless script would.
        Sentence.objects.filter(pk=moved.pk).update(start=F("start") + 3, end=F("end") + 3)
        with pytest.raises(CommandError) as caught:
            check_evidence()
        message = str(caught.value)
        assert message.startswith("1 sentence no longer matches their article's text:\n")
        expected_text = " ".join(moved.text.split())[:30]
        found_text = " ".join(moved.article.body[moved.start + 3 : moved.end + 3].split())[:30]
        line = message.splitlines()[1]
        assert line.startswith(
            f"{moved.article.slug} #{moved.position} (chars {moved.start + 3}–{moved.end + 3}) "
            f"“{expected_text}"
        )
        assert f", found “{found_text}" in line

    def test_the_command_exits_non_zero(self, seeded, capsys):
        moved = Sentence.objects.cited().order_by("pk").first()
        Sentence.objects.filter(pk=moved.pk).update(text="Etwas anderes.")
        with pytest.raises(SystemExit) as caught:
            ManagementUtility(["manage.py", "check_evidence"]).execute()
        assert caught.value.code == 1
        captured = capsys.readouterr()
        assert "1 moved." in captured.out
        assert f"#{moved.position} " in captured.err and "“Etwas anderes.”" in captured.err

    def test_an_uncited_moved_sentence_fails_only_with_all(self, article):
        Sentence.objects.filter(pk=sentence(article, 3).pk).update(end=F("end") - 1)
        assert check_evidence() == "0 cited sentences checked, 0 moved.\n"
        with pytest.raises(CommandError, match=r"hilfe #3 \(chars 64–82\) “Das Paket ist groß.”"):
            check_evidence("--all")

    def test_offsets_count_code_points_in_the_database_too(self):
        body = "Größe 🇺🇦 – „Hilfe“ für Kyjiw. Noch ein Satz 😀 hier."
        article = ArticleFactory(body=body)
        for position, text in enumerate(("„Hilfe“ für Kyjiw.", "😀 hier."), start=1):
            start = body.index(text)
            SentenceFactory(
                article=article, position=position, start=start, end=start + len(text), text=text
            )
        assert not Sentence.objects.moved().exists()
        Sentence.objects.filter(article=article).update(start=F("start") + 1)
        assert Sentence.objects.moved().count() == 2
