from __future__ import annotations

import csv
import datetime
import io
import urllib.error
import urllib.request
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import CategoryFactory, DonorFactory, PledgeFactory, SentenceFactory
from tests.test_tracker_admin import pledge_form
from tracker.models import ExchangeRate, Pledge, PledgeSummary
from tracker.selectors.totals import totals_overall
from tracker.services.rates import ECB_URL
from tracker.services.rollup import rollup_differences

pytestmark = pytest.mark.django_db

ECB_FILES = Path(__file__).parent / "fixtures" / "ecb"
#: tests/fixtures/ecb: business days 2026-10-30 (as the bundled history has it) to 2026-12-04
#: in USD, JPY, BGN (N/A, as the ECB writes a currency it dropped), GBP and CHF.
ECB_CSV = ECB_FILES / "eurofxref-hist.csv"
ECB_ZIP = ECB_FILES / "eurofxref-hist.zip"
#: The rates the file adds: 25 business days after 2026-10-30, four currencies.
ADDED = 25 * 4
LAST_BUNDLED = datetime.date(2026, 10, 30)
DEC_1 = datetime.date(2026, 12, 1)


def update_rates(*args: str) -> str:
    out = io.StringIO()
    call_command("update_rates", *args, stdout=out)
    return out.getvalue()


def usd(amount: str, day: datetime.date | None, **fields) -> Pledge:
    return PledgeFactory(amount=Decimal(amount), currency="USD", announced_on=day, **fields)


class TestProvisional:
    def test_after_the_history_the_latest_rate_stands_in_provisionally(self):
        pledge = usd("1117200", DEC_1)
        assert pledge.fx_provisional is True
        assert (pledge.fx_date, pledge.fx_rate) == (LAST_BUNDLED, Decimal("1.1172"))
        assert pledge.amount_eur == Decimal("1000000.00")

    def test_it_is_counted_in_the_totals_and_said_to_be_provisional(self):
        usd("1117200", DEC_1)
        usd("1117200", LAST_BUNDLED)
        for rows in (PledgeSummary.objects.all(), Pledge.objects.all()):
            totals = totals_overall(rows)
            assert (totals.valued, totals.provisional, totals.without_eur_rate) == (2, 1, 0)
            assert totals.amount_eur == Decimal("2000000.00")

    def test_a_saturday_is_provisional_until_the_monday_after_is_known(self):
        saturday = usd("1000", datetime.date(2026, 10, 31))
        assert (saturday.fx_date, saturday.fx_provisional) == (LAST_BUNDLED, True)
        later = usd("1000", datetime.date(2026, 11, 28))
        update_rates("--file", str(ECB_CSV))
        saturday.refresh_from_db()
        assert (saturday.fx_date, saturday.fx_provisional) == (LAST_BUNDLED, False)
        # After the file, a Saturday whose Monday is in it takes Friday's rate as final.
        later.refresh_from_db()
        assert later.fx_date == datetime.date(2026, 11, 27)
        assert (later.fx_rate, later.fx_provisional) == (Decimal("1.1079"), False)

    def test_after_the_file_a_later_day_stands_on_its_last_rate(self):
        update_rates("--file", str(ECB_CSV))
        pledge = usd("1000", datetime.date(2026, 12, 5))
        assert (pledge.fx_date, pledge.fx_rate) == (datetime.date(2026, 12, 4), Decimal("1.1055"))
        assert pledge.fx_provisional is True


class TestUpdateRates:
    @pytest.mark.parametrize("ecb_file", [ECB_CSV, ECB_ZIP], ids=["csv", "zip"])
    def test_a_provisional_pledge_gets_its_day_s_rate(self, ecb_file):
        pledge = usd("1139100", DEC_1)
        assert (pledge.fx_provisional, pledge.fx_date) == (True, LAST_BUNDLED)
        assert totals_overall(PledgeSummary.objects.all()).provisional == 1

        out = update_rates("--file", str(ecb_file))

        assert out == (
            f"Rates added: {ADDED} (the ECB history now ends on 2026-12-04). "
            "Pledges recomputed: 1. Still provisional: 0; without a EUR rate: 0.\n"
        )
        pledge.refresh_from_db()
        assert (pledge.fx_date, pledge.fx_rate) == (DEC_1, Decimal("1.1391"))
        assert pledge.amount_eur == Decimal("1000000.00")
        assert pledge.fx_provisional is False
        totals = totals_overall(PledgeSummary.objects.all())
        assert (totals.valued, totals.provisional, totals.amount_eur) == (1, 0, pledge.amount_eur)
        assert rollup_differences() == []
        assert pledge.version == 1  # a rate is not an editor's edit

    def test_keeps_only_what_the_bundled_history_lacks(self):
        update_rates("--file", str(ECB_CSV))
        assert ExchangeRate.objects.count() == ADDED
        assert not ExchangeRate.objects.filter(day__lte=LAST_BUNDLED).exists()
        assert not ExchangeRate.objects.filter(currency="BGN").exists()
        assert update_rates("--file", str(ECB_ZIP)).startswith("Rates added: 0 ")

    def test_reads_and_writes_only_the_pledges_that_can_change(self, tmp_path):
        recent = usd("1000", datetime.date(2026, 11, 3))
        old = usd("1000", datetime.date(2025, 6, 4))
        # A stale value no conversion would write: update_rates has no reason to look at it.
        Pledge.objects.filter(pk=old.pk).update(amount_eur=Decimal("1"))
        out = update_rates("--file", str(ECB_CSV))
        assert "Pledges recomputed: 1." in out
        recent.refresh_from_db()
        assert (recent.fx_date, recent.fx_rate) == (datetime.date(2026, 11, 3), Decimal("1.1119"))
        old.refresh_from_db()
        assert old.amount_eur == Decimal("1")

    def test_a_corrected_rate_replaces_the_bundled_one(self, tmp_path):
        gbp = PledgeFactory(
            amount=Decimal("850000"), currency="GBP", announced_on=datetime.date(2025, 6, 4)
        )
        assert gbp.fx_rate == Decimal("0.8421")
        correction = tmp_path / "eurofxref-hist.csv"
        correction.write_text("Date,USD,GBP,\n2025-06-04,1.1384,0.85,\n")
        out = update_rates("--file", str(correction))
        assert out.startswith("Rates added: 1 ")  # USD is as bundled
        gbp.refresh_from_db()
        assert (gbp.fx_rate, gbp.amount_eur) == (Decimal("0.85"), Decimal("1000000.00"))
        assert rollup_differences() == []

    def test_downloads_the_ecb_file_without_a_path(self, monkeypatch):
        opened = []

        def urlopen(url, timeout):
            opened.append(url)
            return io.BytesIO(ECB_ZIP.read_bytes())

        monkeypatch.setattr(urllib.request, "urlopen", urlopen)
        pledge = usd("1139100", DEC_1)
        out = update_rates()
        assert opened == [ECB_URL]
        assert f"Rates added: {ADDED} " in out
        pledge.refresh_from_db()
        assert pledge.fx_provisional is False

    def test_without_the_network_says_so_and_changes_nothing(self, monkeypatch):
        def urlopen(url, timeout):
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

        monkeypatch.setattr(urllib.request, "urlopen", urlopen)
        pledge = usd("1000", DEC_1)
        with pytest.raises(CommandError) as refused:
            update_rates()
        assert str(refused.value) == (
            f"Nothing changed. Could not download {ECB_URL}: "
            "[Errno -3] Temporary failure in name resolution."
        )
        assert not ExchangeRate.objects.exists()
        pledge.refresh_from_db()
        assert pledge.fx_provisional is True


def zipped(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


GOOD_LINES = ECB_CSV.read_bytes()


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "problem"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "neither a zip file nor a CSV file"),
            (b"Day,USD,\n2026-12-01,1.1391,\n", "not an ECB rates file: its first line"),
            (b"Date,USD,usd,\n", "line 1: 'usd' is not a currency code"),
            (GOOD_LINES + b"2026-10-29,1.113,abc,N/A,0.8357,0.92,\n", "line 28, JPY: 'abc'"),
            (GOOD_LINES + b"2026-10-29,1.113,175.9,N/A,-0.8,0.92,\n", "line 28, GBP: '-0.8'"),
            (GOOD_LINES + b"2026-10-29,1.113,1e999999,N/A,0.8,0.9,\n", "'1e999999' is not a"),
            (GOOD_LINES + b"29.10.2026,1.113,175.9,N/A,0.8,0.9,\n", "'29.10.2026' is not a date"),
            (GOOD_LINES + b"2026-12-04,1.1,175.9,N/A,0.8,0.9,\n", "2026-12-04 appears twice"),
            (GOOD_LINES + b"2026-10-29,1.113,175.9,\n", "3 values for 5 currencies"),
            (b"Date,USD,\n", "no line of rates"),
            (zipped("readme.txt", b"hello"), "holds 0 CSV files"),
            (zipped("eurofxref-hist.csv", b"Date;USD\n"), "not an ECB rates file"),
            (ECB_ZIP.read_bytes()[:200], "neither a zip file nor a CSV file"),
        ],
        ids=[
            "binary",
            "header",
            "currency",
            "text-rate",
            "negative",
            "huge",
            "date",
            "twice",
            "short",
            "empty",
            "zip-no-csv",
            "zip-header",
            "truncated-zip",
        ],
    )
    def test_is_named_with_its_problem_and_changes_nothing(self, tmp_path, content, problem):
        pledge = usd("1000", DEC_1)
        path = tmp_path / "rates.csv"
        path.write_bytes(content)
        with pytest.raises(CommandError) as refused:
            update_rates("--file", str(path))
        assert str(refused.value).startswith(f"Nothing changed. {path}")
        assert problem in str(refused.value)
        assert not ExchangeRate.objects.exists()
        pledge.refresh_from_db()
        assert (pledge.fx_provisional, pledge.fx_date) == (True, LAST_BUNDLED)

    def test_a_missing_file_is_named(self, tmp_path):
        with pytest.raises(CommandError, match=r"nothing\.zip: cannot be read \(No such file"):
            update_rates("--file", str(tmp_path / "nothing.zip"))


class TestAdminWarning:
    def add(self, editor_client, **values):
        form = pledge_form(
            sentence=SentenceFactory().pk,
            donor=DonorFactory().pk,
            category=CategoryFactory().pk,
            **values,
        )
        response = editor_client.post("/admin/tracker/pledge/add/", form, follow=True)
        assert response.redirect_chain, response.context["adminform"].form.errors
        return Pledge.objects.get(), [
            (message.level_tag, str(message)) for message in get_messages(response.wsgi_request)
        ]

    def test_a_provisional_value_is_announced(self, editor_client):
        pledge, messages = self.add(
            editor_client, amount="1000", currency="USD", announced_on="2026-12-01"
        )
        assert (
            "warning",
            f"Pledge #{pledge.pk}: Provisional EUR value: the ECB rate of 2026-12-01 is not "
            "known here yet, so the latest one, of 2026-10-30, stands in; the value is "
            "recomputed when the rates are updated.",
        ) in messages

    def test_no_eur_value_is_announced_with_the_reason(self, editor_client):
        pledge, messages = self.add(
            editor_client, amount="1000", currency="UAH", announced_on="2026-12-01"
        )
        assert (
            "warning",
            f"Pledge #{pledge.pk} has no EUR value and is left out of the EUR totals. "
            "No EUR rate: the ECB publishes no reference rate for UAH.",
        ) in messages

    def test_a_final_value_needs_no_warning(self, editor_client):
        _, messages = self.add(
            editor_client, amount="1000", currency="USD", announced_on="2026-10-30"
        )
        assert [level for level, _ in messages] == ["success"]


class TestShownProvisional:
    @pytest.fixture
    def pledges(self):
        return usd("1117200", DEC_1), usd("1000", LAST_BUNDLED)

    def test_on_its_page(self, client, pledges):
        provisional, final = pledges
        page = client.get(f"/pledges/{provisional.pk}/")
        assert b'<span class="badge provisional">provisional</span>' in page.content
        assert b"the ECB rate of the announcement day is not published yet" in page.content
        page = client.get(f"/pledges/{final.pk}/")
        assert b"provisional" not in page.content

    def test_in_the_table(self, client, pledges):
        provisional, final = pledges
        html = client.get("/pledges/").content.decode()
        rows = {p.pk: html.split(f'<tr id="p-{p.pk}">')[1].split("</tr>")[0] for p in pledges}
        assert 'class="badge flag provisional"' in rows[provisional.pk]
        assert "provisional" not in rows[final.pk]

    def test_in_the_csv(self, client, pledges):
        provisional, final = pledges
        response = client.get("/pledges/export.csv")
        content = b"".join(response.streaming_content).decode()
        header = content.splitlines()[0].split(",")
        # Appended after updated_at; later columns come after it.
        assert header.index("fx_provisional") == header.index("updated_at") + 1
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(content))}
        assert rows[str(provisional.pk)]["fx_date"] == "2026-10-30 (provisional)"
        assert rows[str(provisional.pk)]["fx_provisional"] == "true"
        assert rows[str(final.pk)]["fx_date"] == "2026-10-30"
        assert rows[str(final.pk)]["fx_provisional"] == "false"


class TestOverviewCards:
    def test_say_what_is_not_in_the_eur_total_and_why(self, client):
        usd("1000", DEC_1)  # provisional, counted
        usd("1000", None)  # undated
        usd("1000", datetime.date(1990, 1, 1))  # before the history
        PledgeFactory(amount=Decimal("1000"), currency="RUB", announced_on=DEC_1)  # dropped
        PledgeFactory(amount=Decimal("1000"), currency="UAH", announced_on=DEC_1)
        PledgeFactory(amount=Decimal("1000"), currency="UAH", announced_on=DEC_1)
        response = client.get("/")
        totals = response.context["table"].totals
        assert (totals.valued, totals.provisional) == (1, 1)
        assert (totals.currency_not_quoted, totals.undated, totals.outside_history) == (2, 1, 2)
        cards = response.content.decode().split('class="headline"')[1].split("</section>")[0]
        for text in (
            "1 pledge with a EUR value · 1 of them at a provisional rate",
            "Amounts not in the EUR total",
            '<span class="headline-value">5</span>',
            "2 in currencies without an ECB rate",
            "1 without an announcement date",
            "2 dated outside the ECB history",
        ):
            assert text in cards

    def test_the_same_counts_from_the_pledges_and_from_the_summary(self):
        usd("1000", DEC_1)
        usd("1000", None)
        usd("1000", datetime.date(1990, 1, 1))
        PledgeFactory(amount=Decimal("1000"), currency="UAH", announced_on=DEC_1)
        assert totals_overall(Pledge.objects.all()) == totals_overall(PledgeSummary.objects.all())

    def test_all_converted(self, client):
        usd("1000", LAST_BUNDLED)
        cards = client.get("/").content.decode().split('class="headline"')[1]
        assert "every amount has a EUR value" in cards
        assert "provisional" not in cards.split("</section>")[0]
