"""Suggested pledges: the figures of an article's sentences, read as pledges for editors.

``suggest_sentence`` and ``suggest_article`` are pure: they read, never write.
"""

from __future__ import annotations

from tracker.suggest.engine import (
    SentenceInput,
    Suggestion,
    decimal_text,
    donor_index_build,
    sentences_suggest,
    suggest_article,
    suggest_sentence,
)
from tracker.suggest.gazetteer import DonorIndex

__all__ = [
    "DonorIndex",
    "SentenceInput",
    "Suggestion",
    "decimal_text",
    "donor_index_build",
    "sentences_suggest",
    "suggest_article",
    "suggest_sentence",
]
