"""Guard-rails on generated text: grounding of cited facts, AI labelling, the company's voice.

Why: a small business cannot afford a draft that quotes a wrong price, a made-up date or a customer
who does not exist. Every number, amount, percentage, date, time, phone number, address and capitalised
name cited by the model must be found in the data the feature gave it; otherwise the draft is flagged and
not offered as-is (issue 6 §2). The check is deliberately strict — a false alarm costs a template draft,
a missed hallucination costs the company's credibility.

Comparison is by value, not by spelling: "1 234,56 €", "1234.56" and Decimal("1234.56") are the same
amount; "26/11/2026", "2026-11-26" and "jeudi 26 novembre 2026" are the same date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from etabli.engines.llm.errors import LLMError
from etabli.engines.llm.prompts import render_prompt

AI_LABEL = "Brouillon généré par IA"
TEMPLATE_LABEL = "Brouillon généré par modèle de texte (sans IA)"

MismatchKind = Literal["nombre", "montant", "date", "nom", "pourcentage"]

# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------
MONTHS: dict[str, int] = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
MONTH_NAMES = (
    "",
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS: dict[str, int] = {
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

#: Capitalised words that are not facts: titles, greetings, feasts, common business acronyms.
#: Kept short on purpose — anything else capitalised mid-sentence must come from the sources.
NOT_NAMES: frozenset[str] = frozenset(
    {
        "monsieur",
        "madame",
        "mademoiselle",
        "messieurs",
        "mesdames",
        "mme",
        "mlle",
        "mmes",
        "m",
        "mr",
        "dr",
        "me",
        "maitre",
        "pr",
        "bonjour",
        "bonsoir",
        "salut",
        "cordialement",
        "merci",
        "cher",
        "chere",
        "chers",
        "cheres",
        "objet",
        "re",
        "tr",
        "fwd",
        "ps",
        "nb",
        "noel",
        "paques",
        "toussaint",
        "ascension",
        "pentecote",
        "epiphanie",
        "tva",
        "ht",
        "ttc",
        "siret",
        "siren",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "sa",
        "ei",
        "pme",
        "tpe",
        "eti",
        "ia",
        "rgpd",
        "pdf",
        "cgv",
        "cgu",
        "faq",
        "ok",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "janvier",
        "fevrier",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "aout",
        "septembre",
        "octobre",
        "novembre",
        "decembre",
    }
)

_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007\u2008\u200a]")
_APOSTROPHES = re.compile(r"[\u2019\u02bc`´]")

_NUM = r"(?:\d{1,3}(?:[ .,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_NUM_START = r"(?<![\w.,/])"
_NUM_END = r"(?!\d)(?![.,]\d)(?!(?:er|re|ère|ere|e|ème|eme|nd|nde|ième|ieme)\b)"
_MONTH_ALT = (
    r"janvier|janv\.?|février|fevrier|févr\.?|fevr\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|"
    r"août|aout|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|décembre|decembre|déc\.?|dec\.?"
)
_WEEKDAY_ALT = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"

RE_URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.IGNORECASE)
RE_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
RE_HASHTAG = re.compile(r"(?<![\w&])#\w+")
RE_LIST_MARKER = re.compile(r"(?m)^[ \t]*\d{1,2}[.)](?=[ \t])")
RE_DAY_MONTH = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{1,2})(?![\d/])")
RE_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)?(?!\d)")
RE_NUM_DATE = re.compile(r"(?<![\d/.])(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?![\d/])")
RE_TEXT_DATE = re.compile(
    rf"(?:\b({_WEEKDAY_ALT})\s+)?\b(\d{{1,2}}|1er)\s+({_MONTH_ALT})(?:\s+(\d{{4}}))?(?!\w)", re.IGNORECASE
)
RE_MONTH_YEAR = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{4}})(?!\d)", re.IGNORECASE)
RE_TIME = re.compile(r"(?<![\w:])([01]?\d|2[0-3])\s?(?:h|:)\s?([0-5]\d)?(?![\d\w])", re.IGNORECASE)
RE_PHONE = re.compile(r"(?<![\d+])(?:\+33\s?\(?0?\)?\s?|0)([1-9](?:[ .-]?\d{2}){4})(?!\d)")
RE_PERCENT = re.compile(rf"{_NUM_START}({_NUM})\s?(?:%|pour ?cents?\b)", re.IGNORECASE)
RE_AMOUNT_AFTER = re.compile(rf"{_NUM_START}({_NUM})\s?(k\s?)?(?:€|euros?\b|eur\b)", re.IGNORECASE)
RE_AMOUNT_BEFORE = re.compile(rf"€\s?({_NUM}){_NUM_END}")
RE_NUMBER = re.compile(rf"{_NUM_START}({_NUM}){_NUM_END}")
RE_TOKEN = re.compile(r"[^\W\d_][\w-]*|[.!?…:;\n«\"“]|\d+")
_SENTENCE_BREAKS = frozenset('.!?…:;\n«"“')


# --------------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mismatch:
    """One cited fact that the sources do not support; ``message_fr`` is shown next to the draft."""

    kind: MismatchKind
    value: str
    message_fr: str


@dataclass(frozen=True)
class GroundingReport:
    """``ok`` is True when every checked fact was found; ``checked`` counts the facts looked at."""

    ok: bool
    mismatches: list[Mismatch] = field(default_factory=list)
    checked: int = 0

    @property
    def summary_fr(self) -> str:
        if self.ok:
            return f"{self.checked} élément(s) vérifié(s) : tous figurent dans les données fournies."
        listed = " ; ".join(m.message_fr for m in self.mismatches[:5])
        more = f" (et {len(self.mismatches) - 5} autre(s))" if len(self.mismatches) > 5 else ""
        return f"{len(self.mismatches)} élément(s) non retrouvé(s) dans les données : {listed}{more}"


# --------------------------------------------------------------------------------------------------
# Normalisation helpers
# --------------------------------------------------------------------------------------------------
def _normalise_text(text: str) -> str:
    return _APOSTROPHES.sub("'", _SPACES.sub(" ", text))


def fold(word: str) -> str:
    """Case- and accent-insensitive form used to compare names ("Émile" == "emile")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _to_decimal(digits: str) -> Decimal | None:
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def number_readings(raw: str) -> list[list[Decimal]]:
    """Every plausible reading of a French or English formatted number.

    "1 234,56" → [[1234.56]]; "1,500" → [[1.5], [1500]] (ambiguous); "12 150" → [[12150], [12, 150]]
    (a thousands group, or two numbers side by side). A cited number is supported when one reading is
    fully found in the sources; the sources contribute all their readings. Ambiguity thus never turns a
    correct citation into a false alarm.
    """
    raw = raw.strip()
    readings: list[list[Decimal]] = []

    def add(*texts: str) -> None:
        values = [_to_decimal(t) for t in texts]
        if all(v is not None for v in values):
            readings.append([v for v in values if v is not None])

    if " " in raw:
        readings = number_readings(raw.replace(" ", ""))
        if re.fullmatch(r"\d+(?: \d+)+", raw):
            add(*raw.split(" "))
        return readings
    has_comma, has_dot = "," in raw, "." in raw
    if has_comma and has_dot:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        add(raw.replace(thousands, "").replace(decimal_mark, "."))
        return readings
    if has_comma or has_dot:
        mark = "," if has_comma else "."
        parts = raw.split(mark)
        if len(parts) > 2:
            add("".join(parts))
            return readings
        before, after = parts
        add(f"{before}.{after}")
        if len(after) == 3:
            add(before + after)
        return readings
    add(raw)
    return readings


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _month(text: str) -> int:
    return MONTHS[fold(text).rstrip(".")]


def _valid_date(year: int | None, month: int, day: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    last = calendar.monthrange(year or 2000, month)[1]  # 2000 is a leap year: 29 Feb allowed
    return 1 <= day <= last


@dataclass(frozen=True)
class _Date:
    year: int | None
    month: int
    day: int | None


@dataclass
class _Fact:
    kind: MismatchKind
    raw: str
    readings: list[list[Decimal]] = field(default_factory=list)
    date: _Date | None = None
    weekday: int | None = None
    token: str = ""
    label: str = ""


@dataclass
class _Facts:
    """Everything extracted from a text, with the spans already consumed masked out."""

    facts: list[_Fact] = field(default_factory=list)
    masked: str = ""


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _extract(text: str) -> _Facts:
    """Pull cited facts out of ``text`` in a fixed order (most specific patterns first)."""
    text = _normalise_text(text)
    facts: list[_Fact] = []

    def consume(pattern: re.Pattern[str], build: Any) -> None:
        nonlocal text
        for match in list(pattern.finditer(text)):
            fact = build(match)
            if fact is not None:
                facts.append(fact)
                text = _mask(text, match.start(), match.end())

    consume(
        RE_URL, lambda m: _Fact("nom", m.group(0), token=fold(m.group(0).rstrip(".,;:")), label="L'adresse")
    )
    consume(RE_EMAIL, lambda m: _Fact("nom", m.group(0), token=fold(m.group(0)), label="L'adresse e-mail"))
    consume(RE_HASHTAG, lambda m: _Fact("nom", m.group(0), token="", label="ignore"))
    consume(RE_LIST_MARKER, lambda m: _Fact("nombre", m.group(0), label="ignore"))  # "1. ", "2) "
    consume(RE_PHONE, _phone)
    consume(RE_ISO_DATE, _iso_date)
    consume(RE_NUM_DATE, _numeric_date)
    consume(RE_DAY_MONTH, _day_month)
    consume(RE_TEXT_DATE, _text_date)
    consume(RE_MONTH_YEAR, _month_year)
    consume(RE_TIME, _time)
    consume(RE_PERCENT, lambda m: _Fact("pourcentage", m.group(0), readings=number_readings(m.group(1))))
    consume(RE_AMOUNT_AFTER, _amount_after)
    consume(RE_AMOUNT_BEFORE, lambda m: _Fact("montant", m.group(0), readings=number_readings(m.group(1))))
    consume(RE_NUMBER, lambda m: _Fact("nombre", m.group(0), readings=number_readings(m.group(1))))
    return _Facts(facts=[f for f in facts if f.label != "ignore"], masked=text)


def _iso_date(match: re.Match[str]) -> _Fact | None:
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not _valid_date(year, month, day):
        return None
    return _Fact("date", match.group(0), date=_Date(year, month, day))


def _numeric_date(match: re.Match[str]) -> _Fact | None:
    day, month, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
    if not _valid_date(year, month, day):
        return None
    return _Fact("date", match.group(0), date=_Date(year, month, day))


def _text_date(match: re.Match[str]) -> _Fact | None:
    weekday_text, day_text, month_text, year_text = match.groups()
    day = 1 if day_text.lower() == "1er" else int(day_text)
    month, year = _month(month_text), _year(year_text)
    if not _valid_date(year, month, day):
        return None
    weekday = WEEKDAYS[fold(weekday_text)] if weekday_text else None
    return _Fact("date", match.group(0).strip(), date=_Date(year, month, day), weekday=weekday)


def _month_year(match: re.Match[str]) -> _Fact:
    return _Fact("date", match.group(0), date=_Date(int(match.group(2)), _month(match.group(1)), None))


def _phone(match: re.Match[str]) -> _Fact:
    digits = "0" + re.sub(r"\D", "", match.group(1))
    return _Fact("nombre", match.group(0), token=digits, label="Le numéro de téléphone")


def _day_month(match: re.Match[str]) -> _Fact | None:
    day, month = int(match.group(1)), int(match.group(2))
    if not _valid_date(None, month, day):
        return None
    return _Fact("date", match.group(0), date=_Date(None, month, day))


def _time(match: re.Match[str]) -> _Fact:
    """14h30, 9 h, 14:30. The numbers are kept too: "2 h" may be a duration the sources write "2 heures"."""
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    parts = [Decimal(hours)] + ([Decimal(minutes)] if match.group(2) else [])
    return _Fact(
        "date", match.group(0).strip(), readings=[parts], token=f"{hours:02d}:{minutes:02d}", label="L'heure"
    )


def _amount_after(match: re.Match[str]) -> _Fact:
    readings = number_readings(match.group(1))
    if match.group(2):  # "1,5 k€" = 1 500 €
        readings = [[value * 1000 for value in reading] for reading in readings]
    return _Fact("montant", match.group(0).strip(), readings=readings)


def _words(masked: str) -> Iterator[tuple[str, bool]]:
    """Words with a flag telling whether each starts a sentence, a line, a quotation or a list item."""
    at_start = True
    for token in RE_TOKEN.findall(masked):
        if token in _SENTENCE_BREAKS:
            at_start = True
            continue
        if token.isdigit():
            continue
        yield token, at_start
        at_start = False


def _name_candidates(masked: str) -> Iterator[str]:
    """Capitalised words that are not the first word of a sentence (where capitals mean nothing)."""
    for word, at_start in _words(masked):
        if word[0].isupper() and len(word) > 1 and not at_start and fold(word) not in NOT_NAMES:
            yield word


# --------------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------------
@dataclass
class _SourceIndex:
    numbers: set[Decimal] = field(default_factory=set)
    date_parts: set[Decimal] = field(default_factory=set)
    dates: set[_Date] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)

    def add_text(self, text: str) -> None:
        extracted = _extract(text)
        for fact in extracted.facts:
            self._add_fact(fact)
        normalised = _normalise_text(text)
        for word in re.findall(r"[^\W\d_][\w-]*", normalised):
            self._add_word(word)
        for raw in RE_NUMBER.findall(normalised):  # numbers inside dates, phones… count as numbers too
            for reading in number_readings(raw):
                self.date_parts.update(reading)

    def _add_word(self, word: str) -> None:
        folded = fold(word)
        self.tokens.add(folded)
        self.tokens.update(part for part in folded.split("-") if part)

    def _add_fact(self, fact: _Fact) -> None:
        if fact.date is not None:
            self.add_date(fact.date)
        if fact.token:
            self.tokens.add(fact.token)
        for reading in fact.readings:
            self.numbers.update(reading)

    def add_date(self, date: _Date) -> None:
        self.dates.add(date)
        for part in (date.year, date.month, date.day):
            if part is not None:
                self.date_parts.add(Decimal(part))

    def add_value(self, value: Any) -> None:
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, dt.datetime):
            self.add_date(_Date(value.year, value.month, value.day))
            self.tokens.add(f"{value.hour:02d}:{value.minute:02d}")
        elif isinstance(value, dt.date):
            self.add_date(_Date(value.year, value.month, value.day))
        elif isinstance(value, dt.time):
            self.tokens.add(f"{value.hour:02d}:{value.minute:02d}")
        elif isinstance(value, int | float | Decimal):
            number = _to_decimal(str(value))
            if number is not None and number.is_finite():
                self.numbers.add(abs(number))
        elif isinstance(value, str):
            self.add_text(value)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                self.add_value(str(key))
                self.add_value(item)
        elif isinstance(value, Iterable):
            for item in value:
                self.add_value(item)
        else:
            self.add_text(str(value))

    def has_date(self, date: _Date) -> bool:
        return any(
            known.month == date.month
            and (date.day is None or known.day is None or known.day == date.day)
            and (date.year is None or known.year is None or known.year == date.year)
            for known in self.dates
        )


def build_source_index(sources: str | Iterable[Any] | Mapping[str, Any]) -> _SourceIndex:
    index = _SourceIndex()
    index.add_value(sources)
    return index


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------
def check_grounding(text: str, sources: str | Iterable[Any] | Mapping[str, Any]) -> GroundingReport:
    """Check that every fact cited in ``text`` appears in ``sources``.

    ``sources`` is the data the feature gave the model: a text, a list of texts/values, or a mapping
    (keys and values are read recursively; Decimal, int, date and datetime values are compared by value).
    Checked: numbers, amounts (1 234,56 € / 1234.56 / 1 500 € / 1,5 k€), percentages, dates
    (26/11/2026, 26 novembre 2026, 2026-11-26, novembre 2026, with the weekday verified when given),
    times (14h30), phone numbers, web and e-mail addresses, and capitalised names that do not start a
    sentence. Numbers written in words are not checked (a known limit).
    """
    if not isinstance(text, str):
        raise LLMError("Le texte à vérifier doit être une chaîne de caractères.")
    index = build_source_index(sources)
    extracted = _extract(text)
    mismatches: dict[tuple[str, str], Mismatch] = {}
    checked = 0
    for fact in extracted.facts:
        checked += 1
        problem = _check_fact(fact, index)
        if problem is not None:
            mismatches.setdefault((problem.kind, fold(problem.value)), problem)
    for word in _name_candidates(extracted.masked):
        checked += 1
        if not _name_known(word, index):
            mismatches.setdefault(
                ("nom", fold(word)),
                Mismatch("nom", word, f"Le nom « {word} » n'apparaît pas dans les données fournies."),
            )
    return GroundingReport(ok=not mismatches, mismatches=list(mismatches.values()), checked=checked)


def _name_known(word: str, index: _SourceIndex) -> bool:
    folded = fold(word)
    if folded in index.tokens:
        return True
    parts = [part for part in folded.split("-") if part]
    return bool(parts) and all(part in index.tokens or part in NOT_NAMES for part in parts)


def _check_fact(fact: _Fact, index: _SourceIndex) -> Mismatch | None:
    if fact.kind == "date" and fact.date is not None:
        return _check_date(fact, index)
    if fact.token:
        if fact.token in index.tokens:
            return None
        pool = index.numbers | index.date_parts
        if fact.readings and any(all(v in pool for v in reading) for reading in fact.readings):
            return None
        label = fact.label or "L'élément"
        kind: MismatchKind = fact.kind
        return Mismatch(kind, fact.raw, f"{label} « {fact.raw} » n'apparaît pas dans les données fournies.")
    pool = index.numbers if fact.kind in ("montant", "pourcentage") else index.numbers | index.date_parts
    if any(all(abs(value) in pool for value in reading) for reading in fact.readings):
        return None
    label = {"montant": "Le montant", "pourcentage": "Le pourcentage"}.get(fact.kind, "Le nombre")
    return Mismatch(fact.kind, fact.raw, f"{label} « {fact.raw} » n'apparaît pas dans les données fournies.")


def _check_date(fact: _Fact, index: _SourceIndex) -> Mismatch | None:
    date = fact.date
    assert date is not None
    if fact.weekday is not None and date.year is not None and date.day is not None:
        actual = dt.date(date.year, date.month, date.day).weekday()
        if actual != fact.weekday:
            return Mismatch(
                "date",
                fact.raw,
                (
                    f"La date « {fact.raw} » est incohérente : "
                    f"le {date.day:02d}/{date.month:02d}/{date.year} "
                    f"est un {WEEKDAY_NAMES[actual]}."
                ),
            )
    if index.has_date(date):
        return None
    return Mismatch("date", fact.raw, f"La date « {fact.raw} » n'apparaît pas dans les données fournies.")


# --------------------------------------------------------------------------------------------------
# Labelling (AI Act art. 50)
# --------------------------------------------------------------------------------------------------
def draft_label(generated_by_ai: bool) -> str:
    """The label shown on a draft until a person edits or approves it."""
    return AI_LABEL if generated_by_ai else TEMPLATE_LABEL


def review_label(generated_by_ai: bool, *, approved_by: str | None = None, edited: bool = False) -> str:
    """Label after human review: AI text stays disclosed unless a person has edited it (art. 50(4)).

    The app logs the approval itself; this only gives the wording to display or publish with the text.
    """
    if approved_by is None:
        return draft_label(generated_by_ai)
    if not generated_by_ai:
        return f"Rédigé à partir d'un modèle de texte, validé par {approved_by}"
    if edited:
        return f"Rédigé avec l'aide de l'IA, relu et modifié par {approved_by}"
    return f"Texte généré par IA, validé par {approved_by}"


# --------------------------------------------------------------------------------------------------
# Company voice
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Voice:
    """The company's writing settings (ch. 6.1): tone, tutoiement/vouvoiement, words to avoid, signature."""

    tone: str = "chaleureux et professionnel"
    address: Literal["vous", "tu"] = "vous"
    words_to_avoid: tuple[str, ...] = ()
    signature: str = ""
    company: str = ""

    def __post_init__(self) -> None:
        if self.address not in ("vous", "tu"):
            raise LLMError(f"Forme d'adresse inconnue : « {self.address} » (attendu : « vous » ou « tu »).")
        if not isinstance(self.tone, str) or not self.tone.strip():
            raise LLMError("Le ton de la marque ne peut pas être vide.")
        object.__setattr__(self, "words_to_avoid", tuple(w.strip() for w in self.words_to_avoid if w.strip()))

    def system_prompt(self, extra: str | None = None) -> str:
        """French system prompt text (prompts/voix.txt) carrying the voice and the grounding rules."""
        address = (
            "Vouvoyez le lecteur (« vous »)." if self.address == "vous" else "Tutoyez le lecteur (« tu »)."
        )
        avoid = (
            "N'employez jamais ces mots : " + ", ".join(f"« {w} »" for w in self.words_to_avoid) + "."
            if self.words_to_avoid
            else ""
        )
        signature = f"Signez ainsi : {self.signature}" if self.signature else "N'ajoutez pas de signature."
        lines = [line for line in (address, avoid, signature) if line]
        text = render_prompt(
            "voix",
            entreprise=self.company or "l'entreprise",
            ton=self.tone.strip(),
            consignes_voix="\n".join(lines),
        ).strip()
        return f"{text}\n\n{extra.strip()}" if extra and extra.strip() else text

    def avoided_words_in(self, text: str) -> list[str]:
        """The words to avoid that ``text`` uses (whole words, case- and accent-insensitive)."""
        folded = fold(text)
        return [w for w in self.words_to_avoid if re.search(rf"(?<!\w){re.escape(fold(w))}(?!\w)", folded)]
