"""A pledge's sentence with its figure marked, for the editors' lists."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

from tracker.models import Pledge
from tracker.suggest.numbers import figures_find


def figure_span(pledge: Pledge) -> tuple[int, int] | None:
    """Where the sentence states the pledge's figure: the one number of the sentence that
    equals its amount (in its currency) or its quantity; None when no number, or more than
    one, does."""
    sentence = pledge.sentence
    wanted: list[tuple[Decimal, str]] = []
    if pledge.amount is not None:
        wanted.append((pledge.amount, pledge.currency))
    if pledge.quantity is not None:
        wanted.append((Decimal(pledge.quantity), ""))
    for value, currency in wanted:
        spans = [
            (figure.start, figure.end)
            for figure in figures_find(sentence.text, language=sentence.article.language)
            if figure.value == value and (figure.currency or "") in {currency, ""}
        ]
        if len(spans) == 1:
            return spans[0]
    return None


def sentence_marked(pledge: Pledge) -> SafeString:
    """The whole sentence, escaped, with the figure in a <mark> when it is found simply."""
    text = pledge.sentence.text
    span = figure_span(pledge)
    if span is None:
        return format_html("{}", text)
    start, end = span
    return format_html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])
