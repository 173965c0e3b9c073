"""Links to a publisher's page at the quoted words: URL text fragments (``#:~:text=``).

A browser that follows ``https://example.org/a#:~:text=Deutschland%20sagt%20zu`` scrolls to
those words and highlights them (WICG Scroll-to-Text-Fragment). The words are percent-encoded,
``-``, ``&`` and ``,`` too, since those delimit the directive's parts. A long sentence is
named by its first and last words (``text=start,end``): a link that spells out a whole
paragraph breaks on the first comma the publisher edits and bloats every export row.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote, urlsplit

#: A sentence of up to this many words is quoted whole; a longer one by its ends.
WHOLE_WORDS = 10
#: Words quoted at each end of a longer sentence: enough to be unique on a page.
END_WORDS = 4


def directive_encode(text: str) -> str:
    """``text`` percent-encoded for a text directive: everything but letters, digits and
    ``_.~`` (UTF-8 bytes for the rest), ``-`` included."""
    return quote(text, safe="").replace("-", "%2D")


class _EncodedWords(dict):
    """Words percent-encoded, kept: the same words recur across sentences, and an export
    encodes a million of them. Emptied when it grows large."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 100_000:
            self.clear()
        encoded = self[word] = directive_encode(word)
        return encoded


_ENCODED = _EncodedWords()


def _phrase(words: list[str]) -> str:
    return "%20".join(map(_ENCODED.__getitem__, words))


def text_directive(sentence: str) -> str:
    """``text=...`` for ``sentence``: whole, or ``start,end`` when it is long; "" when it has
    no words. Whitespace runs become one space, as a browser renders them."""
    # Split no further than the words needed: the first ones, or the last ones.
    head = sentence.split(None, WHOLE_WORDS)
    if not head:
        return ""
    if len(head) <= WHOLE_WORDS:
        return "text=" + _phrase(head)
    tail = sentence.rsplit(None, END_WORDS)[-END_WORDS:]
    return f"text={_phrase(head[:END_WORDS])},{_phrase(tail)}"


#: What a browser drops from an address before reading it (WHATWG URL): control characters and
#: spaces around it, tabs and line breaks inside it. Dropped here too, so a link never starts
#: with a character a spreadsheet would read as a formula.
AROUND = "".join(map(chr, range(0x21)))
INSIDE = str.maketrans("", "", "\t\n\r")


def text_fragment_url(url: str, sentence: str) -> str:
    """``url`` at ``sentence``'s words, or "" when there is no web page (a URL that is not
    ``http`` or ``https``) or no words. The page's own fragment, if any, gives way."""
    page = web_page(url)
    if not page:
        return ""
    directive = text_directive(sentence)
    if not directive:
        return ""
    return f"{page}#:~:{directive}"


@lru_cache(maxsize=4096)
def web_page(url: str) -> str:
    """``url`` as a browser reads it, without its fragment, if it is a web page; else "".
    Kept for the articles an export meets again and again."""
    page = url.strip(AROUND).translate(INSIDE).split("#", 1)[0]
    return page if urlsplit(page).scheme.lower() in ("http", "https") else ""
