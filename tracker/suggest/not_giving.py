"""Who is named in a sentence but does not give: a partner ("gemeinsam mit Polen"), a
supplier ("procured from Germany"), a channel ("über den EU-Mechanismus"), the leader of an
initiative ("the Czech-led initiative"), a maker ("built by Latvian manufacturers"), an aid
organisation named after a country ("the Swiss Foundation for Mine Action"), an institution
that receives ("$4 million for NATO's trust fund"), a group whose meeting or mission is named
("beim Treffen der Kontaktgruppe", "under the EU's military assistance mission").
"""

from __future__ import annotations

import re

from tracker.suggest.gazetteer import DonorIndex, Mention

_PARTNER_BEFORE_RE = re.compile(
    r"\b(?:with|together with|jointly with|mit|gemeinsam mit|zusammen mit)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A channel or a route, and the next place of it: "über den EU-Mechanismus", "über Polen und
# Rumänien gebracht".
_CHANNEL_BEFORE_RE = re.compile(
    r"\b(?:über|via|through)\s+(?:den|die|das|dem|the|its)?\s*(?:[\w-]+\s+(?:und|and)\s+)?$",
    re.IGNORECASE,
)
_MAKER_AFTER_RE = re.compile(
    r"\s+(?:manufacturers?|producers?|makers?|firms?|compan(?:y|ies)|industry|hersteller\w*"
    r"|firmen|unternehmen|industrie|rüstungsindustrie"
    # Aid organisations named after a country, which carry out what others pay for: "the
    # Swiss Foundation for Mine Action", "the Norwegian Refugee Council".
    r"|foundation|stiftung|refugee council|people's aid|church aid|demining group"
    r"|flüchtlingsrat)\b",
    re.IGNORECASE,
)
_RECIPIENT_BEFORE_RE = re.compile(
    r"\b(?:for|to|into|für|an|in)\s+(?:the\s+|den\s+|die\s+|das\s+)?$", re.IGNORECASE
)
# A group whose meeting is where something was said: "beim 25. Treffen der
# Ukraine-Kontaktgruppe", "at the meeting of the Contact Group".
_MEETING_BEFORE_RE = re.compile(
    r"\b(?:treffen|sitzung|tagung|konferenz|meeting|session|conference)\s+(?:der|des|of"
    r"(?:\s+the)?)\s+(?:[\w.-]+\s+){0,2}$",
    re.IGNORECASE,
)
_MONEY_AFTER_RE = re.compile(
    r"\s+(?:geld|mitteln?|finanzierung|beitrag|money|funds|funding|financing|contribution)\b",
    re.IGNORECASE,
)
_SUPPLIER_BEFORE_RE = re.compile(
    r"\b(?:procured|bought|purchased|ordered|sourced|built|made|produced|manufactured)"
    r"\s+(?:in|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_LED_AFTER_RE = re.compile(r"-(?:led|geführte[nmrs]?)\b")
# An institution's mechanism or fund that others pay into: "aus dem Nato-Mechanismus PURL",
# "NATO's CAP trust fund".
_MECHANISM_AFTER_RE = re.compile(
    r"(?:'s|’s)?[\s-]?(?:mechanism\w*|mechanismus|trust fund|treuhandfonds|fonds)\b", re.IGNORECASE
)
# Where the goods come from: "Allies fund the delivery of American weapons systems",
# "amerikanische Waffen für die Ukraine kaufen".
_GOODS_AFTER_RE = re.compile(
    r"\s+(?:weapons?|arms|waffen\w*|rüstungsgüter\w*|kit|equipment|ausrüstung)\b", re.IGNORECASE
)
# A mission a donor runs, where others serve: "under the EU's military assistance mission".
_MISSION_AFTER_RE = re.compile(r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}mission\b", re.IGNORECASE)


# A parliament's committee, not the European Commission: "Sprecher der Kommission", "die
# Kommission für Aussenpolitik", "chair of the Commission on ...".
_COMMITTEE_BEFORE_RE = re.compile(
    r"\b(?:sprecher\w*|präsident\w*|berichterstatter\w*|mitglied\w*|chair\w*)\s+(?:der|of the)\s+$",
    re.IGNORECASE,
)
_COMMITTEE_AFTER_RE = re.compile(r"\s+(?:für|des|on|for)\s", re.IGNORECASE)
# A donor named to describe the one before it: "The European Investment Bank, the EU's lending
# arm, signed ...".
_APPOSITION_BEFORE_RE = re.compile(r",\s+(?:the|its)\s+$", re.IGNORECASE)
_APPOSITION_AFTER_RE = re.compile(
    r"(?:'s|’s)\s+(?:[\w-]+\s+){0,2}(?:arm|bank|agency|body|branch|executive)\b", re.IGNORECASE
)


def named_not_giving(mention: Mention, *, text: str, index: DonorIndex) -> bool:
    """Whether a donor named in ``text`` is there as someone other than the one who gives: a
    partner ("gemeinsam mit Polen", but not "mit dänischem Geld"), a supplier ("procured from
    Germany"), a channel ("über den EU-Katastrophenschutzmechanismus"), the leader of an
    initiative ("the Czech-led initiative"), a maker ("built by Latvian manufacturers"), an
    institution that receives ("$4 million for NATO's trust fund"), a group whose meeting is
    named ("beim Treffen der Kontaktgruppe"), or one whose mission is ("under the EU's
    military assistance mission")."""
    start, end = mention.start, mention.end
    partner = _PARTNER_BEFORE_RE.search(text, max(0, start - 20), start)
    entry = index.entries.get(mention.slug)
    receives = (
        entry is not None
        and entry.kind != "country"
        and _RECIPIENT_BEFORE_RE.search(text, max(0, start - 12), start)
    )
    meets = (
        entry is not None
        and entry.kind != "country"
        and _MEETING_BEFORE_RE.search(text, max(0, start - 40), start)
    )
    pooled = entry is not None and entry.kind != "country" and _MECHANISM_AFTER_RE.match(text, end)
    committee = text[start:end].lower() in ("kommission", "commission") and bool(
        _COMMITTEE_BEFORE_RE.search(text, max(0, start - 30), start)
        or _COMMITTEE_AFTER_RE.match(text, end)
    )
    described = bool(
        _APPOSITION_BEFORE_RE.search(text, max(0, start - 8), start)
        and _APPOSITION_AFTER_RE.match(text, end)
    )
    return bool(
        committee
        or described
        or (partner and not _MONEY_AFTER_RE.match(text, end))
        or _SUPPLIER_BEFORE_RE.search(text, max(0, start - 30), start)
        or _CHANNEL_BEFORE_RE.search(text, max(0, start - 20), start)
        or _LED_AFTER_RE.match(text, end)
        or _GOODS_AFTER_RE.match(text, end)
        or _MAKER_AFTER_RE.match(text, end)
        or _MISSION_AFTER_RE.match(text, end)
        or receives
        or meets
        or pooled
    )
