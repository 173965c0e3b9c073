from __future__ import annotations

from urllib.parse import unquote

import pytest

from articles.text_fragments import directive_encode, text_directive, text_fragment_url


class TestDirectiveEncode:
    def test_encodes_the_directive_delimiters(self):
        assert directive_encode("a-b&c,d") == "a%2Db%26c%2Cd"

    def test_encodes_spaces_percent_and_fragment_characters(self):
        assert directive_encode('50 % "mehr" #1 <b>') == "50%20%25%20%22mehr%22%20%231%20%3Cb%3E"

    def test_encodes_non_ascii_as_utf8(self):
        assert directive_encode("Drohnen für € 5") == "Drohnen%20f%C3%BCr%20%E2%82%AC%205"

    def test_keeps_letters_digits_and_unreserved_marks(self):
        assert directive_encode("Abc_1.2~") == "Abc_1.2~"


class TestTextDirective:
    def test_short_sentence_is_quoted_whole(self):
        assert text_directive("Deutschland sagt 5 Mrd. Euro zu.") == (
            "text=Deutschland%20sagt%205%20Mrd.%20Euro%20zu."
        )

    def test_whitespace_runs_become_one_space(self):
        assert text_directive(" Kyjiw\n\nerhält  Hilfe ") == "text=Kyjiw%20erh%C3%A4lt%20Hilfe"

    def test_long_sentence_is_named_by_its_first_and_last_words(self):
        sentence = "Die Bundesregierung hat am Dienstag weitere Hilfen im Wert von rund "
        sentence += "fünf Milliarden Euro für die Ukraine angekündigt."
        start, end = text_directive(sentence).removeprefix("text=").split(",")
        assert unquote(start) == "Die Bundesregierung hat am"
        assert unquote(end) == "für die Ukraine angekündigt."

    def test_commas_and_hyphens_inside_the_words_never_split_the_directive(self):
        directive = text_directive("Luft-Abwehr, Munition & Drohnen: 1,5 Mrd. – sofort.")
        assert directive.count(",") == 0
        assert unquote(directive.removeprefix("text=")) == (
            "Luft-Abwehr, Munition & Drohnen: 1,5 Mrd. – sofort."
        )

    def test_no_words_no_directive(self):
        assert text_directive(" \n ") == ""


class TestTextFragmentUrl:
    def test_appends_the_directive_to_the_page(self):
        assert text_fragment_url("https://example.org/a?x=1", "Hilfe kommt.") == (
            "https://example.org/a?x=1#:~:text=Hilfe%20kommt."
        )

    def test_the_page_fragment_gives_way(self):
        assert text_fragment_url("https://example.org/a#top", "Hilfe") == (
            "https://example.org/a#:~:text=Hilfe"
        )

    @pytest.mark.parametrize("url", ["", "javascript:alert(1)", "ftp://example.org/a", "a/b"])
    def test_no_link_without_a_web_page(self, url):
        assert text_fragment_url(url, "Hilfe kommt.") == ""

    def test_no_link_without_words(self):
        assert text_fragment_url("https://example.org/a", "  ") == ""

    def test_the_address_is_read_as_a_browser_reads_it(self):
        assert text_fragment_url("\t https://example.org/a\n \x01", "Hilfe") == (
            "https://example.org/a#:~:text=Hilfe"
        )
        assert text_fragment_url("https://exa\tmple.org/\r\na", "Hilfe") == (
            "https://example.org/a#:~:text=Hilfe"
        )
