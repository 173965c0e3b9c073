"""The editors' workflow: review, history and restore, duplicates, import and export."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest
import tablib
from django.contrib.auth.models import Group

from tests.factories import ArticleFactory, PledgeFactory, SentenceFactory
from tracker.models import Pledge
from tracker.resources import PledgeResource
from tracker.services.duplicates import MergeRefused, pledges_merge, with_duplicate_flag
from tracker.services.review import ReviewRefused, pledge_review

pytestmark = pytest.mark.django_db

CITED = "nato-alliierten-verpflichten-sich-zu-milliardenschwerer-militaerischer#3"


def make_editor(django_user_model, username: str):
    user = django_user_model.objects.create_user(username, password="a-long-editor-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def admin_form(pledge: Pledge, **changes) -> dict[str, str]:
    values = {
        "sentence": pledge.sentence_id,
        "donor": pledge.donor_id,
        "recipient": pledge.recipient,
        "category": pledge.category_id,
        "stage": pledge.stage,
        "qualifier": pledge.qualifier,
        "amount": pledge.amount if pledge.amount is not None else "",
        "currency": pledge.currency,
        "quantity": pledge.quantity or "",
        "item": pledge.item,
        "announced_on": pledge.announced_on or "",
        "date_precision": pledge.date_precision,
        "period": pledge.period,
        "notes": pledge.notes,
        "version": pledge.version,
        **changes,
    }
    return {key: str(value) for key, value in values.items()}


@pytest.fixture
def anna(django_user_model):
    return make_editor(django_user_model, "anna")


@pytest.fixture
def ben(django_user_model):
    return make_editor(django_user_model, "ben")


def add_pledge_as(client, user, **values) -> Pledge:
    client.force_login(user)
    template = PledgeFactory.build(
        sentence=SentenceFactory(), donor=PledgeFactory().donor, category=PledgeFactory().category
    )
    response = client.post("/admin/tracker/pledge/add/", admin_form(template, **values))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Pledge.objects.latest("id")


class TestReview:
    def test_a_new_pledge_is_a_draft_until_a_second_editor_reviews_it(self, client, anna, ben):
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
        assert pledge.review_status == Pledge.Review.DRAFT
        with pytest.raises(ReviewRefused, match="recorded by you"):
            pledge_review(pledge=pledge, reviewer=anna)
        pledge_review(pledge=pledge, reviewer=ben)
        pledge.refresh_from_db()
        assert (pledge.review_status, pledge.reviewed_by) == (Pledge.Review.REVIEWED, ben)

    def test_the_admin_action_refuses_own_pledges(self, client, anna, ben):
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
        response = client.post(
            "/admin/tracker/pledge/",
            {"action": "mark_reviewed", "_selected_action": [pledge.pk]},
            follow=True,
        )
        assert "was recorded by you" in response.content.decode()
        client.force_login(ben)
        client.post(
            "/admin/tracker/pledge/", {"action": "mark_reviewed", "_selected_action": [pledge.pk]}
        )
        pledge.refresh_from_db()
        assert pledge.review_status == Pledge.Review.REVIEWED

    def test_changing_a_reviewed_pledge_sends_it_back_to_review(self, client, anna, ben):
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
        pledge_review(pledge=pledge, reviewer=ben)
        client.force_login(ben)
        client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, amount="6000000")
        )
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.review_status) == (Decimal("6000000"), Pledge.Review.DRAFT)

    def test_the_queue_shows_drafts_first_oldest_first(self, client, anna):
        reviewed = PledgeFactory(review_status=Pledge.Review.REVIEWED)
        older, newer = PledgeFactory(), PledgeFactory()
        client.force_login(anna)
        response = client.get("/admin/tracker/pledgereviewqueue/")
        assert response.status_code == 200
        rows = list(response.context["cl"].result_list)
        assert [p.pk for p in rows] == [older.pk, newer.pk, reviewed.pk]

    def test_analysts_can_ask_for_reviewed_pledges_only(self, client):
        PledgeFactory(review_status=Pledge.Review.REVIEWED, item="checked", quantity=1)
        PledgeFactory(item="unchecked", quantity=1)
        response = client.get("/pledges/?reviewed=on")
        assert [row["item"] for row in response.context_data["table"].rows] == ["checked"]
        assert "Reviewed pledges only" in response.content.decode()


class TestHistory:
    def test_every_change_is_kept_with_who_and_what(self, client, anna):
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
        client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, amount="7000000")
        )
        versions = list(pledge.history.order_by("history_date"))
        assert [v.history_type for v in versions] == ["+", "~"]
        assert {v.history_user for v in versions} == {anna}
        change = versions[1].diff_against(versions[0])
        assert {c.field for c in change.changes} >= {"amount"}

        page = client.get(f"/pledges/{pledge.pk}/").content.decode()
        assert "History" in page and '<span class="history-who">Editor</span>' in page
        assert "5,000,000.00" in page and "7,000,000.00" in page

    def test_an_earlier_version_can_be_restored(self, client, anna):
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
        client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, amount="7000000")
        )
        first = pledge.history.earliest("history_date")
        url = f"/admin/tracker/pledge/{pledge.pk}/history/{first.history_id}/"
        page = client.get(url)
        assert page.status_code == 200
        # restoring saves over the current version, so the form carries that one
        assert page.context["adminform"].form["version"].value() == 2
        response = client.post(url, admin_form(pledge, amount="5000000.00", version=2))
        assert response.status_code == 302
        pledge.refresh_from_db()
        assert pledge.amount == Decimal("5000000")
        assert pledge.history.count() == 3

    def test_deletions_are_kept(self, anna):
        pledge = PledgeFactory()
        pk = pledge.pk
        pledge.delete()
        assert Pledge.history.filter(id=pk, history_type="-").exists()

    def test_articles_and_donors_have_history(self):
        article = ArticleFactory()
        article.title = "A better title"
        article.save()
        assert article.history.count() == 2
        donor = PledgeFactory().donor
        donor.name_de = "Geber"
        donor.save()
        assert donor.history.count() == 2


class TestPublicNames:
    """Public pages name who changed a pledge by a name they chose or their role, never by
    the login they sign in with."""

    LOGINS = ("anna.k.login", "ben.r.login", "root.login")

    @pytest.fixture
    def edited(self, client, django_user_model):
        """A pledge added and changed by one editor, reviewed by another, changed by an admin."""
        editors = Group.objects.get(name="Editors")
        # No passwords: the client signs them in, and hashing one takes a while.
        anna = django_user_model.objects.create_user("anna.k.login", is_staff=True)
        ben = django_user_model.objects.create_user("ben.r.login", is_staff=True)
        editors.user_set.add(anna, ben)
        root = django_user_model.objects.create_superuser("root.login")
        pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR", notes="First.")
        client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, notes="Second.")
        )
        client.force_login(ben)
        client.post(
            "/admin/tracker/pledge/", {"action": "mark_reviewed", "_selected_action": [pledge.pk]}
        )
        pledge.refresh_from_db()
        assert pledge.reviewed_by == ben
        client.force_login(root)
        client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", admin_form(pledge, notes="Third.")
        )
        client.logout()
        assert pledge.history.count() == 4
        return pledge

    def public_pages(self, client, pledge: Pledge) -> dict[str, str]:
        article = pledge.sentence.article
        urls = [
            "/",
            "/pledges/",
            f"/pledges/?q=Third&donor={pledge.donor.slug}",
            f"/pledges/{pledge.pk}/",
            f"/donors/{pledge.donor.slug}/",
            "/articles/",
            f"/articles/{article.slug}/",
            "/reference/",
            "/pledges/export.csv",
            *(f"/pledges/totals.csv?by={by}" for by in ("", "donor", "stage", "year")),
        ]
        pages = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.getvalue() if response.streaming else response.content
            pages[url] = body.decode()
        fragment = client.get(
            "/pledges/", headers={"HX-Request": "true", "HX-Target": "pledge-table"}
        )
        pages["/pledges/ (fragment)"] = fragment.content.decode()
        return pages

    @staticmethod
    def history_names(client, pledge: Pledge) -> list[str]:
        page = client.get(f"/pledges/{pledge.pk}/").content.decode()
        return re.findall(r'<span class="history-who">([^<]*)</span>', page)

    def test_no_public_page_or_export_shows_a_login(self, client, edited):
        for url, body in self.public_pages(client, edited).items():
            for login in self.LOGINS:
                assert login not in body, (url, login)
        # newest first: the admin's change, the review, the editor's change and addition
        assert self.history_names(client, edited) == [
            "Administrator",
            "Reviewer",
            "Editor",
            "Editor",
        ]

    def test_the_history_names_the_name_an_editor_chose(self, client, edited, django_user_model):
        django_user_model.objects.filter(username="anna.k.login").update(
            first_name="Anna", last_name="Kowalska"
        )
        # A "name" that is the login would publish it: the role is shown instead.
        django_user_model.objects.filter(username="ben.r.login").update(first_name="BEN.R.Login")
        assert self.history_names(client, edited) == [
            "Administrator",
            "Reviewer",
            "Anna Kowalska",
            "Anna Kowalska",
        ]


class TestDuplicates:
    @pytest.fixture
    def pair(self):
        first = PledgeFactory(
            amount=Decimal("247000000"), currency="GBP", announced_on=datetime.date(2025, 6, 4)
        )
        second = PledgeFactory(
            donor=first.donor,
            amount=Decimal("247000000"),
            currency="GBP",
            announced_on=datetime.date(2025, 6, 10),
            sentence=SentenceFactory(article=ArticleFactory(body="London gibt 247 Mio. Pfund.")),
        )
        return first, second

    def test_the_same_pledge_in_two_articles_is_flagged(self, pair):
        PledgeFactory(donor=pair[0].donor, amount=Decimal("1"), currency="GBP")  # other figure
        PledgeFactory(  # same figure, two months later: a new pledge
            donor=pair[0].donor,
            amount=Decimal("247000000"),
            currency="GBP",
            announced_on=datetime.date(2025, 8, 20),
            sentence=SentenceFactory(article=ArticleFactory()),
        )
        flagged = with_duplicate_flag(Pledge.objects.all()).filter(possible_duplicate=True)
        assert set(flagged.values_list("pk", flat=True)) == {pair[0].pk, pair[1].pk}

    def test_same_quantity_of_the_same_item_is_flagged(self):
        first = PledgeFactory(amount=None, currency="", quantity=15, item="Gravehawk")
        PledgeFactory(
            donor=first.donor,
            amount=None,
            currency="",
            quantity=15,
            item="gravehawk",
            sentence=SentenceFactory(article=ArticleFactory()),
        )
        flagged = with_duplicate_flag(Pledge.objects.all()).filter(possible_duplicate=True)
        assert flagged.count() == 2

    def test_merge_keeps_one_pledge_with_both_sentences(self, pair, client, anna):
        first, second = pair
        part = PledgeFactory(donor=first.donor, part_of=second, amount=Decimal("1000"))
        client.force_login(anna)
        response = client.post(
            "/admin/tracker/pledge/",
            {"action": "merge_pledges", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
        assert "Merged 2 pledges into" in response.content.decode()
        assert not Pledge.objects.filter(pk=second.pk).exists()
        first.refresh_from_db()
        assert list(first.evidence.all()) == [second.sentence]
        part.refresh_from_db()
        assert part.part_of == first
        assert Pledge.history.filter(id=second.pk, history_type="-").exists()

    def test_different_donors_are_not_merged(self, pair):
        other = PledgeFactory(amount=Decimal("247000000"), currency="GBP")
        with pytest.raises(MergeRefused, match="different donors"):
            pledges_merge(keep=pair[0], others=[other])
        assert Pledge.objects.filter(pk=other.pk).exists()


class TestImportExport:
    def test_export_then_import_changes_nothing(self, seeded):
        before = [tuple(row) for row in Pledge.objects.order_by("pk").values_list()]
        evidence = sorted(Pledge.evidence.through.objects.values_list("pledge_id", "sentence_id"))
        dataset = PledgeResource().export()
        assert dataset.headers[:3] == ["id", "donor", "recipient"]
        assert dataset.dict[0]["sentence"].endswith("#10")  # article-slug#position

        result = PledgeResource().import_data(tablib.Dataset().load(dataset.csv, "csv"))
        assert not result.has_errors() and not result.has_validation_errors()
        assert {row.import_type for row in result.rows} == {"skip"}
        assert [tuple(row) for row in Pledge.objects.order_by("pk").values_list()] == before
        assert (
            sorted(Pledge.evidence.through.objects.values_list("pledge_id", "sentence_id"))
            == evidence
        )

    def test_dry_run_previews_and_changes_nothing(self, seeded):
        dataset = PledgeResource().export()
        rows = dataset.dict
        rows[0]["amount"] = "1.00"
        changed = tablib.Dataset(headers=dataset.headers)
        changed.append([rows[0][h] for h in dataset.headers])
        result = PledgeResource().import_data(changed, dry_run=True)
        assert [row.import_type for row in result.rows] == ["update"]
        assert Pledge.objects.get(pk=rows[0]["id"]).amount != Decimal("1.00")

    def test_a_bad_row_imports_nothing(self, seeded):
        dataset = PledgeResource().export()
        dataset.append(["", "atlantis", "Ukraine"] + [""] * (len(dataset.headers) - 3))
        count = Pledge.objects.count()
        result = PledgeResource().import_data(dataset, raise_errors=False)
        assert result.has_errors() or result.has_validation_errors()
        assert Pledge.objects.count() == count

    @pytest.mark.parametrize(
        "name, content, form_format, problem",
        [
            (
                "broken.json",
                b'[{"donor": "germany",, }]',
                "2",
                "broken.json cannot be read in this format: Expecting property name enclosed "
                "in double quotes: line 1 column 22 (char 21)",
            ),
            (
                "missing.csv",
                b"donor,amount,currency,category,stage,sentence\r\n"
                b"germany,5,EUR,military,pledged,\r\n",
                "0",
                "Give the sentence that states the pledge: article-slug#position.",
            ),
            (
                "atlantis.csv",
                f"donor,amount,currency,category,stage,sentence\r\n"
                f"atlantis,5,EUR,military,pledged,{CITED}\r\n".encode(),
                "0",
                "No donor has the slug “atlantis”.",
            ),
            (
                "typo.csv",
                f"donor,amount,currency,category,stage,sentence,announced_on\r\n"
                f"germany,5,EUR,military,pledged,{CITED},2022-03-02\r\n"
                f"germany,5,EUR,military,pledged,{CITED},0202-03-02\r\n".encode(),
                "0",
                "0202-03-02 is outside the accepted dates, 1990-01-01 to",
            ),
            (
                "nowhere.csv",
                f"donor,amount,currency,category,stage,sentence\r\n"
                f"germany,5,EUR,military,pledged,{CITED}\r\n"
                f"germany,5,EUR,military,pledged,{CITED.replace('#3', '#999')}\r\n".encode(),
                "0",
                "No sentence 999 in an article",
            ),
        ],
    )
    def test_a_bad_file_is_named_with_its_rows_and_imports_nothing(
        self, client, anna, seeded, name, content, form_format, problem
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(anna)
        count = Pledge.objects.count()
        response = client.post(
            "/admin/tracker/pledge/import/",
            {
                "import_file": SimpleUploadedFile(name, content),
                "format": form_format,
                "resource": "0",
            },
        )
        page = html.unescape(response.content.decode())
        assert response.status_code == 200
        assert problem in page
        if form_format == "0":
            last_row = content.decode().count("\r\n") - 1
            assert f"Nothing was imported from {name}: 1 row(s) cannot be imported" in page
            assert re.search(rf"<td>\s*{last_row}\s*</td>|Line number: {last_row}", page)
        assert Pledge.objects.count() == count

    def test_the_admin_offers_import_and_export(self, client, anna):
        client.force_login(anna)
        assert client.get("/admin/tracker/pledge/import/").status_code == 200
        assert client.get("/admin/tracker/pledge/export/").status_code == 200


def test_reviewing_from_the_queue_is_kept_in_the_history(client, anna, ben):
    pledge = add_pledge_as(client, anna, amount="5000000", currency="EUR")
    client.force_login(ben)
    client.post(
        "/admin/tracker/pledgereviewqueue/",
        {"action": "mark_reviewed", "_selected_action": [pledge.pk]},
    )
    latest = pledge.history.latest("history_date")
    assert (latest.review_status, latest.history_user) == ("reviewed", ben)
    # editing from the queue goes to the pledge's own page, with the review keys
    response = client.get(f"/admin/tracker/pledgereviewqueue/{pledge.pk}/change/")
    assert response["Location"] == f"/admin/tracker/pledge/{pledge.pk}/change/?review=1"


class TestSuggestionsInTheAdmin:
    @pytest.fixture
    def fresh_article(self, seeded):
        article = ArticleFactory(
            slug="norway-package",
            language="de",
            published_on=datetime.date(2025, 6, 4),
            body=(
                "Norwegen sagt der Ukraine weitere 500 Millionen Euro für Luftverteidigung zu. "
                "Das Land hat seit 2022 etwa 40 Prozent seiner Hilfe geliefert. "
                "Zudem liefert Oslo 20 Schnellboote."
            ),
        )
        body = article.body
        first = body.index("Das Land")
        third = body.index("Zudem")
        for position, (start, end) in enumerate(
            [(0, first - 1), (first, third - 1), (third, len(body))], start=1
        ):
            SentenceFactory(
                article=article, position=position, start=start, end=end, text=body[start:end]
            )
        return article

    def test_sentences_show_their_open_suggestions(self, client, anna, fresh_article):
        client.force_login(anna)
        content = client.get(f"/admin/articles/article/{fresh_article.pk}/change/").content
        content = content.decode()
        assert "Norway · 500,000,000 EUR · air-defence" in content
        # No suggestion for "40 Prozent" (the labels only: a link's ids may hold "40").
        labels = re.findall(r'<a class="suggestion"[^>]*>([^<]*)</a>', content)
        assert labels and not [label for label in labels if "40" in label]

    def test_accepting_a_suggestion_keeps_its_origin_then_moves_on(
        self, client, anna, fresh_article
    ):
        client.force_login(anna)
        page = client.get(f"/admin/articles/article/{fresh_article.pk}/change/").content.decode()
        import html
        import re

        links = [
            html.unescape(u) for u in re.findall(r'<a class="suggestion" href="([^"]+)"', page)
        ]
        assert len(links) == 2
        form = client.get(links[0]).context["adminform"].form
        values = {name: form.initial.get(name, "") for name in form.fields}
        assert values["amount"] == "500000000"
        assert values["currency"] == "EUR"
        data = {
            **{k: v for k, v in values.items() if k != "evidence" and v is not None},
            "recipient": "Ukraine",
            "qualifier": values["qualifier"] or "exact",
            "date_precision": "day",
            "_savenext": "Save and next suggestion",
        }
        response = client.post(links[0], {k: str(v) for k, v in data.items()})
        pledge = Pledge.objects.latest("id")
        assert pledge.origin == Pledge.Origin.SUGGESTION
        assert pledge.suggestion["amount"] == "500000000"
        assert pledge.donor.slug == "norway"
        # "save and next" opens the next open suggestion: the boats of sentence 3
        assert response.status_code == 302
        assert "quantity=20" in response["Location"]


def test_a_suggested_part_points_at_its_recorded_whole(client, seeded, django_user_model):
    from tracker.admin import suggestions_open

    article = ArticleFactory(
        slug="uk-package",
        language="de",
        published_on=datetime.date(2025, 1, 17),
        body=(
            "Allein in diesem Jahr gebe London 6,6 Milliarden Dollar – mehr als drei "
            "Milliarden Dollar davon seien als jährliche Militärhilfe festgeschrieben."
        ),
    )
    sentence = SentenceFactory(article=article, position=1)
    whole = PledgeFactory(sentence=sentence, amount=Decimal("6600000000"), currency="USD")
    [(part, url)] = suggestions_open(article)[1]
    assert part.amount == Decimal("3000000000")
    assert f"part_of={whole.pk}" in url
