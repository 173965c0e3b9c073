"""Links to a publisher's page at the quoted words: URL text fragments (``#:~:text=``).

A browser that follows ``https://example.org/a#:~:text=Deutschland%20sagt%20zu`` scrolls to
those words and highlights them (WICG Scroll-to-Text-Fragment). The words are percent-encoded,
``-``, ``&`` and ``,`` too, since those delimit the directive's parts. A long sentence is
named by its first and last words (``text=start,end``): a link that spells out a whole
paragraph breaks on the first comma the publisher edits and bloats every export row.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

#: A sentence of up to this many words is quoted whole; a longer one by its ends.
WHOLE_WORDS = 10
#: Words quoted at each end of a longer sentence: enough to be unique on a page.
END_WORDS = 4


def directive_encode(text: str) -> str:
    """``text`` percent-encoded for a text directive: everything but letters, digits and
    ``_.~`` (UTF-8 bytes for the rest), ``-`` included."""
    return quote(text, safe="").replace("-", "%2D")


def text_directive(sentence: str) -> str:
    """``text=...`` for ``sentence``: whole, or ``start,end`` when it is long; "" when it has
    no words. Whitespace runs become one space, as a browser renders them."""
    words = sentence.split()
    if not words:
        return ""
    if len(words) <= WHOLE_WORDS:
        return "text=" + directive_encode(" ".join(words))
    start = directive_encode(" ".join(words[:END_WORDS]))
    end = directive_encode(" ".join(words[-END_WORDS:]))
    return f"text={start},{end}"


#: What a browser drops from an address before reading it (WHATWG URL): control characters and
#: spaces around it, tabs and line breaks inside it. Dropped here too, so a link never starts
#: with a character a spreadsheet would read as a formula.
AROUND = "".join(map(chr, range(0x21)))
INSIDE = str.maketrans("", "", "\t\n\r")


def text_fragment_url(url: str, sentence: str) -> str:
    """``url`` at ``sentence``'s words, or "" when there is no web page (a URL that is not
    ``http`` or ``https``) or no words. The page's own fragment, if any, gives way."""
    page = url.strip(AROUND).translate(INSIDE).split("#", 1)[0]
    if urlsplit(page).scheme.lower() not in ("http", "https"):
        return ""
    directive = text_directive(sentence)
    if not directive:
        return ""
    return f"{page}#:~:{directive}"
