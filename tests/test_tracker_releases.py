"""Numbered releases: publishing, the changelog, immutability, ``?release=N`` and the files."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.utils import timezone

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory, SentenceFactory
from tracker.models import Pledge, Release, ReleasedPledge, ReleaseImmutable
from tracker.selectors.table import pledge_table
from tracker.services.duplicates import pledges_merge
from tracker.services.releases import NothingChanged, release_publish

pytestmark = pytest.mark.django_db

REVIEWED = Pledge.Review.REVIEWED


@pytest.fixture
def pledges() -> dict[str, Pledge]:
    military = CategoryFactory(slug="military", name="Military", name_de="Militärisch")
    drones = CategoryFactory(slug="drones", name="Drones", name_de="Drohnen", parent=military)
    germany = DonorFactory(slug="germany", name="Germany", name_de="Deutschland", iso2="DE")
    france = DonorFactory(slug="france", name="France", name_de="Frankreich", iso2="FR")
    return {
        "drones": PledgeFactory(
            donor=germany,
            category=drones,
            amount=Decimal("1000000"),
            quantity=300,
            item="Drohnen",
            notes="=1+1",
            review_status=REVIEWED,
        ),
        "loan": PledgeFactory(
            donor=france,
            category=military,
            amount=Decimal("2500000"),
            currency="USD",
            review_status=REVIEWED,
        ),
        "again": PledgeFactory(
            donor=germany,
            category=drones,
            amount=Decimal("1000000"),
            sentence=SentenceFactory(),
            review_status=REVIEWED,
        ),
        "draft": PledgeFactory(donor=france, category=military, amount=Decimal("7")),
    }


def csv_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class TestPublish:
    def test_the_first_release_holds_the_reviewed_pledges_as_added(self, pledges):
        release, changes = release_publish()
        reviewed = sorted(pledges[name].pk for name in ("drones", "loan", "again"))
        assert release.number == 1
        assert changes.added == reviewed
        assert sorted(release.pledges.values_list("pledge_id", flat=True)) == reviewed

    def test_a_change_is_named_with_its_fields_old_and_new(self, pledges, client):
        release_publish()
        drones = pledges["drones"]
        drones.amount, drones.stage = Decimal("2000000"), Pledge.Stage.DELIVERED
        drones.save()
        release, changes = release_publish()
        assert release.number == 2
        assert changes.changed == [
            {
                "id": drones.pk,
                "fields": {
                    "stage": ["pledged", "delivered"],
                    "amount": ["1000000.00", "2000000.00"],
                    "amount_eur": ["1000000.00", "2000000.00"],
                },
            }
        ]
        assert not (changes.added or changes.merged or changes.withdrawn)
        text = client.get("/releases/2/changelog").content.decode()
        assert f"#{drones.pk}: stage: pledged → delivered; amount: 1000000.00 → 2000000.00" in text

    def test_merged_and_withdrawn_pledges_are_told_apart(self, pledges):
        release_publish()
        kept, merged, loan = pledges["drones"], pledges["again"], pledges["loan"]
        merged_id = merged.pk
        pledges_merge(keep=kept, others=[merged])
        Pledge.objects.filter(pk=loan.pk).update(review_status=Pledge.Review.DRAFT)
        _, changes = release_publish()
        assert changes.merged == [{"id": merged_id, "into": kept.pk}]
        assert changes.withdrawn == [loan.pk]
        # The merge wrote a note on the pledge kept: a change of its notes.
        assert [entry["fields"].keys() for entry in changes.changed] == [{"notes": None}.keys()]

    def test_refused_without_reviewed_pledges(self, db):
        PledgeFactory()
        with pytest.raises(CommandError, match="no reviewed pledges"):
            call_command("release")
        assert not Release.objects.exists()

    def test_refused_when_nothing_changed_unless_forced(self, pledges):
        release_publish()
        pledges["loan"].save()  # a save that changes nothing but updated_at
        with pytest.raises(CommandError, match=r"Nothing changed since release 1 .*--force"):
            call_command("release", stdout=io.StringIO())
        with pytest.raises(NothingChanged):
            release_publish()
        call_command("release", "--force", stdout=io.StringIO())
        assert list(Release.objects.values_list("number", flat=True)) == [2, 1]

    def test_dry_run_prints_the_changelog_and_publishes_nothing(self, pledges):
        out = io.StringIO()
        call_command("release", "--dry-run", stdout=out)
        assert "Release 1 would be" in out.getvalue()
        assert f"#{pledges['loan'].pk}" in out.getvalue()
        assert not Release.objects.exists()


class TestImmutable:
    @pytest.fixture
    def release(self, pledges) -> Release:
        return release_publish()[0]

    def test_a_release_and_its_rows_are_never_changed_nor_deleted(self, release):
        row = release.pledges.first()
        row.amount = Decimal(1)
        for attempt in (
            release.save,
            release.delete,
            row.save,
            row.delete,
            lambda: ReleasedPledge.objects.update(amount=1),
            lambda: ReleasedPledge.objects.filter(release=release).delete(),
            lambda: Release.objects.all().delete(),
        ):
            with pytest.raises(ReleaseImmutable):
                attempt()
        assert release.pledges.filter(amount=1).count() == 0

    def test_the_admin_shows_a_release_and_offers_no_change(self, release, admin_client):
        assert admin_client.get(f"/admin/tracker/release/{release.pk}/change/").status_code == 200
        for path in ("add/", f"{release.pk}/delete/"):
            assert admin_client.get(f"/admin/tracker/release/{path}").status_code == 403
        response = admin_client.post(f"/admin/tracker/release/{release.pk}/change/", {"number": 9})
        assert response.status_code == 403
        assert Release.objects.get().number == 1


class TestReleaseInTheTable:
    @pytest.fixture
    def changed(self, pledges) -> Pledge:
        """Release 1, then the drones pledge doubled."""
        release_publish()
        drones = pledges["drones"]
        drones.amount = Decimal("2000000")
        drones.save()
        return drones

    def test_release_1_still_shows_the_old_value(self, client, changed):
        old = client.get("/pledges/?release=1")
        live = client.get("/pledges/")
        assert [
            row["amount"] for row in old.context_data["table"].rows if row["id"] == changed.pk
        ] == ["1,000,000"]
        assert [
            row["amount"] for row in live.context_data["table"].rows if row["id"] == changed.pk
        ] == ["2,000,000"]
        assert "You are viewing" in old.content.decode()
        # The filters, sort and "Clear all" stay in the release.
        assert '<input type="hidden" name="release" value="1">' in old.content.decode()
        assert 'href="/pledges/?release=1">Clear all' in old.content.decode()
        assert "You are viewing" not in live.content.decode()

    def test_release_1_exports_the_old_value(self, client, changed):
        for path in ("/pledges/export.csv?release=1", "/releases/1/pledges.csv"):
            rows = csv_rows(client.get(path))
            assert {row["id"]: row["amount"] for row in rows}[str(changed.pk)] == "1000000.00"
            assert {row["id"]: row["notes"] for row in rows}[str(changed.pk)] == "'=1+1"
        workbook = openpyxl.load_workbook(
            io.BytesIO(b"".join(client.get("/pledges/export.xlsx?release=1").streaming_content))
        )
        amounts = {row[0]: row[8] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
        assert amounts[changed.pk] == 1000000
        live = csv_rows(client.get("/pledges/export.csv"))
        assert {row["id"]: row["amount"] for row in live}[str(changed.pk)] == "2000000.00"
        totals = client.get("/pledges/totals.csv?release=1&by=donor").content.decode()
        assert "germany,Germany,2000000.00," in totals  # two pledges of 1,000,000 each

    def test_an_unfiltered_release_export_is_its_file(self, client, changed):
        export = b"".join(client.get("/pledges/export.csv?release=1").streaming_content)
        assert export == b"".join(client.get("/releases/1/pledges.csv").streaming_content)

    def test_filters_sorts_and_pages_read_the_release(self, pledges, changed):
        release = Release.objects.get()
        table = pledge_table(
            QueryDict("release=1&category=drones&sort=-amount_eur"), release=release
        )
        # Equal amounts: the lower id first, as in the live table.
        assert [row["id"] for row in table.rows] == [pledges["drones"].pk, pledges["again"].pk]
        assert table.totals.amount_eur == Decimal("2000000.00")
        by_donor = pledge_table(QueryDict("release=1&sort=donor"), release=release, per_page=1)
        assert by_donor.rows[0]["donor"] == "France" and by_donor.after is not None
        following = pledge_table(
            QueryDict(f"release=1&sort=donor&after={by_donor.after}&page=2"),
            release=release,
            per_page=1,
        )
        assert following.rows[0]["donor"] == "Germany"
        found = pledge_table(QueryDict("release=1&q=drohnen&donor=germany"), release=release)
        assert [row["id"] for row in found.rows] == [pledges["drones"].pk]

    def test_the_page_cache_keeps_release_and_live_apart(self, client, changed, settings):
        settings.DEBUG = False  # parts of pages are kept rendered
        row = re.compile(rf'<tr id="p-{changed.pk}">.*?</tr>', re.S)
        for _ in range(2):  # rendered, then from the cache
            live = row.search(client.get("/pledges/").content.decode()).group()
            old = row.search(client.get("/pledges/?release=1").content.decode()).group()
            assert "2,000,000" in live and "1,000,000" in old

    def test_a_release_that_is_not_one_gets_a_clear_404(self, client, changed):
        paths = ("/pledges/", "/pledges/export.csv", "/pledges/export.xlsx", "/pledges/totals.csv")
        for value in ("abc", "0", "-1", "1.5", "", "99", "9" * 30, "\u0661", "1e3", "2147483648"):
            for path in paths:
                response = client.get(path, {"release": value})
                assert response.status_code == 404, (path, value)
                assert "release" in response.content.decode(), (path, value)
            assert client.get(f"/releases/{value}/").status_code == 404, value
            assert client.get(f"/releases/{value}/pledges.csv").status_code == 404, value
        text = client.get("/pledges/export.csv?release=7").content.decode()
        assert (
            text == "Nothing exported: There is no release 7. The releases are numbered 1 to 1.\n"
        )


class TestReleasePages:
    def test_the_releases_page_lists_counts_files_and_a_citation(self, client, pledges):
        assert "No release has been published yet." in client.get("/releases/").content.decode()
        release_publish()
        Pledge.objects.filter(pk=pledges["loan"].pk).update(review_status=Pledge.Review.DRAFT)
        release_publish()
        page = client.get("/releases/").content.decode()
        release = Release.objects.get(number=2)
        # The page gives the day where the tracker is kept, not the day in UTC.
        day = timezone.localdate(release.published_at).isoformat()
        assert f"Aid Pledge Tracker, release 2 ({day}), http://testserver/releases/2/" in page
        for path in (
            "/releases/2/pledges.csv",
            "/releases/2/datapackage.json",
            "/releases/2/changelog",
        ):
            assert f'href="{path}"' in page
        assert "<strong>1</strong> withdrawn" in page
        assert client.get("/releases/latest/pledges.csv")["Location"] == "/releases/2/pledges.csv"
        assert client.get("/releases/2/").status_code == 200
        assert client.get("/releases/2/nothing").status_code == 404

    def test_in_german(self, client, pledges):
        release_publish()
        german = {"Accept-Language": "de"}
        page = client.get("/releases/", headers=german).content.decode()
        assert "Version 1" in page and "Release 1" not in page
        table = client.get("/pledges/?release=1", headers=german).content.decode()
        assert "Sie sehen" in table


class TestDataPackage:
    def test_the_package_validates_and_describes_every_column(self, client, pledges, tmp_path):
        import frictionless  # a test dependency; slow to import, so only here

        release_publish()
        package = client.get("/releases/1/datapackage.json").json()
        (tmp_path / "datapackage.json").write_text(json.dumps(package))
        csv_bytes = b"".join(client.get("/releases/1/pledges.csv").streaming_content)
        (tmp_path / "pledges.csv").write_bytes(csv_bytes)
        report = frictionless.validate(tmp_path / "datapackage.json")
        assert report.valid, report.flatten(["type", "message"])
        header = csv_bytes.decode().splitlines()[0].split(",")
        schema = package["resources"][0]["schema"]
        assert [field["name"] for field in schema["fields"]] == header
        assert all(field["description"] for field in schema["fields"])
        assert package["version"] == "1.0.0" and package["licenses"][0]["name"] == "CC-BY-4.0"

    def test_a_broken_file_fails_the_validation(self, client, pledges, tmp_path):
        # The check above would pass if the validator read nothing.
        import frictionless

        release_publish()
        (tmp_path / "datapackage.json").write_bytes(
            client.get("/releases/1/datapackage.json").content
        )
        csv_text = b"".join(client.get("/releases/1/pledges.csv").streaming_content).decode()
        (tmp_path / "pledges.csv").write_text(csv_text.replace(",pledged,", ",promised,", 1))
        report = frictionless.validate(tmp_path / "datapackage.json")
        assert not report.valid
