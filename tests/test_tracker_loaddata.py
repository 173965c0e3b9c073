"""A fixture that cannot be loaded loads nothing and says which file, which record and why.

The broken fixtures live in tests/fixtures/broken/ (``make data`` loads fixtures/ only). Each
starts with a record that would load, so "nothing" includes the records before the bad one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from articles.models import Article, Sentence
from tracker.models import Category, Donor, Pledge

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
CITED = '"nato-alliierten-verpflichten-sich-zu-milliardenschwerer-militaerischer", 3'

#: file -> what the message says after naming the file
FAILURES = {
    "malformed.json": r": not valid JSON \(Expecting property name enclosed in double quotes: "
    r"line 12 column 29 \(char \d+\)\)\.",
    "missing_field.json": r", record 2 \(tracker\.pledge pk=9100\): sentence: missing; "
    r"this field is required\.",
    "missing_title.json": r', record 2 \(articles\.article \["no-title"\]\): '
    r"title: This field cannot be blank\.",
    "unknown_donor.json": r", record 2 \(tracker\.pledge pk=9100\): donor: no tracker\.donor "
    r'has the natural key \["atlantis"\]\.',
    "unknown_evidence.json": r", record 2 \(tracker\.pledge pk=9100\): evidence: a natural key "
    r"that nothing in the database or the fixtures has \(.*no-such-article.*\)\.",
    "bad_offsets.json": r', record 3 \(articles\.sentence \["broken-offsets", 2\]\): '
    r"Sentence #2 of article broken-offsets: its text is not characters 30–58 of the "
    r"article's body, which read “zu\. Die Lieferung kommt im”; the sentence says "
    r"“Die Lieferung kommt im Juli\.”\.",
    "javascript_url.json": r', record 2 \(articles\.article \["script-url"\]\): '
    r"url: Enter a valid URL\.",
}


def counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "sentences": Sentence.objects.count(),
        "donors": Donor.objects.count(),
        "categories": Category.objects.count(),
        "pledges": Pledge.objects.count(),
        "evidence": Pledge.evidence.through.objects.count(),
    }


@pytest.mark.parametrize("name", FAILURES)
def test_a_broken_fixture_names_file_record_and_problem_and_loads_nothing(seeded, name):
    before = counts()
    path = BROKEN / name
    with pytest.raises(CommandError) as caught:
        call_command("loaddata", str(path), verbosity=0)
    assert re.fullmatch(re.escape(str(path)) + FAILURES[name], str(caught.value)), caught.value
    assert counts() == before
    assert not Donor.objects.filter(slug="loaded-first").exists()


def test_nothing_of_earlier_fixtures_of_the_same_load_stays(seeded):
    before = counts()
    with pytest.raises(CommandError, match=r"unknown_donor\.json, record 2"):
        call_command("loaddata", str(FIXTURES / "hostile.json"), str(BROKEN / "unknown_donor.json"))
    assert counts() == before
    assert not Donor.objects.filter(slug="hostile-donor").exists()


def test_a_sentence_saved_past_loaddata_is_checked_too(seeded):
    sentence = Sentence.objects.order_by("pk").first()
    sentence.text = "Etwas anderes."
    with pytest.raises(Exception, match="its text is not characters"):
        sentence.save()


def test_the_command_line_prints_the_message_and_fails(seeded, capsys, monkeypatch):
    # The command line closes the connections when it ends: not the test's own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before = counts()
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "loaddata", str(BROKEN / "unknown_donor.json")]).execute()
    assert caught.value.code == 1
    error = capsys.readouterr().err
    assert (
        f"CommandError: {BROKEN / 'unknown_donor.json'}, record 2 (tracker.pledge pk=9100)" in error
    )
    assert counts() == before


def test_the_good_fixtures_still_load(db):
    call_command("loaddata", "reference", "articles", "demo_pledges", verbosity=0)
    call_command("loaddata", str(FIXTURES / "hostile.json"), verbosity=0)
    assert Pledge.objects.filter(pk__in=(9001, 9002, 9003)).count() == 3
    assert not Sentence.objects.moved().exists()
    assert CITED  # the broken pledges cite a seed sentence, loaded here
