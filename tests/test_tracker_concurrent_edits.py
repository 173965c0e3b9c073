"""Two editors saving the same pledge: the second save is refused, and nothing is lost."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from tests.factories import PledgeFactory
from tracker.admin import PledgeAdminForm
from tracker.models import EditConflict, Pledge


def make_editor(django_user_model, username: str):
    user = django_user_model.objects.create_user(username, password="a-long-editor-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def form_data(response) -> dict[str, object]:
    """What the browser would post back: the values the change form shows, hidden ones too."""
    form = response.context["adminform"].form
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


@pytest.mark.django_db
class TestTwoEditorsInTheAdmin:
    @pytest.fixture
    def pledge(self):
        return PledgeFactory(amount=Decimal("5000000"), currency="EUR", notes="")

    @pytest.fixture
    def anna(self, django_user_model):
        return make_editor(django_user_model, "anna")

    @pytest.fixture
    def ben(self, django_user_model):
        return make_editor(django_user_model, "ben")

    def open_as(self, client, user, pledge):
        client.force_login(user)
        response = client.get(f"/admin/tracker/pledge/{pledge.pk}/change/")
        assert response.status_code == 200
        return form_data(response)

    def test_the_second_save_is_refused_with_what_changed(self, client, pledge, anna, ben):
        url = f"/admin/tracker/pledge/{pledge.pk}/change/"
        annas_form = self.open_as(client, anna, pledge)
        bens_form = self.open_as(client, ben, pledge)
        assert annas_form["version"] == bens_form["version"] == "1"

        client.force_login(anna)
        saved = client.post(url, {**annas_form, "amount": "6000000", "notes": "Anna checked it."})
        assert saved.status_code == 302

        client.force_login(ben)
        bens_entries = {**bens_form, "amount": "7000000", "stage": "delivered"}
        refused = client.post(url, bens_entries)

        assert refused.status_code == 200
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.notes, pledge.stage) == (
            Decimal("6000000"),
            "Anna checked it.",
            Pledge.Stage.PLEDGED,
        )
        assert pledge.version == 2
        form = refused.context["adminform"].form
        [message] = form.non_field_errors()
        assert message.startswith("Not saved: anna (")
        assert "They changed: amount, notes." in message
        rows = {row.label: row for row in form.conflict}
        assert set(rows) == {"amount", "notes"}
        assert (rows["amount"].opened, rows["amount"].theirs, rows["amount"].yours) == (
            "5,000,000.00",
            "6,000,000.00",
            "7,000,000.00",
        )
        assert rows["amount"].yours_changed and not rows["notes"].yours_changed
        # Ben's entries are still in the form; Anna's note, which he had not touched, joins them.
        shown = form_data(refused)
        assert (shown["amount"], shown["stage"]) == ("7000000", "delivered")
        assert shown["notes"] == "Anna checked it."
        assert shown["version"] == "2"
        page = refused.content.decode()
        assert "Saved by someone else while you edited" in page
        assert "6,000,000.00" in page and 'value="7000000"' in page

        # Ben has seen Anna's changes: saving again keeps both.
        again = client.post(url, shown)
        assert again.status_code == 302
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.notes, pledge.stage, pledge.version) == (
            Decimal("7000000"),
            "Anna checked it.",
            Pledge.Stage.DELIVERED,
            3,
        )

    def test_the_comparison_needs_no_history(self, client, pledge, anna, ben):
        """A pledge bulk-loaded without history compares with the form's own snapshot."""
        pledge.history.all().delete()
        url = f"/admin/tracker/pledge/{pledge.pk}/change/"
        annas_form = self.open_as(client, anna, pledge)
        bens_form = self.open_as(client, ben, pledge)
        client.force_login(anna)
        client.post(url, {**annas_form, "notes": "Anna checked it."})
        client.force_login(ben)
        refused = client.post(url, {**bens_form, "stage": "delivered"})
        form = refused.context["adminform"].form
        assert [(row.label, row.opened, row.theirs) for row in form.conflict] == [
            ("notes", "—", "Anna checked it.")
        ]
        assert "They changed: notes." in form.non_field_errors()[0]
        shown = form_data(refused)
        assert (shown["notes"], shown["stage"]) == ("Anna checked it.", "delivered")

    def test_a_save_in_between_that_changed_nothing_is_no_conflict(self, client, pledge, anna, ben):
        url = f"/admin/tracker/pledge/{pledge.pk}/change/"
        annas_form = self.open_as(client, anna, pledge)
        bens_form = self.open_as(client, ben, pledge)
        client.force_login(anna)
        assert client.post(url, annas_form).status_code == 302
        client.force_login(ben)
        assert client.post(url, {**bens_form, "notes": "Ben's note."}).status_code == 302
        pledge.refresh_from_db()
        assert (pledge.notes, pledge.version) == ("Ben's note.", 3)

    def test_a_review_in_between_is_named(self, client, pledge, anna, ben):
        from tracker.services.review import pledge_review

        bens_form = self.open_as(client, ben, pledge)
        pledge_review(pledge=Pledge.objects.get(pk=pledge.pk), reviewer=anna)
        response = client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", {**bens_form, "notes": "ok"}
        )
        assert response.status_code == 200
        [message] = response.context["adminform"].form.non_field_errors()
        assert "They changed: review." in message
        pledge.refresh_from_db()
        assert (pledge.notes, pledge.review_status) == ("", Pledge.Review.REVIEWED)

    def test_the_save_refuses_what_a_late_check_let_through(
        self, client, pledge, anna, ben, monkeypatch
    ):
        """Another save can land between the form's check and its save: the save's own
        conditional update refuses it, and the form is shown again with the refusal."""
        bens_form = self.open_as(client, ben, pledge)
        anna_copy = Pledge.objects.get(pk=pledge.pk)
        anna_copy.notes = "Anna's note."
        anna_copy.save()

        checked = PledgeAdminForm.clean
        calls = []

        def clean_as_if_before_annas_save(form):
            calls.append(form)
            if len(calls) == 1:  # the first check ran before Anna's save
                form.instance.version = form.cleaned_data["version"]
            return checked(form)

        monkeypatch.setattr(PledgeAdminForm, "clean", clean_as_if_before_annas_save)
        client.force_login(ben)
        response = client.post(
            f"/admin/tracker/pledge/{pledge.pk}/change/", {**bens_form, "amount": "9"}
        )
        assert len(calls) == 2
        assert response.status_code == 200
        assert "They changed: notes." in response.context["adminform"].form.non_field_errors()[0]
        pledge.refresh_from_db()
        assert (pledge.amount, pledge.notes, pledge.version) == (
            Decimal("5000000"),
            "Anna's note.",
            2,
        )

    def test_restoring_an_old_version_over_a_newer_save_is_refused(self, client, pledge, anna, ben):
        first = pledge.history.get()
        url = f"/admin/tracker/pledge/{pledge.pk}/history/{first.history_id}/"
        client.force_login(ben)
        restore_form = form_data(client.get(url))
        anna_copy = Pledge.objects.get(pk=pledge.pk)
        anna_copy.notes = "Anna's note."
        anna_copy.save()
        response = client.post(url, restore_form)
        assert response.status_code == 200
        assert "They changed: notes." in response.context["adminform"].form.non_field_errors()[0]
        pledge.refresh_from_db()
        assert pledge.notes == "Anna's note."

    def test_a_deleted_pledge_comes_back_from_its_history_as_a_draft(self, client, ben):
        pledge = PledgeFactory(review_status=Pledge.Review.REVIEWED, notes="Kept.")
        pk, record = pledge.pk, pledge.history.get()
        pledge.delete()
        url = f"/admin/tracker/pledge/{pk}/history/{record.history_id}/"
        client.force_login(ben)
        response = client.post(url, form_data(client.get(url)))
        assert response.status_code == 302
        restored = Pledge.objects.get(pk=pk)
        assert (restored.notes, restored.review_status, restored.version) == (
            "Kept.",
            Pledge.Review.DRAFT,
            1,
        )


@pytest.mark.django_db
class TestVersion:
    def test_every_save_counts(self):
        pledge = PledgeFactory()
        assert pledge.version == 1
        pledge.notes = "checked"
        pledge.save()
        pledge.save(update_fields=["notes"])
        pledge.refresh_from_db()
        assert pledge.version == 3

    def test_a_copy_read_before_another_save_cannot_be_saved(self):
        pledge = PledgeFactory(notes="")
        first, second = Pledge.objects.get(pk=pledge.pk), Pledge.objects.get(pk=pledge.pk)
        first.notes = "first"
        first.save()
        second.notes = "second"
        with pytest.raises(EditConflict, match=f"Pledge #{pledge.pk} was saved by someone else"):
            second.save()
        assert second.version == 1
        pledge.refresh_from_db()
        assert (pledge.notes, pledge.version) == ("first", 2)

    def test_the_demo_data_loads_at_version_one(self, seeded):
        assert set(Pledge.objects.values_list("version", flat=True)) == {1}


def in_thread(work, results: dict, key: str) -> threading.Thread:
    """Run ``work`` in a thread with its own database connection; record what it returned or
    raised under ``key``."""

    def run():
        try:
            results[key] = work()
        except Exception as error:  # the test reads what was raised
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
class TestRace:
    """Real connections and transactions, one per editor."""

    def test_two_saves_of_the_same_version_one_wins(self):
        pledge = PledgeFactory(notes="")
        both_read = threading.Barrier(2, timeout=10)
        first_saved = threading.Event()
        results: dict[str, object] = {}

        def editor(notes: str, go_first: bool):
            def work():
                copy = Pledge.objects.get(pk=pledge.pk)  # both read version 1 ...
                both_read.wait()
                if not go_first:
                    assert first_saved.wait(10)
                copy.notes = notes
                try:
                    copy.save()  # ... both would pass a check made now, only one saves
                finally:
                    first_saved.set()
                return copy.version

            return work

        threads = [
            in_thread(editor("first", True), results, "first"),
            in_thread(editor("second", False), results, "second"),
        ]
        for thread in threads:
            thread.join(20)
        assert results["first"] == 2
        assert isinstance(results["second"], EditConflict)
        pledge.refresh_from_db()
        assert (pledge.notes, pledge.version) == ("first", 2)

    @pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite never runs two write transactions at once: the settings open every "
        "transaction with BEGIN IMMEDIATE, and the in-memory test database reports the lock "
        "instead of waiting for it",
    )
    def test_a_save_waits_for_an_open_transaction_then_is_refused(self):
        """The first save holds the row until it commits; the second, already past any
        check, waits for it and then finds the version gone."""
        pledge = PledgeFactory(notes="")
        first_in_transaction = threading.Event()
        release_first = threading.Event()
        results: dict[str, object] = {}
        second_copy = Pledge.objects.get(pk=pledge.pk)

        def first():
            copy = Pledge.objects.get(pk=pledge.pk)
            with transaction.atomic():
                copy.notes = "first"
                copy.save()
                first_in_transaction.set()
                assert release_first.wait(10)
            return copy.version

        def second():
            assert first_in_transaction.wait(10)
            second_copy.notes = "second"
            second_copy.save()
            return second_copy.version

        first_thread = in_thread(first, results, "first")
        second_thread = in_thread(second, results, "second")
        second_thread.join(1)
        waiting = second_thread.is_alive()
        release_first.set()
        first_thread.join(20)
        second_thread.join(20)
        assert waiting, "the second save must wait for the first transaction"
        assert results["first"] == 2
        assert isinstance(results["second"], EditConflict)
        pledge.refresh_from_db()
        assert (pledge.notes, pledge.version) == ("first", 2)


@pytest.mark.django_db
class TestSpreadsheetRoundTrip:
    def test_a_row_exported_before_another_save_is_refused(self, seeded):
        import tablib

        from tracker.resources import PledgeResource

        dataset = PledgeResource().export()
        assert dataset.headers[-1] == "version"
        pledge = Pledge.objects.get(pk=dataset.dict[0]["id"])
        pledge.notes = "Changed in the admin after the export."
        pledge.save()

        rows = dataset.dict
        rows[0]["amount"] = "1.00"
        edited = tablib.Dataset(headers=dataset.headers)
        edited.append([rows[0][h] for h in dataset.headers])
        result = PledgeResource().import_data(edited)

        [invalid] = result.invalid_rows
        assert invalid.error_dict["version"] == [
            f"Pledge #{pledge.pk} was saved again after this file was exported "
            "(version 1, now 2): export it again and re-apply your changes."
        ]
        pledge.refresh_from_db()
        assert pledge.notes == "Changed in the admin after the export."
        assert pledge.amount != Decimal("1.00")

    def test_a_file_without_versions_still_imports(self, seeded):
        import tablib

        from tracker.resources import PledgeResource

        dataset = PledgeResource().export()
        rows = dataset.dict
        rows[0]["amount"] = "1.00"
        headers = [h for h in dataset.headers if h != "version"]
        edited = tablib.Dataset(headers=headers)
        edited.append([rows[0][h] for h in headers])
        result = PledgeResource().import_data(edited)
        assert not result.has_errors() and not result.has_validation_errors()
        pledge = Pledge.objects.get(pk=rows[0]["id"])
        assert (pledge.amount, pledge.version) == (Decimal("1.00"), 2)
