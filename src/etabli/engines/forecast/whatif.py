"""What-if: add, remove or move a flow — from a small form or a French sentence — and compare.

The sentence parser is deliberately rule-based (no LLM): the owner types short, formulaic sentences
(« achat véhicule 25 000 € le 15/01 », « embauche 2 500 €/mois à partir de février », « perte du
chantier Dupont 80 000 € », « décaler le paiement fournisseur X au 30/01 »), the result must be exact
(an amount misread by a model would be a wrong forecast), and the structured change is shown back to the
owner with its French explanation so that a misunderstanding is visible before anything is decided.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np

from etabli.common.formats import format_date, format_eur
from etabli.common.money import round_cents
from etabli.engines.forecast.types import (
    CashForecast,
    FlowKind,
    ForecastError,
    Scenario,
    check_amount,
)
from etabli.engines.spending.calendar import BankCalendar, add_months, month_end
from etabli.engines.spending.normalize import simplify
from etabli.engines.spending.serialize import to_jsonable
from etabli.engines.spending.types import ChargeKind, DayRule, Period

if TYPE_CHECKING:
    from etabli.engines.forecast.engine import CashForecaster, PlannedFlow


class WhatIfError(ForecastError):
    """A what-if the engine cannot understand or apply (French message with an example)."""


class ChangeAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    MOVE = "move"


@dataclass(frozen=True, slots=True)
class FlowChange:
    """One structured what-if change (what the small form produces, and what sentences are parsed into).

    ADD: `amount` signed (− for a purchase), `date` = (first) date, `recurrence` to repeat it until `until`
    (default: end of the horizon), `day_rule` for monthly salaries paid on the last business day.
    REMOVE: `target` = words naming the flows to drop (client, supplier, reference); `amount` (positive)
    = what is lost — if no forecast flow matches, it is taken off the expected receipts (or costs, per
    `sign`), on `date` if given, else spread over the horizon.
    MOVE: `target` as above, `date` = the new date.
    `sign`: +1 the change concerns receipts, −1 payments, 0 either.
    """

    action: ChangeAction
    label: str = ""
    amount: Decimal | None = None
    date: dt.date | None = None
    target: str = ""
    recurrence: Period | None = None
    until: dt.date | None = None
    day_rule: DayRule = DayRule.FIXED_DAY
    sign: int = 0
    account: str = ""
    explanation: str = ""
    source_text: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.action, ChangeAction):
            try:
                object.__setattr__(self, "action", ChangeAction(self.action))
            except ValueError as exc:
                raise WhatIfError(f"Action inconnue : « {self.action} » (ajouter, supprimer ou décaler).") from exc
        if self.amount is not None:
            object.__setattr__(self, "amount", check_amount(self.amount, "Montant du changement"))
        for name in ("date", "until"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
                raise WhatIfError(f"Date invalide dans le changement : « {value!r} ».")
        if self.action is ChangeAction.ADD:
            if self.amount is None or self.amount == 0:
                raise WhatIfError("Pour ajouter un flux, indiquez un montant non nul.")
            if self.date is None:
                raise WhatIfError("Pour ajouter un flux, indiquez sa date.")
        elif self.action is ChangeAction.MOVE:
            if not self.target.strip() or self.date is None:
                raise WhatIfError("Pour décaler un flux, indiquez lequel (client, fournisseur) et la nouvelle date.")
        elif not self.target.strip() and self.amount is None:
            raise WhatIfError("Pour retirer un flux, indiquez lequel (client, fournisseur, chantier) ou un montant.")
        if self.sign not in (-1, 0, 1):
            raise WhatIfError("Le sens d'un changement vaut +1 (encaissement), −1 (paiement) ou 0.")

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)


# ---------------------------------------------------------------------------------------------- parsing

_MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_PREFIX = r"(?:(?:a\s+partir\s+du|a\s+compter\s+du|pour\s+le|le|au|du|des|a|jusqu'au|jusqu'a)\s+)?"
_NUMERIC_DATE = re.compile(_PREFIX + r"(?<![\d,.])(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?(?![\d])")
_WRITTEN_DATE = re.compile(_PREFIX + r"\b(1er|\d{1,2})\s+(" + _MONTH_RE + r")\b\.?(?:\s+(\d{4}))?")
_MONTH_DATE = re.compile(
    r"(?:\b(a\s+partir\s+de|a\s+compter\s+de|des|debut|fin|mi|en|jusqu'en|jusqu'a|au\s+mois\s+de|pour)\s+)?"
    r"(?:(?:du\s+)?mois\s+(?:de\s+|d')?)?\b(" + _MONTH_RE + r")\b\.?(?:\s+(\d{4}))?"
)
_RELATIVE = re.compile(
    r"\b(?:(demain)|(aujourd'hui)|(?:a\s+partir\s+du\s+|des\s+le\s+|le\s+)?(mois\s+prochain)|"
    r"(?:la\s+)?(semaine\s+prochaine)|(fin\s+du\s+mois|fin\s+de\s+mois)|"
    r"dans\s+(\d+)\s+(jours?|semaines?|mois))\b"
)
_DURATION = re.compile(r"\bpendant\s+(\d+)\s+(mois|ans?|annees?|trimestres?|semaines?)\b")
_RECURRENCE = re.compile(
    r"(?:\s*/\s*|\s+par\s+|\s+chaque\s+|\s+tous\s+les\s+|\s+toutes\s+les\s+)(mois|an|annee|trimestre|semaine)s?\b"
    r"|\b(mensuel(?:le)?s?|annuel(?:le)?s?|trimestriel(?:le)?s?|hebdomadaires?)\b"
)
_AMOUNT = re.compile(
    r"(?<![\w/])([+-]|moins\s+|plus\s+)?\s*(\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(\d{1,2}))?\s*"
    r"(k\s*€|k\s*euros?|k\b|m\s*€|m\s*euros?|millions?\s+d'euros|millions?|mille\s+euros|€|euros?\b|eur\b)?"
)
_MOVE_WORDS = ("decaler", "decale", "reporter", "reporte", "repousser", "deplacer", "avancer", "differer", "retarder",
               "decalage", "report")
_REMOVE_WORDS = ("perte", "perdre", "perdu", "annulation", "annuler", "annule", "supprimer", "suppression", "retirer",
                 "resilier", "resiliation", "arreter", "arret", "sans", "enlever")
_INFLOW_WORDS = ("encaissement", "encaisser", "vente", "vendre", "recette", "subvention", "apport", "levee", "emprunt",
                 "pret", "nouveau client", "nouveau chantier", "nouveau contrat", "commande", "gain",
                 "facture client", "rentree", "aide", "credit d'impot", "remboursement de tva", "remboursement tva",
                 "chantier", "contrat", "marche", "affaire", "client")
_OUTFLOW_HINTS = ("rembourse", "echeance", "mensualite", "achat", "achete", "acheter", "investissement", "embauche",
                  "recrut", "salaire", "loyer",
                  "depense", "payer", "paiement", "fournisseur", "abonnement", "charge", "travaux", "impot", "taxe")
_SALARY_WORDS = ("embauche", "embaucher", "recrutement", "recruter", "salaire", "salarie", "cdi", "cdd", "apprenti",
                 "alternant", "stagiaire")
_GENERIC = {
    "le", "la", "les", "l", "du", "de", "des", "d", "un", "une", "au", "aux", "a", "en", "mon", "ma", "mes", "notre",
    "nos", "paiement", "reglement", "facture", "factures", "fournisseur", "client", "chantier", "contrat", "commande",
    "projet", "marche", "affaire", "prevu", "prevue", "encaissement", "encaissements", "versement", "virement",
    "echeance", "et", "si", "on", "je", "j", "nous", "pour", "avec", "paiements", "date", "flux", "abonnement",
    "abonnements",
}
_LEADING_WORDS = ("et si on", "et si je", "et si", "si on", "si je", "si", "ajouter", "ajout d'un", "ajout d'une",
                  "ajout de", "ajout", "prevoir", "nous", "on")


def _fold(text: str) -> str:
    """Lower case without accents, one character per input character (so spans map back to `text`)."""
    folded = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[0] if char.strip() else " "
        folded.append(base.lower() if base.isascii() or base.isalpha() else base)
    return "".join(folded).replace("’", "'")


def _resolve_day_month(day: int, month: int, year: int | None, today: dt.date) -> dt.date:
    if not 1 <= month <= 12:
        raise WhatIfError(f"Mois invalide : {month}.")
    if year is not None:
        year = year + 2000 if year < 100 else year
        return _safe_date(year, month, day)
    candidate = _safe_date(today.year, month, day)
    return candidate if candidate > today else _safe_date(today.year + 1, month, day)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise WhatIfError(f"Date impossible : {day:02d}/{month:02d}/{year}.") from exc


@dataclass
class _Found:
    start: int
    end: int
    value: Any
    kind: str = ""


@dataclass
class _Context:
    today: dt.date
    calendar: BankCalendar
    salary_rule: tuple[DayRule, int | None] = (DayRule.LAST_BUSINESS_DAY, None)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _find_dates(folded: str, ctx: _Context) -> list[_Found]:
    """All dates in the sentence with their span; month-only dates carry a qualifier (début, fin, mi…)."""
    found: list[_Found] = []
    taken = np.zeros(len(folded) + 1, dtype=bool)

    def add(match: re.Match[str], value: dt.date, kind: str) -> None:
        if taken[match.start():match.end()].any():
            return
        taken[match.start():match.end()] = True
        found.append(_Found(match.start(), match.end(), value, kind))

    for match in _NUMERIC_DATE.finditer(folded):
        year = int(match.group(3)) if match.group(3) else None
        add(match, _resolve_day_month(int(match.group(1)), int(match.group(2)), year, ctx.today), "day")
    for match in _WRITTEN_DATE.finditer(folded):
        day = 1 if match.group(1) == "1er" else int(match.group(1))
        year = int(match.group(3)) if match.group(3) else None
        add(match, _resolve_day_month(day, _MONTHS[match.group(2)], year, ctx.today), "day")
    for match in _RELATIVE.finditer(folded):
        today = ctx.today
        if match.group(1) or match.group(2):
            add(match, today + dt.timedelta(days=1), "day")
        elif match.group(3):
            add(match, add_months(dt.date(today.year, today.month, 1), 1), "month:debut")
        elif match.group(4):
            add(match, today + dt.timedelta(days=7 - today.weekday()), "day")
        elif match.group(5):
            add(match, month_end(today.year, today.month), "day")
        else:
            count, unit = int(match.group(6)), match.group(7)
            if unit.startswith("jour"):
                add(match, today + dt.timedelta(days=count), "day")
            elif unit.startswith("semaine"):
                add(match, today + dt.timedelta(days=7 * count), "day")
            else:
                add(match, add_months(today, count), "day")
    for match in _MONTH_DATE.finditer(folded):
        qualifier = (match.group(1) or "en").split()[0]
        month = _MONTHS[match.group(2)]
        if match.group(3):
            first = _safe_date(int(match.group(3)), month, 1)
        else:
            first = dt.date(ctx.today.year, month, 1)
            if month_end(first.year, first.month) <= ctx.today:
                first = first.replace(year=first.year + 1)
        add(match, first, f"month:{qualifier}")
    return sorted(found, key=lambda item: item.start)


def _month_date(first: dt.date, qualifier: str, today: dt.date) -> dt.date:
    if qualifier == "fin":
        return month_end(first.year, first.month)
    if qualifier == "mi":
        return first.replace(day=15)
    return max(first, today + dt.timedelta(days=1))


def _find_amount(folded: str, taken: list[tuple[int, int]]) -> _Found | None:
    """The money amount: a number with € / euros / k€ / M€ (or, failing that, a bare number ≥ 100)."""
    candidates: list[_Found] = []
    for match in _AMOUNT.finditer(folded):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        digits = re.sub(r"[ .]", "", match.group(2))
        cents = match.group(3) or "0"
        try:
            value = Decimal(f"{digits}.{cents}")
        except InvalidOperation:
            continue
        unit = (match.group(4) or "").strip()
        if unit.startswith(("k", "mille")):
            value *= 1000
        elif unit.startswith("m"):
            value *= 1_000_000
        sign = (match.group(1) or "").strip()
        signed = -1 if sign in ("-", "moins") else (1 if sign in ("+", "plus") else 0)
        candidates.append(_Found(match.start(), match.end(), (value, signed), "unit" if unit else "bare"))
    with_unit = [item for item in candidates if item.kind == "unit"]
    if with_unit:
        return with_unit[0]
    bare = [item for item in candidates if item.value[0] >= 100]
    return bare[0] if bare else None


def _find_recurrence(folded: str) -> _Found | None:
    match = _RECURRENCE.search(folded)
    if not match:
        return None
    word = match.group(1) or match.group(2)
    if word.startswith(("mois", "mensuel")):
        period = Period.MONTHLY
    elif word.startswith(("an", "annee", "annuel")):
        period = Period.YEARLY
    elif word.startswith(("trimestre", "trimestriel")):
        period = Period.QUARTERLY
    else:
        period = Period.WEEKLY
    return _Found(match.start(), match.end(), period)


def _has_word(folded: str, words: Sequence[str]) -> bool:
    return any(re.search(r"\b" + re.escape(word), folded) for word in words)


_ARTICLES = ("le", "la", "les", "l'", "de", "du", "d'", "un", "une", ",", "-")
_TRAILING = {"le", "la", "de", "du", "d'", "au", "a", "en", "pour", "par", "des", "et", ",", "-", ":", "partir",
             "avant", "apres", "vers"}


def _clean_label(text: str, folded: str, spans: list[tuple[int, int]], leading: Sequence[str]) -> str:
    """The words left once dates, amounts and recurrence are cut out, without the leading « et si j' »."""
    keep = np.ones(len(text), dtype=bool)
    for start, end in spans:
        keep[start:end] = False
    words = "".join(char if keep[i] else " " for i, char in enumerate(text)).split()
    folded_words = "".join(char if keep[i] else " " for i, char in enumerate(folded)).split()
    phrases = sorted(set(leading) | set(_ARTICLES), key=len, reverse=True)
    changed = True
    while changed and folded_words:
        changed = False
        joined = " ".join(folded_words)
        for phrase in phrases:
            if joined == phrase or joined.startswith(phrase + " "):
                size = len(phrase.split())
                words, folded_words = words[size:], folded_words[size:]
                changed = True
                break
        prefix = folded_words[0][:2] if folded_words else ""
        if not changed and prefix in {"j'", "l'", "d'"} and len(folded_words[0]) > 2:
            words[0], folded_words[0] = words[0][2:], folded_words[0][2:]
            changed = True
    while folded_words and folded_words[-1] in _TRAILING:
        words, folded_words = words[:-1], folded_words[:-1]
    return " ".join(words).strip(" ,;:-")


def parse_change(
    text: str,
    *,
    today: dt.date,
    calendar: BankCalendar | None = None,
    salary_rule: tuple[DayRule, int | None] | None = None,
) -> FlowChange:
    """Read one French sentence into a `FlowChange` (raises `WhatIfError` with an example when unclear).

    `today` resolves dates without a year (« le 15/01 » is the next 15 January); `salary_rule` is the
    company's salary day (last business day of the month by default) for « embauche … €/mois ».
    """
    if not isinstance(text, str) or not text.strip():
        raise WhatIfError("Décrivez le changement, par exemple « achat véhicule 25 000 € le 15/01 ».")
    text = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    folded = _fold(text)
    ctx = _Context(today=today, calendar=calendar or BankCalendar(),
                   salary_rule=salary_rule or (DayRule.LAST_BUSINESS_DAY, None))
    dates = _find_dates(folded, ctx)
    spans = [(item.start, item.end) for item in dates]
    duration = _DURATION.search(folded)
    if duration:
        spans.append((duration.start(), duration.end()))
    recurrence = _find_recurrence(folded)
    if recurrence:
        spans.append((recurrence.start, recurrence.end))
    amount = _find_amount(folded, spans)
    if amount:
        spans.append((amount.start, amount.end))
    if _has_word(folded, _MOVE_WORDS):
        return _parse_move(text, folded, dates, spans, amount, ctx)
    if _has_word(folded, _REMOVE_WORDS):
        return _parse_remove(text, folded, dates, spans, amount, ctx)
    return _parse_add(text, folded, dates, spans, amount, recurrence, duration, ctx)


def _date_of(found: _Found, today: dt.date) -> dt.date:
    if found.kind.startswith("month:"):
        return _month_date(found.value, found.kind.split(":", 1)[1], today)
    return found.value


def _direction_hint(folded: str) -> int:
    if _has_word(folded, ("fournisseur", "abonnement", "loyer", "charge", "achat", "salaire", "prelevement",
                          "depense", "impot", "taxe")):
        return -1
    if _has_word(folded, ("client", "chantier", "contrat", "commande", "vente", "marche", "affaire", "encaissement",
                          "subvention", "projet")):
        return 1
    return 0


def _target(text: str, folded: str, spans: list[tuple[int, int]], words: Sequence[str]) -> tuple[str, str]:
    label = _clean_label(text, folded, spans, [w for w in words])
    tokens = [token for token in simplify(label).split() if token not in _GENERIC and token not in words]
    return label, " ".join(tokens)


def _parse_move(text: str, folded: str, dates: list[_Found], spans: list[tuple[int, int]], amount: _Found | None,
                ctx: _Context) -> FlowChange:
    if not dates:
        raise WhatIfError("Indiquez la nouvelle date, par exemple « décaler le paiement fournisseur X au 30/01 ».")
    new_date = _date_of(dates[-1], ctx.today)
    label, target = _target(text, folded, spans, _MOVE_WORDS)
    if not target:
        raise WhatIfError("Précisez quel paiement décaler (nom du client ou du fournisseur), par exemple « décaler le "
                          "paiement fournisseur X au 30/01 ».")
    sign = _direction_hint(folded)
    what = {1: "des encaissements", -1: "des paiements", 0: "des flux"}[sign]
    return FlowChange(
        action=ChangeAction.MOVE, label=label, date=new_date, target=target, sign=sign,
        amount=amount.value[0] if amount else None,
        explanation=f"Report {what} liés à « {target} » au {format_date(new_date)}.", source_text=text,
    )


def _parse_remove(text: str, folded: str, dates: list[_Found], spans: list[tuple[int, int]], amount: _Found | None,
                  ctx: _Context) -> FlowChange:
    label, target = _target(text, folded, spans, _REMOVE_WORDS)
    sign = _direction_hint(folded)
    value = amount.value[0] if amount else None
    if not target and value is None:
        raise WhatIfError("Précisez ce qui disparaît (client, chantier, fournisseur) ou son montant, par exemple "
                          "« perte du chantier Dupont 80 000 € ».")
    day = _date_of(dates[0], ctx.today) if dates else None
    what = {1: "encaissements", -1: "paiements", 0: "flux"}[sign]
    amount_text = f" ({format_eur(value)})" if value is not None else ""
    return FlowChange(
        action=ChangeAction.REMOVE, label=label, amount=value, date=day, target=target, sign=sign,
        explanation=f"Suppression des {what} liés à « {target or label} »{amount_text}.", source_text=text,
    )


def _parse_add(text: str, folded: str, dates: list[_Found], spans: list[tuple[int, int]], amount: _Found | None,
               recurrence: _Found | None, duration: re.Match[str] | None, ctx: _Context) -> FlowChange:
    if amount is None:
        raise WhatIfError("Montant introuvable : écrivez-le avec le signe €, par exemple « achat véhicule 25 000 € le "
                          "15/01 » ou « embauche 2 500 €/mois à partir de février ».")
    value, explicit_sign = amount.value
    if explicit_sign:
        sign = explicit_sign
    elif _has_word(folded, _OUTFLOW_HINTS):
        sign = -1
    elif _has_word(folded, _INFLOW_WORDS):
        sign = 1
    else:
        sign = -1
    label = _clean_label(text, folded, spans, _LEADING_WORDS) or ("encaissement" if sign > 0 else "dépense")
    period = recurrence.value if recurrence else None
    salary_like = _has_word(folded, _SALARY_WORDS)
    notes = []
    day_rule = DayRule.FIXED_DAY
    if dates:
        first = dates[0]
        start = _date_of(first, ctx.today)
        if period is Period.MONTHLY and salary_like and first.kind.startswith("month:"):
            day_rule, salary_day = ctx.salary_rule
            if day_rule is DayRule.LAST_BUSINESS_DAY:
                start = ctx.calendar.last_business_day_of_month(start.year, start.month)
            else:
                start = start.replace(day=min(salary_day or 28, month_end(start.year, start.month).day))
    else:
        start = ctx.today + dt.timedelta(days=1)
        if period is Period.MONTHLY and salary_like:
            day_rule = ctx.salary_rule[0]
            start = ctx.calendar.last_business_day_of_month(start.year, start.month)
        notes.append("date non précisée : prévu dès demain (hypothèse prudente)")
    until = None
    if duration:
        count, unit = int(duration.group(1)), duration.group(2)
        months = count * (12 if unit.startswith("an") else 3 if unit.startswith("trimestre") else 1)
        until = (start + dt.timedelta(weeks=count)) if unit.startswith("semaine") else add_months(start, months)
        until -= dt.timedelta(days=1)
    elif len(dates) > 1 and period is not None:
        until = _date_of(dates[1], ctx.today)
    signed = round_cents(value) * sign
    direction = "une entrée" if sign > 0 else "une sortie"
    if period is None:
        explanation = f"Ajout d'{direction} de {format_eur(value)} le {format_date(start)} ({label})."
    else:
        rule = " (dernier jour ouvré du mois)" if day_rule is DayRule.LAST_BUSINESS_DAY else ""
        end = f" jusqu'au {format_date(until)}" if until else ""
        explanation = (f"Ajout d'{direction} de {format_eur(value)} {_PER[period]} à partir du {format_date(start)}{rule}"
                       f"{end} ({label}).")
    if salary_like and sign < 0:
        notes.append("montant pris tel quel : pour une embauche, indiquez le coût employeur (salaire brut + charges "
                      "patronales, environ 1,45 × le brut)")
    if notes:
        explanation += " " + " ; ".join(note[0].upper() + note[1:] for note in notes) + "."
    return FlowChange(
        action=ChangeAction.ADD, label=label, amount=signed, date=start, recurrence=period, until=until,
        day_rule=day_rule, sign=sign, explanation=explanation, source_text=text,
    )


_PER = {Period.WEEKLY: "par semaine", Period.MONTHLY: "par mois", Period.QUARTERLY: "par trimestre",
        Period.YEARLY: "par an"}


# ---------------------------------------------------------------------------------------------- applying


def salary_rule_of(forecaster: CashForecaster) -> tuple[DayRule, int | None]:
    """The company's salary day from its recurring charges (last business day when unknown)."""
    for charge in getattr(forecaster, "recurring", ()):
        if charge.kind is ChargeKind.SALARY and charge.active:
            return charge.day_rule, charge.typical_day
    return DayRule.LAST_BUSINESS_DAY, None


def apply_changes(
    planned: list[PlannedFlow],
    changes: list[object],
    *,
    forecaster: CashForecaster,
    accounts: list[str],
    adjustments: dict[str, np.ndarray],
) -> tuple[list[PlannedFlow], list[str]]:
    """Apply what-if changes to the forecast's flows; returns the new flows and French notes."""
    notes: list[str] = []
    for item in changes:
        if isinstance(item, str):
            change = parse_change(item, today=forecaster.as_of, calendar=forecaster.calendar,
                                  salary_rule=salary_rule_of(forecaster))
        elif isinstance(item, FlowChange):
            change = item
        else:
            raise WhatIfError(f"Changement non reconnu : {type(item).__name__} (texte ou FlowChange attendu).")
        account = forecaster.resolve_account(change.account, accounts)
        if change.action is ChangeAction.ADD:
            planned = planned + _added_flows(change, forecaster, account)
            notes.append(change.explanation or f"Ajout : {change.label}.")
        elif change.action is ChangeAction.REMOVE:
            planned, note = _remove(planned, change, forecaster, account, adjustments)
            notes.append(note)
        else:
            planned, note = _move(planned, change, forecaster)
            notes.append(note)
    return planned, notes


def _added_flows(change: FlowChange, forecaster: CashForecaster, account: str) -> list[PlannedFlow]:
    from etabli.engines.forecast.engine import PlannedFlow

    assert change.date is not None and change.amount is not None
    horizon_end = forecaster.as_of + dt.timedelta(days=forecaster.horizon_days)
    end = min(change.until or horizon_end, horizon_end)
    dates = [change.date]
    if change.recurrence is not None:
        k = 1
        while True:
            if change.recurrence is Period.WEEKLY:
                nxt = change.date + dt.timedelta(weeks=k)
            else:
                step = {Period.MONTHLY: 1, Period.QUARTERLY: 3, Period.YEARLY: 12}[change.recurrence] * k
                nxt = add_months(change.date, step)
                if change.day_rule is DayRule.LAST_BUSINESS_DAY:
                    nxt = forecaster.calendar.last_business_day_of_month(nxt.year, nxt.month)
            if nxt > end:
                break
            dates.append(nxt)
            k += 1
    return [
        PlannedFlow(
            label=change.label or "flux ajouté",
            amount=change.amount,
            counterparty="",
            kind=FlowKind.MANUAL,
            reference="simulation",
            account=account,
            median_offset=float((day - forecaster.as_of).days),
            group=f"whatif|{change.label}",
        )
        for day in dates
        if day > forecaster.as_of
    ]


def _matches(flow: PlannedFlow, change: FlowChange) -> bool:
    if change.sign and (flow.amount > 0) != (change.sign > 0):
        return False
    tokens = set(simplify(f"{flow.counterparty} {flow.label} {flow.reference}").split())
    wanted = change.target.split()
    return bool(wanted) and all(any(_same_word(token, other) for other in tokens) for token in wanted)


def _same_word(wanted: str, token: str) -> bool:
    """Equal, or one is the other with an ending (« salaire » / « salaires »), for words of 4+ letters."""
    if wanted == token:
        return True
    return len(wanted) >= 4 and len(token) >= 4 and (token.startswith(wanted) or wanted.startswith(token))


def _remove(planned: list[PlannedFlow], change: FlowChange, forecaster: CashForecaster, account: str,
            adjustments: dict[str, np.ndarray]) -> tuple[list[PlannedFlow], str]:
    kept, removed = [], []
    for flow in planned:
        (removed if _matches(flow, change) else kept).append(flow)
    removed_total = sum((abs(flow.amount) for flow in removed), Decimal(0))
    name = change.target or change.label
    parts = []
    if removed:
        parts.append(f"{len(removed)} flux prévu(s) liés à « {name} » retiré(s) ({format_eur(removed_total)})")
    leftover = (change.amount or Decimal(0)) - removed_total
    if leftover > 0:
        sign = change.sign or (1 if not removed else (1 if removed[0].amount > 0 else -1))
        horizon = forecaster.horizon_days
        if change.date is not None and change.date > forecaster.as_of:
            offset = (change.date - forecaster.as_of).days
            if offset <= horizon:
                adjustments[account][offset - 1] -= sign * float(leftover)
            parts.append(f"{format_eur(leftover)} retirés des {'encaissements' if sign > 0 else 'dépenses'} attendus le "
                         f"{format_date(change.date)}")
        else:
            business = forecaster.calendar.business_mask(forecaster.as_of + dt.timedelta(days=1), horizon)
            share = business / max(business.sum(), 1)
            adjustments[account] -= sign * float(leftover) * share
            parts.append(
                f"{format_eur(leftover)} retirés des {'encaissements' if sign > 0 else 'dépenses'} attendus, répartis "
                f"sur les {horizon} jours faute de date"
            )
    if not parts:
        raise WhatIfError(f"Aucun flux prévu ne correspond à « {name} » et aucun montant n'est indiqué : précisez le "
                          "client, le fournisseur ou le montant.")
    return kept, "Suppression : " + " ; ".join(parts) + "."


def _move(planned: list[PlannedFlow], change: FlowChange, forecaster: CashForecaster
          ) -> tuple[list[PlannedFlow], str]:
    assert change.date is not None
    if change.date <= forecaster.as_of:
        raise WhatIfError(f"La nouvelle date ({format_date(change.date)}) doit être postérieure au "
                          f"{format_date(forecaster.as_of)}.")
    matched = [i for i, flow in enumerate(planned) if _matches(flow, change)]
    if not matched:
        raise WhatIfError(f"Aucun flux prévu ne correspond à « {change.target} » : vérifiez le nom du client ou du "
                          "fournisseur.")
    if all(planned[i].kind is FlowKind.RECURRING for i in matched):
        matched = [min(matched, key=lambda i: planned[i].median_offset)]  # move one occurrence, not the schedule
    offset = float((change.date - forecaster.as_of).days)
    result = list(planned)
    moved_total = Decimal(0)
    for i in matched:
        result[i] = replace(planned[i], median_offset=offset, early_offset=None, late_offset=None, discrete=None,
                            group=planned[i].group + "|moved")
        moved_total += abs(planned[i].amount)
    return result, (f"Report : {len(matched)} flux liés à « {change.target} » ({format_eur(moved_total)}) placés au "
                    f"{format_date(change.date)}.")


# ---------------------------------------------------------------------------------------------- comparing


@dataclass(frozen=True, slots=True)
class DayDifference:
    date: dt.date
    pessimistic: Decimal
    realistic: Decimal
    optimistic: Decimal

    def get(self, scenario: Scenario) -> Decimal:
        return getattr(self, scenario.value)


@dataclass(frozen=True, slots=True)
class ScenarioComparison:
    scenario: Scenario
    baseline_lowest: Decimal
    baseline_lowest_date: dt.date
    variant_lowest: Decimal
    variant_lowest_date: dt.date
    baseline_first_alert: dt.date | None
    variant_first_alert: dt.date | None
    end_difference: Decimal


@dataclass(frozen=True, slots=True)
class ForecastComparison:
    days: tuple[DayDifference, ...]
    scenarios: tuple[ScenarioComparison, ...]
    summary: str

    def scenario(self, scenario: Scenario) -> ScenarioComparison:
        return next(item for item in self.scenarios if item.scenario is scenario)


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    changes: tuple[FlowChange, ...]
    baseline: CashForecast
    variant: CashForecast
    comparison: ForecastComparison

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [change.to_dict() for change in self.changes],
            "comparison": to_jsonable(self.comparison),
            "baseline": self.baseline.to_dict(),
            "variant": self.variant.to_dict(),
        }


def compare_forecasts(baseline: CashForecast, variant: CashForecast) -> ForecastComparison:
    """Day-by-day difference (variant − baseline) of the total, new low points and alert dates."""
    if baseline.dates != variant.dates:
        raise WhatIfError("Les deux prévisions à comparer ne couvrent pas les mêmes jours.")
    days = tuple(
        DayDifference(
            date=b.date,
            pessimistic=v.pessimistic - b.pessimistic,
            realistic=v.realistic - b.realistic,
            optimistic=v.optimistic - b.optimistic,
        )
        for b, v in zip(baseline.total.days, variant.total.days)
    )
    scenarios = []
    for scenario in (Scenario.PESSIMISTIC, Scenario.REALISTIC, Scenario.OPTIMISTIC):
        b_low, v_low = baseline.total.lowest(scenario), variant.total.lowest(scenario)
        b_alert, v_alert = baseline.first_alert(scenario), variant.first_alert(scenario)
        scenarios.append(ScenarioComparison(
            scenario=scenario,
            baseline_lowest=b_low.get(scenario),
            baseline_lowest_date=b_low.date,
            variant_lowest=v_low.get(scenario),
            variant_lowest_date=v_low.date,
            baseline_first_alert=b_alert.date if b_alert else None,
            variant_first_alert=v_alert.date if v_alert else None,
            end_difference=days[-1].get(scenario) if days else Decimal(0),
        ))
    return ForecastComparison(days=days, scenarios=tuple(scenarios), summary=_summary(scenarios, variant))


def _summary(scenarios: list[ScenarioComparison], variant: CashForecast) -> str:
    from etabli.engines.spending.alerts import eur

    realistic = next(item for item in scenarios if item.scenario is Scenario.REALISTIC)
    text = (
        f"Point bas réaliste : {eur(realistic.variant_lowest)} le {format_date(realistic.variant_lowest_date)} "
        f"au lieu de {eur(realistic.baseline_lowest)} le {format_date(realistic.baseline_lowest_date)} ; "
        f"écart en fin de période : {'+' if realistic.end_difference >= 0 else ''}{eur(realistic.end_difference)}."
    )
    pessimistic = next(item for item in scenarios if item.scenario is Scenario.PESSIMISTIC)
    for item in (realistic, pessimistic):
        if item.variant_first_alert and item.variant_first_alert != item.baseline_first_alert:
            text += (f" La trésorerie passerait sous {eur(variant.threshold)} le {format_date(item.variant_first_alert)}"
                     f" (scénario {item.scenario.label}).")
        elif item.baseline_first_alert and not item.variant_first_alert:
            text += f" Le passage sous {eur(variant.threshold)} du scénario {item.scenario.label} est évité."
    return text


def what_if(
    forecaster: CashForecaster,
    balances: dict[str, Decimal],
    flows: Sequence[object] = (),
    changes: Sequence[FlowChange | str] = (),
    *,
    threshold: Decimal = Decimal(0),
) -> WhatIfResult:
    """Baseline and variant forecasts with the same random draws, and their comparison."""
    parsed = tuple(
        parse_change(change, today=forecaster.as_of, calendar=forecaster.calendar,
                     salary_rule=salary_rule_of(forecaster)) if isinstance(change, str) else change
        for change in changes
    )
    if not parsed:
        raise WhatIfError("Indiquez au moins un changement à simuler.")
    baseline = forecaster.predict(balances, flows, threshold=threshold)  # type: ignore[arg-type]
    variant = forecaster.predict(balances, flows, threshold=threshold, changes=parsed)  # type: ignore[arg-type]
    return WhatIfResult(changes=parsed, baseline=baseline, variant=variant,
                        comparison=compare_forecasts(baseline, variant))
