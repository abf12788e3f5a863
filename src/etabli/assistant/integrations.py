"""The assistant's only doors into the billing app: order/invoice status and catalogue prices.

Why an adapter: the assistant reads another app's data only through that app's selectors, and the billing
app may be absent (an installation without invoicing) or older. Each function here says "not available"
instead of failing, and the assistant then hands the question to a person rather than guessing.

The status look-up relies on billing's contract: `invoice_status_lookup(company=, number=, postcode=,
email=)` returns data only when the second factor (postcode or e-mail of the order) matches. The assistant
additionally never calls it without a second factor.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from etabli.assistant.knowledge import CatalogueItem
from etabli.common.formats import format_date, format_eur

logger = logging.getLogger(__name__)


def _billing_selectors() -> Any | None:
    try:
        return importlib.import_module("etabli.billing.selectors")
    except ImportError:
        return None


@dataclass(frozen=True)
class StatusOutcome:
    """`available` False: billing cannot be asked (not installed, error). `view` None: nothing matches the
    number *and* the second factor (the same answer whether the number exists or not)."""

    available: bool
    view: Any | None = None


def status_lookup_available() -> bool:
    selectors = _billing_selectors()
    return selectors is not None and callable(getattr(selectors, "invoice_status_lookup", None))


def invoice_status(*, company, number: str, postcode: str | None, email: str | None) -> StatusOutcome:
    if not (postcode or email):
        raise ValueError("A second factor is required before any look-up")
    selectors = _billing_selectors()
    lookup = getattr(selectors, "invoice_status_lookup", None) if selectors is not None else None
    if not callable(lookup):
        return StatusOutcome(False)
    try:
        view = lookup(company=company, number=number, postcode=postcode, email=email)
    except Exception:  # a billing bug must not break the chat: the question goes to a person
        logger.exception("invoice_status_lookup failed for company %s", getattr(company, "pk", company))
        return StatusOutcome(False)
    return StatusOutcome(True, view)


def _get(view: Any, *names: str) -> Any:
    for name in names:
        value = view.get(name) if isinstance(view, dict) else getattr(view, name, None)
        if value not in (None, ""):
            return value
    return None


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return format_date(value)
    return str(value)


def describe_status(view: Any, number: str) -> str:
    """A French sentence from the billing view (only the fields it gives; nothing is inferred)."""
    kind = _get(view, "kind_label", "document_label") or "La facture"
    label = _get(view, "number") or number
    status = _get(view, "status_label", "status_display", "status")
    parts = [f"{kind} {label}"]
    issued = _get(view, "issue_date", "date")
    if issued:
        parts.append(f"du {_date(issued)}")
    sentence = " ".join(parts)
    if status:
        sentence += f" : {str(status).rstrip('.')}."
    else:
        sentence += "."
    details = []
    total = _get(view, "total_ttc", "total")
    if total is not None:
        details.append(f"montant {format_eur(Decimal(str(total)))} TTC")
    due = _get(view, "amount_due", "amount_open", "balance_due", "remaining")
    if due is not None:
        due_value = Decimal(str(due))
        details.append("entièrement réglée" if due_value == 0 else f"reste à payer {format_eur(due_value)}")
    due_date = _get(view, "due_date")
    if due_date and (due is None or Decimal(str(due)) > 0):
        details.append(f"échéance le {_date(due_date)}")
    paid_on = _get(view, "paid_on", "last_payment_date")
    if paid_on:
        details.append(f"dernier paiement reçu le {_date(paid_on)}")
    if details:
        sentence += " " + details[0][0].upper() + ", ".join(details)[1:] + "."
    extra = _get(view, "message", "detail")
    if extra:
        sentence += f" {extra}"
    return sentence


def catalogue(*, company) -> list[CatalogueItem] | None:
    """The company's catalogue from billing (None when billing offers no catalogue selector)."""
    selectors = _billing_selectors()
    reader = None
    for name in ("catalogue", "products", "catalogue_items"):
        candidate = getattr(selectors, name, None) if selectors is not None else None
        if callable(candidate):
            reader = candidate
            break
    if reader is None:
        return None
    try:
        rows = list(reader(company=company))
    except Exception:
        logger.exception("Reading the catalogue failed for company %s", getattr(company, "pk", company))
        return None
    items = []
    for row in rows:
        name = _get(row, "name", "label", "designation")
        price = _get(row, "unit_price", "price", "unit_price_ht")
        if not name or price is None or _get(row, "is_active") is False:
            continue
        items.append(CatalogueItem(
            reference=str(_get(row, "reference", "sku", "code", "pk", "id") or name),
            name=str(name),
            unit=str(_get(row, "unit") or ""),
            unit_price=Decimal(str(price)),
            vat_rate=Decimal(str(_get(row, "vat_rate") or "20")),
        ))
    return items
