from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.anchoring import (
    APPROXIMATE_RATIO,
    CONTEXT_LENGTH,
    How,
    Location,
    sentence_context,
    sentence_locate,
    text_changes,
)

BODY = (
    "Berlin sagt der Ukraine weitere Hilfe zu. "
    "Die Bundesregierung liefert im Juli vier Systeme vom Typ IRIS-T. "
    "Das Paket hat einen Wert von 500 Millionen Euro."
)
SENTENCE = "Die Bundesregierung liefert im Juli vier Systeme vom Typ IRIS-T."
START = BODY.index(SENTENCE)


def located(body: str, text: str = SENTENCE, start: int = START) -> Location:
    prefix, suffix = sentence_context(BODY, BODY.index(text), BODY.index(text) + len(text))
    return sentence_locate(body, text=text, prefix=prefix, suffix=suffix, start=start)


class TestSentenceContext:
    def test_the_words_before_and_after_cut_at_word_boundaries(self):
        prefix, suffix = sentence_context(BODY, START, START + len(SENTENCE))
        assert prefix == "der Ukraine weitere Hilfe zu. "
        assert suffix == " Das Paket hat einen Wert von"
        assert len(prefix) <= CONTEXT_LENGTH and len(suffix) <= CONTEXT_LENGTH

    def test_empty_only_at_the_ends_of_the_body(self):
        first = "Berlin sagt der Ukraine weitere Hilfe zu."
        assert sentence_context(BODY, 0, len(first)) == ("", " Die Bundesregierung liefert im ")
        last = "Das Paket hat einen Wert von 500 Millionen Euro."
        prefix, suffix = sentence_context(BODY, len(BODY) - len(last), len(BODY))
        assert (prefix, suffix) == ("vier Systeme vom Typ IRIS-T. ", "")

    def test_near_the_ends_the_window_is_not_cut(self):
        body = "Kurz. Ein Satz. Ende."
        assert sentence_context(body, 6, 15) == ("Kurz. ", " Ende.")

    def test_a_word_longer_than_the_window_is_kept_cut(self):
        word = "Verteidigungs" * 5
        body = f"{word} Satz. {word}"
        prefix, suffix = sentence_context(body, len(word) + 1, len(word) + 6)
        assert prefix == body[len(word) + 1 - CONTEXT_LENGTH : len(word) + 1]
        assert suffix == body[len(word) + 6 : len(word) + 6 + CONTEXT_LENGTH]

    def test_line_breaks_are_kept_as_they_are(self):
        body = "Der erste Absatz endet genau hier.\n\nZweiter Absatz beginnt."
        prefix, _ = sentence_context(body, body.index("Zweiter"), len(body))
        assert prefix == "erste Absatz endet genau hier.\n\n"

    def test_every_seed_sentence_has_its_context_as_a_slice_of_the_body(self):
        records = json.loads(Path("fixtures/articles.json").read_text(encoding="utf-8"))
        bodies = {
            r["fields"]["slug"]: r["fields"]["body"] for r in records if "body" in r["fields"]
        }
        sentences = [r["fields"] for r in records if r["model"] == "articles.sentence"]
        for sentence in sentences:
            body, start, end = bodies[sentence["article"][0]], sentence["start"], sentence["end"]
            prefix, suffix = sentence_context(body, start, end)
            assert body[start - len(prefix) : start] == prefix
            assert body[end : end + len(suffix)] == suffix
            assert bool(prefix) == (start > 0) and bool(suffix) == (end < len(body))
            assert len(prefix) <= CONTEXT_LENGTH and len(suffix) <= CONTEXT_LENGTH


class TestSentenceLocate:
    def test_a_sentence_in_its_place_is_exact_there(self):
        assert located(BODY) == Location(How.EXACT, START, START + len(SENTENCE), SENTENCE, 1.0)

    def test_text_inserted_before_moves_it_exactly(self):
        inserted = "Kyjiw, 4. Juni. "
        location = located(inserted + BODY)
        assert location.how == How.EXACT
        assert location.span == (START + len(inserted), START + len(inserted) + len(SENTENCE))
        assert location.text_now == SENTENCE

    @pytest.mark.parametrize("which", [0, 1])
    def test_a_text_found_twice_is_told_apart_by_the_words_around_it(self, which):
        # The same sentence in two places; the words around each say which is the one cited.
        body = (
            "Neue Hilfe kommt. Der Bund zahlt mehr. Eine Zeile davor. "
            "Der Bund zahlt mehr. Das war es."
        )
        text = "Der Bund zahlt mehr."
        first, second = body.index(text), body.rindex(text)
        at = (first, second)[which]
        prefix, suffix = sentence_context(body, at, at + len(text))
        moved = "Ganz oben. " + body
        location = sentence_locate(moved, text=text, prefix=prefix, suffix=suffix, start=at)
        assert location.how == How.EXACT
        assert location.start == at + len("Ganz oben. ")

    def test_a_text_found_twice_in_the_same_words_is_ambiguous(self):
        text = "Die Lage bleibt ernst."
        body = f"Eins. {text} Zwei. Eins. {text} Zwei."
        location = sentence_locate(body, text=text, prefix="Eins. ", suffix=" Zwei.", start=0)
        assert location == Location(How.AMBIGUOUS, text_now=text, ratio=1.0, occurrences=2)
        assert not location.found
        with pytest.raises(ValueError, match="ambiguous"):
            _ = location.span

    def test_an_edited_sentence_between_the_same_words_is_found_by_its_context(self):
        edited = SENTENCE.replace("vier", "sechs")
        location = located("Kyjiw. " + BODY.replace(SENTENCE, edited))
        assert location.how == How.CONTEXT
        assert location.span == (START + 7, START + 7 + len(edited))
        assert location.text_now == edited
        assert APPROXIMATE_RATIO < location.ratio < 1

    def test_an_edited_sentence_with_new_neighbours_is_found_approximately(self):
        edited = SENTENCE.replace("vier", "sechs")
        body = (
            "Die Ukraine erhält weitere Hilfe aus Berlin.\n\n"
            + edited
            + "\n\nDer Wert liegt bei 500 Millionen Euro."
        )
        location = located(body)
        assert location.how == How.APPROXIMATE
        assert location.text_now == edited
        assert body[location.start : location.end] == edited
        assert APPROXIMATE_RATIO <= location.ratio < 1

    def test_a_deleted_sentence_is_not_found(self):
        location = located(BODY.replace(SENTENCE + " ", ""))
        assert location == Location(How.NOT_FOUND)

    def test_a_different_sentence_in_its_place_is_not_found_without_its_neighbours(self):
        replaced = "Über weitere Lieferungen wird im Herbst beraten."
        body = "Ganz neuer Anfang. " + replaced + " Und ein neues Ende."
        assert located(body).how == How.NOT_FOUND

    def test_a_frame_far_longer_than_the_sentence_is_no_frame(self):
        long_middle = " ".join(["Ein ganz anderer, viel längerer Text steht hier."] * 6)
        body = BODY.replace(SENTENCE, long_middle)
        assert located(body).how == How.NOT_FOUND

    def test_the_nearest_of_equally_good_approximate_matches_is_taken(self):
        edited = SENTENCE.replace("Juli", "Juni")
        body = f"Erstens: {edited}\n\nDazwischen steht etwas.\n\nZweitens: {edited}"
        location = sentence_locate(body, text=SENTENCE, start=len(body) - len(edited))
        assert location.how == How.APPROXIMATE
        assert location.start == body.rindex(edited)

    def test_an_edited_last_word_is_kept_in_the_approximate_match(self):
        # Leaving "August." out would score higher; the sentence still ends with its stop.
        text = "Die Lieferung kommt im Juli."
        body = "Ganz neu.\n\nDie Lieferung kommt im August.\n\nAuch neu."
        location = sentence_locate(body, text=text, start=0)
        assert location.how == How.APPROXIMATE
        assert location.text_now == "Die Lieferung kommt im August."


class TestTextChanges:
    def test_words_replaced_added_and_removed(self):
        old = "Die Lieferung kommt im Juli, sagte der Minister."
        new = "Die erste Lieferung kommt im August, sagte der Minister."
        assert text_changes(old, new) == [("", "erste"), ("Juli,", "August,")]
        assert text_changes(new, old) == [("erste", ""), ("August,", "Juli,")]

    def test_whitespace_alone_is_no_change(self):
        assert text_changes("Die Lieferung\nkommt.", "Die  Lieferung kommt.") == []
