"""Figures around aid that are not aid: conversions, budgets of the donor's own, needs,
prices, sales, private donations, plans a later figure replaced, production, attacks.

The engine drops a figure when ``not_aid_cues`` names a reason for its clause (unless the budget
named is what it is paid from, ``paid_from``), when it restates the amount before it in
another currency (``is_conversion``, ``conversion_sentence``), when another figure replaced it
(``replaced``), when it is what each person gets (``per_head``), when a sentence without a
donor speaks of making, needing or pricing things (``no_donor_no_pledge``), the trucks that
carry the goods counted after them (``carries_goods``), the sum a conference collected
(``collected``), and counts in a sentence about fighting (``ATTACK_RE``, with the names of
counted weapons blanked by ``items_masked``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.suggest import gazetteer
from tracker.suggest.gazetteer import HOSTILE, Mention
from tracker.suggest.numbers import Figure

# Where a clause ends inside a sentence: a semicolon, a dash between words.
CLAUSE_BREAK_RE = re.compile(r";|\s[–—]\s")
# A budget line is aid when its clause names Ukraine or aid: "für die Ertüchtigung der
# Ukraine", "für Militärhilfe".
_FOR_UKRAINE_RE = re.compile(
    r"ukrain|kiew|kyiv|kiev|hilfe|unterstützung|ertüchtigung|\baid\b|assistance", re.IGNORECASE
)
# A budget line of the donor's own (a ministry's, an army's, an agency's): aid only when the
# same clause says it is for Ukraine.
_BUDGET_RE = re.compile(
    r"\b(?:\w*haushalt(?!s?ausschuss)\w*|\w*budget\w*(?! committee)|\w*etat\w*"
    r"|verteidigungsausgaben|defen[cs]e spending|budget request|appropriations? request"
    # A budget's deficit, a fund's balance.
    r"|dotiert|defizit\w*|deficits?|bestand\s+von|balance\s+of)\b",
    re.IGNORECASE,
)
# A budget line for the whole world, of which Ukraine gets a share: "im Bundeshaushalt für
# humanitäre Hilfe weltweit 1,05 Mrd. Euro", "the worldwide budget".
_WORLDWIDE_BUDGET_RE = re.compile(
    r"\b(?:\w*haushalt(?!s?ausschuss)\w*|\w*budget\w*)\b(?=[^.;]*\b(?:weltweit|worldwide|global)\b)"
    r"|\b(?:weltweit|worldwide|global)\b(?=[^.;]*\b(?:\w*haushalt\w*|\w*budget\w*)\b)",
    re.IGNORECASE,
)
# The donor's own forces as the ones who get or spend the money: "Die Schweizer Armee erhält",
# "für die eigene Verteidigung".
_OWN_FORCES_RE = re.compile(
    r"\b(?:armee|army|bundeswehr|streitkräfte|armed forces)\s+(?:erhält|bekommt|receives|gets)\b"
    # "for the Polish Army", "for the armed forces", "für die Bundeswehr".
    r"|\bfor\s+the\s+(?:\w+\s+)?(?:army|armed forces)\b|\bfür\s+die\s+(?:\w+\s+)?(?:armee"
    r"|streitkräfte|bundeswehr)\b"
    r"|\beigenen?\s+(?:verteidigung|streitkräfte|armee|truppe|luftwaffe|marine)"
    r"|\b(?:its|their|whose)\s+own\s+(?:defen[cs]e|armed forces|military|troops|order|army"
    r"|air force|navy|artillery)|\bfür\s+die\s+bundeswehr\s+selbst"
    # "for the Swedish Air Force", "für die eigene Luftwaffe".
    r"|\bfor\s+the\s+(?:\w+\s+)?(?:air force|navy)\b",
    re.IGNORECASE,
)
# Paying for production: "für die Produktion", "to fund the production of".
_FUNDING_BEFORE_RE = re.compile(
    r"\b(?:für|for|zur finanzierung|to fund|to finance|funding)\s+(?:die\s+|der\s+|the\s+)?$",
    re.IGNORECASE,
)
# A rate of making: "six howitzers a month", "pro Jahr".
RATE_RE = re.compile(
    r"\b(?:a|per|each|every) (?:month|year|week|day)\b|\b(?:pro|je|im) (?:monat|jahr|woche|tag)\b"
    r"|\bmonatlich|\bjährlich",
    re.IGNORECASE,
)
_BUDGET_SUPPORT_RE = re.compile(dict(gazetteer.SPECIFIC_CATEGORIES)["budget-support"], re.I)
# What Ukraine or an appeal asks for, a gap to fill: not given by anyone yet.
_NEED_RE = re.compile(
    r"\b(?:\w*lücke|\w*bedarf|appeal\w*|\w*aufruf|seeks|sought|requiring|shortfall|funding gap"
    r"|financing gap"
    # An option not taken up: "an option for a further six guns that has not yet been exercised".
    r"|unexercised|not\s+(?:yet\s+)?(?:been\s+)?exercised|nicht\s+(?:\w+\s+)?gezogen"
    r"|budget gap|gebeten|bittet|bat um|asked\s+(?:\w+\s+){0,3}for"
    # "Für den Winter fehlten noch 80 Transformatoren", "hatte um 60 Aggregate ersucht".
    # ("Von den 14 zugesagten fehlen noch die letzten vier": the rest of a pledge.)
    r"|fehl(?:en|ten|t)\b(?![^.;]{0,30}\b(?:die letzten|die restlichen|die übrigen)\b)"
    r"|ersucht\w*|requested)\b",
    re.IGNORECASE,
)
# A plan or offer a later figure replaced: "ursprünglich", "an earlier plan", "had aimed".
_SUPERSEDED_RE = re.compile(
    r"\b(?:ursprünglich|zunächst nur|originally|initially|an earlier plan|a previous plan"
    r"|the previous plan|had (?:originally )?(?:aimed|planned|intended)|was dropped|were dropped"
    r"|verworfen|aufgegeben|scrapped|früheren fassung|earlier version|previous version)\b"
    r"|\bsahen? \b[^.;]*\bnoch\b[^.;]*\bvor\b"
    # "Im Regierungsentwurf waren dafür noch 8,5 Milliarden Euro vorgesehen."
    r"|\b(?:war|waren)\s+(?:\w+\s+){0,2}(?:noch|zunächst)\b[^.;]{0,60}\bvorgesehen\b"
    # "Im Dezember hatte das Ministerium dafür noch 300 Millionen Euro eingeplant."
    r"|\bhatte[n]?\b[^.;]{0,60}\bnoch\b[^.;]{0,60}\b(?:eingeplant|vorgesehen|veranschlagt)\b",
    re.IGNORECASE,
)
# A proposal that failed: "mit 101 zu 88 Stimmen abgelehnt", "was voted down".
_REJECTED_RE = re.compile(
    r"\b(?:abgelehnt|lehnte\w*\s+(?:[^.;]{0,60}\s)?ab|gescheitert|scheiterten?|rejected|voted down"
    r"|turned down|vetoed|keine mehrheit|no majority|vertagt|nicht (?:mehr )?zustande)\b",
    re.IGNORECASE,
)
# Ukraine paying itself: "aus eigenen Mitteln", "with its own funds", "aus dem Staatshaushalt
# der Ukraine".
_OWN_FUNDS_RE = re.compile(
    r"\baus\s+eigenen\s+mitteln|\bwith\s+(?:its|their)\s+own\s+(?:funds|money)"
    # "aus dem Staatshaushalt der Ukraine", "from Ukraine's own budget".
    r"|\baus\s+dem\s+(?:staatshaushalt\s+der\s+ukraine|ukrainischen\s+staatshaushalt)"
    r"|\bfrom\s+ukraine's\s+own\b|\bukraine's\s+own\s+(?:ministry|budget|funds|money)\b"
    # "Die Ukraine habe ... für mehr als 2 Milliarden Dollar Gas eingekauft".
    r"|\b(?:die\s+)?ukraine\s+(?:hat|habe|hatte)\b[^.;]{0,80}\b(?:eingekauft|gekauft)\b"
    r"|\bukraine\s+(?:has\s+|had\s+)?(?:bought|purchased)\b"
    # "Kiew selbst hat ... bestellt", "Kyiv itself ordered".
    r"|\b(?:kiew|kyiv|die ukraine|ukraine)\s+(?:selbst|itself)\b",
    re.IGNORECASE,
)
# A company's business figures: turnover, profit, order books.
_COMPANY_FIGURES_RE = re.compile(
    r"\bsetzte[n]?\b(?:[^.;]|\.(?=\s?\w)){0,60}\bum\b"
    # ("revenue" in lower case: "Extraordinary Revenue Acceleration" is the G7's loan scheme.)
    r"|\b(?:umsatz\w*|gewinn\w*|auftragsbestand\w*|auftragseingang\w*|(?-i:revenue\w*)|turnover"
    r"|profits?|earnings|order backlog|order book|bilanzsumme|fördervolumen|new financing"
    r"|balance sheet|total assets|der konzern|mobili[sz]e|mobilisieren)\b",
    re.IGNORECASE,
)
# The profits of frozen Russian assets are no company's: "windfall profits of immobilised
# Russian assets", "Zinsgewinne aus eingefrorenem russischem Vermögen".
_FROZEN_ASSETS_RE = re.compile(
    r"\b(?:russian assets|russisch\w* vermögen\w*|frozen|immobili[sz]ed|eingefroren\w*)\b",
    re.IGNORECASE,
)
# What a donor itself has: "verfügt nur noch über 300 Feldküchen", "in its own inventory".
_OWN_STOCK_RE = re.compile(
    r"\bverfüg(?:t|en|te|ten)\s+(?:[^.;]{0,60}\s)?über\b|\bim\s+(?:eigenen\s+)?bestand\b"
    r"|\bin\s+(?:its|their)\s+(?:own\s+)?(?:inventory|arsenal)\b|\bbesitz(?:t|en)\b"
    r"|\bpossess(?:es|ed)?\b|\b(?:has|have|had)\s+only\b[^.;]{0,40}\bleft\b",
    re.IGNORECASE,
)
# What a thing costs: "Ein Patriot-System kostet rund eine Milliarde Euro", "a unit price".
_PRICE_RE = re.compile(
    r"\b(?:kostet|koste|kosten|kostete|costs?|costing|priced at|stückpreis|unit price|per unit"
    r"|pro stück|je stück|values? (?:each|every)|each valued)\b",
    re.IGNORECASE,
)
# A sale to Ukraine, which Ukraine pays for: "approved a possible sale", "den Verkauf von".
_SALE_RE = re.compile(
    r"\b(?:possible sale|foreign military sale|sale of|verkauf (?:von|der|des)"
    # Export licences: what firms may sell, not what a government gives.
    r"|\w*ausfuhrgenehmigung\w*|exportgenehmigung\w*|genehmigungswert|export licen[cs]es?"
    r"|ausfuhren\s+im\s+wert|sale\s+to\s+ukraine)\b",
    re.IGNORECASE,
)
# Money people give to a charity, not a government's aid: "Spendenaktion", "private donors".
_PRIVATE_RE = re.compile(
    r"\b(?:spendenaktion\w*|spendenkonto|privaten? spender\w*|spenden gesammelt|sammel\w* spenden"
    r"|private donations?|private donors?|crowdfunding|charity appeal|aus spenden"
    r"|sammel\w*\s+(?:[^.;]{0,40}\s)?spenden|members of the public|spendenmittel\w*"
    r"|spendengeld\w*|privatspende\w*|private\s+spenden"
    # "Die Belegschaft hat privat 25.000 Euro gesammelt", "Bürgerinnen und Bürger ... haben
    # ... gespendet", "raised by local people".
    r"|privat\s+(?:[^;]{0,40}\s)?gesammelt|(?:bürgerinnen|bürger|vereine|belegschaft"
    r"|spenderinnen|einwohner\w*)\b[^;]{0,120}\b(?:gespendet|gesammelt|anvertraut)"
    r"|raised by (?:local|members|supporters|readers|residents))\b",
    re.IGNORECASE,
)
# What each thing can do: "Each Archer can fire 20 rounds", "Jede Anlage kann 200 Haushalte
# versorgen".
_CAPABILITY_RE = re.compile(
    r"\b(?:each|every|jede[rsm]?)\b[^.;]{0,40}\b(?:can|could|kann|können)\b", re.IGNORECASE
)
# "Exchange rate: 1 US dollar = 149 yen", "Wechselkurs".
_EXCHANGE_RATE_RE = re.compile(r"\b(?:exchange rates?|wechselkurs\w*)\b", re.IGNORECASE)
_NOT_AID_CLAUSES = (
    ("need", _NEED_RE),
    ("exchange rate", _EXCHANGE_RATE_RE),
    ("capability", _CAPABILITY_RE),
    ("price", _PRICE_RE),
    ("sale", _SALE_RE),
    ("private donations", _PRIVATE_RE),
    ("own stock", _OWN_STOCK_RE),
    ("replaced plan", _SUPERSEDED_RE),
    ("proposal rejected", _REJECTED_RE),
    ("own funds", _OWN_FUNDS_RE),
    ("company figures", _COMPANY_FIGURES_RE),
)
# What comes between an amount and its conversion: "(", "(rund ", ", umgerechnet etwa ".
_CONVERSION_BRACKET_RE = re.compile(
    r"\s*[(\[]\s*(?:(?:umgerechnet|rund|etwa|ca\.|circa|knapp|about|around|roughly|some|approx\."
    r"|approximately|nearly|almost|or|equal to|equivalent to|=|≈)\s*)*",
    re.IGNORECASE,
)
_CLOSING_BRACKET_RE = re.compile(r"\s*[)\]]")
# "mitfinanziert, umgerechnet rund zwei Millionen Euro": the words that say it is converted.
_CONVERTED_BEFORE_RE = re.compile(
    r"[,–—(]\s*(?:umgerechnet|equivalent to|(?:the )?equivalent of|converted)\s*$", re.IGNORECASE
)
_APPROXIMATE_RE = re.compile(
    r"(?:rund|etwa|gut|knapp|ca\.|circa|about|around|roughly|some|nearly|almost)\s", re.IGNORECASE
)
_CLAUSE_END_RE = re.compile(r"\s*(?:[.;)]|$)")
# Dollars the rules do not know: "S$", "HK$", "R$".
_FOREIGN_DOLLAR_RE = re.compile(r"\b[A-Z]{1,2}\$\s*")
_CONVERSION_SAID_RE = re.compile(
    r"\s*[,–—-]?\s*(?:umgerechnet|(?:das|dies) (?:sind|entspricht|entsprechen)|equivalent to"
    r"|(?:the )?equivalent of|or about|or around|or roughly|or some|worth about|worth around)"
    r"(?:\s+(?:rund|etwa|knapp|about|around|roughly|some|nearly))?\s*",
    re.IGNORECASE,
)
_PRODUCTION_RE = re.compile(
    r"\b(?:hergestellt|herstellen|herstellung|produziert|produzieren|produktion"
    r"|gefertigt|fertigen|bauen|gebaut|manufactur\w*|produc(?:e|es|ed|ing|tion)|build|builds"
    r"|built|vom band|off the (?:production )?line)\b",
    re.IGNORECASE,
)
# Where the things given were made: "drones built in Ukraine", "in der Ukraine gefertigt".
_MADE_IN_UKRAINE_RE = re.compile(
    r"(?:built|made|produced|manufactured|gebaut|gefertigt|hergestellt|produziert)\w*\s+"
    r"(?:in\s+(?:der\s+)?ukraine|by\s+ukrainian)",
    re.IGNORECASE,
)
_OF_UKRAINIAN_MAKE_RE = re.compile(r"\baus\s+ukrainischer\s+$", re.IGNORECASE)
# The words before a figure that another replaced: "zwei statt der zunächst genannten drei",
# "1,9 Milliarden Euro und nicht, wie zunächst gemeldet, rund zwei Milliarden", "instead of
# the 40 first announced".
_REPLACED_BEFORE_RE = re.compile(
    r"(?:\b(?:statt|anstatt|anstelle)\s+(?:der|des|den|dem|von)?\s*"
    r"|\bnicht,?\s+wie\s+(?:zunächst|ursprünglich|bisher|zuvor)\s+\w+,\s*"
    r"|\b(?:instead of|rather than)\s+(?:the\s+)?"
    r"|\bnot,?\s+as\s+(?:first|initially|originally|previously)\s+\w+,\s*)"
    r"(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
# An amount each person or household gets: "UAH 3,600 (about US$87) per month" after "Each
# person receives", "200 Euro pro Haushalt".
_PER_HEAD_AFTER_RE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:per|pro|je|a|each|for each)\s+(?:person|head|household|family"
    r"|recipient|kopf|haushalt|familie|empfänger\w*)\b",
    re.IGNORECASE,
)
_PER_THING_AFTER_RE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:pro|per)\s+(?!jahr|monat|year|month|annum|woche|week|tag|day"
    r"|quartal|quarter|cent|prozent)[\w-]+|apiece\b)",
    re.IGNORECASE,
)
_PER_MONTH_AFTER_RE = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:per|pro|a|im)\s+(?:month|monat)\b", re.IGNORECASE
)
_EACH_PERSON_RE = re.compile(
    r"\b(?:each|every|per|pro|jede[rs]?)\s+(?:\w+\s+)?(?:person|household|family|haushalt"
    r"|familie)\b",
    re.IGNORECASE,
)
# A sentence that only converts the amount before it: "This is about EUR 26 million.", "Das
# sind umgerechnet rund 30 Millionen Euro."
_CONVERSION_SENTENCE_RE = re.compile(
    r"(?:this|that|it)\s+(?:is|was|equals|amounts to|comes to)\s+(?:about|around|roughly|some"
    r"|approximately|nearly|almost|just over|just under)?\s*"
    r"|(?:das|dies)\s+(?:sind|entspricht|entspräche|wären|macht)\s+(?:umgerechnet\s+)?"
    r"(?:rund|etwa|knapp|gut|ungefähr|circa|ca\.)?\s*",
    re.IGNORECASE,
)


# Vehicles that carry what is given, and the words that say they carry it.
_CARRIER_RE = re.compile(
    r"(?:[\w-]+\s+)?(?:lkw|lastwagen|lastkraftwagen|sattelschlepper|sattelzüge|tieflader\w*"
    r"|trucks|lorries|articulated lorries|tractor-trailers|heavy goods vehicles)",
    re.IGNORECASE,
)
_LADEN_AFTER_RE = re.compile(
    r"[^.;]{0,40}?\b(?:mit|beladen mit|carrying|loaded with|with|filled with)\s+(?:\w+\s+)?\d",
    re.IGNORECASE,
)
_GOODS_NAMED_AFTER_RE = re.compile(
    r"\s+(?:mit|beladen mit|carrying|loaded with|with)\s+(?:\w+\s+)?(?:hilfsgüter\w*|aid\b"
    r"|supplies|relief goods|hilfslieferungen)",
    re.IGNORECASE,
)
_ON_BOARD_BEFORE_RE = re.compile(
    r"\b(?:an bord|on board|aboard)\s+(?:der|des|the|of the)\s+$", re.I
)
# "kamen … mehr als 2 Milliarden US-Dollar für PURL zusammen": the sum collected, of many.
_COLLECTED_RE = re.compile(r"\bkam(?:en)?\b[^.;]*\bzusammen\b|\bzusammengekommen\b", re.IGNORECASE)
# The budget a figure said before is paid out of: "is paid for from the ministry's
# development cooperation budget", "aus dem Haushalt des Auswärtigen Amts".
_PAID_FROM_BUDGET_RE = re.compile(
    r"[^.;]{0,40}?\b(?:from|out of|aus)\s+(?:the|its|dem|des|der)?\s*(?:[\w'’-]+\s+){0,3}"
    r"\w*(?:budget|haushalt|etat)",
    re.IGNORECASE,
)


def carries_goods(text: str, figure: Figure, *, goods_counted: bool) -> bool:
    """Whether the count ``figure`` is of vehicles that carry the goods counted after them
    (``goods_counted``): "sieben Lkw mit 18 Notstromaggregaten", "An Bord der 32
    Sattelschlepper waren 150 Stromgeneratoren"; or that carry goods it names: "Vier Lastwagen
    mit Hilfsgütern im Wert von rund 310.000 Euro"."""
    if not _CARRIER_RE.fullmatch(figure.item or ""):
        return False
    if _GOODS_NAMED_AFTER_RE.match(text, figure.evidence_end):
        return True
    return goods_counted and bool(
        _LADEN_AFTER_RE.match(text, figure.evidence_end)
        or _ON_BOARD_BEFORE_RE.search(text, max(0, figure.start - 20), figure.start)
    )


def collected(text: str) -> bool:
    """Whether ``text`` gives the sum a conference or an appeal collected from many:
    "Insgesamt kamen auf der Konferenz Zusagen über 2,4 Milliarden Euro zusammen."."""
    return bool(_COLLECTED_RE.search(text))


def paid_from(text: str, figure: Figure) -> bool:
    """Whether the budget named after ``figure`` is what it is paid out of, not a budget line."""
    return bool(_PAID_FROM_BUDGET_RE.match(text, figure.evidence_end))


# A figure someone claims and a check finds wrong, or one only rumoured: "behauptet,
# Deutschland habe ... geschenkt", "Behauptet: 20 Panzer", "war von drei Milliarden Euro die
# Rede", "Trump's $350 billion figure is false".
_CLAIM_BEFORE_RE = re.compile(
    r"\b(?:behaupt\w*|claim(?:s|ed|ing)?|gerücht\w*|rumou?r\w*)\b|\b(?:war|ist|sei)\s+von\b",
    re.IGNORECASE,
)
_CLAIM_AFTER_RE = re.compile(
    r"^[^.;:]{0,40}?\b(?:is|was|are|were|ist|sind|war|waren)\s+(?:\w+\s+)?(?:false|falsch"
    r"|misleading|irreführend|wrong|untrue)\b|^\s+die\s+rede\b",
    re.IGNORECASE,
)
# What a check found instead: "Behauptet: 20 Panzer – belegt: 18 Leopard 2 A6".
_CHECKED_RE = re.compile(
    r"\b(?:belegt|tatsächlich|in wahrheit|richtig ist|in fact|actually|the real figure)\b",
    re.IGNORECASE,
)


def claimed(text: str, figure: Figure) -> bool:
    """Whether ``figure`` is what someone claims or rumours, not what a check found."""
    before = text[: figure.start]
    claims = list(_CLAIM_BEFORE_RE.finditer(before))
    if claims and not _CHECKED_RE.search(before, claims[-1].end()):
        return True
    return bool(_CLAIM_AFTER_RE.search(text[figure.evidence_end :]))


def replaced(text: str, figure: Figure) -> bool:
    """Whether the words before ``figure`` say a figure beside it replaced it."""
    return bool(_REPLACED_BEFORE_RE.search(text, max(0, figure.start - 80), figure.start))


def per_head(text: str, figure: Figure) -> bool:
    """Whether an amount is what each person or household gets, or what each thing costs ("rund
    41.000 Euro pro Container", "150 Millionen Euro pro System"): a rate, not a pledge."""
    return bool(
        _PER_HEAD_AFTER_RE.match(text, figure.evidence_end)
        or _PER_THING_AFTER_RE.match(text, figure.evidence_end)
        or (_PER_MONTH_AFTER_RE.match(text, figure.evidence_end) and _EACH_PERSON_RE.search(text))
    )


def conversion_sentence(text: str, figure: Figure) -> bool:
    """Whether ``text`` is a sentence that only states ``figure`` as a conversion."""
    opening = _CONVERSION_SENTENCE_RE.match(text)
    return bool(
        opening
        and figure.start <= opening.end()
        and _CLAUSE_END_RE.match(text, figure.evidence_end)
    )


# Needs, estimates and prices are figures about aid, not pledges of it.
_NOT_PLEDGED_RE = re.compile(
    r"\b(?:braucht|brauche|brauchen|benötigt|benötige|benötigen|\w*bedarf|needs?(?! to be)|needed"
    r"|requires?|required|asked for|requested|schätzt|estimates?|estimated|kostet|kosten"
    r"|costs?|price[sd]?|preis|typischerweise|in der regel|üblicherweise|typically|usually)\b",
    re.IGNORECASE,
)
ATTACK_RE = re.compile(
    r"\b(?:angriff|angriffe|angriffen|angegriffen|griff(?:en)?|abgefeuert|feuerte[n]?"
    r"|abgeschossen|schoss(?:en)?|abgefangen|zerstört|erbeutet|getötet|verletzt|tote|toten"
    r"|verletzte|beschuss|beschossen|attack\w*|launched|fired|shot down|intercepted|destroyed"
    r"|captured|killed|injured|wounded|struck|shelling|barrage|verloren|lost)\b",
    re.IGNORECASE,
)


def clause_around(text: str, figure: Figure) -> str:
    """The clause of ``figure``: its sentence cut at semicolons and dashes between clauses."""
    start, end = clause_span(text, figure)
    return text[start:end]


def clause_span(text: str, figure: Figure) -> tuple[int, int]:
    starts = [m.end() for m in CLAUSE_BREAK_RE.finditer(text, 0, figure.start)]
    end = CLAUSE_BREAK_RE.search(text, figure.evidence_end)
    return (starts[-1] if starts else 0, end.start() if end else len(text))


def no_donor_no_pledge(text: str, mentions: Sequence[Mention]) -> bool:
    """Without a donor, production at home, a need, an estimate or a price is not a pledge, and
    neither is a figure whose only actor is Russia or its allies."""
    return bool(
        produced(text)
        or _NOT_PLEDGED_RE.search(text)
        or any(mention.slug == HOSTILE for mention in mentions)
    )


def produced(text: str) -> bool:
    """Whether ``text`` speaks of making things, not of paying for making them ("150 Millionen
    Euro für die Produktion von Drohnen in der Ukraine" is aid) nor of where things bought were
    made ("would pay for drones built in Ukraine", "aus ukrainischer Produktion")."""
    return any(
        not _FUNDING_BEFORE_RE.search(text, max(0, match.start() - 25), match.start())
        and not _MADE_IN_UKRAINE_RE.match(text, match.start())
        and not _OF_UKRAINIAN_MAKE_RE.search(text, max(0, match.start() - 25), match.start())
        for match in _PRODUCTION_RE.finditer(text)
    )


def not_aid_cues(clause: str) -> list[tuple[str, re.Match[str]]]:
    """Why the figures of ``clause`` may be no aid to record, and the words that say so: a
    budget line that is not for Ukraine, the donor's own forces, a need or appeal, a price, a
    sale to Ukraine, private donations, what a donor has in stock, a plan the text says was
    replaced or a proposal voted down, Ukraine's own purchases, a company's turnover. A budget
    line, a need and a price are weighed (WEIGHED) against the words of giving nearer the
    figure; the others rule the clause."""
    cues = []
    if not _FOR_UKRAINE_RE.search(clause) and not _BUDGET_SUPPORT_RE.search(clause):
        for reason, pattern in (("own budget", _BUDGET_RE), ("own forces", _OWN_FORCES_RE)):
            match = pattern.search(clause)
            if match:
                cues.append((reason, match))
    worldwide = _WORLDWIDE_BUDGET_RE.search(clause)
    if worldwide:
        cues.append(("own budget", worldwide))
    for reason, pattern in _NOT_AID_CLAUSES:
        match = pattern.search(clause)
        if match and not (reason == "company figures" and _FROZEN_ASSETS_RE.search(clause)):
            cues.append((reason, match))
    return cues


# Reasons a word of giving nearer the figure overrules: "sends 8 howitzers from the army
# budget", "liefert 20 Generatoren, um den Bedarf zu decken", "liefert Panzer, die 300
# Millionen Euro kosten".
WEIGHED = ("own budget", "need", "price")


def is_conversion(text: str, before: Figure, figure: Figure) -> bool:
    """Whether the amount ``figure`` restates the amount ``before`` it in another currency: in
    brackets right after it, or after "umgerechnet", "equivalent to" and the like."""
    if before.currency and not figure.currency:
        return _foreign_dollars(text, before, figure)
    # "$2 billion (approximately US$1.45 billion)": a bare dollar restated in US dollars is
    # another country's dollar.
    us_restated = (
        before.currency == figure.currency == "USD"
        and text.startswith("$", before.start)
        and bool(gazetteer.US_DOLLAR_RE.search(text, figure.start, figure.end))
    )
    if (
        not before.currency or not figure.currency or before.currency == figure.currency
    ) and not us_restated:
        return False
    between = text[before.end : figure.start]
    if _CONVERSION_BRACKET_RE.fullmatch(between):
        return bool(_CLOSING_BRACKET_RE.match(text, figure.end))
    if _CONVERSION_SAID_RE.fullmatch(between) or _CONVERTED_BEFORE_RE.search(between):
        return True
    # "... 12 Milliarden Kronen zur Verfügung zu stellen, gut eine Milliarde Euro.": an
    # approximate amount set after a comma at the end of the clause.
    return bool(
        between.rstrip().endswith(",")
        and _APPROXIMATE_RE.match(text, figure.start)
        and _CLAUSE_END_RE.match(text, figure.end)
    )


def _foreign_dollars(text: str, before: Figure, figure: Figure) -> bool:
    """ "12 billion yen (S$104 million)": dollars of a country the rules do not know, in
    brackets after an amount, restate it."""
    between = text[before.end : figure.start]
    return bool(
        _FOREIGN_DOLLAR_RE.search(between)
        and _CONVERSION_BRACKET_RE.fullmatch(_FOREIGN_DOLLAR_RE.sub("", between))
        and _CLOSING_BRACKET_RE.match(text, figure.end)
    )


def items_masked(text: str, figures: Sequence[Figure]) -> str:
    """``text`` with the names of counted items blanked: "Mi-24 attack helicopters" names a
    weapon, it does not report an attack."""
    for figure in figures:
        if figure.item_start is not None and figure.item_end is not None:
            blank = " " * (figure.item_end - figure.item_start)
            text = text[: figure.item_start] + blank + text[figure.item_end :]
    return text


def is_budget_envelope(clause: str) -> bool:
    return bool(_BUDGET_RE.search(clause)) and not _BUDGET_SUPPORT_RE.search(clause)
