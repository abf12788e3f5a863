"""Parse a French search phrase into document filters, without an LLM.

« factures EDF de plus de 500 € en 2025 » → types facture fournisseur/client, correspondent EDF,
amount > 500 €, dates 2025-01-01 → 2025-12-31, no text left.

How: the phrase is folded (lower case, no accents, one character per character, so positions stay
those of the phrase as typed) and read by a sequence of extractors, most specific first: explicit date
ranges, relative periods, quarters, amounts, dates, months, years, document types, tags, correspondents.
Each extractor consumes what it understood, so « 2025 » in « du 01/02/2025 au 15/03/2025 » is not read a
second time as a year. What is left is split into:

- words for full-text search (as typed, accents kept), minus filler words (« les », « mes », « de »…);
- fragments « not understood »: leftovers that carry a filter cue (« plus de », « depuis », « € »…) but
  could not be read; they are shown to the owner instead of being searched as text.

Correspondents are matched against the names the app passes (its customers and suppliers), accent- and
case-insensitive, with rapidfuzz for typos (« Dupond » → « Dupont »); a word shared by several names
(« Martin ») gives them all, as alternatives. An optional LLM helper (:class:`QueryLLM`) may fill what the
rules left empty; its answer is validated against the same vocabularies, and the rules always win.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Protocol, runtime_checkable

from rapidfuzz import fuzz

from etabli.common.money import round_cents
from etabli.engines.classify.labels import (
    AVOIR,
    BON_DE_LIVRAISON,
    BULLETIN_DE_PAIE,
    CONTRAT,
    COURRIER_ADMINISTRATIF,
    CV,
    DEVIS,
    DOC_TYPES,
    FACTURE_CLIENT,
    FACTURE_FOURNISSEUR,
    INVOICE_TYPES,
    RELEVE_BANCAIRE,
)
from etabli.engines.classify.text import fold_same_length
from etabli.engines.matching.text import clean_name
from etabli.engines.query.dates import (
    MONTH_PATTERN,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_PATTERN,
    ORDINALS,
    Period,
    full_year,
    half_period,
    intersect,
    latest_year_for_day,
    latest_year_for_half,
    latest_year_for_month,
    latest_year_for_quarter,
    month_end,
    month_period,
    quarter_period,
    range_label,
    relative_period,
    safe_date,
    year_period,
)
from etabli.engines.query.errors import QueryError
from etabli.engines.query.models import ParsedQuery, Source
from etabli.engines.query.summary import build_summary

MAX_QUERY_LENGTH = 500
_MASK = "\x00"

# --------------------------------------------------------------------------------------------------
# Vocabulary

#: Document type phrases (folded), most specific first, and the types they mean.
TYPE_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"factures?\s+(?:fournisseurs?|d'achats?|recues?|des fournisseurs)", (FACTURE_FOURNISSEUR,)),
    (r"factures?\s+(?:clients?|de ventes?|emises?|des clients)", (FACTURE_CLIENT,)),
    (r"factures?\s+d'avoirs?|notes?\s+de\s+credit|\bavoirs?", (AVOIR,)),
    (
        r"(?:tickets?|recus)\s+de\s+caisse|tickets?|\bquittances?(?:\s+de\s+loyers?)?|notes?\s+de\s+frais",
        (FACTURE_FOURNISSEUR,),
    ),
    (r"factures?|\bfactu\b|\bfacts?\b|\binvoices?", INVOICE_TYPES),
    (r"\bdevis\b|propositions?\s+commerciales?|offres?\s+de\s+prix", (DEVIS,)),
    (r"bons?\s+de\s+livraisons?|bordereaux?\s+de\s+livraisons?|\bbls?\b", (BON_DE_LIVRAISON,)),
    (r"\bcontrats?\b|\bbaux\b|\bbail\b|\bconventions?\b|\bavenants?\b", (CONTRAT,)),
    (
        r"releves?\s+(?:de\s+comptes?|bancaires?|de\s+banque)|extraits?\s+de\s+comptes?|\breleves?\b",
        (RELEVE_BANCAIRE,),
    ),
    (r"(?:fiches?|bulletins?)\s+de\s+(?:paies?|payes?|salaires?)|\bpayslips?\b", (BULLETIN_DE_PAIE,)),
    (r"courriers?(?:\s+administratifs?)?|lettres?(?:\s+administratives?)?", (COURRIER_ADMINISTRATIF,)),
    (r"\bcvs?\b|curriculum(?:\s+vitae)?|candidatures?", (CV,)),
)
_TYPE_REGEXES = [(re.compile(rf"(?<![\w]){pattern}(?![\w])"), types) for pattern, types in TYPE_PHRASES]

#: Words that say nothing for full-text search (articles, « documents », search verbs…).
FILLER_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "l'",
        "un",
        "une",
        "des",
        "de",
        "du",
        "d'",
        "d",
        "au",
        "aux",
        "a",
        "en",
        "et",
        "ou",
        "mes",
        "mon",
        "ma",
        "nos",
        "notre",
        "vos",
        "votre",
        "tous",
        "toutes",
        "tout",
        "toute",
        "pour",
        "avec",
        "chez",
        "sur",
        "dans",
        "par",
        "the",
        "qui",
        "que",
        "quoi",
        "sont",
        "est",
        "ai",
        "j'",
        "je",
        "moi",
        "me",
        "veux",
        "voudrais",
        "cherche",
        "chercher",
        "trouve",
        "trouver",
        "trouvez",
        "retrouve",
        "retrouver",
        "montre",
        "montrer",
        "montrez",
        "affiche",
        "afficher",
        "liste",
        "lister",
        "voir",
        "document",
        "documents",
        "doc",
        "docs",
        "fichier",
        "fichiers",
        "piece",
        "pieces",
        "papier",
        "papiers",
        "s'il",
        "plait",
        "svp",
        "merci",
        "concernant",
        "relatif",
        "relatifs",
        "relatives",
        "recu",
        "recus",
        "recue",
        "recues",
        "envoye",
        "envoyes",
        "emis",
        "n",
        "no",
        "num",
        "numero",
    ]
)

#: Words that announce a filter: left over, they mean the parser failed to read the filter.
CUE_WORDS = frozenset(
    [
        "plus",
        "moins",
        "entre",
        "superieur",
        "superieure",
        "superieurs",
        "superieures",
        "inferieur",
        "inferieure",
        "inferieurs",
        "inferieures",
        "depuis",
        "avant",
        "apres",
        "jusqu",
        "jusqu'a",
        "jusqu'au",
        "partir",
        "montant",
        "montants",
        "euro",
        "euros",
        "eur",
        "€",
        "k",
        "trimestre",
        "trimestres",
        "semestre",
        "semestres",
        "mois",
        "annee",
        "annees",
        "an",
        "ans",
        "semaine",
        "semaines",
        "jour",
        "jours",
        "dernier",
        "derniere",
        "derniers",
        "dernieres",
        "prochain",
        "prochaine",
        "minimum",
        "maximum",
        "mini",
        "maxi",
        "au-dessus",
        "dessus",
        "dessous",
        ">",
        "<",
        ">=",
        "<=",
    ]
)

#: Words that cannot identify a correspondent on their own.
GENERIC_NAME_WORDS = frozenset(
    [
        "FRANCE",
        "GROUPE",
        "SERVICES",
        "SERVICE",
        "ENTREPRISE",
        "ENTREPRISES",
        "INTERNATIONAL",
        "SOLUTIONS",
        "CABINET",
        "AGENCE",
        "COMPAGNIE",
        "BANQUE",
        "HOLDING",
        "INDUSTRIE",
        "INDUSTRIES",
        "CONSEIL",
        "BUREAU",
    ]
)

# --------------------------------------------------------------------------------------------------
# Regex building blocks (on folded text)

_B = r"(?<![\w])"  # start of a word (also after a consumed zone)
_E = r"(?![\w])"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_NUM = r"(?<![\w,.])(\d{1,3}(?:[ .]\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?![\d])"
_K = r"(?:\s?(k|mille)(?![\w]))?"
_CUR = r"(?:\s?(€|eur(?:os?)?(?![\w])))?"
_TAX = r"(?:\s?(?:ttc|ht)(?![\w]))?"
_MONTH = rf"(?:{MONTH_PATTERN})\.?"
_NUMERIC_DATE = r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?(?![\d/])"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"
_TEXT_DATE = rf"(1er|premier|\d{{1,2}})\s+({MONTH_PATTERN})\.?(?:\s+({_YEAR}))?"
_ANY_DATE = rf"(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_TEXT_DATE})"

_GT_STRICT = r"(?:(?:de |d')?plus de|superieure?s? (?:a|ou egale?s? a)|au[- ]dessus de|>)"
_GT_INCLUSIVE = r"(?:au moins|minimum|mini|min\.?|>=|a partir de|pas moins de)"
_LT_STRICT = r"(?:(?:de |d')?moins de|inferieure?s? a|en[- ]dessous de|<)"
_LT_INCLUSIVE = r"(?:au plus|maximum|maxi|max\.?|<=|jusqu'a|pas plus de)"
_AMOUNT_PREFIX = r"(?:(?:d'un |un |le |au |du )?montants? (?:total |ttc |ht )?(?:de |d')?)?"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    has_currency: bool

    def looks_like_year(self) -> bool:
        return not self.has_currency and self.value == self.value.to_integral() and 1950 <= self.value <= 2099


def parse_number(number: str, thousand: str | None = None) -> Decimal:
    """« 1 500,50 » → 1500.50, « 1.500 » → 1500, « 1500.5 » → 1500.50, « 2 » + « k » → 2000."""
    compact = number.replace(" ", "")
    if "," in compact:
        compact = compact.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", compact):
        compact = compact.replace(".", "")
    try:
        value = Decimal(compact)
    except InvalidOperation as error:
        raise QueryError(f"Montant illisible : « {number} ».") from error
    if thousand:
        value *= 1000
    return round_cents(value)


# --------------------------------------------------------------------------------------------------
# The LLM hook (optional)


@runtime_checkable
class QueryLLM(Protocol):
    """An optional helper that reads what the rules could not (configured by the app, never required).

    It returns a mapping with any of the keys ``doc_types`` (list of codes), ``correspondents`` (names
    from the given list), ``amount_min``, ``amount_max`` (numbers or strings), ``date_from``,
    ``date_to`` (ISO dates), ``tags`` (from the given list) and ``text``; or None. Anything outside the
    given vocabularies is ignored.
    """

    def parse_query(
        self,
        query: str,
        *,
        today: date,
        doc_types: Sequence[str],
        correspondents: Sequence[str],
        tags: Sequence[str],
    ) -> Mapping[str, object] | None: ...


# --------------------------------------------------------------------------------------------------
# Parsing state


@dataclass
class _State:
    raw: str
    today: date
    folded: str
    chars: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    floating_months: list[tuple[int, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    amount_min_strict: bool = False
    amount_max_strict: bool = False
    doc_types: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.chars = list(self.folded)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def consume(self, start: int, end: int) -> None:
        for index in range(start, end):
            self.chars[index] = _MASK

    def scan(self, pattern: re.Pattern[str], handler: Callable[[re.Match[str]], bool]) -> None:
        """Run ``handler`` on each match, left to right; a match it accepts is consumed."""
        position = 0
        while True:
            match = pattern.search(self.text, position)
            if match is None:
                return
            if match.end() == match.start():
                position = match.end() + 1
                continue
            if handler(match):
                self.consume(match.start(), match.end())
                position = match.end()
            else:
                position = match.start() + 1

    def original(self, start: int, end: int) -> str:
        return self.raw[start:end].strip()


# --------------------------------------------------------------------------------------------------
# Extractors


def _date_from_match(
    groups: Sequence[str | None], today: date, default_year: int | None = None
) -> date | None:
    """A date from the groups of ``_ANY_DATE`` (ISO, numeric or textual), year resolved if missing."""
    iso_y, iso_m, iso_d, num_d, num_m, num_y, txt_d, txt_m, txt_y = groups
    if iso_y:
        return safe_date(int(iso_y), int(iso_m or 0), int(iso_d or 0))
    if num_d:
        day, month = int(num_d), int(num_m or 0)
        if not 1 <= month <= 12:
            return None
        year = (
            full_year(int(num_y))
            if num_y
            else default_year or latest_year_for_day(month, min(day, 28), today)
        )
        return safe_date(year, month, day)
    if txt_d:
        day = ORDINALS.get(txt_d, 0) or int(txt_d)
        month = MONTHS[txt_m or ""]
        year = int(txt_y) if txt_y else default_year or latest_year_for_day(month, min(day, 28), today)
        return safe_date(year, month, day)
    return None


def _has_year(groups: Sequence[str | None]) -> bool:
    return bool(groups[0] or groups[5] or groups[8])


def _explicit_ranges(state: _State) -> None:
    """« du 01/02/2025 au 15/03/2025 », « entre le 1er mars et le 15 avril 2025 », « du 1er au 15 mars »."""
    pattern = _compile(
        rf"{_B}(?:du|de|entre le|entre|depuis le)\s+{_ANY_DATE}\s+(?:au|a|jusqu'au|et le|et)\s+{_ANY_DATE}"
    )

    def handle(match: re.Match[str]) -> bool:
        groups = match.groups()
        first, second = groups[:9], groups[9:]
        end = _date_from_match(second, state.today)
        if end is None:
            state.not_understood.append(state.original(*match.span()))
            return True
        start = _date_from_match(first, state.today, default_year=None if _has_year(first) else end.year)
        if start is None:
            state.not_understood.append(state.original(*match.span()))
            return True
        if start > end and not _has_year(first):
            start = start.replace(year=start.year - 1)
        if start > end:
            state.not_understood.append(state.original(*match.span()))
            return True
        state.periods.append(Period(start, end, range_label(start, end)))
        return True

    state.scan(pattern, handle)
    short = _compile(
        rf"{_B}du\s+(1er|premier|\d{{1,2}})\s+au\s+(\d{{1,2}})\s+({MONTH_PATTERN})\.?(?:\s+({_YEAR}))?{_E}"
    )

    def handle_short(match: re.Match[str]) -> bool:
        first_day = ORDINALS.get(match.group(1), 0) or int(match.group(1))
        last_day, month = int(match.group(2)), MONTHS[match.group(3)]
        year = int(match.group(4)) if match.group(4) else latest_year_for_day(month, first_day, state.today)
        start, end = safe_date(year, month, first_day), safe_date(year, month, last_day)
        if start is None or end is None or start > end:
            state.not_understood.append(state.original(*match.span()))
            return True
        state.periods.append(Period(start, end, range_label(start, end)))
        return True

    state.scan(short, handle_short)


def _month_ranges(state: _State) -> None:
    """« de janvier à mars 2025 », « entre avril et juin », « d'octobre 2024 à février 2025 »."""
    pattern = _compile(
        rf"{_B}(?:de|d'|entre|du mois de)\s*({MONTH_PATTERN})\.?(?:\s+({_YEAR}))?\s+(?:a|au|et|jusqu'a|jusqu'en)\s+({MONTH_PATTERN})\.?(?:\s+({_YEAR}))?{_E}"
    )

    def handle(match: re.Match[str]) -> bool:
        first, last = MONTHS[match.group(1)], MONTHS[match.group(3)]
        last_year = int(match.group(4)) if match.group(4) else latest_year_for_month(last, state.today)
        first_year = (
            int(match.group(2)) if match.group(2) else (last_year if first <= last else last_year - 1)
        )
        start, end = date(first_year, first, 1), month_end(last_year, last)
        if start > end:
            state.not_understood.append(state.original(*match.span()))
            return True
        state.periods.append(Period(start, end, range_label(start, end)))
        return True

    state.scan(pattern, handle)
    years = _compile(rf"{_B}(?:de|entre)\s+({_YEAR})\s+(?:a|et)\s+({_YEAR}){_E}(?!\s?(?:€|eur|k\b|mille))")

    def handle_years(match: re.Match[str]) -> bool:
        first, last = int(match.group(1)), int(match.group(2))
        if first > last:
            first, last = last, first
        state.periods.append(Period(date(first, 1, 1), date(last, 12, 31), f"de {first} à {last}"))
        return True

    state.scan(years, handle_years)


def _relative_periods(state: _State) -> None:
    """« le mois dernier », « cette année », « l'an dernier », « les 3 derniers mois », « hier »…"""
    today = state.today
    first_of_month = today.replace(day=1)
    previous_month_end = first_of_month - timedelta(days=1)
    monday = today - timedelta(days=today.weekday())
    quarter = (today.month - 1) // 3 + 1
    previous_quarter = (quarter - 2) % 4 + 1
    previous_quarter_year = today.year if quarter > 1 else today.year - 1
    fixed: list[tuple[str, Period]] = [
        (r"aujourd'hui|ce jour", Period(today, today, "aujourd'hui")),
        (r"avant[- ]hier", Period(today - timedelta(days=2), today - timedelta(days=2), "avant-hier")),
        (r"hier", Period(today - timedelta(days=1), today - timedelta(days=1), "hier")),
        (
            r"(?:la |de la )?semaine (?:derniere|passee|precedente)",
            Period(monday - timedelta(days=7), monday - timedelta(days=1), "semaine dernière"),
        ),
        (
            r"(?:cette|de cette) semaine|semaine en cours",
            Period(monday, monday + timedelta(days=6), "cette semaine"),
        ),
        (
            r"(?:le |du )?mois (?:dernier|passe|precedent)",
            Period(
                previous_month_end.replace(day=1),
                previous_month_end,
                f"mois dernier ({month_period(previous_month_end.year, previous_month_end.month).label})",
            ),
        ),
        (
            r"(?:ce|de ce) mois(?:[- ]ci)?|mois en cours",
            Period(
                first_of_month,
                month_end(today.year, today.month),
                f"ce mois-ci ({month_period(today.year, today.month).label})",
            ),
        ),
        (
            r"(?:le |du )?trimestre (?:dernier|passe|precedent)|(?:le |du )?dernier trimestre",
            quarter_period(previous_quarter_year, previous_quarter),
        ),
        (r"(?:ce|de ce) trimestre|trimestre en cours", quarter_period(today.year, quarter)),
        (
            r"(?:l'|de l')(?:an|annee) (?:dernier|derniere|passe|passee|precedente)|(?:l'|de l')annee n-1",
            year_period(today.year - 1),
        ),
        (r"(?:cette|de cette) annee|annee en cours|(?:l'|de l')annee n(?![\w-])", year_period(today.year)),
    ]
    for phrase, period in fixed:
        pattern = _compile(rf"{_B}(?:{phrase}){_E}")

        def handle(match: re.Match[str], period: Period = period) -> bool:
            state.periods.append(period)
            return True

        state.scan(pattern, handle)
    words = "|".join(NUMBER_WORDS)
    counted = _compile(
        rf"{_B}(?:(?:les|ces|sur les|depuis les|des|pendant les)\s+)?(\d{{1,3}}|{words})\s+(?:derniers?|dernieres?)\s+(jours?|semaines?|mois|ans|annees?){_E}"
        rf"|{_B}(?:depuis|sur|il y a moins de)\s+(\d{{1,3}}|{words})\s+(jours?|semaines?|mois|ans|annees?){_E}"
    )

    def handle_counted(match: re.Match[str]) -> bool:
        number = match.group(1) or match.group(3)
        unit = match.group(2) or match.group(4)
        count = int(number) if number.isdigit() else NUMBER_WORDS[number]
        if count < 1:
            return False
        state.periods.append(relative_period(unit, count, state.today))
        return True

    state.scan(counted, handle_counted)
    last_unit = _compile(rf"{_B}(?:les |ces )?(?:derniers|dernieres) (jours|semaines|mois){_E}")

    def handle_last(match: re.Match[str]) -> bool:
        count = {"jours": 30, "semaines": 4, "mois": 3}[match.group(1)]
        state.periods.append(relative_period(match.group(1), count, state.today))
        return True

    state.scan(last_unit, handle_last)


def _quarters(state: _State) -> None:
    """« T1 2025 », « Q3 », « premier trimestre 2025 », « 2e trimestre », « S1 2025 », « second semestre »."""
    short = _compile(rf"{_B}(t|q|s)([1-4])(?:\s+(?:de\s+|d')?({_YEAR}))?{_E}")

    def handle_short(match: re.Match[str]) -> bool:
        kind, number = match.group(1), int(match.group(2))
        if kind == "s" and number > 2:
            return False
        if kind == "s":
            year = int(match.group(3)) if match.group(3) else latest_year_for_half(number, state.today)
            state.periods.append(half_period(year, number))
        else:
            year = int(match.group(3)) if match.group(3) else latest_year_for_quarter(number, state.today)
            state.periods.append(quarter_period(year, number))
        return True

    state.scan(short, handle_short)
    long = _compile(
        rf"{_B}(?:(?:le|du|au)\s+)?({ORDINAL_PATTERN})\s+(trimestre|semestre)(?:\s+(?:de\s+|d')?(?:l'annee\s+)?({_YEAR}))?{_E}"
        rf"|{_B}(trimestre|semestre)\s+([1-4])(?:\s+(?:de\s+)?({_YEAR}))?{_E}"
    )

    def handle_long(match: re.Match[str]) -> bool:
        if match.group(1):
            number, kind, year_text = ORDINALS[match.group(1)], match.group(2), match.group(3)
        else:
            kind, number, year_text = match.group(4), int(match.group(5)), match.group(6)
        if kind == "semestre":
            if number > 2:
                state.not_understood.append(state.original(*match.span()))
                return True
            year = int(year_text) if year_text else latest_year_for_half(number, state.today)
            state.periods.append(half_period(year, number))
        else:
            year = int(year_text) if year_text else latest_year_for_quarter(number, state.today)
            state.periods.append(quarter_period(year, number))
        return True

    state.scan(long, handle_long)


def _amount_from(match: re.Match[str], number_group: int) -> _Amount:
    number, thousand, currency = (
        match.group(number_group),
        match.group(number_group + 1),
        match.group(number_group + 2),
    )
    return _Amount(parse_number(number, thousand), bool(currency) or bool(thousand))


def _amounts(state: _State) -> None:
    """« entre 100 et 200 € », « plus de 1 500 € », « moins de 200 », « 1 500,50 € », « au moins 2 k€ »."""
    amount = rf"{_NUM}{_K}{_CUR}{_TAX}"
    between = _compile(rf"{_B}{_AMOUNT_PREFIX}(?:entre|de)\s+{amount}\s+(?:et|a)\s+{amount}")

    def handle_between(match: re.Match[str]) -> bool:
        low, high = _amount_from(match, 1), _amount_from(match, 4)
        if not (low.has_currency or high.has_currency) and low.looks_like_year() and high.looks_like_year():
            return False
        if low.value > high.value:
            low, high = high, low
        state.amount_min, state.amount_max = low.value, high.value
        state.amount_min_strict = state.amount_max_strict = False
        return True

    state.scan(between, handle_between)
    comparisons = (
        (_GT_STRICT, "min", True, False),
        (_GT_INCLUSIVE, "min", False, True),
        (_LT_STRICT, "max", True, False),
        (_LT_INCLUSIVE, "max", False, True),
    )
    for cue, bound, strict, date_capable in comparisons:
        pattern = _compile(rf"{_B}{_AMOUNT_PREFIX}{cue}\s*{amount}")

        def handle(
            match: re.Match[str], bound: str = bound, strict: bool = strict, date_capable: bool = date_capable
        ) -> bool:
            value = _amount_from(match, 1)
            if date_capable and value.looks_like_year():
                return False
            if bound == "min":
                state.amount_min, state.amount_min_strict = value.value, strict
            else:
                state.amount_max, state.amount_max_strict = value.value, strict
            return True

        state.scan(pattern, handle)
    exact = _compile(
        rf"{_B}(?:(?:d'un |un |le |au )?montants? (?:total |ttc |ht )?(?:de |d'|egal a |= ?)?|de |a |=\s?)?(?:(€)\s?{_NUM}|{_NUM}{_K}{_CUR}{_TAX})"
    )

    def handle_exact(match: re.Match[str]) -> bool:
        if match.group(1):
            value = _Amount(parse_number(match.group(2)), True)
        else:
            value = _amount_from(match, 3)
            said_amount = "montant" in match.group(0) or match.group(0).lstrip().startswith("=")
            if not value.has_currency and not said_amount:
                return False
        state.amount_min = state.amount_max = value.value
        state.amount_min_strict = state.amount_max_strict = False
        return True

    state.scan(exact, handle_exact)


def _open_dates(state: _State) -> None:
    """« depuis janvier », « depuis le 15/03/2025 », « avant 2024 », « après juin 2025 », « jusqu'au 31 mars »."""
    since = r"depuis(?: le| la| l'| debut| le debut de)?|a partir (?:du|de|d')|apres(?: le)?|des le|post(?:erieure?s?)? a"
    until = r"avant(?: le| la| fin| la fin de)?|jusqu'(?:au|a|en)|anterieure?s? a|au plus tard le"
    target = rf"(?:{_ANY_DATE}|({MONTH_PATTERN})\.?(?:\s+({_YEAR}))?|({_YEAR}))"
    pattern = _compile(rf"{_B}(?:({since})|({until}))\s*(?:le\s+|l'|en\s+|mois de\s+|d')?{target}{_E}")

    def handle(match: re.Match[str]) -> bool:
        groups = match.groups()
        is_since = groups[0] is not None
        cue = groups[0] or groups[1] or ""
        exclusive = cue.startswith(("apres", "post", "avant", "anterieur"))
        date_groups = groups[2:11]
        month_text, month_year, year_text = groups[11], groups[12], groups[13]
        if any(date_groups):
            day = _date_from_match(date_groups, state.today)
            if day is None:
                state.not_understood.append(state.original(*match.span()))
                return True
            first, last = day, day
        elif month_text:
            month = MONTHS[month_text]
            year = int(month_year) if month_year else latest_year_for_month(month, state.today)
            period = month_period(year, month)
            first, last = period.start, period.end
        elif year_text:
            period = year_period(int(year_text))
            first, last = period.start, period.end
        else:
            return False
        assert first is not None and last is not None
        if is_since:
            start = last + timedelta(days=1) if exclusive else first
            state.periods.append(Period(start, None, range_label(start, None)))
        else:
            end = first - timedelta(days=1) if exclusive else last
            state.periods.append(Period(None, end, range_label(None, end)))
        return True

    state.scan(pattern, handle)


def _single_dates(state: _State) -> None:
    """« le 15/03/2025 », « 2025-03-15 », « 15 mars 2025 », « 1er mars »."""
    pattern = _compile(rf"{_B}(?:(?:le|du|au)\s+)?{_ANY_DATE}{_E}")

    def handle(match: re.Match[str]) -> bool:
        groups = match.groups()
        if groups[3] and not groups[5] and not match.group(0).lstrip().startswith(("le", "du", "au")):
            # « 3/4 » alone is more likely a reference than a date: keep it for full-text search.
            return False
        day = _date_from_match(groups, state.today)
        if day is None:
            state.not_understood.append(state.original(*match.span()))
            return True
        state.periods.append(Period(day, day, range_label(day, day)))
        return True

    state.scan(pattern, handle)


def _months_and_years(state: _State) -> None:
    """« mars 2025 », « en mars », « de mars », « en 2025 », « année 2025 », « exercice 2024 »."""
    month_year = _compile(
        rf"{_B}(?:(?:en|de|d'|du mois de|pour|au mois de|mois de)\s*)?({MONTH_PATTERN})\.?\s+({_YEAR}){_E}"
    )

    def handle_month_year(match: re.Match[str]) -> bool:
        state.periods.append(month_period(int(match.group(2)), MONTHS[match.group(1)]))
        return True

    state.scan(month_year, handle_month_year)
    numeric_month = _compile(r"(?<![\w/])(0?[1-9]|1[0-2])[/.-](" + _YEAR + r")(?![\w/])")

    def handle_numeric_month(match: re.Match[str]) -> bool:
        state.periods.append(month_period(int(match.group(2)), int(match.group(1))))
        return True

    state.scan(numeric_month, handle_numeric_month)
    month = _compile(rf"{_B}(?:(?:en|de|d'|du mois de|pour|au mois de|mois de)\s*)?({MONTH_PATTERN}){_E}\.?")

    def handle_month(match: re.Match[str]) -> bool:
        word = match.group(1)
        # Short forms (« dec », « sep ») only count after « en »/« de » or when they are the whole word typed.
        if len(word) <= 3 and match.group(0).strip() == word and word not in {"mai"}:
            return False
        state.floating_months.append((MONTHS[word], state.original(*match.span())))
        return True

    state.scan(month, handle_month)
    year = _compile(
        rf"{_B}(?:(?:en|de|d'|pour|annee|l'annee|exercice|l'exercice|sur|au cours de)\s+)?({_YEAR})(?![\w/\-]|[.,]\d|\s?(?:€|eur|k\b|mille))"
    )

    def handle_year(match: re.Match[str]) -> bool:
        state.years.append(int(match.group(1)))
        return True

    state.scan(year, handle_year)


def _doc_types(state: _State) -> None:
    """Types in the order they were typed (« contrats et devis » → contrat, devis)."""
    found: list[tuple[int, tuple[str, ...]]] = []
    for pattern, types in _TYPE_REGEXES:

        def handle(match: re.Match[str], types: tuple[str, ...] = types) -> bool:
            found.append((match.start(), types))
            return True

        state.scan(pattern, handle)
    for _position, types in sorted(found, key=lambda item: item[0]):
        for doc_type in types:
            _add(state.doc_types, doc_type)


# --------------------------------------------------------------------------------------------------
# Names: tags and correspondents


def _plural_free(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


@dataclass(frozen=True)
class _Name:
    canonical: str
    tokens: tuple[str, ...]
    joined: str


class QueryParser:
    """A parser for one company: its known correspondents and tags indexed once, many phrases parsed.

    ``llm`` is an optional :class:`QueryLLM`; it is asked only when the rules leave words unread.
    """

    def __init__(
        self,
        *,
        correspondents: Iterable[str] = (),
        tags: Iterable[str] = (),
        llm: QueryLLM | None = None,
        min_name_similarity: float = 85.0,
        min_word_similarity: float = 80.0,
    ) -> None:
        self.correspondent_names = _unique(correspondents)
        self.tag_names = _unique(tags)
        self.llm = llm
        self.min_name_similarity = min_name_similarity
        self.min_word_similarity = min_word_similarity
        self._names: list[_Name] = []
        for name in self.correspondent_names:
            tokens = tuple(clean_name(name).split())
            if tokens:
                self._names.append(_Name(name, tokens, " ".join(tokens)))
        self._token_owners: dict[str, set[int]] = {}
        for index, name in enumerate(self._names):
            for token in name.tokens:
                self._token_owners.setdefault(token, set()).add(index)
        self._tags = [(tag, _plural_free(" ".join(fold_same_length(tag).split()))) for tag in self.tag_names]

    def parse(self, query: str, *, today: date | None = None) -> ParsedQuery:
        """Filters of one search phrase; ``today`` anchors relative periods (defaults to the clock)."""
        if not isinstance(query, str):
            raise QueryError("La recherche doit être une chaîne de caractères.")
        if len(query) > MAX_QUERY_LENGTH:
            raise QueryError(f"La recherche est trop longue (plus de {MAX_QUERY_LENGTH} caractères).")
        today = today or date.today()
        state = _State(raw=query, today=today, folded=fold_same_length(query))
        for step in (
            _explicit_ranges,
            _month_ranges,
            _relative_periods,
            _quarters,
            _amounts,
            _open_dates,
            _single_dates,
            _months_and_years,
            _doc_types,
            self._tags_step,
            self._correspondents_step,
        ):
            step(state)
        period = _resolve_period(state)
        text, leftovers = _leftovers(state)
        parsed = ParsedQuery(
            raw=query,
            doc_types=tuple(state.doc_types),
            correspondents=tuple(state.correspondents),
            amount_min=state.amount_min,
            amount_max=state.amount_max,
            amount_min_strict=state.amount_min_strict,
            amount_max_strict=state.amount_max_strict,
            date_from=period.start if period else None,
            date_to=period.end if period else None,
            period_label=period.label if period else "",
            tags=tuple(state.tags),
            text=text,
            not_understood=tuple(
                state.not_understood + leftovers + ([] if period else ["période contradictoire"])
            ),
        )
        parsed = replace(parsed, sources={name: "règles" for name in _filled_fields(parsed)})
        if self.llm is not None and (parsed.text or parsed.not_understood):
            parsed = self._ask_llm(parsed, today)
        return replace(parsed, summary=build_summary(parsed))

    # -- tags -------------------------------------------------------------------------------------

    def _tags_step(self, state: _State) -> None:
        hashtag = _compile(r"#([\w\-]+)")

        def handle_hashtag(match: re.Match[str]) -> bool:
            wanted = _plural_free(match.group(1).replace("-", " "))
            for tag, folded in self._tags:
                if folded == wanted or folded.replace(" ", "-") == match.group(1):
                    _add(state.tags, tag)
                    return True
            _add(state.tags, state.original(match.start() + 1, match.end()))
            return True

        state.scan(hashtag, handle_hashtag)
        for tag, folded in sorted(self._tags, key=lambda item: -len(item[1])):
            if not folded:
                continue
            words = r"\s+".join(re.escape(word) for word in folded.split())
            pattern = _compile(rf"{_B}(?:etiquettes?\s+|tags?\s+|categories?\s+)?{words}[sx]?{_E}")

            def handle(match: re.Match[str], tag: str = tag) -> bool:
                _add(state.tags, tag)
                return True

            state.scan(pattern, handle)

    # -- correspondents -----------------------------------------------------------------------------

    def _correspondents_step(self, state: _State) -> None:
        if not self._names:
            return
        tokens = _tokens(state)
        used: set[int] = set()
        found: list[tuple[int, str]] = []
        for size in range(min(5, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                window = tokens[start : start + size]
                if any(index in used for index in range(start, start + size)):
                    continue
                if not _contiguous(state, window):
                    continue
                words = [token[2] for token in window]
                if all(_fold_word(word) in FILLER_WORDS for word in words):
                    continue
                owners = self._match_names(words)
                if not owners:
                    continue
                for owner in owners:
                    found.append((window[0][0], self._names[owner].canonical))
                first, last = start, start + size - 1
                if len(owners) == 1:
                    first, last = self._extend_over_name(state, tokens, used, first, last, owners[0])
                used.update(range(first, last + 1))
                begin = _swallow_connector(state, tokens[first][0])
                state.consume(begin, tokens[last][1])
        for _position, name in sorted(found, key=lambda item: item[0]):
            _add(state.correspondents, name)

    def _extend_over_name(
        self,
        state: _State,
        tokens: list[tuple[int, int, str]],
        used: set[int],
        first: int,
        last: int,
        owner: int,
    ) -> tuple[int, int]:
        """Also take the neighbouring words that belong to the same name (« Cabinet » of « Cabinet Moreau »)."""
        name_tokens = set(self._names[owner].tokens)

        def belongs(index: int) -> bool:
            return (
                0 <= index < len(tokens) and index not in used and clean_name(tokens[index][2]) in name_tokens
            )

        while belongs(first - 1) and _contiguous(state, [tokens[first - 1], tokens[first]]):
            first -= 1
        while belongs(last + 1) and _contiguous(state, [tokens[last], tokens[last + 1]]):
            last += 1
        return first, last

    def _covers(self, words: list[str], index: int) -> bool:
        name_tokens = self._names[index].tokens
        return all(
            max(fuzz.ratio(word, token) for token in name_tokens) >= self.min_word_similarity
            for word in words
        )

    def _match_names(self, words: list[str]) -> list[int]:
        """Known names this run of words designates: whole name first, then a distinctive word."""
        cleaned = clean_name(" ".join(words))
        if not cleaned:
            return []
        scores = [(fuzz.ratio(cleaned, name.joined), index) for index, name in enumerate(self._names)]
        best = max(score for score, _ in scores)
        if best >= self.min_name_similarity:
            winners = [index for score, index in scores if score >= best - 0.01]
            # Every word typed must belong to the name: « EDF et Leroy Merlin » is not « Leroy Merlin ».
            winners = [index for index in winners if self._covers(cleaned.split(), index)]
            if winners:
                return winners
        if len(words) != 1:
            return []
        word = cleaned
        if len(word) < 3 or word in GENERIC_NAME_WORDS or _fold_word(words[0]) in FILLER_WORDS:
            return []
        owners: set[int] = set(self._token_owners.get(word, set()))
        if not owners and len(word) >= 5:
            for token, indices in self._token_owners.items():
                if (
                    len(token) >= 5
                    and token not in GENERIC_NAME_WORDS
                    and fuzz.ratio(word, token) >= self.min_word_similarity
                ):
                    owners |= indices
        if not owners or len(owners) > 3:
            return []
        return sorted(
            owners, key=lambda index: (len(self._names[index].tokens), self._names[index].canonical)
        )

    # -- LLM --------------------------------------------------------------------------------------

    def _ask_llm(self, parsed: ParsedQuery, today: date) -> ParsedQuery:
        assert self.llm is not None
        try:
            answer = self.llm.parse_query(
                parsed.raw,
                today=today,
                doc_types=DOC_TYPES,
                correspondents=self.correspondent_names,
                tags=self.tag_names,
            )
        except Exception as error:  # noqa: BLE001 - an optional helper must never break the search
            return replace(
                parsed, notes=(*parsed.notes, f"l'assistant IA n'a pas pu aider ({type(error).__name__})")
            )
        if not answer:
            return parsed
        return _merge_llm(parsed, answer, self.correspondent_names, self.tag_names)


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise QueryError("Les noms de correspondants et d'étiquettes doivent être des chaînes.")
        if value.strip() and value not in seen:
            seen.append(value)
    return seen


def _add(items: list[str], value: str) -> None:
    if value not in items:
        items.append(value)


def _fold_word(word: str) -> str:
    return fold_same_length(word).strip()


_TOKEN = re.compile(r"(?:[dljmnst]|qu)'|#?[\w][\w\-./']*|[€<>=]+")


def _tokens(state: _State) -> list[tuple[int, int, str]]:
    """(start, end, original word) of the words still unread."""
    return [(m.start(), m.end(), state.raw[m.start() : m.end()]) for m in _TOKEN.finditer(state.text)]


def _contiguous(state: _State, window: list[tuple[int, int, str]]) -> bool:
    """True when nothing was consumed between the words (they were typed next to each other)."""
    return all(_MASK not in state.text[a[1] : b[0]] for a, b in pairwise(window))


def _swallow_connector(state: _State, begin: int) -> int:
    """Also consume « de », « chez », « d' », « avec », « pour » just before a correspondent."""
    before = state.text[:begin]
    match = re.search(r"(?:\b(?:de|du|chez|avec|pour|par|aupres de)\s+|\bd')$", before)
    return match.start() if match else begin


def _resolve_period(state: _State) -> Period | None:
    """All period constraints together; a month typed without year takes the year typed elsewhere."""
    periods = list(state.periods)
    years = sorted(set(state.years))
    for month, _text in state.floating_months:
        if len(years) == 1:
            periods.append(month_period(years[0], month))
        else:
            periods.append(month_period(latest_year_for_month(month, state.today), month))
    if state.floating_months and len(years) == 1:
        years = []
    for year in years:
        periods.append(year_period(year))
    if len(years) > 1:
        periods = [p for p in periods if p.label not in {year_period(y).label for y in years}]
        periods.append(Period(date(years[0], 1, 1), date(years[-1], 12, 31), f"de {years[0]} à {years[-1]}"))
    return intersect(periods)


def _leftovers(state: _State) -> tuple[str, list[str]]:
    """(text for full-text search, fragments not understood) from the words no extractor read.

    In each run of unread words, the words before a filter cue (« plus », « depuis », « € »…) are
    searched as text; from the cue on, the run is a fragment the parser failed to read.
    """
    words: list[str] = []
    failed: list[str] = []
    for run in re.finditer(f"[^{_MASK}]+", state.text):
        tokens = [(run.start() + m.start(), run.start() + m.end()) for m in _TOKEN.finditer(run.group(0))]
        folded = [state.folded[a:b].strip(".,;:!?") for a, b in tokens]
        cue = next(
            (i for i, word in enumerate(folded) if word in CUE_WORDS or word.rstrip("'") in CUE_WORDS), None
        )
        if cue is not None:
            fragment = state.raw[tokens[cue][0] : tokens[-1][1]].strip()
            if fragment:
                failed.append(fragment)
            tokens, folded = tokens[:cue], folded[:cue]
        for (a, b), word in zip(tokens, folded, strict=True):
            if word and word not in FILLER_WORDS:
                words.append(state.raw[a:b].strip(".,;:!?"))
    return " ".join(word for word in words if word), failed


def _filled_fields(parsed: ParsedQuery) -> list[str]:
    filled = []
    if parsed.doc_types:
        filled.append("doc_types")
    if parsed.correspondents:
        filled.append("correspondents")
    if parsed.amount_min is not None or parsed.amount_max is not None:
        filled.append("amount")
    if parsed.date_from or parsed.date_to:
        filled.append("dates")
    if parsed.tags:
        filled.append("tags")
    return filled


def _merge_llm(
    parsed: ParsedQuery, answer: Mapping[str, object], names: Sequence[str], tags: Sequence[str]
) -> ParsedQuery:
    """Fill the fields the rules left empty with the LLM's answer, keeping only valid values."""
    changes: dict[str, object] = {}
    sources: dict[str, Source] = dict(parsed.sources)
    if not parsed.doc_types:
        types = tuple(t for t in _as_list(answer.get("doc_types")) if t in DOC_TYPES)
        if types:
            changes["doc_types"], sources["doc_types"] = types, "llm"
    if not parsed.correspondents:
        known = {clean_name(name): name for name in names}
        found = tuple(
            known[clean_name(n)] for n in _as_list(answer.get("correspondents")) if clean_name(n) in known
        )
        if found:
            changes["correspondents"], sources["correspondents"] = found, "llm"
    if not parsed.tags:
        chosen = tuple(t for t in _as_list(answer.get("tags")) if t in tags)
        if chosen:
            changes["tags"], sources["tags"] = chosen, "llm"
    if parsed.amount_min is None and parsed.amount_max is None:
        low, high = _as_amount(answer.get("amount_min")), _as_amount(answer.get("amount_max"))
        if (low is not None or high is not None) and (low is None or high is None or low <= high):
            changes.update(amount_min=low, amount_max=high)
            sources["amount"] = "llm"
    if parsed.date_from is None and parsed.date_to is None:
        start, end = _as_date(answer.get("date_from")), _as_date(answer.get("date_to"))
        if (start or end) and (start is None or end is None or start <= end):
            changes.update(date_from=start, date_to=end, period_label=range_label(start, end))
            sources["dates"] = "llm"
    if not changes:
        return parsed
    text = answer.get("text")
    if isinstance(text, str):
        changes["text"] = text.strip()
        changes["not_understood"] = ()
    return replace(parsed, sources=sources, **changes)  # type: ignore[arg-type]


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [item for item in value if isinstance(item, str)]
    return []


def _as_amount(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = round_cents(Decimal(str(value).replace(",", ".").replace(" ", "")))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount >= 0 else None


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_query(
    query: str,
    *,
    today: date | None = None,
    correspondents: Iterable[str] = (),
    tags: Iterable[str] = (),
    llm: QueryLLM | None = None,
) -> ParsedQuery:
    """Parse one search phrase (see :class:`QueryParser` to parse many with the same names)."""
    return QueryParser(correspondents=correspondents, tags=tags, llm=llm).parse(query, today=today)
