"""French reasons from the factors that moved a late-payment score.

Why a phrase per (feature, direction): a reason must say what actually pushed *this* prediction, in the
direction it pushed. "aucun retard sur les 5 dernières factures" can only lower a risk; "3 retards sur les
5 dernières factures" can only raise it. When the value does not support a sentence in the direction the
model pushed (a tree may use a feature in a way no sentence describes honestly), no sentence is written:
the factor stays in the numeric explanation, not in the owner's reasons.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from etabli.common.formats import format_eur, format_number, format_percent
from etabli.engines.scoring.model import Factor


class Reason(NamedTuple):
    """One French reason. `direction` is +1 if it raised the risk, −1 if it lowered it."""

    text: str
    direction: int
    feature: str
    contribution: float


def _number(row: Mapping[str, Any], name: str) -> float | None:
    value = row.get(name)
    if type(value) is float:  # the usual case, checked first: this runs ~10 times per scored invoice
        return None if math.isnan(value) else value
    if value is None or isinstance(value, str):
        return None
    number = float(value)
    return None if math.isnan(number) else number


# Formatting a number the French way goes through Decimal and costs microseconds; among 10 000 invoices
# the same sector rates, amounts and ratios come back again and again. The cache is keyed by type too, so
# that 1 and 1.0 never share an entry.
_eur = lru_cache(maxsize=4096, typed=True)(format_eur)
_percent = lru_cache(maxsize=1024, typed=True)(format_percent)
_format_number = lru_cache(maxsize=1024, typed=True)(format_number)


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return singular if count <= 1 else (plural or singular + "s")


def _times(ratio: float) -> str:
    return _format_number(round(ratio), 0) if ratio >= 2.5 else _format_number(ratio, 1)


def _recent_lateness(up: bool, row: Mapping[str, Any]) -> str | None:
    n = int(_number(row, "recent_n") or 0)
    late = int(_number(row, "recent_late") or 0)
    if n == 0:
        return None
    last = "la dernière facture" if n == 1 else f"les {n} dernières factures"
    if up and late > 0:
        return f"{late} {_plural(late, 'retard')} sur {last}"
    if not up and late == 0:
        return f"aucun retard sur {last}"
    if not up and late < n / 2:
        return f"seulement {late} {_plural(late, 'retard')} sur {last}"
    return None


def _history(up: bool, row: Mapping[str, Any]) -> str | None:
    resolved = int(_number(row, "n_resolved") or 0)
    late = int(_number(row, "n_late") or 0)
    if resolved == 0:
        return "client récent : pas encore d'historique de paiement" if up else None
    if up and late > 0:
        return f"{late} {_plural(late, 'facture payée', 'factures payées')} en retard sur {resolved} au total"
    if not up and late <= resolved / 4:
        on_time = resolved - late
        return (
            f"paie habituellement à l'heure ({on_time} {_plural(on_time, 'facture')} sur {resolved} à temps)"
        )
    return None


def _experience(up: bool, row: Mapping[str, Any]) -> str | None:
    resolved = int(_number(row, "n_resolved") or 0)
    invoices = int(_number(row, "n_invoices") or 0)
    if up and resolved == 0:
        return "client récent : pas encore d'historique de paiement"
    if up and resolved < 3:
        return f"historique court : {resolved} {_plural(resolved, 'facture réglée', 'factures réglées')} seulement"
    if not up and invoices >= 5:
        return f"client régulier : {invoices} factures déjà émises"
    return None


def _customer_age(up: bool, row: Mapping[str, Any]) -> str | None:
    days = _number(row, "customer_age_days")
    if days is None:
        return None
    if up and days < 365:
        months = int(days // 30.4)
        return "client tout nouveau" if months < 1 else f"client depuis {months} mois seulement"
    if not up and days >= 730:
        return f"client depuis {int(days // 365.25)} ans"
    return None


def _amount_ratio(up: bool, row: Mapping[str, Any]) -> str | None:
    ratio = _number(row, "amount_ratio")
    if ratio is None:
        return None
    if up and ratio >= 1.5:
        return f"montant {_times(ratio)} fois supérieur à l'habitude"
    if not up and 0.75 <= ratio <= 1.25:
        return "montant habituel pour ce client"
    if not up and ratio < 0.75:
        return "montant inférieur à l'habitude"
    return None


def _amount(up: bool, row: Mapping[str, Any]) -> str | None:
    amount = _number(row, "amount")
    median = _number(row, "company_median_amount")
    if amount is None or median is None:
        return None
    if up and amount >= 1.5 * median:
        return f"montant élevé ({_eur(amount)})"
    if not up and amount <= median:
        return f"petit montant ({_eur(amount)})"
    return None


def _terms(up: bool, row: Mapping[str, Any]) -> str | None:
    terms = _number(row, "terms_days")
    usual = _number(row, "usual_terms")
    if terms is None:
        return None
    days = int(terms)
    if up and usual is not None and terms > usual:
        return f"délai de paiement de {days} jours, plus long que d'habitude ({int(usual)} jours)"
    if up and terms >= 45:
        return f"délai de paiement long ({days} jours)"
    if not up and terms <= 30 and (usual is None or terms <= usual):
        return f"délai de paiement court ({days} jours)"
    return None


def _terms_vs_usual(up: bool, row: Mapping[str, Any]) -> str | None:
    difference = _number(row, "terms_vs_usual")
    if difference is None:
        return None
    if up and difference > 0:
        return _terms(True, row)
    if not up and difference == 0:
        return f"délai de paiement habituel ({int(_number(row, 'terms_days') or 0)} jours)"
    if not up and difference < 0:
        return "délai de paiement plus court que d'habitude"
    return None


def _mean_delay(up: bool, row: Mapping[str, Any]) -> str | None:
    delay = _number(row, "mean_delay")
    if delay is None:
        return None
    if up and delay >= 1:
        return f"retard moyen de {round(delay)} jours sur les factures payées"
    if not up and delay <= -1:
        return f"paie en moyenne {round(-delay)} jours avant l'échéance"
    if not up and delay < 1:
        return "paie en général à l'échéance"
    return None


def _max_delay(up: bool, row: Mapping[str, Any]) -> str | None:
    delay = _number(row, "max_delay")
    if delay is None:
        return None
    if up and delay >= 1:
        return f"jusqu'à {round(delay)} jours de retard par le passé"
    if not up and delay <= 0:
        return "jamais payé en retard"
    if not up and delay <= 5:
        return f"jamais plus de {round(delay)} jours de retard"
    return None


def _overdue(up: bool, row: Mapping[str, Any]) -> str | None:
    count = int(_number(row, "overdue_count") or 0)
    if up and count >= 1:
        return f"{count} {_plural(count, 'autre facture déjà', 'autres factures déjà')} en retard"
    if not up and count == 0 and int(_number(row, "n_invoices") or 0) > 0:
        return "aucune autre facture en retard"
    return None


def _open_amount(up: bool, row: Mapping[str, Any]) -> str | None:
    amount = _number(row, "open_amount")
    if amount is None:
        return None
    if up and amount > 0:
        return f"encours : {_eur(amount)} déjà dus sur d'autres factures"
    if not up and amount == 0:
        return "aucun autre encours"
    return None


def _days_to_due(up: bool, row: Mapping[str, Any]) -> str | None:
    days = _number(row, "days_to_due")
    since = _number(row, "days_since_issue") or 0
    if days is None:
        return None
    if up and since > 0 and 0 <= days <= 10:
        return f"échéance dans {int(days)} {_plural(int(days), 'jour')} et toujours pas réglée"
    if not up and days > 20:
        return f"échéance encore lointaine (dans {int(days)} jours)"
    return None


def _days_since_issue(up: bool, row: Mapping[str, Any]) -> str | None:
    days = _number(row, "days_since_issue")
    if up and days is not None and days >= 7:
        return f"émise il y a {int(days)} jours et toujours impayée"
    return None


def _sector(up: bool, row: Mapping[str, Any]) -> str | None:
    sector = row.get("sector")
    rate = _number(row, "sector_late_rate")
    if not sector or rate is None:
        return None
    # The prior is relative to the company's own average: say so, 36 % can be "less than usual".
    share = _percent(rate)
    if up:
        return f"secteur « {sector} » : plus de retards que la moyenne ({share} des factures)"
    return f"secteur « {sector} » : moins de retards que la moyenne ({share} des factures)"


_WRITERS = {
    "recent_late_ratio": _recent_lateness,
    "late_rate_shrunk": _history,
    "n_resolved": _experience,
    "n_invoices": _experience,
    "customer_age_days": _customer_age,
    "amount_ratio": _amount_ratio,
    "amount_log": _amount,
    "terms_days": _terms,
    "terms_vs_usual": _terms_vs_usual,
    "mean_delay": _mean_delay,
    "max_delay": _max_delay,
    "overdue_count": _overdue,
    "open_amount_log": _open_amount,
    "days_to_due": _days_to_due,
    "days_since_issue": _days_since_issue,
    "sector": _sector,
    "sector_late_rate": _sector,
}


def reasons_from_factors(factors: Sequence[Factor], row: Mapping[str, Any], limit: int = 4) -> list[Reason]:
    """Up to `limit` distinct French reasons, strongest factor first."""
    reasons: list[Reason] = []
    seen: set[str] = set()
    for feature, _, contribution in factors:
        writer = _WRITERS.get(feature)
        if writer is None or contribution == 0:
            continue
        up = contribution > 0
        text = writer(up, row)
        if text is None or text in seen:
            continue
        seen.add(text)
        reasons.append(Reason(text, 1 if up else -1, feature, contribution))
        if len(reasons) == limit:
            break
    return reasons


__all__ = ["Reason", "reasons_from_factors"]
