from __future__ import annotations

import json
from dataclasses import replace
from importlib import import_module
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, ManagementUtility, call_command
from django.db.models import F

import articles.evidence
from articles.anchoring import How, Location, sentence_context
from articles.evidence import MovedSentence
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
        line = message.splitlines()[1]
        assert line.startswith(
            f"{moved.article.slug} #{moved.position} (chars {moved.start + 3}–{moved.end + 3}) "
            f"“{expected_text}"
        )
        # Its text is still in the body, where it was.
        assert line.endswith(f": found at {moved.start}–{moved.end} (exact, moved -3 characters)")

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
        with pytest.raises(
            CommandError, match=r"hilfe #3 \(chars 64–82\) “Das Paket ist groß.”: found at 64–83"
        ):
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


def body_replace(article: Article, body: str) -> None:
    """Give the article a new body past every guard, as a script or a restore might."""
    Article.objects.filter(pk=article.pk).update(body=body)


def spans(article: Article) -> list[tuple]:
    return list(
        article.sentences.order_by("position").values_list(
            "position", "start", "end", "text", "prefix", "suffix"
        )
    )


def check_fails(*args: str) -> list[str]:
    """The lines of the error check_evidence ends with, after its first."""
    with pytest.raises(CommandError) as caught:
        check_evidence(*args)
    return str(caught.value).splitlines()[1:]


INSERTED = "Berlin, 4. Juni. "


class TestWhereMovedSentencesWent:
    def test_text_inserted_before_a_cited_sentence_moves_it_exactly_and_fix_repairs_it(
        self, article
    ):
        PledgeFactory(sentence=sentence(article, 2))
        body = INSERTED + BODY
        body_replace(article, body)
        expected = (
            "hilfe #2 (chars 35–63) “Die Lieferung kommt im Juli.”: found at 52–80 "
            "(exact, moved +17 characters)"
        )
        assert check_fails() == [expected]
        assert check_evidence("--fix") == (
            f"1 cited sentence checked, 1 moved.\nFixed 1 sentence:\n{expected}\n"
        )
        fixed = sentence(article, 2)
        assert (fixed.start, fixed.end, fixed.text) == (52, 80, "Die Lieferung kommt im Juli.")
        assert (fixed.prefix, fixed.suffix) == sentence_context(body, 52, 80)
        assert (fixed.prefix, fixed.suffix) == ("sagt weitere Hilfe zu. ", " Das Paket ist groß.")
        assert check_evidence() == "1 cited sentence checked, 0 moved.\n"

    def test_every_sentence_is_fixed_with_all(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        body_replace(article, INSERTED + BODY)
        out = check_evidence("--all", "--fix")
        assert out.splitlines()[:2] == ["3 sentences checked, 3 moved.", "Fixed 3 sentences:"]
        assert [row[1:3] for row in spans(article)] == [(17, 51), (52, 80), (81, 100)]
        assert check_evidence("--all") == "3 sentences checked, 0 moved.\n"

    def test_an_edited_cited_sentence_is_reported_and_left_for_an_editor(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        before = spans(article)
        body_replace(article, BODY.replace("Juli", "August"))
        line = (
            "hilfe #2 (chars 35–63) “Die Lieferung kommt im Juli.”: found at 35–65, between "
            "the same words (context, ratio 0.86, in place): now “Die Lieferung kommt im August.” "
            "(“Juli.” → “August.”)"
        )
        assert check_fails() == [line]
        assert check_fails("--fix") == [
            f"{line}; not fixed: a pledge cites its old words; whether the new ones say the "
            "same is an editor's call"
        ]
        assert spans(article) == before

    def test_an_edited_sentence_among_edited_neighbours_is_approximate_and_not_fixed(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        before = spans(article)
        body_replace(
            article,
            "Deutschland sagt mehr Hilfe zu.\n\nDie Lieferung kommt im August.\n\nMehr nicht.",
        )
        line = (
            "hilfe #2 (chars 35–63) “Die Lieferung kommt im Juli.”: found approximately at "
            "33–63 (ratio 0.86): now “Die Lieferung kommt im August.” (“Juli.” → “August.”)"
        )
        assert check_fails() == [line]
        assert check_fails("--fix") == [
            f"{line}; not fixed: a likely match, not a sure one; an editor's call"
        ]
        assert spans(article) == before

    def test_a_deleted_sentence_is_not_found_and_the_command_exits_non_zero(self, article, capsys):
        PledgeFactory(sentence=sentence(article, 2))
        body_replace(article, BODY.replace("Die Lieferung kommt im Juli. ", ""))
        assert check_fails() == ["hilfe #2 (chars 35–63) “Die Lieferung kommt im Juli.”: not found"]
        with pytest.raises(SystemExit) as caught:
            ManagementUtility(["manage.py", "check_evidence", "--fix"]).execute()
        assert caught.value.code == 1
        assert "“Die Lieferung kommt im Juli.”: not found\n" in capsys.readouterr().err

    def test_a_sentence_nobody_cites_takes_the_words_its_neighbours_frame(self, article):
        body = BODY.replace("Juli", "August")
        body_replace(article, body)
        out = check_evidence("--all", "--fix")
        assert out == (
            "3 sentences checked, 2 moved.\nFixed 2 sentences:\n"
            "hilfe #2 (chars 35–63) “Die Lieferung kommt im Juli.”: found at 35–65, between the "
            "same words (context, ratio 0.86, in place): now “Die Lieferung kommt im August.” "
            "(“Juli.” → “August.”)\n"
            "hilfe #3 (chars 64–83) “Das Paket ist groß.”: found at 66–85 "
            "(exact, moved +2 characters)\n"
        )
        assert spans(article)[1] == (
            2,
            35,
            65,
            "Die Lieferung kommt im August.",
            "sagt weitere Hilfe zu. ",
            " Das Paket ist groß.",
        )
        assert check_evidence("--all") == "3 sentences checked, 0 moved.\n"

    def test_without_fix_nothing_is_written(self, article):
        PledgeFactory(sentence=sentence(article, 2))
        body_replace(article, INSERTED + BODY)
        before = spans(article)
        check_fails("--all")
        assert spans(article) == before

    def test_a_sentence_found_on_another_sentence_is_left_where_it_is(self):
        body = "Hilfe kommt. Dazwischen steht etwas. Hilfe kommt."
        article = ArticleFactory(slug="zweimal", body=body)
        for position, start in enumerate((0, 13, 37), start=1):
            end = body.index(".", start) + 1
            SentenceFactory(
                article=article, position=position, start=start, end=end, text=body[start:end]
            )
        PledgeFactory(sentence=sentence(article, 3))
        # The second "Hilfe kommt." is gone: the only one left is sentence #1's.
        body_replace(article, "Hilfe kommt. Dazwischen steht etwas.")
        before = spans(article)
        assert check_fails("--fix") == [
            "zweimal #3 (chars 37–49) “Hilfe kommt.”: found at 0–12 (exact, moved -37 "
            "characters); not fixed: its new place overlaps sentence #1"
        ]
        assert spans(article) == before

    def test_a_fix_that_does_not_hold_writes_nothing(self, article, monkeypatch):
        for position in (2, 3):
            PledgeFactory(sentence=sentence(article, position))
        body_replace(article, INSERTED + BODY)
        before = spans(article)
        located = articles.evidence.sentence_locate

        def one_wrong(body, *, text, **context):
            found = located(body, text=text, **context)
            if text == "Das Paket ist groß.":  # one character off: not its slice
                return replace(found, start=found.start + 1, end=found.end + 1)
            return found

        monkeypatch.setattr(articles.evidence, "sentence_locate", one_wrong)
        with pytest.raises(CommandError, match="After fixing, sentences #3 are still not"):
            check_evidence("--fix")
        assert spans(article) == before


class TestWordsAround:
    def test_loaded_fixtures_carry_the_words_around_each_sentence(self, seeded):
        sentences = Sentence.objects.select_related("article")
        assert sentences.count() == 162
        for each in sentences:
            body = each.article.body
            assert (each.prefix, each.suffix) == sentence_context(body, each.start, each.end)
            assert bool(each.prefix) == (each.start > 0)
            assert bool(each.suffix) == (each.end < len(body))

    def test_a_saved_sentence_gets_them_from_its_body(self, article):
        assert [row[4:] for row in spans(article)] == [
            ("", " Die Lieferung kommt im Juli."),
            ("sagt weitere Hilfe zu. ", " Das Paket ist groß."),
            ("Die Lieferung kommt im Juli. ", ""),
        ]

    def test_the_migration_fills_them_for_existing_sentences(self, seeded):
        Sentence.objects.update(prefix="", suffix="")
        fill = import_module("articles.migrations.0007_sentence_context_fill")
        fill.sentences_context_fill(Article, Sentence)
        for each in Sentence.objects.select_related("article"):
            assert (each.prefix, each.suffix) == sentence_context(
                each.article.body, each.start, each.end
            )
        assert Sentence.objects.exclude(prefix="").exclude(suffix="").count() > 100


class TestMovedSentenceDescribed:
    def test_an_edited_sentence_never_reads_as_a_ratio_of_one(self):
        text = " ".join(f"Teil{n}" for n in range(80)) + " kommt im Juli."
        edited = text.replace("Juli", "Juni")
        moved = MovedSentence(
            sentence=Sentence(position=4, start=10, end=10 + len(text), text=text),
            slug="lang",
            location=Location(How.CONTEXT, 10, 10 + len(edited), edited, 0.998),
            cited=True,
        )
        assert "(context, ratio 0.99, in place)" in str(moved)
        assert str(moved).endswith("(“Juli.” → “Juni.”)")

    def test_many_changes_are_counted_after_the_first_three(self):
        text = "eins zwei drei vier fünf sechs sieben acht neun zehn"
        edited = "Eins zwei Drei vier Fünf sechs Sieben acht Neun zehn"
        moved = MovedSentence(
            sentence=Sentence(position=1, start=0, end=len(text), text=text),
            slug="zahlen",
            location=Location(How.APPROXIMATE, 0, len(edited), edited, 0.81),
            cited=False,
        )
        assert str(moved).endswith(
            "(“eins” → “Eins”; “drei” → “Drei”; “fünf” → “Fünf”; 2 more changes)"
        )
